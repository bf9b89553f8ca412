"""Issue 15, item 4: a plan near either end of the calendar is one error line (exit 2), never an
OverflowError, on every path that takes a date; in ``batch`` such a row is a row error and the
other rows are planned.

Dates are read as years 1900 to 2999 and a protocol's last course is at most at week
520 (ten years), so no plan can reach 9999-12-31 or go below 0001-01-01: the tests below hold
each path to that, and the one plan that can come nearest (a start on 2999-12-31 under a protocol
whose last course is at week 520) to being planned, not refused.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ivig_dose
from ivig_dose.cli.main import app
from ivig_dose.core.errors import InputError

runner = CliRunner()
WEIGHT = ["-w", "70"]
BUILT_IN = Path(__file__).parent.parent / "src" / "ivig_dose" / "data" / "protocols"
#: past the last year read, before the first, and the calendar's own ends.
FAR_STARTS = ["9999-12-20", "9999-12-31", "3000-01-01", "1899-12-31", "0001-01-01"]


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def one_line_exit_2(result, *named: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stdout[-300:], result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ivig-dose: error:"), result.stderr
    assert "Traceback" not in result.stderr and "Overflow" not in result.stderr
    for word in named:
        assert word in lines[0], lines[0]


def protocol_with_courses(tmp_path: Path, courses: str) -> Path:
    """The TIMEISMUSCLE protocol with its [[courses]] replaced by ``courses``."""
    text = (BUILT_IN / "timeismuscle.toml").read_text(encoding="utf-8")
    head, _, _ = text.partition("[[courses]]")
    path = tmp_path / "far.toml"
    path.write_text(head + courses, encoding="utf-8")
    return path


def listed_courses(*weeks: int) -> str:
    return "".join(f'[[courses]]\nname = "{"baseline" if week == 0 else f"week {week}"}"\nweek = {week}\n'
                   f'hospital = {"true" if week == 0 else "false"}\nsource = "test"\n\n' for week in weeks)


@pytest.mark.parametrize("start", FAR_STARTS)
@pytest.mark.parametrize("command", [
    ["plan"], ["plan", "-f", "json"], ["plan", "-f", "csv"],
    ["plan", "-f", "fhir", "--patient-id", "P1"],
    ["order", "--patient-id", "P1"], ["labels", "--patient-id", "P1"], ["calendar", "--patient-id", "P1"],
])
def test_a_start_outside_the_years_read_is_one_line_on_every_command(tmp_path, command, start):
    out = tmp_path / "out"
    extra = ["-o", str(out)] if command[0] in ("order", "labels", "calendar") else []
    one_line_exit_2(run(*command, *WEIGHT, "--start", start, *extra), repr(start), "out of range", "1900 to 2999")
    assert not out.exists()


@pytest.mark.parametrize("start", FAR_STARTS)
def test_the_api_raises_the_same_one_line_error(start):
    with pytest.raises(InputError) as raised:
        ivig_dose.plan("70", start=start)
    assert raised.value.message == (f"date {start!r} is out of range; accepted: a date from 1900 to 2999, "
                                    "e.g. 2027-01-04")


def test_a_batch_plans_the_other_rows(tmp_path):
    rows = ["patient_id,weight,start", "FAR,70,9999-12-20", "OK1,70,2027-01-04", "OLD,70,0001-01-01",
            "END,70,9999-12-31", "OK2,80,2999-12-31"]
    source = tmp_path / "p.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run("batch", str(source), "-f", "jsonl")
    assert result.exit_code == 1, result.stderr
    plans = [json.loads(line) for line in result.stdout.splitlines()]
    assert [p["patient_id"] for p in plans] == ["OK1", "OK2"]
    # OK2 starts on the last day read: week 8 is 56 days later, 3000-02-25 (2999 is not a leap year)
    assert plans[1]["courses"][-1]["start"] == "3000-02-25"
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert errors == [
        f"ivig-dose: error: row {row}, patient_id {pid}: date {start!r} is out of range; accepted: a date from "
        "1900 to 2999, e.g. 2027-01-04"
        for row, pid, start in ((2, "FAR", "9999-12-20"), (4, "OLD", "0001-01-01"), (5, "END", "9999-12-31"))
    ]
    assert "3 row(s) could not be planned" in result.stderr
    assert "Traceback" not in result.stderr


def far_order(tmp_path: Path, start: str, suffix: str) -> Path:
    """The plan's own order (JSON or CSV) for 70 kg from 2027-01-04, its first course moved to ``start``."""
    fmt = "json" if suffix == "json" else "csv"
    text = run("plan", *WEIGHT, "--start", "2027-01-04", "-f", fmt).stdout
    path = tmp_path / f"order.{suffix}"
    path.write_text(text.replace("2027-01-04", start), encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", ["json", "csv"])
@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01"])
def test_verify_of_an_order_with_far_dates_is_one_line(tmp_path, suffix, start):
    one_line_exit_2(run("verify", str(far_order(tmp_path, start, suffix))), "out of range")


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01"])
def test_batch_verify_reports_the_far_order_and_checks_the_rest(tmp_path, start):
    good = json.loads(run("plan", *WEIGHT, "--start", "2027-01-04", "-f", "json").stdout)
    far = json.loads(far_order(tmp_path, start, "json").read_text())
    source = tmp_path / "orders.jsonl"
    source.write_text(json.dumps(far) + "\n" + json.dumps(good) + "\n", encoding="utf-8")
    result = run("batch", "--verify", str(source), "-f", "jsonl")
    assert result.exit_code == 1, result.stderr
    assert "out of range" in result.stderr and "Traceback" not in result.stderr
    assert "1 order(s) match, 0 do not, 1 could not be checked" in result.stderr


@pytest.mark.parametrize(("option", "value"), [("--screening-date", "9999-12-31"), ("--screening-date", "0001-01-01")])
def test_screen_dates_outside_the_years_read_are_one_line(tmp_path, option, value):
    answers = tmp_path / "a.toml"
    answers.write_text('birth_date = "1990-01-04"\n', encoding="utf-8")
    one_line_exit_2(run("screen", "--answers", str(answers), option, value), "out of range")


@pytest.mark.parametrize("birth", ["0001-01-01", "9999-12-31"])
def test_a_screening_answer_outside_the_years_read_is_one_line(tmp_path, birth):
    answers = tmp_path / "a.toml"
    answers.write_text(f'birth_date = "{birth}"\n', encoding="utf-8")
    one_line_exit_2(run("screen", "--answers", str(answers), "--screening-date", "2027-01-04"), "out of range")


@pytest.mark.parametrize("courses", [
    listed_courses(0, 4, 521),
    listed_courses(0, 400_000),
    listed_courses(0, 10**30),
    '[courses]\nevery_weeks = 22\ncount = 25\nhospital = "none"\nsource = "test"\n',
    '[courses]\nevery_weeks = 100000000\ncount = 2\nhospital = "none"\nsource = "test"\n',
])
def test_a_protocol_whose_courses_run_past_week_520_is_refused_before_any_date_is_made(tmp_path, courses):
    protocol = protocol_with_courses(tmp_path, courses)
    one_line_exit_2(run("plan", *WEIGHT, "--start", "2999-12-31", "--protocol", str(protocol)), "week", "520")


def test_a_negative_week_is_refused(tmp_path):
    protocol = protocol_with_courses(tmp_path, listed_courses(0, 4) + listed_courses(-1).replace("week -1", "before"))
    one_line_exit_2(run("plan", *WEIGHT, "--start", "1900-01-01", "--protocol", str(protocol)),
                    "courses[2].week: must be a whole number from 0 to 520, not -1")


def test_a_request_made_in_code_past_the_calendar_is_an_input_error():
    # The readers bound every date; a PlanRequest built in code is not read, so the planning step
    # turns the calendar's OverflowError into the same kind of one-line error.
    from ivig_dose.app.plan import plan_request, setup
    from ivig_dose.core.model import PlanRequest

    with pytest.raises(InputError) as raised:
        plan_request(PlanRequest(weight_kg=Decimal(70), start=date(9999, 12, 20)), setup())
    assert raised.value.message == ("the plan from start 9999-12-20 runs past the end of the calendar; accepted: a "
                                    "start date from 1900 to 2999")


def test_the_farthest_plan_the_inputs_allow_is_planned(tmp_path):
    # From the last day read, 2999-12-31, a course at week 520 starts 520 × 7 = 3,640 days later:
    # 3009-12-19 (3000 to 3009 hold two leap years, 3004 and 3008, as 3000 is not one: 10 × 365 + 2 =
    # 3,652 days to 3009-12-31, and 3,652 − 3,640 = 12 days before it).
    protocol = protocol_with_courses(tmp_path, listed_courses(0, 4, 520))
    result = run("plan", *WEIGHT, "--start", "2999-12-31", "--protocol", str(protocol), "-f", "json")
    assert result.exit_code == 0, result.stderr
    courses = json.loads(result.stdout)["courses"]
    assert [c["start"] for c in courses] == ["2999-12-31", "3000-01-28", "3009-12-19"]


def test_the_first_day_read_is_planned():
    plan = ivig_dose.plan("70", start="1900-01-01")
    # 1900 is not a leap year: week 4 is 1900-01-29, week 8 1900-02-26
    assert [c.start for c in plan.courses] == [date(1900, 1, 1), date(1900, 1, 29), date(1900, 2, 26)]
    assert plan.total_dose_g == Decimal(420)  # 3 courses of 2 g/kg × 70 kg = 140 g (R2)


@pytest.mark.parametrize(("start", "time", "remind"), [
    # a reminder 2 days before a bag at 00:00 on the first day read falls in 1899: a relative trigger
    ("1900-01-01", "00:00", "2d"),
    ("1900-01-01", "00:00", "28d"),
    # the last bag of a plan from the last day read, at 23:59, ends on the next day
    ("2999-12-31", "23:59", "1d"),
])
def test_the_calendar_at_either_end_of_the_years_read(tmp_path, start, time, remind):
    out = tmp_path / "plan.ics"
    result = run("calendar", *WEIGHT, "--start", start, "--patient-id", "P1", "--time", time,
                 "--remind", remind, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert f"DTSTART;TZID=Europe/Amsterdam:{start.replace('-', '')}T{time.replace(':', '')}00" in text
    assert f"TRIGGER:-P{remind[:-1]}D" in text


@pytest.mark.parametrize("time", ["24:00", "23:60", "-1:00", "99999999:00"])
def test_a_time_past_the_day_is_one_line(tmp_path, time):
    one_line_exit_2(run("calendar", *WEIGHT, "--start", "2999-12-31", "--patient-id", "P1", "--time", time,
                        "-o", str(tmp_path / "a.ics")), "--time")


@pytest.mark.parametrize("remind", ["100000000d", "9" * 30 + "min", "-1d", "0d"])
def test_a_reminder_too_far_before_is_one_line(tmp_path, remind):
    result = run("calendar", *WEIGHT, "--start", "1900-01-01", "--patient-id", "P1", "--remind", remind,
                 "-o", str(tmp_path / "a.ics"))
    one_line_exit_2(result, "--remind")


def test_a_course_weight_is_a_weight_not_a_date():
    # --course-weight takes no date; a date where the weight goes is refused as a weight
    one_line_exit_2(run("plan", *WEIGHT, "--start", "2999-12-31", "--course-weight", "week4=9999-12-31"),
                    "week4 weight", "unknown unit")
