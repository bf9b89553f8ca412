"""`ivig-dose plan` through the CLI: every format, every error class, blinded identity across arms."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from ivig_dose.cli.main import app
from tests.helpers import NANOGAM_UNVERIFIED

runner = CliRunner()
START = ["--start", "2027-01-04"]


def contract(segment: dict) -> dict:
    """A segment's keys as the plan contract lays them down."""
    return {key: segment[key] for key in ("setting", "dose_g", "volume_ml")}


def run(*args: str):
    return runner.invoke(app, list(args))


def test_json_matches_the_contract_for_70_kg():
    result = run("plan", "--weight", "70", *START, "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["schema"] == "ivig-dose/plan/v1"
    assert (doc["protocol"], doc["arm"], doc["weight_kg"]) == ("timeismuscle", "ivig", 70)
    assert doc["product"] == {"name": "Nanogam", "concentration_mg_per_ml": 100}
    # 2 g/kg × 70 kg = 140 g over 2 days (R2, R3); 3 courses = 420 g, 4200 mL.
    assert (doc["course_dose_g"], doc["days_per_course"]) == (140, 2)
    assert (doc["total_dose_g"], doc["total_volume_ml"]) == (420, 4200)
    # the only warning: the default product's vials and rates are not verified against its label
    assert doc["warnings"] == [NANOGAM_UNVERIFIED]
    baseline = doc["courses"][0]
    # the contract's keys; others (vials, pump) may be added
    day1 = baseline["days"][0] | {"segments": [contract(s) for s in baseline["days"][0]["segments"]]}
    assert day1 == {
        "day": 1, "date": "2027-01-04", "dose_g": 70, "volume_ml": 700,
        "segments": [{"setting": "hospital", "dose_g": 30, "volume_ml": 300},
                     {"setting": "home", "dose_g": 40, "volume_ml": 400}],
    }
    assert [contract(s) for s in baseline["days"][1]["segments"]] == [
        {"setting": "home", "dose_g": 70, "volume_ml": 700}]
    assert [(c["name"], c["week"], c["start"]) for c in doc["courses"]] == [
        ("baseline", 0, "2027-01-04"), ("week 4", 4, "2027-02-01"), ("week 8", 8, "2027-03-01")]
    # integers print without a decimal point: 140, not 140.0
    assert '"course_dose_g": 140,' in result.stdout


def test_json_keeps_one_decimal_doses_exact():
    doc = json.loads(run("plan", "-w", "80.3", *START, "-f", "json").stdout)
    # 2 × 80.3 = 160.6 g -> 53.6 + 53.5 + 53.5 (R4).
    assert [d["dose_g"] for d in doc["courses"][0]["days"]] == [53.6, 53.5, 53.5]
    assert [d["volume_ml"] for d in doc["courses"][0]["days"]] == [536, 535, 535]


def test_csv_has_one_row_per_segment():
    result = run("plan", "-w", "70", *START, "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    # baseline: day 1 hospital + home, day 2 home; weeks 4 and 8: 2 home days each -> 7 bags.
    assert len(rows) == 7
    assert [(r["course"], r["day"], r["setting"], r["dose_g"], r["volume_ml"]) for r in rows[:3]] == [
        ("baseline", "1", "hospital", "30", "300"),
        ("baseline", "1", "home", "40", "400"),
        ("baseline", "2", "home", "70", "700"),
    ]


def test_table_shows_rows_totals_and_why():
    out = run("plan", "-w", "100", *START).stdout
    for expected in ("baseline", "hospital", "30 g", "300 mL", "60 g", "600 mL", "540 g", "5400 mL",
                     "Protocol total", "Why these numbers", "capped at the 180 g course maximum",
                     "3 days needed to stay within 80 g/day"):
        assert expected in out
    assert ".0 g" not in out and "cc" not in out


def test_placebo_json_has_zero_doses_and_ivig_volumes():
    ivig = json.loads(run("plan", "-w", "80.3", *START, "-f", "json").stdout)
    placebo = json.loads(run("plan", "-w", "80.3", *START, "-f", "json", "--arm", "placebo").stdout)
    assert placebo["product"]["name"] == "NaCl 0.9%"
    assert placebo["total_dose_g"] == 0 and placebo["course_dose_g"] == 0
    volumes = lambda d: [s["volume_ml"] for c in d["courses"] for day in c["days"] for s in day["segments"]]  # noqa: E731
    assert volumes(placebo) == volumes(ivig)


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
@pytest.mark.parametrize("weight", ["45", "70", "80.3", "100", "158.7 lb"])
def test_blinded_output_is_byte_identical_across_arms(fmt, weight):
    ivig = run("plan", "-w", weight, *START, "-f", fmt, "--blinded", "--arm", "ivig")
    placebo = run("plan", "-w", weight, *START, "-f", fmt, "--blinded", "--arm", "placebo")
    assert ivig.exit_code == placebo.exit_code == 0
    assert ivig.stdout == placebo.stdout
    assert ivig.stderr == placebo.stderr
    for revealing in ("Nanogam", "NaCl", "placebo\"", " g\n", "ivig\""):
        assert revealing not in ivig.stdout
    assert "Study medication (IVIg or placebo)" in ivig.stdout


def test_blinded_json_hides_doses_as_null():
    doc = json.loads(run("plan", "-w", "70", *START, "-f", "json", "--blinded").stdout)
    assert doc["arm"] is None and doc["course_dose_g"] is None and doc["total_dose_g"] is None
    segment = doc["courses"][0]["days"][0]["segments"][0]
    assert {k: segment[k] for k in ("setting", "dose_g", "volume_ml", "vials", "waste_g")} == {
        "setting": "hospital", "dose_g": None, "volume_ml": 300, "vials": None, "waste_g": None}


def test_course_weights_dose_each_course():
    doc = json.loads(run("plan", "-w", "70", *START, "-f", "json",
                         "--course-weight", "week4=68kg", "--course-weight", "week 8=66 kg").stdout)
    # 2 × 70 = 140, 2 × 68 = 136, 2 × 66 = 132 g; total 408 g.
    assert [(c["weight_kg"], c["dose_g"]) for c in doc["courses"]] == [(70, 140), (68, 136), (66, 132)]
    assert doc["total_dose_g"] == 408


def test_unusual_weight_warns_on_stderr_and_in_json():
    result = run("plan", "-w", "35", *START, "-f", "json")
    assert result.exit_code == 0
    assert "warning: weight 35 kg is below 40 kg" in result.stderr
    assert json.loads(result.stdout)["warnings"] == ["weight 35 kg is below 40 kg: unusual for an adult; check it",
                                                     NANOGAM_UNVERIFIED]


def test_default_start_is_today_and_said():
    result = run("plan", "-w", "70", "-f", "json")
    assert "no --start given: courses count from today" in result.stderr


@pytest.mark.parametrize(("args", "named"), [
    (["-w", "70 m"], "'70 m' is not a mass"),
    (["-w", "seventy"], "'seventy'"),
    (["-w", "nan"], "'nan'"),
    (["-w", "inf"], "'inf'"),
    (["-w", "0"], "'0' must be above 0"),
    (["-w", "-70"], "'-70' must be above 0"),
    (["-w", "1,450"], "may be a thousands separator"),
    (["-w", "10"], "10 kg is outside the plausible adult range"),
    (["-w", "301 kg"], "301 kg is outside"),
    (["-w", "70 furlong"], "unknown unit 'furlong'"),
    (["-w", "100", "--days", "2"], "smallest number of days that works is 3"),
    (["-w", "70", "--days", "6"], "--days 6 is outside"),
    (["-w", "70", "--days", "two"], "'two' is not a valid"),
    (["-w", "70", "--start", "03/04/2027"], "ambiguous"),
    (["-w", "70", "--start", "2027-02-30"], "'2027-02-30'"),
    (["-w", "70", "--start", "Jan 4"], "incomplete"),
    (["-w", "70", "--start", "04/01/27", "--day-first"], "2-digit year"),
    (["-w", "70", "--arm", "both"], "'both' is not one of"),
    (["-w", "70", "--format", "xml"], "'xml' is not one of"),
    (["-w", "70", "--protocol", "nosuch"], "unknown protocol 'nosuch'"),
    (["-w", "70", "--course-weight", "week5=60"], "unknown course 'week5'"),
    (["-w", "70", "--course-weight", "week4"], "'week4' is not COURSE=WEIGHT"),
    (["-w", "70", "--course-weight", "week4=5 m"], "not a mass"),
    (["-w", "70", "--day-first", "--month-first", "--start", "03/04/2027"], "contradict"),
    ([], "Missing option '--weight'"),
])
def test_bad_input_is_one_line_exit_2(args, named):
    result = run("plan", *START, *args) if "--start" not in args else run("plan", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert named in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("text", "day_first", "expected"), [
    ("03/04/2027", "--day-first", "2027-04-03"),
    ("03/04/2027", "--month-first", "2027-03-04"),
    ("4 Jan 2027", None, "2027-01-04"),
    ("January 4, 2027", None, "2027-01-04"),
    ("2027-01-04", None, "2027-01-04"),
])
def test_dates_that_cannot_be_misread_are_accepted(text, day_first, expected):
    args = ["plan", "-w", "70", "-f", "json", "--start", text] + ([day_first] if day_first else [])
    doc = json.loads(run(*args).stdout)
    assert doc["courses"][0]["start"] == expected


def test_protocol_show_names_every_number_and_its_source():
    out = run("protocol", "show").stdout
    for expected in ("dose_per_kg = 2 g/kg", "course_cap = 180 g", "daily_cap = 80 g", "hospital_portion = 30 g",
                     "Nanogam 100 mg/mL", "source: seed", "week 4: week 4 (day 28)"):
        assert expected in out


def test_python_dash_m_works_like_the_command():
    done = subprocess.run([sys.executable, "-m", "ivig_dose", "plan", "-w", "70", *START, "-f", "json"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert json.loads(done.stdout)["total_dose_g"] == 420
    bad = subprocess.run([sys.executable, "-m", "ivig_dose", "plan", "-w", "70 m"],
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and len(bad.stderr.splitlines()) == 1 and "Traceback" not in bad.stderr


def test_version_and_help():
    assert run("--version").stdout.startswith("ivig-dose ")
    assert "plan" in run("--help").stdout


def test_placebo_table_says_r8_first_and_shows_0_g():
    out = run("plan", "-w", "70", *START, "--arm", "placebo").stdout
    why = out.split("Why these numbers:")[1].strip().splitlines()
    assert why[0].startswith("R8: placebo arm: NaCl 0.9%")
    assert "Product: NaCl 0.9%" in out and "0 g" in out


@pytest.mark.parametrize("args", [[], ["protocol"]])
def test_a_bare_command_prints_its_help(args):
    result = run(*args)
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ivig-dose") and "Commands:" in result.stdout
    assert result.stderr == ""
