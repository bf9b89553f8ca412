"""The .ics file, parsed back with icalendar; times checked by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from ivig_dose.render.calendar_ics import render_calendar
from tests.documents import PROVENANCE, document
from tests.helpers import plan_for

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def events(doc, provenance=PROVENANCE, start=time(9, 0), zone=AMSTERDAM):
    calendar = Calendar.from_ical(render_calendar(doc, provenance, start, zone))
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
    assert str(hospital["summary"]) == "TIM-001: Nanogam baseline day 1/2 · hospital · 30 g in 300 mL"
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
        ivig = render_calendar(document(plan_for(weight), blinded=True, dispense=True), PROVENANCE, time(9), AMSTERDAM)
        placebo = render_calendar(document(plan_for(weight, arm="placebo"), blinded=True, dispense=True),
                                  PROVENANCE, time(9), AMSTERDAM)
        assert ivig == placebo
    event = events(document(plan_for("70"), blinded=True))[0]
    assert str(event["summary"]) == "TIM-001: Study medication baseline day 1/2 · hospital · 300 mL"
    assert "Dose" not in str(event["description"])


def test_a_calendar_needs_a_patient_id():
    with pytest.raises(ValueError, match="patient id"):
        events(document(plan_for("70")), replace(PROVENANCE, patient_id=None))
