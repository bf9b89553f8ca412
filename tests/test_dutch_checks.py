"""verify, screen, rates and batch in Dutch: the checks a nurse or pharmacist reads, in
their words, with the same numbers as in English.

Hand arithmetic: 72 kg × 2 g/kg = 144 g a course, 72 g a day; day 1 is 30 g in hospital and
42 g at home (420 mL at 10 mL/g), so a 424 mL home bag is 4 mL over, 4/420 = 0.95 % (shown
rounded to +1%). 72.35 kg × 0.6 mL/kg/h = 43.41, rounded down to 43.4 mL/h.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ivig_dose.cli.main import app

runner = CliRunner()
ANSWERS = Path(__file__).parent.parent / "examples" / "screen_patient.toml"
BEDSIDE = ["verify", "--weight", "72kg", "--course", "baseline", "--day", "1", "--setting", "home"]
AMOUNT = re.compile(r"(?<![\d.,])([+-]?\d+(?:[.,]\d+)?) ?(g|mL|kg|mL/h|min|%)(?![\w/])")


def run(*args: str, columns: int = 200, stdin: str | None = None) -> Result:
    return runner.invoke(app, list(args), env={"COLUMNS": str(columns)}, input=stdin)


def amounts(text: str) -> list[tuple[Decimal, str]]:
    return [(Decimal(number.replace(",", ".")), unit) for number, unit in AMOUNT.findall(text)]


def test_a_bedside_check_in_dutch() -> None:
    result = run(*BEDSIDE, "--volume", "424mL", "--lang", "nl")
    assert result.exit_code == 1
    assert result.stdout.startswith("KLOPT NIET: 1 van de 1 vergeleken waarden wijken af van het protocol:")
    assert "uitgangskuur dag 1 thuis volume " in result.stdout
    assert "+4 mL (+1%)" in result.stdout and "dosis × 10 mL/g" in result.stdout
    assert "gewicht: 72 kg (gegeven)" in result.stdout


@pytest.mark.parametrize("args", [["--volume", "424,5 mL"], ["--dose", "42,45 g"], ["--volume", "420 mL"]])
@pytest.mark.parametrize("columns", [50, 200])
def test_the_dutch_check_holds_the_english_numbers(args: list[str], columns: int) -> None:
    english = run(*BEDSIDE, *args, "--lang", "en", columns=columns)
    dutch = run(*BEDSIDE, *args, "--lang", "nl", columns=columns)
    assert dutch.exit_code == english.exit_code
    assert amounts(dutch.stdout) == amounts(english.stdout)
    assert amounts(dutch.stdout)


def test_a_whole_order_checks_in_dutch(tmp_path: Path) -> None:
    order = tmp_path / "order.json"
    order.write_text(run("plan", "--weight", "72.35", "--start", "2027-01-04", "-f", "json").stdout, "utf-8")
    result = run("verify", str(order), "--weight", "72.35", "--lang", "nl")
    assert result.exit_code == 0
    assert "KLOPT: alle" in result.stdout
    assert "gewicht: 72,35 kg (gegeven)" in result.stdout
    assert "startdatum: ma 2027-01-04 (uit de order: bevestig dit)" in result.stdout  # 4 January 2027 is a Monday


def test_the_options_an_order_was_made_with_are_named_in_dutch(tmp_path: Path) -> None:
    order = tmp_path / "order.json"
    order.write_text(run("plan", "--weight", "72", "--start", "2027-01-04", "--days", "4", "-f", "json").stdout,
                     "utf-8")
    result = run("verify", str(order), "--weight", "72", "--round", "none", "--lang", "nl")
    assert result.exit_code == 0
    assert "Let op: verwacht plan gemaakt met --days 4 (zoals in de order) --round none" in result.stdout
    english = run("verify", str(order), "--weight", "72", "--round", "none")
    assert "Note: expected plan made with --days 4 (as the order has it) --round none" in english.stdout


def test_verify_json_is_the_same_in_every_language() -> None:
    english = run(*BEDSIDE, "--volume", "424,5 mL", "-f", "json")
    dutch = run(*BEDSIDE, "--volume", "424,5 mL", "-f", "json", "--lang", "nl")
    assert dutch.stdout == english.stdout
    assert '"ordered": 424.5' in dutch.stdout


def test_the_screen_in_dutch() -> None:
    result = run("screen", "--answers", str(ANSWERS), "--lang", "nl")
    assert result.exit_code == 0
    assert "Oordeel: KOMT IN AANMERKING, aan elk criterium voldaan" in result.stdout
    assert "18 jaar of ouder" in result.stdout and "beantwoord met ja" in result.stdout
    assert "18 % is niet lager dan 10 %" in result.stdout  # I4 answered 18, the bound 10


def test_the_screen_asks_in_dutch_and_takes_dutch_answers() -> None:
    # E2 never, E3 yes (fails: a reaction to a blood product), E4 no; E5-E7 left at end of input
    result = run("screen", "--ivig-only", "--screening-date", "2027-01-15", "--lang", "nl", stdin="nooit\nja\nnee\n")
    assert result.exit_code == 1
    assert "E2 Datum van de laatste trombotische episode? (JJJJ-MM-DD of nooit)" in result.stderr
    assert "(ja/nee)" in result.stderr
    assert "IVIg-veiligheidscontrole: NIET AKKOORD, niet voldaan: E3; ook niet beantwoord: E5, E6, E7" in result.stdout


def test_screen_json_is_the_same_in_every_language() -> None:
    english = run("screen", "--answers", str(ANSWERS), "-f", "json")
    assert run("screen", "--answers", str(ANSWERS), "-f", "json", "--lang", "nl").stdout == english.stdout


@pytest.mark.parametrize("columns", [40, 200])
def test_rates_in_dutch(columns: int) -> None:
    english = run("rates", "--weight", "72.35", "--volume", "424mL", columns=columns)
    dutch = run("rates", "--weight", "72.35", "--volume", "424mL", "--lang", "nl", columns=columns)
    assert "43,4 mL/h" in dutch.stdout  # 72.35 × 0.6 = 43.41, rounded down
    assert "Totaal: 3 h 5 min, 424 mL" in dutch.stdout
    assert amounts(dutch.stdout) == amounts(english.stdout)


def test_batch_reports_in_dutch_and_writes_the_same_file() -> None:
    rows = "patient_id,weight,start\nP1,70,2027-01-04\nP2,7,2027-01-04\n"
    english = run("batch", "-", stdin=rows)
    dutch = run("batch", "-", "--lang", "nl", stdin=rows)
    assert dutch.stdout == english.stdout
    assert "ivig-dose: fout: rij 3, patient_id P2: gewicht 7 kg valt buiten" in dutch.stderr
    assert "ivig-dose: 1 patiënt(en) gepland, 1 rij(en) konden niet worden gepland" in dutch.stderr


def test_the_errors_file_of_a_batch_stays_english(tmp_path: Path) -> None:
    errors = tmp_path / "errors.csv"
    run("batch", "-", "--errors", str(errors), "--lang", "nl", stdin="patient_id,weight,start\nP2,7,2027-01-04\n")
    assert "weight 7 kg is outside the plausible adult range" in errors.read_text("utf-8")
