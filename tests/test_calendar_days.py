"""The days a person should look at twice: a start in the past, a hospital day on a weekend or on a
public holiday the protocol lists. Warned, never refused; the same on every path.

Calendar facts used below (checked against a calendar): 2027-01-04 is a Monday, 2027-01-08 a Friday,
2027-01-09 a Saturday, 2027-01-10 a Sunday, 2027-04-27 a Tuesday; 2027-01-02 (the tests'
SOURCE_DATE_EPOCH, see conftest.py) a Saturday.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ivig_dose
from ivig_dose.app.plan import plan_patient, setup
from ivig_dose.cli.main import app
from ivig_dose.core.calendar_days import date_warnings, dated, hospital_days
from ivig_dose.core.protocol import Holidays
from ivig_dose.parse.plan_inputs import PlanInputs
from tests.helpers import NANOGAM_UNVERIFIED, plan_for

runner = CliRunner()
WEEKEND = "; check that the ward gives infusions then, or choose another start"
HOLIDAYS = Holidays((date(2027, 1, 9), date(2027, 4, 27)), "the ward's list")


def test_every_date_is_shown_with_its_weekday():
    assert [dated(date(2027, 1, d)) for d in range(4, 11)] == [
        "Mon 2027-01-04", "Tue 2027-01-05", "Wed 2027-01-06", "Thu 2027-01-07", "Fri 2027-01-08",
        "Sat 2027-01-09", "Sun 2027-01-10"]


def test_a_start_before_today_is_warned_with_how_long_ago():
    # 2027-01-04 is 8 days before 2027-01-12
    assert date_warnings(date(2027, 1, 4), [], date(2027, 1, 12)) == [
        "start Mon 2027-01-04 is 8 day(s) in the past: check the date before anything is prepared"]
    assert date_warnings(date(2027, 1, 4), [], date(2027, 1, 4)) == []  # today is not the past
    assert date_warnings(date(2027, 1, 4), [], None) == []  # no day to compare with


def test_hospital_days_on_a_weekend_are_listed_in_one_warning():
    days = [date(2027, 1, 8), date(2027, 1, 9), date(2027, 1, 10)]
    assert date_warnings(date(2027, 1, 8), days, date(2027, 1, 2)) == [
        f"hospital day(s) on a weekend: Sat 2027-01-09 and Sun 2027-01-10{WEEKEND}"]
    assert date_warnings(date(2027, 1, 4), [date(2027, 1, 4), date(2027, 1, 8)], date(2027, 1, 2)) == []


def test_a_listed_holiday_is_warned_with_its_source_and_not_again_as_a_weekend():
    days = [date(2027, 1, 9), date(2027, 1, 10), date(2027, 4, 27)]
    assert date_warnings(date(2027, 1, 9), days, date(2027, 1, 2), HOLIDAYS) == [
        f"hospital day(s) on a public holiday: Sat 2027-01-09 and Tue 2027-04-27 (holidays listed by the protocol: "
        f"the ward's list){WEEKEND}",
        f"hospital day(s) on a weekend: Sun 2027-01-10{WEEKEND}"]


def test_only_hospital_days_count():
    # 45 kg over 5 days: 18 g a day; the 30 g hospital portion is day 1 (18 g) and 12 g of day 2 (R6)
    plan = plan_for("45", days=5)
    assert hospital_days(plan) == [date(2027, 1, 4), date(2027, 1, 5)]
    # 70 kg: 30 g of day 1's 70 g in hospital, the rest and weeks 4 and 8 at home
    assert hospital_days(plan_for("70")) == [date(2027, 1, 4)]


def test_plan_patient_warns_after_the_plans_own_warnings():
    run = setup()
    # started on a Saturday: its hospital day; the home days of the weekend after are not warned
    plan = plan_patient(PlanInputs(weight="70", start="2027-01-09"), run, today=date(2027, 1, 2))
    assert plan.warnings == (NANOGAM_UNVERIFIED, f"hospital day(s) on a weekend: Sat 2027-01-09{WEEKEND}")
    # started two days ago, on a Monday: in the past, never refused
    plan = plan_patient(PlanInputs(weight="70", start="2027-01-04"), run, today=date(2027, 1, 6))
    assert plan.warnings == (NANOGAM_UNVERIFIED, "start Mon 2027-01-04 is 2 day(s) in the past: check the date "
                                                 "before anything is prepared")
    assert plan.courses[0].days[0].date == date(2027, 1, 4)
    # a weekday start in the future: nothing more
    assert plan_patient(PlanInputs(weight="70", start="2027-01-04"), run, today=date(2027, 1, 2)).warnings == (
        NANOGAM_UNVERIFIED,)


def site_protocol(tmp_path):
    """The built-in protocol with a holiday, as a site would list its own."""
    source = Path(ivig_dose.__file__).parent / "data" / "protocols" / "timeismuscle.toml"
    site = tmp_path / "site.toml"
    site.write_text(source.read_text(encoding="utf-8") + '\n[holidays]\ndates = ["2027-04-27"]\n'
                    'source = "site list 2027"\n', encoding="utf-8")
    return site


def test_a_protocols_holiday_is_warned_on_every_path(tmp_path):
    site = site_protocol(tmp_path)
    warning = (f"hospital day(s) on a public holiday: Tue 2027-04-27 (holidays listed by the protocol: site list "
               f"2027){WEEKEND}")
    args = ["--weight", "70", "--start", "2027-04-27", "--protocol", str(site)]
    planned = runner.invoke(app, ["plan", "-f", "json", *args])
    assert planned.exit_code == 0, planned.stderr
    assert json.loads(planned.stdout)["warnings"] == [NANOGAM_UNVERIFIED, warning]
    assert f"ivig-dose: warning: {warning}" in planned.stderr.splitlines()
    # batch: the same warning for its row, the same document; the Monday row gets none
    listed = tmp_path / "patients.csv"
    listed.write_text("patient_id,weight,start\nP-1,70,2027-04-27\nP-2,70,2027-04-26\nP-3,70,2027-05-01\n",
                      encoding="utf-8")
    batched = runner.invoke(app, ["batch", str(listed), "-f", "jsonl", "--protocol", str(site)])
    assert batched.exit_code == 0, batched.stderr
    rows = [json.loads(line) for line in batched.stdout.splitlines()]
    assert rows[0]["warnings"] == [NANOGAM_UNVERIFIED, warning]
    assert rows[1]["warnings"] == [NANOGAM_UNVERIFIED]
    # 2027-05-01 is a Saturday
    assert rows[2]["warnings"] == [NANOGAM_UNVERIFIED, f"hospital day(s) on a weekend: Sat 2027-05-01{WEEKEND}"]
    assert f"ivig-dose: warning: row 2, patient_id P-1: {warning}" in batched.stderr.splitlines()
    assert not any("P-2" in line for line in batched.stderr.splitlines())
    shown = runner.invoke(app, ["protocol", "show", str(site)])
    assert "Public holidays (a hospital day on one is warned about): 2027-04-27" in shown.stdout
    assert "      source: site list 2027" in shown.stdout


def test_batch_to_csv_warns_of_the_dates_of_patients_who_share_a_plan(tmp_path):
    # a CSV row shows no warnings: the shared plan fills it, and the row's warnings are still its own
    listed = tmp_path / "patients.csv"
    listed.write_text("patient_id,weight,start\nP-1,70,2027-01-04\nP-2,70,2027-01-09\nP-3,70,2027-01-11\n",
                      encoding="utf-8")
    batched = runner.invoke(app, ["batch", str(listed), "-f", "csv"])
    assert batched.exit_code == 0, batched.stderr
    warned = [line for line in batched.stderr.splitlines() if "weekend" in line]
    assert warned == [
        f"ivig-dose: warning: row 3, patient_id P-2: hospital day(s) on a weekend: Sat 2027-01-09{WEEKEND}"]
    for patient_id, start in (("P-1", "2027-01-04"), ("P-2", "2027-01-09")):
        alone = runner.invoke(app, ["plan", "--weight", "70", "--start", start, "-f", "csv"]).stdout.splitlines()
        rows = [line.partition(",")[2] for line in batched.stdout.splitlines() if line.startswith(f"{patient_id},")]
        assert rows == alone[1:]


@pytest.mark.parametrize("blinded", [False, True])
def test_batch_documents_with_date_warnings_are_plans_own(tmp_path, blinded):
    # patients who share a plan (70 kg) on a Monday, a Saturday, in the past and on a past Saturday
    # (SOURCE_DATE_EPOCH is 2027-01-02; 2026-12-26 was a Saturday): each document is plan's own
    starts = ("2027-01-04", "2027-01-09", "2026-12-28", "2026-12-26", "2027-01-11")
    listed = tmp_path / "patients.csv"
    listed.write_text("patient_id,weight,start\n" + "".join(f"P-{n},70,{start}\n" for n, start in enumerate(starts)),
                      encoding="utf-8")
    flag = ["--blinded"] if blinded else []
    batched = runner.invoke(app, ["batch", str(listed), "-f", "jsonl", *flag])
    assert batched.exit_code == 0, batched.stderr
    rows = [json.loads(line) for line in batched.stdout.splitlines()]
    for n, (row, start) in enumerate(zip(rows, starts, strict=True)):
        assert row.pop("patient_id") == f"P-{n}"
        alone = runner.invoke(app, ["plan", "--weight", "70", "--start", start, "-f", "json", *flag])
        assert row == json.loads(alone.stdout), start
    assert [len(row["warnings"]) for row in rows] == [1, 2, 2, 3, 1]


def test_a_start_in_the_past_is_warned_in_batch_as_in_plan(tmp_path):
    # SOURCE_DATE_EPOCH is 2027-01-02 (conftest): 2026-12-28 (a Monday) is 5 days before it
    past = "start Mon 2026-12-28 is 5 day(s) in the past: check the date before anything is prepared"
    planned = runner.invoke(app, ["plan", "--weight", "70", "--start", "2026-12-28", "-f", "json"])
    assert json.loads(planned.stdout)["warnings"] == [NANOGAM_UNVERIFIED, past]
    listed = tmp_path / "patients.csv"
    listed.write_text("patient_id,weight,start\nP-1,70,2026-12-28\n", encoding="utf-8")
    batched = runner.invoke(app, ["batch", str(listed), "-f", "json"])
    assert json.loads(batched.stdout)[0]["warnings"] == [NANOGAM_UNVERIFIED, past]


def test_the_weekday_and_the_warnings_are_said_in_dutch():
    result = runner.invoke(app, ["--lang", "nl", "plan", "--weight", "70", "--start", "2027-01-09"],
                           env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.stderr
    assert "│ za 2027-01-09 │" in result.stdout
    assert ("ivig-dose: waarschuwing: ziekenhuisdag(en) in het weekend: za 2027-01-09; ga na of de afdeling dan "
            "infuseert, of kies een andere startdatum") in result.stderr


def test_saying_dates_with_their_weekday_changes_nothing_else():
    import re

    from ivig_dose.render.translator import ENGLISH

    dates = ENGLISH.with_weekdays()
    for weight, days in (("70", None), ("45", 5), ("160", 3)):
        plan = plan_for(weight, days=days)
        for reason in plan.reasons:
            said = dates.say(reason.text)
            # every ISO date gains its weekday (2027-01-04 is a Monday), and nothing else changes
            assert re.sub(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?=\d{4}-\d\d-\d\d)", "", said) == reason.text
            assert said.count("Mon 2027-01-04") == reason.text.count("2027-01-04")
    assert any("counted from Mon 2027-01-04" in dates.say(r.text) for r in plan_for("70").reasons)
    # a date said already with its weekday is not given it twice
    assert dates.say(dated(date(2027, 1, 9))) == "Sat 2027-01-09"


def test_batch_fhir_bundles_with_date_warnings_are_plans_own(tmp_path):
    # a FHIR bundle's warnings stand in each course's notes: a patient whose dates are warned about
    # gets their bundle made for them, the others share one
    starts = ("2027-01-04", "2027-01-09", "2026-12-28")
    listed = tmp_path / "patients.csv"
    listed.write_text("patient_id,weight,start\n" + "".join(f"P-{n},70,{start}\n" for n, start in enumerate(starts)),
                      encoding="utf-8")
    batched = runner.invoke(app, ["batch", str(listed), "-f", "fhir"])
    assert batched.exit_code == 0, batched.stderr
    for n, (line, start) in enumerate(zip(batched.stdout.splitlines(), starts, strict=True)):
        alone = runner.invoke(app, ["plan", "--weight", "70", "--start", start, "-f", "fhir", "--patient-id", f"P-{n}"])
        assert json.loads(line) == json.loads(alone.stdout), start
    assert "hospital day(s) on a weekend: Sat 2027-01-09" in batched.stdout.splitlines()[1]


def test_warnings_after_a_start_are_those_of_the_dates():
    from datetime import timedelta

    from ivig_dose.core.calendar_days import warnings_after

    # every start of two weeks, with hospital days 0, 1 and 6 days after it, before and after today
    for offset in range(14):
        start = date(2027, 1, 4) + timedelta(days=offset)
        for holidays in (None, HOLIDAYS, Holidays((start + timedelta(days=6),), "a list")):
            days = [start, start + timedelta(days=1), start + timedelta(days=6)]
            for today in (date(2027, 1, 2), date(2027, 1, 10)):
                assert warnings_after(start, (0, 1, 6), today, holidays) == date_warnings(start, days, today, holidays)
    # a Monday start whose hospital days are Monday to Friday, in the future: nothing to say
    assert warnings_after(date(2027, 1, 4), (0, 1, 2, 3, 4), date(2027, 1, 2)) == []
    assert warnings_after(date(2027, 1, 4), (5,), date(2027, 1, 2)) == [
        f"hospital day(s) on a weekend: Sat 2027-01-09{WEEKEND}"]


@pytest.mark.parametrize("count", [1000, 1001])
def test_a_protocol_lists_at_most_a_thousand_holidays(tmp_path, count):
    from datetime import timedelta

    from ivig_dose.files.protocol_file import ProtocolError
    from ivig_dose.files.protocols import load_protocol

    source = Path(ivig_dose.__file__).parent / "data" / "protocols" / "timeismuscle.toml"
    days = ", ".join(f'"{date(2027, 1, 1) + timedelta(days=n)}"' for n in range(count))
    site = tmp_path / "site.toml"
    site.write_text(source.read_text(encoding="utf-8") + f'\n[holidays]\ndates = [{days}]\nsource = "s"\n',
                    encoding="utf-8")
    if count == 1000:
        holidays = load_protocol(str(site)).holidays
        assert holidays is not None and len(holidays.dates) == 1000
    else:
        with pytest.raises(ProtocolError, match=r"holidays\.dates: 1001 dates; accepted: at most 1000"):
            load_protocol(str(site))


def test_the_day_defaults_file_is_checked_as_a_protocol_is():
    import copy
    import tomllib

    from ivig_dose.files.package_data import package_text
    from ivig_dose.files.protocol_file import ProtocolError, build_day_defaults

    raw = tomllib.loads(package_text("data/infusion_day.toml"))
    assert {key: param.value for key, param in build_day_defaults(raw, "infusion_day.toml").items()} == {
        "observation_after_first": 60, "home_gap": 120}
    bad = copy.deepcopy(raw)
    bad["params"]["xyz"] = {"value": "1"}
    bad["params"]["observation_after_first"]["value"] = "30.5"
    bad["params"]["home_gap"]["unit"] = "kg"
    with pytest.raises(ProtocolError) as caught:
        build_day_defaults(bad, "infusion_day.toml")
    assert str(caught.value) == (
        "protocol infusion_day.toml: params.xyz: unknown key; accepted: observation_after_first, home_gap; "
        "params.home_gap.unit: must be 'min', not 'kg'; params.observation_after_first: must be whole minutes from 0 "
        "to 720, not '30.5'")
