"""The plan as an iCalendar file: one event per bag (segment), for the nurse's calendar.

Timing: the first bag of a day starts at the chosen time; each later bag of that day (the home
part after the hospital part) starts when the one before it ends. An event lasts its pump
program's ``duration_min``. Where the plan has no pump program yet, the event marks the start
time only (no end, which RFC 5545 reads as "takes no time") and says so; a bag that follows one
without a duration cannot be timed at all and becomes an all-day event that says why.

UIDs are a hash of patient id, protocol, course, day and setting, so importing an updated plan
updates the same events instead of adding copies. SEQUENCE counts minutes since 1970 at
generation, so a newer file always wins in clients that compare it.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from ivig_dose.parse.text import check_id
from ivig_dose.render.document_text import (
    Bag,
    Document,
    bags,
    duration_minutes,
    duration_text,
    product_text,
    pump_text,
)
from ivig_dose.render.provenance import Provenance

PRODID = "-//ivig-dose//infusion plan//EN"
LOCATIONS = {"hospital": "Hospital", "home": "Home"}
START_ONLY = "not computed (no pump program in this plan): this event marks the start time only"
UNTIMED = ("not computed: this bag follows an earlier one of the same day whose pump time is not "
           "known, so its start time is unknown; shown as an all-day event")


def event_uid(patient_id: str, protocol: str, bag: Bag) -> str:
    key = "\x1f".join((patient_id, protocol, str(bag.course["name"]), str(bag.day["day"]),
                       str(bag.segment["setting"])))
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:24]}@ivig-dose"


def _summary(document: Document, bag: Bag, patient_id: str) -> str:
    product = "Study medication" if document["blinded"] else str(document["product"]["name"])
    amount = bag.volume if bag.dose(document) is None else f"{bag.dose(document)} in {bag.volume}"
    return (f"{patient_id}: {product} {bag.course['name']} day {bag.day['day']}/{len(bag.course['days'])}"
            f" · {bag.segment['setting']} · {amount}")


def _description(document: Document, bag: Bag, provenance: Provenance, timing: str) -> str:
    lines = [
        f"Patient: {provenance.patient_id}",
        f"Protocol: {document['protocol_name']}, version {document['protocol_version']}",
        f"Product: {product_text(document)}",
        f"Course: {bag.course['name']} (week {bag.course['week']}), {bag.day_label}, {bag.day['date']}",
        f"Setting: {bag.segment['setting']}",
    ]
    dose = bag.dose(document)
    if dose is not None:
        lines.append(f"Dose: {dose}")
    lines += [
        f"Volume: {bag.volume}",
        "Pump program: " + pump_text(bag.segment).replace("\n", "; "),
        f"Duration: {timing}",
        f"Made by ivig-dose {provenance.tool_version}, input digest {document['input_digest']}",
    ]
    return "\n".join(lines)


def _minutes(value: Decimal) -> timedelta:
    return timedelta(seconds=int((value * 60).to_integral_value()))


def after(start: datetime, run: timedelta, zone: ZoneInfo) -> datetime:
    """``run`` of real, elapsed time after ``start``, on the zone's clock.

    Python adds to an aware datetime on the wall clock: 23:00 + 3 h on the night the clocks go
    forward would be 02:00, only 2 h of pumping later. A pump runs in real time, so the sum is
    made in UTC and shown in the zone again (issue 16).
    """
    return (start.astimezone(UTC) + run).astimezone(zone)


def day_start(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """``clock`` on ``day`` in ``zone``; a time the clocks skip (02:30 on the spring change) is the
    same instant on the clock after the change (03:30), as a phone's calendar reads it."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC).astimezone(zone)


def render_calendar(document: Document, provenance: Provenance, start_time: time, zone: ZoneInfo) -> bytes:
    if not provenance.patient_id:
        raise ValueError("a calendar needs a patient id for its event UIDs")
    # refused where it enters (parse.text); checked again here, as a calendar line must never break
    check_id(provenance.patient_id, "patient id")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"IVIg infusions {provenance.patient_id}")
    stamp = provenance.generated
    sequence = int(stamp.timestamp()) // 60
    cursor: datetime | None = None
    previous_day: tuple[str, object] | None = None
    for bag in bags(document):
        this_day = (str(bag.course["name"]), bag.day["day"])
        if this_day != previous_day:
            cursor = day_start(date.fromisoformat(bag.day["date"]), start_time, zone)
            previous_day = this_day
        event = Event()
        event.add("uid", event_uid(provenance.patient_id, str(document["protocol"]), bag))
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("sequence", sequence)
        event.add("summary", _summary(document, bag, provenance.patient_id))
        event.add("location", LOCATIONS.get(str(bag.segment["setting"]), str(bag.segment["setting"])))
        minutes = duration_minutes(bag.segment)
        if cursor is None:
            day = date.fromisoformat(bag.day["date"])
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            timing = UNTIMED
        elif minutes is None:
            event.add("dtstart", cursor)
            timing, cursor = START_ONLY, None
        else:
            event.add("dtstart", cursor)
            cursor = after(cursor, _minutes(minutes), zone)
            event.add("dtend", cursor)
            timing = duration_text(minutes)
        event.add("description", _description(document, bag, provenance, timing))
        calendar.add_component(event)
    # the time zone's rules for the years the plan spans (the default stops in 2038).
    dates = [date.fromisoformat(d["date"]) for c in document["courses"] for d in c["days"]]
    calendar.add_missing_timezones(date(min(dates).year - 1, 1, 1), date(max(dates).year + 2, 1, 1))
    return bytes(calendar.to_ical())
