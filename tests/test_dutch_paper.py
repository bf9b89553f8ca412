"""The order sheet and the bag labels in Dutch: the same numbers, with a decimal comma,
the words a Dutch pharmacy and nurse use, nothing running off a label, and blinded sheets and labels
that are still the same for both arms.

Hand arithmetic: 72.35 kg × 2 g/kg = 144.7 g a course in 1447 mL; day 1 is 30 g in hospital and
42.4 g at home; 2027-01-04 is a Monday.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ivig_dose.cli.main import app
from tests.documents import pdf_text

runner = CliRunner()
PLAN = ["--weight", "72.35", "--start", "2027-01-04", "--patient-id", "TIM-001"]
AMOUNT = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)?)\s?(g|mL|kg|mL/h|min)(?![\w/])")
#: a patient id of 60 characters, the most a label prints (on two lines).
LONG_ID = "TIMEISMUSCLE-NL-AMSTERDAM-UMC-SITE-04-PATIENT-0001-EXTRA-LON"


def make(tmp_path: Path, command: str, *args: str, name: str = "out.pdf") -> bytes:
    target = tmp_path / name
    result = runner.invoke(app, [command, *args, "-o", str(target)], env={"SOURCE_DATE_EPOCH": "1798848000"})
    assert result.exit_code == 0, result.stderr
    return target.read_bytes()


def amounts(text: str) -> list[tuple[Decimal, str]]:
    # justified lines are spaced wider in the PDF's text: one space is one space
    return [(Decimal(number.replace(",", ".")), unit) for number, unit in AMOUNT.findall(" ".join(text.split()))]


def test_the_order_sheet_reads_dutch(tmp_path: Path) -> None:
    text = " ".join(pdf_text(make(tmp_path, "order", *PLAN, "--lang", "nl")).split())
    for words in ("IVIg-infuusopdracht", "Doseergewicht", "Toegepaste regels", "Waarschuwingen",
                  "Voorgeschreven door (arts)", "BIG-nummer", "Toedieningsweg intraveneus (IV)",
                  "Paraaf voor de zakken op deze pagina: voorschrijver apotheker dubbele controle", "ma 2027-01-04",
                  "Bereid door (apotheek)", "Onafhankelijke dubbele controle", "Paraaf", "Benodigde flacons",
                  "Pompschema", "Looptijd", "ziekenhuis", "thuis", "maandag 4 januari 2027", "pagina 1 van 2"):
        assert words in text
    assert "42,4 g" in text and "144,7 g" in text and "1447 mL" in text
    assert "42.4 g" not in text and "1.447" not in text


def test_the_order_sheet_holds_the_english_numbers(tmp_path: Path) -> None:
    english = pdf_text(make(tmp_path, "order", *PLAN, name="en.pdf"))
    dutch = pdf_text(make(tmp_path, "order", *PLAN, "--lang", "nl", name="nl.pdf"))
    assert amounts(dutch) == amounts(english)
    assert len(amounts(dutch)) > 100


def test_labels_read_dutch_and_hold_the_english_numbers(tmp_path: Path) -> None:
    english = pdf_text(make(tmp_path, "labels", *PLAN, name="en.pdf"))
    dutch = pdf_text(make(tmp_path, "labels", *PLAN, "--lang", "nl", name="nl.pdf"))
    flat = " ".join(dutch.split())
    assert "Locatie: ZIEKENHUIS · doseergewicht 72,35 kg" in flat and "Locatie: THUIS" in flat
    assert "Nanogam 100 mg/mL · intraveneus (IV)" in flat
    # the protocol's own Dutch name of the course
    assert "uitgangskuur · dag 1 van 2 · maandag 4 januari 2027" in flat
    assert "424 mL (42,4 g)" in flat
    assert amounts(dutch) == amounts(english)


@pytest.mark.parametrize("weight", ["40", "100", "120", "200", "300"])
def test_a_long_dutch_pump_program_fits_its_label(tmp_path: Path, weight: str) -> None:
    # five rate steps in Dutch words and a two-line patient id: the pump lines are set smaller
    # rather than run past the label (they did, by 0.1 to 0.2 mm, before they were)
    content = make(tmp_path, "labels", "--weight", weight, "--start", "2027-01-04", "--patient-id", LONG_ID,
                   "--product", "octagam-10", "--lang", "nl")
    assert "gedurende" in pdf_text(content)


@pytest.mark.parametrize("command", ["order", "labels"])
def test_blinded_dutch_paper_is_the_same_for_both_arms(tmp_path: Path, command: str) -> None:
    ivig = make(tmp_path, command, *PLAN, "--blinded", "--lang", "nl", name="ivig.pdf")
    placebo = make(tmp_path, command, *PLAN, "--blinded", "--arm", "placebo", "--lang", "nl", name="placebo.pdf")
    assert ivig == placebo
    assert "Studiemedicatie (IVIg of placebo)" in " ".join(pdf_text(ivig).split())


def test_an_english_sheet_is_as_it_was(tmp_path: Path) -> None:
    # the English sheet does not depend on the locale of the shell it is made in
    text = pdf_text(make(tmp_path, "order", *PLAN, "--lang", "en"))
    assert "IVIg infusion order" in text and "42.4 g" in text and "Start Mon 2027-01-04" in " ".join(text.split())
