"""Dutch at the bedside: the same numbers as in English, written the Dutch way, and
nowhere a form that could be misread.

Expected numbers come from the English output of the same run (itself held to the spec's worked
cases elsewhere) and from hand arithmetic: 72.35 kg × 2 g/kg = 144.7 g a course, split 72.4 + 72.3 g,
the first 30 g in hospital (so 42.4 g at home on day 1), 1447 mL a course at 10 mL/g.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from ivig_dose.cli.main import app

runner = CliRunner()
PLAN = ["plan", "--weight", "72.35", "--start", "2027-01-04"]
#: a number with one of the units a dose, volume, weight or pump step is written in.
AMOUNT = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)?) (g|mL|kg|mL/h|min)\b")


def run(*args: str, columns: int = 200) -> tuple[str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": str(columns), "SOURCE_DATE_EPOCH": "1798848000"})
    assert result.exit_code == 0, result.stderr
    return result.stdout, result.stderr


def amounts(text: str) -> list[tuple[Decimal, str]]:
    """Every amount in the text in order, its number read back whichever decimal mark it has."""
    return [(Decimal(number.replace(",", ".")), unit) for number, unit in AMOUNT.findall(text)]


def test_the_plan_reads_dutch_with_decimal_commas() -> None:
    dutch, _ = run(*PLAN, "--lang", "nl")
    assert "Waarom deze getallen:" in dutch
    assert "Kuur" in dutch and "Locatie" in dutch and "ziekenhuis" in dutch and "thuis" in dutch
    assert "42,4 g" in dutch and "144,7 g" in dutch and "72,35 kg" in dutch  # 72.35 × 2 = 144.7; 72.4 − 30
    assert "Start: maandag 4 januari 2027" in dutch  # 2027-01-04 is a Monday
    assert "42.4 g" not in dutch


@pytest.mark.parametrize("columns", [50, 80, 200])
def test_the_dutch_numbers_are_the_english_ones(columns: int) -> None:
    # read back, every amount of the Dutch plan (table or stacked blocks, vials, pumps, why) is the
    # English plan's, in the same order
    english, _ = run(*PLAN, "--lang", "en", columns=columns)
    dutch, _ = run(*PLAN, "--lang", "nl", columns=columns)
    assert amounts(dutch) == amounts(english)
    assert len(amounts(dutch)) > 40


def test_a_weight_typed_in_pounds_reads_dutch() -> None:
    # 183.9 lb × 0.45359237 = 83.4156... kg, shown to 10 g beside the pounds
    args = ["plan", "--weight", "183.9 lb", "--course-weight", "week4=180 lb", "--start", "2027-01-04"]
    dutch, _ = run(*args, "--lang", "nl")
    english, _ = run(*args)
    assert "Gewicht: 183,9 lb (83,42 kg)" in dutch
    assert "R9: kuur week 4 gedoseerd op 180 lb (81,65 kg), gemeten voor die kuur" in dutch
    assert amounts(dutch) == amounts(english)


def test_no_thousands_separator_in_dutch() -> None:
    # Dutch groups thousands with a point: "1.447 mL" would be read as 1.447 mL by an English reader
    dutch, _ = run(*PLAN, "--lang", "nl")
    table = dutch.split("Weken")[0]
    assert "1447 mL" in table and "4341 mL" in table  # 144.7 g × 10 mL/g; three courses
    assert not re.search(r"\d\.\d", table)


def test_a_list_of_decimal_numbers_is_not_separated_by_commas_in_dutch() -> None:
    # "0,6, 1,2, 2,4 mL/kg/h" cannot be read; the rate steps are 0.6, 1.2 and 2.4 mL/kg/h
    dutch, _ = run(*PLAN, "--lang", "nl")
    assert "0,6; 1,2; 2,4 mL/kg/h" in dutch
    assert "0.6, 1.2, 2.4 mL/kg/h" in run(*PLAN, "--lang", "en")[0]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_machine_output_is_the_same_in_every_language(fmt: str) -> None:
    english, _ = run(*PLAN, "-f", fmt)
    dutch, _ = run(*PLAN, "-f", fmt, "--lang", "nl")
    assert dutch == english
    if fmt == "json":
        document = json.loads(dutch)
        assert document["courses"][0]["dose_g"] == 144.7
        assert "dosis" not in dutch and "ziekenhuis" not in dutch


def test_fhir_is_the_same_in_every_language() -> None:
    english, _ = run(*PLAN, "-f", "fhir", "--patient-id", "TIM-001")
    dutch, _ = run(*PLAN, "-f", "fhir", "--patient-id", "TIM-001", "--lang", "nl")
    assert dutch == english


@pytest.mark.parametrize("args", [["-f", "table"], ["-f", "json"], ["-f", "csv"],
                                  ["-f", "fhir", "--patient-id", "TIM-001"]], ids=lambda a: a[1])
@pytest.mark.parametrize("columns", [50, 200])
def test_blinded_dutch_output_is_the_same_for_both_arms(args: list[str], columns: int) -> None:
    ivig, _ = run(*PLAN, "--blinded", "--lang", "nl", *args, columns=columns)
    placebo, _ = run(*PLAN, "--blinded", "--lang", "nl", "--arm", "placebo", *args, columns=columns)
    assert ivig == placebo
    if args[1] == "table":
        assert "Studiemedicatie (IVIg of placebo)" in ivig
        assert " g " not in ivig.split("Waarom")[0].replace("g/kg", "")  # no dose in grams above the why block


def test_warnings_and_errors_are_dutch() -> None:
    result = runner.invoke(app, ["plan", "--weight", "160", "--start", "2027-01-04", "--lang", "nl"])
    assert "ivig-dose: waarschuwing: gewicht 160 kg is boven 150 kg: ongebruikelijk; controleer het" in result.stderr
    error = runner.invoke(app, ["plan", "--weight", "7", "--lang", "nl"])
    assert error.exit_code == 2
    assert error.stderr == ("ivig-dose: fout: gewicht 7 kg valt buiten het aannemelijke bereik voor volwassenen; "
                            "toegestaan: 20 tot en met 300 kg\n")


def test_a_nested_error_is_dutch_throughout() -> None:
    # the value's name, the problem and what is accepted are each a message of their own: all Dutch,
    # and the value as it was typed
    result = runner.invoke(app, ["plan", "--weight", "72,5 pond", "--lang", "nl"])
    assert result.exit_code == 2
    assert result.stderr.startswith("ivig-dose: fout: gewicht '72,5 pond': onbekende eenheid 'pond'")
    assert "toegestaan: een positieve massa zoals 72, 72 kg, 72000 g of 158,7 lb" in result.stderr
    later = runner.invoke(app, ["plan", "--weight", "72", "--course-weight", "week4=70 pond", "--lang", "nl"])
    assert later.stderr.startswith("ivig-dose: fout: gewicht week4 '70 pond': onbekende eenheid 'pond'")


def test_the_week_strip_uses_dutch_letters() -> None:
    dutch, _ = run(*PLAN, "--lang", "nl")
    assert "      Bt····· " in dutch  # day 1 hospital then home, day 2 at home
    assert "Z ziekenhuis, t thuis, B beide: eerst ziekenhuis, dan thuis, · geen infuus" in dutch


def test_the_languages_guide_shows_a_real_dutch_example() -> None:
    # one Dutch example in docs/languages.md, with the output the command really prints
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "docs" / "languages.md").read_text(encoding="utf-8")
    command = "ivig-dose rates --weight 72,35 --volume 424mL --lang nl"
    assert f"```sh\n{command}\n```" in readme
    shown = readme.split(f"```sh\n{command}\n```", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    printed, _ = run(*command.split()[1:], columns=100)
    assert [line.rstrip() for line in shown.splitlines()] == [line.rstrip() for line in printed.splitlines()]
