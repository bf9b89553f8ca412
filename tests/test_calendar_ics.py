"""The .ics file, parsed back with icalendar; times checked by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from ivig_dose.app.calendar import lay_out_plan
from ivig_dose.core.infusion_day import DayRules
from ivig_dose.render.calendar_ics import render_calendar
from tests.documents import PROVENANCE, document
from tests.helpers import plan_for

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NO_WAITS = DayRules()


def render(doc, provenance=PROVENANCE, start=time(9, 0), zone=AMSTERDAM, reminders=(), rules=NO_WAITS):
    """The calendar of ``doc``; without ``rules``, with no wait between the bags of a day."""
    return render_calendar(doc, provenance, lay_out_plan(doc, start, zone, rules), reminders)


def events(doc, provenance=PROVENANCE, start=time(9, 0), zone=AMSTERDAM, reminders=(), rules=NO_WAITS):
    calendar = Calendar.from_ical(render(doc, provenance, start, zone, reminders, rules))
    return list(calendar.walk("VEVENT"))


def at(day: str, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour, minute, second), tzinfo=AMSTERDAM)


def test_one_event_per_bag_timed_by_the_pump_program():
    found = events(document(plan_for("70"), dispense=True))
    assert len(found) == 7  # 3 baseline bags + 2 + 2
    hospital, home = found[0], found[1]
    # hospital bag 300 mL: 30 + (300 - 30) / 4 = 97.5 min -> 09:00 to 10:37:30.
    assert hospital.decoded("dtstart") == at("2027-01-04", 9, 0)
    assert hospital.decoded("dtend") == at("2027-01-04", 10, 37, 30)
    assert str(hospital["location"]) == "Hospital"
    # home bag 400 mL follows it: 30 + 370 / 4 = 122.5 min -> 10:37:30 to 12:40.
    assert home.decoded("dtstart") == at("2027-01-04", 10, 37, 30)
    assert home.decoded("dtend") == at("2027-01-04", 12, 40)
    assert str(home["location"]) == "Home"
    # day 2, 700 mL: 30 + 670 / 4 = 197.5 min -> 09:00 to 12:17:30.
    assert found[2].decoded("dtstart") == at("2027-01-05", 9, 0)
    assert found[2].decoded("dtend") == at("2027-01-05", 12, 17, 30)


def test_summary_and_description_carry_course_day_volume_and_dose():
    hospital = events(document(plan_for("70"), dispense=True))[0]
    # 2027-01-04 is a Monday
    assert str(hospital["summary"]) == "TIM-001: Nanogam baseline day 1/2, Monday · hospital · 30 g in 300 mL"
    description = str(hospital["description"])
    assert "Course: baseline (week 0), day 1 of 2, 2027-01-04" in description
    assert "Dose: 30 g" in description and "Volume: 300 mL" in description
    assert "Duration: 1 h 38 min" in description


def test_every_event_matches_its_bag():
    doc = document(plan_for("80.3"), dispense=True)
    found = events(doc)
    bags = [(d["date"], s) for c in doc["courses"] for d in c["days"] for s in d["segments"]]
    assert len(found) == len(bags)
    for event, (day, segment) in zip(found, bags, strict=True):
        assert event.decoded("dtstart").date() == date.fromisoformat(day)
        assert f"{segment['volume_ml']} mL" in str(event["summary"])
        assert str(event["location"]).lower() == segment["setting"]


def test_without_pump_program_events_mark_the_start_only():
    found = events(document(plan_for("70")))
    first = found[0]
    assert first.decoded("dtstart") == at("2027-01-04", 9, 0)
    assert "dtend" not in first and "duration" not in first
    assert "this event marks the start time only" in str(first["description"])
    # the home bag after a hospital bag of unknown length cannot be timed: an all-day event.
    second = found[1]
    assert second.decoded("dtstart") == date(2027, 1, 4)
    assert second.decoded("dtend") == date(2027, 1, 5)
    assert "start time is unknown" in str(second["description"])
    # day 2 starts afresh at 09:00.
    assert found[2].decoded("dtstart") == at("2027-01-05", 9, 0)


def test_time_and_zone_are_honoured_across_daylight_saving():
    # 2027-03-28 is the first CEST day in Amsterdam (UTC+2); 2027-03-27 is still CET (UTC+1).
    doc = document(plan_for("70"), dispense=True)
    for course in doc["courses"]:
        course["days"][0]["date"] = "2027-03-27"
        course["days"][1]["date"] = "2027-03-28"
    found = events(doc, start=time(13, 30))
    assert found[0].decoded("dtstart").utcoffset() == timedelta(hours=1)
    assert found[2].decoded("dtstart").utcoffset() == timedelta(hours=2)
    assert found[2].decoded("dtstart").time() == time(13, 30)


def test_uids_are_stable_per_patient_course_day_and_setting():
    first = [str(e["uid"]) for e in events(document(plan_for("70")))]
    assert len(set(first)) == len(first)
    # another weight, with pump programs: same patient, courses, days and settings -> same UIDs.
    heavier = [str(e["uid"]) for e in events(document(plan_for("72.35"), dispense=True))]
    assert heavier == first
    other_patient = [str(e["uid"]) for e in events(document(plan_for("70")), replace(PROVENANCE, patient_id="TIM-002"))]
    assert not set(other_patient) & set(first)


def test_blinded_calendars_are_identical_and_show_no_dose():
    for weight in ("70", "45", "100"):
        ivig = render(document(plan_for(weight), blinded=True, dispense=True))
        placebo = render(document(plan_for(weight, arm="placebo"), blinded=True, dispense=True))
        assert ivig == placebo
    event = events(document(plan_for("70"), blinded=True))[0]
    assert str(event["summary"]) == "TIM-001: Study medication baseline day 1/2, Monday · hospital · 300 mL"
    assert "Dose" not in str(event["description"])


def test_a_calendar_needs_a_patient_id():
    with pytest.raises(ValueError, match="patient id"):
        events(document(plan_for("70")), replace(PROVENANCE, patient_id=None))


def test_sequence_rises_whenever_the_calendar_is_made_again():
    doc = document(plan_for("70"), dispense=True)
    first = events(doc)
    # made again one second later (the two calendars a minute apart shared one SEQUENCE).
    later = events(document(plan_for("72.35"), dispense=True),
                   replace(PROVENANCE, generated=PROVENANCE.generated + timedelta(seconds=1)))
    for old, new in zip(first, later, strict=True):
        assert str(old["uid"]) == str(new["uid"])
        assert int(new["sequence"]) == int(old["sequence"]) + 1
    # 2027-01-02 08:30 UTC is 7 years (2 of them leap: 2557 days) + 1 day + 8.5 h after 2020-01-01:
    # (2558 × 24 + 8.5) × 3600 = 61,400.5 h × 3600 = 221,041,800 s, within RFC 5545's 32-bit integer.
    assert int(first[0]["sequence"]) == 221_041_800


def test_reminders_are_alarms_before_each_bag():
    found = events(document(plan_for("70"), dispense=True), reminders=(timedelta(days=1), timedelta(hours=2)))
    for event in found:
        alarms = event.walk("VALARM")
        assert [a.decoded("trigger") for a in alarms] == [timedelta(days=-1), timedelta(hours=-2)]
        assert {str(a["action"]) for a in alarms} == {"DISPLAY"}
        assert str(alarms[0]["description"]) == f"Reminder: {event['summary']}"
    assert not events(document(plan_for("70"), dispense=True))[0].walk("VALARM")


def calendar_warnings(doc, start, zone):
    return list(lay_out_plan(doc, start, zone, NO_WAITS).warnings)


def test_a_bag_that_would_cross_midnight_is_named():
    doc = document(plan_for("70"), dispense=True)
    # 22:30 + 97.5 min = 00:07:30 next day (hospital bag); + 122.5 min = 02:10 (home bag);
    # day 2's 700 mL: 22:30 + 197.5 min = 01:47:30; weeks 4 and 8 likewise.
    warnings = calendar_warnings(doc, time(22, 30), AMSTERDAM)
    assert len(warnings) == 7
    assert warnings[0].startswith("the hospital bag of the baseline course, day 1 of 2 (2027-01-04), would end "
                                  "2027-01-05 00:07 (Europe/Amsterdam), after midnight")
    found = events(doc, start=time(22, 30))
    assert "Warning: the hospital bag of the baseline course" in str(found[0]["description"])
    # at 09:00 the longest day ends 12:17:30: no warning.
    assert calendar_warnings(doc, time(9, 0), AMSTERDAM) == []
    # 20:00: day 1's two bags end 21:37:30 and 23:40, day 2's 700 mL bags 23:17:30: no warning either.
    assert calendar_warnings(doc, time(20, 0), AMSTERDAM) == []
