"""The nurse's day in the calendar: the observation after the first infusion and the time to go
home before a home bag (the protocol's, else data/infusion_day.toml's), clock changes, escaped
texts and the generation times RFC 5545 can write.

Times are checked by hand with the made-up pump of tests/documents.py: a bag of V mL runs
30 + (V - 30) / 4 minutes.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from ivig_dose.app.calendar import lay_out_plan, rules_of
from ivig_dose.cli.main import app
from ivig_dose.core.infusion_day import DayRules
from ivig_dose.core.protocol import Param
from ivig_dose.files.protocols import day_defaults, load_protocol
from tests.documents import document
from tests.helpers import plan_for

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
BUILT_IN = Path(__file__).parent.parent / "src" / "ivig_dose" / "data" / "protocols"
runner = CliRunner()


def wait(minutes: int, source: str = "test") -> Param:
    return Param(key="test", value=Decimal(minutes), unit="min", rule="calendar", source=source)


RULES = DayRules(observation=wait(60, "the label"), home_gap=wait(120, "ours"))


def at(day: str, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour, minute, second), tzinfo=AMSTERDAM)


def test_the_home_bag_waits_for_the_observation_and_the_way_home():
    slots = lay_out_plan(document(plan_for("70"), dispense=True), time(9), AMSTERDAM, RULES).slots
    hospital, home, day_2 = slots[:3]
    # 300 mL: 30 + 270 / 4 = 97.5 min -> 09:00 to 10:37:30; observed 60 min, to 11:37:30
    assert (hospital.start, hospital.end) == (at("2027-01-04", 9, 0), at("2027-01-04", 10, 37, 30))
    assert hospital.observation == RULES.observation and hospital.observed_until == at("2027-01-04", 11, 37, 30)
    # the home bag 120 min after that, 13:37:30; 400 mL: 30 + 370 / 4 = 122.5 min -> 15:40
    assert (home.start, home.end) == (at("2027-01-04", 13, 37, 30), at("2027-01-04", 15, 40))
    assert home.home_gap == RULES.home_gap and home.observation is None
    # day 2 is no first infusion and has no hospital bag: 09:00 + 197.5 min (700 mL), no waits
    assert (day_2.start, day_2.end, day_2.observation, day_2.home_gap) == (
        at("2027-01-05", 9, 0), at("2027-01-05", 12, 17, 30), None, None)


def test_a_hospital_portion_over_two_days_waits_on_the_second_day_too():
    # 45 kg, 5 days: 18 g a day; day 1 all in hospital (180 mL), day 2 12 g in hospital + 6 g at home
    slots = lay_out_plan(document(plan_for("45", days=5), dispense=True), time(9), AMSTERDAM, RULES).slots
    day_1, day_2_hospital, day_2_home = slots[:3]
    # 180 mL: 30 + 150 / 4 = 67.5 min -> 10:07:30, observed to 11:07:30 (nothing follows that day)
    assert (day_1.end, day_1.observed_until) == (at("2027-01-04", 10, 7, 30), at("2027-01-04", 11, 7, 30))
    # 120 mL: 30 + 90 / 4 = 52.5 min -> 09:52:30, no observation (not the first infusion)
    assert (day_2_hospital.end, day_2_hospital.observation) == (at("2027-01-05", 9, 52, 30), None)
    # 60 mL at home 120 min later: 11:52:30 + 30 + 30 / 4 = 37.5 min -> 12:30
    assert (day_2_home.start, day_2_home.end) == (at("2027-01-05", 11, 52, 30), at("2027-01-05", 12, 30))


def test_the_protocol_gives_the_waits_with_their_sources():
    rules = rules_of(load_protocol("timeismuscle"))
    assert rules.observation is not None and rules.home_gap is not None
    assert (rules.observation.value, rules.home_gap.value) == (60, 120)
    assert "observed during the first infusion and for 1 hour after" in rules.observation.source
    assert rules.home_gap.source.startswith("ours, not a label fact")
    # a protocol that does not say gets the general defaults, each with its own source
    standard = rules_of(load_protocol("standard-5-day"))
    assert standard == DayRules(day_defaults()["observation_after_first"], day_defaults()["home_gap"])
    assert standard.observation is not None and standard.observation.value == 60
    assert standard.home_gap is not None and standard.home_gap.value == 120
    assert standard.home_gap.source.startswith("ours, not a label fact")


def make(tmp_path: Path, *args: str, weight: str = "70", start: str = "2027-01-04", name: str = "plan.ics",
         epoch: str = "1798848000", patient: str = "TIM-001"):
    target = tmp_path / name
    result = runner.invoke(app, ["calendar", "-w", weight, "--start", start, "--patient-id", patient, *args,
                                 "-o", str(target)], env={"SOURCE_DATE_EPOCH": epoch})
    return result, target


def events(target: Path) -> list:
    return list(Calendar.from_ical(target.read_bytes()).walk("VEVENT"))


def test_the_event_texts_say_why_the_home_bag_waits(tmp_path):
    result, target = make(tmp_path)
    assert result.exit_code == 0, result.stderr
    hospital, home = (str(e["description"]) for e in events(target)[:2])
    # Nanogam's real pump: the hospital bag runs 09:00 to 11:25 (145 min), observed to 12:25
    assert "Afterwards: observe the patient for 60 min, until 12:25, after this first infusion of the plan" in hospital
    assert "observed during the first infusion and for 1 hour after" in hospital
    assert "Start: at least 120 min after the patient leaves hospital, to travel home and set up" in home
    assert "(source: ours, not a label fact:" in home
    assert events(target)[1].decoded("dtstart") == at("2027-01-04", 14, 25)


def protocol_text(old: str, new: str) -> str:
    text = (BUILT_IN / "timeismuscle.toml").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new)


HOME_GAP = '[params.home_gap]\nvalue = "120"'
OBSERVATION = '[params.observation_after_first]\nvalue = "60"'


def test_a_protocol_writes_none_for_no_wait(tmp_path):
    protocol = tmp_path / "p.toml"
    text = protocol_text(HOME_GAP, '[params.home_gap]\nvalue = "none"')
    protocol.write_text(text.replace(OBSERVATION, '[params.observation_after_first]\nvalue = "0"'), "utf-8")
    result, target = make(tmp_path, "--protocol", str(protocol))
    assert result.exit_code == 0, result.stderr
    hospital, home = events(target)[:2]
    # no waits: the home bag starts when the hospital bag ends, and neither event speaks of waiting
    assert home.decoded("dtstart") == hospital.decoded("dtend") == at("2027-01-04", 11, 25)
    assert "observe" not in str(hospital["description"]) and "leaves hospital" not in str(home["description"])


def test_a_protocol_that_says_nothing_gets_the_defaults(tmp_path):
    text = (BUILT_IN / "timeismuscle.toml").read_text(encoding="utf-8")
    text = re.sub(r"\[params\.(observation_after_first|home_gap)\]\n(.+\n){4}\n", "", text)
    assert "home_gap" not in text and "observation_after_first" not in text
    protocol = tmp_path / "p.toml"
    protocol.write_text(text, "utf-8")
    result, target = make(tmp_path, "--protocol", str(protocol))
    assert result.exit_code == 0, result.stderr
    home = events(target)[1]
    # 11:25 + 60 min + 120 min
    assert home.decoded("dtstart") == at("2027-01-04", 14, 25)
    assert "set your own in the protocol" in str(home["description"])


@pytest.mark.parametrize(("value", "unit", "problem"), [
    ('"2.5"', "min", "params.home_gap: must be whole minutes from 0 to 720, not '2.5'"),
    ('"721"', "min", "params.home_gap: must be whole minutes from 0 to 720, not '721'"),
    ('"2"', "h", "params.home_gap.unit: must be 'min', not 'h'"),
    ('"-5"', "min", "params.home_gap.value: must be a finite number not below 0"),
])
def test_a_wait_the_day_cannot_hold_is_refused(tmp_path, value, unit, problem):
    protocol = tmp_path / "p.toml"
    protocol.write_text(protocol_text(HOME_GAP + '\nunit = "min"', f"[params.home_gap]\nvalue = {value}\nunit = "
                                      f'"{unit}"'), "utf-8")
    result = runner.invoke(app, ["protocol", "check", str(protocol)])
    assert result.exit_code == 2
    assert problem in " ".join(result.output.split()), result.output


@pytest.mark.parametrize(("start", "weekdays"), [
    ("2027-01-04", ("Monday", "maandag", "Tuesday", "dinsdag")),
    ("2027-01-09", ("Saturday", "zaterdag", "Sunday", "zondag")),
])
def test_the_titles_name_the_weekday_in_the_output_language(tmp_path, start, weekdays):
    english, dutch = (events(make(tmp_path, *lang, start=start, name=f"{n}.ics")[1])
                      for n, lang in (("en", ()), ("nl", ("--lang", "nl"))))
    assert f"day 1/2, {weekdays[0]} · hospital" in str(english[0]["summary"])
    assert f"dag 1/2, {weekdays[1]} · ziekenhuis" in str(dutch[0]["summary"])
    assert f"day 2/2, {weekdays[2]} · home" in str(english[2]["summary"])
    assert f"dag 2/2, {weekdays[3]} · thuis" in str(dutch[2]["summary"])


def read_back(target: Path) -> list[timedelta]:
    """Each event's length as a calendar program reads it: DTEND - DTSTART as instants (Python
    subtracts two times of one zone on the wall clock, hence the UTC)."""
    return [e.decoded("dtend").astimezone(UTC) - e.decoded("dtstart").astimezone(UTC) for e in events(target)]


#: 2027-03-28 the clocks in Amsterdam go from 02:00 to 03:00; 2027-10-31 from 03:00 back to 02:00.
SPRING_FORWARD, FALL_BACK = "2027-03-28", "2027-10-31"


@pytest.mark.parametrize("day", [SPRING_FORWARD, FALL_BACK])
@pytest.mark.parametrize("clock", ["00:00", "00:45", "01:30", "03:15", "23:30"])
def test_every_event_reads_back_its_pump_time_on_the_days_the_clocks_change(tmp_path, day, clock):
    _, ordinary = make(tmp_path, "--time", clock, start="2027-01-04", name="ordinary.ics")
    result, changing = make(tmp_path, "--time", clock, start=day, name="dst.ics")
    assert result.exit_code == 0, result.stderr
    expected = read_back(ordinary)
    # the hospital bag of 300 mL runs 145 min (Nanogam's steps, see test_output_commands)
    assert expected[0] == timedelta(minutes=145)
    assert read_back(changing) == expected
    # no local time of the hour the clocks skip or repeat (02:00 to 03:00) is written as a local time
    local = re.compile(rf"^DT(START|END);TZID=[^:]+:{day.replace('-', '')}T02\d{{4}}$", re.MULTILINE)
    assert not local.search(changing.read_bytes().decode("utf-8").replace("\r\n", "\n"))


def test_a_bag_ending_in_the_repeated_hour_is_written_in_utc(tmp_path):
    # 01:30 CEST (23:30 UTC) + 145 min = 01:55 UTC, the second 02:55 of the night (CET)
    _, target = make(tmp_path, "--time", "01:30", start=FALL_BACK)
    text = target.read_bytes().decode("utf-8")
    assert "DTSTART;TZID=Europe/Amsterdam:20271031T013000\r\nDTEND:20271031T015500Z" in text
    assert read_back(target)[0] == timedelta(minutes=145)


def test_a_start_the_clocks_skip_is_warned_not_moved_silently(tmp_path):
    result, target = make(tmp_path, "--time", "02:30", start=SPRING_FORWARD)
    assert result.exit_code == 0
    warning = ("--time 02:30 does not exist on 2027-03-28 in Europe/Amsterdam: the clocks go forward that night; "
               "the bags of that day start at 03:30")
    assert warning in " ".join(result.stderr.split())
    first = events(target)[0]
    # 02:30 CET would be 01:30 UTC, which is 03:30 CEST
    assert first.decoded("dtstart") == at(SPRING_FORWARD, 3, 30)
    assert warning in " ".join(str(first["description"]).split())
    # day 2 (2027-03-29) has an 02:30 and is not warned about
    assert result.stderr.count("does not exist") == 1


def test_a_start_the_clocks_repeat_is_warned_and_written_in_utc(tmp_path):
    result, target = make(tmp_path, "--time", "02:30", start=FALL_BACK)
    assert result.exit_code == 0
    assert ("--time 02:30 occurs twice on 2027-10-31 in Europe/Amsterdam: the clocks go back that night; the first "
            "02:30 (UTC+02:00) is meant") in " ".join(result.stderr.split())
    # the first 02:30 is CEST, 00:30 UTC
    assert "DTSTART:20271031T003000Z" in target.read_text("utf-8")


def test_the_dutch_warning_of_a_skipped_start(tmp_path):
    result, _ = make(tmp_path, "--time", "02:30", "--lang", "nl", start=SPRING_FORWARD)
    said = " ".join(result.stderr.split())
    assert "--time 02:30 bestaat niet op 2027-03-28 in Europe/Amsterdam" in said
    assert "does not exist" not in said


HOSTILE_ID = "a;b,c\\d"


def text_value(escaped: str) -> str:
    """An RFC 5545 TEXT value as written, unescaped (section 3.3.11: backslash, semicolon, comma, newline)."""
    return re.sub(r"\\([\\;,nN])", lambda found: "\n" if found[1] in "nN" else found[1], escaped)


def test_every_text_is_escaped_by_the_library(tmp_path):
    result, target = make(tmp_path, "--remind", "1d", patient=HOSTILE_ID)
    assert result.exit_code == 0, result.stderr
    raw = target.read_bytes().decode("utf-8").replace("\r\n ", "")
    assert "a\\;b\\,c\\\\d" in raw
    assert HOSTILE_ID not in raw
    calendar = Calendar.from_ical(target.read_bytes())
    # icalendar reads an X- property as it stands (vUnknown); RFC 5545's TEXT unescaping gives the name written
    assert text_value(str(calendar["x-wr-calname"])) == f"IVIg infusions {HOSTILE_ID}"
    for event in calendar.walk("VEVENT"):
        assert str(event["summary"]).startswith(f"{HOSTILE_ID}: ")
        assert f"Patient: {HOSTILE_ID}\n" in str(event["description"])
        assert str(event.walk("VALARM")[0]["description"]) == f"Reminder: {event['summary']}"


def test_the_last_generation_time_rfc_5545_can_count(tmp_path):
    # 2**31 - 1 = 2,147,483,647 s after 2020-01-01 (1,577,836,800 s after 1970): 3,725,320,447
    result, target = make(tmp_path, epoch="3725320447")
    assert result.exit_code == 0, result.stderr
    assert {int(e["sequence"]) for e in events(target)} == {2_147_483_647}
    assert "DTSTAMP:20880119T031407Z" in target.read_text("utf-8")


@pytest.mark.parametrize("epoch", ["3725320448", "32503679999"])
@pytest.mark.parametrize("command", ["calendar", "order", "labels"])
def test_a_generation_time_past_it_is_one_line(tmp_path, epoch, command):
    target = tmp_path / "out"
    result = runner.invoke(app, [command, "-w", "70", "--start", "2027-01-04", "--patient-id", "T1",
                                 "-o", str(target)], env={"SOURCE_DATE_EPOCH": epoch})
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"SOURCE_DATE_EPOCH '{epoch}'" in lines[0] and "3725320447" in lines[0]
    assert not target.exists()


@pytest.mark.parametrize(("day", "clock", "zone", "offset"), [
    # St John's goes back from UTC-02:30 to UTC-03:30: a negative offset with half an hour
    (date(2027, 11, 7), time(1, 30), "America/St_Johns", "-02:30"),
    # the Azores go back from UTC+00:00 to UTC-01:00 (the last Sunday of October 2027 is the 31st)
    (date(2027, 10, 31), time(0, 30), "Atlantic/Azores", "+00:00"),
])
def test_a_repeated_time_names_the_offset_of_its_first_occurrence(day, clock, zone, offset):
    from ivig_dose.core.infusion_day import day_start

    _, warning = day_start(day, clock, ZoneInfo(zone))
    assert warning == (f"--time {clock:%H:%M} occurs twice on {day} in {zone}: the clocks go back that night; the "
                       f"first {clock:%H:%M} (UTC{offset}) is meant and written in UTC; choose another --time to be "
                       "sure")


def test_the_midnight_warning_names_the_bag_by_its_setting():
    from ivig_dose.core.infusion_day import BagTime, midnight_warning

    bag = BagTime("baseline", 2, 5, date(2027, 1, 5), "home", Decimal(200))
    end = datetime(2027, 1, 6, 0, 40, tzinfo=ZoneInfo("Europe/Amsterdam"))
    assert midnight_warning(bag, end) == (
        "the home bag of the baseline course, day 2 of 5 (2027-01-05), would end 2027-01-06 00:40 (Europe/Amsterdam), "
        "after midnight: it would run into the next day; choose an earlier --time")
