"""The plan as an iCalendar file: one event per bag (segment), for the nurse's calendar.

Each event is timed as :mod:`ivig_dose.core.infusion_day` laid the day out: it lasts its pump
program's ``duration_min``; without a pump program it marks the start time only (no end, which
RFC 5545 reads as "takes no time") and says so; a bag that follows one without a duration cannot
be timed at all and becomes an all-day event that says why. The observation after the first
infusion, the time to go home before a home bag and any warning about the bag are said in its
description. This module writes; it decides nothing.

A local time is written with its TZID, except one the zone's clock shows twice (the hour the
clocks go back), which is written in UTC: RFC 5545 readers take a repeated local time as its
first occurrence, which would shorten or lengthen the event. Every text is a TEXT value escaped
by icalendar, the calendar's name (X-WR-CALNAME) included.

UIDs are a hash of patient id, protocol, course, day and setting, so importing an updated plan
updates the same events instead of adding copies. SEQUENCE counts the seconds from
2020-01-01 UTC to the generation time, so a calendar made again (for a changed plan or not)
always carries a higher SEQUENCE and wins in clients that compare it; counted from 2020 it
stays within RFC 5545's 32-bit integer until 2088-01-19, the last generation time accepted
(:data:`LAST_GENERATED`). Reminders are VALARMs (DISPLAY) the given times before each event.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event, vText

from ivig_dose.core.infusion_day import DayLayout, Slot, repeated
from ivig_dose.core.messages import N_, Quantity
from ivig_dose.parse.text import check_id
from ivig_dose.render.document_text import (
    Bag,
    Document,
    bags,
    duration_minutes,
    duration_text,
    long_date,
    product_text,
    pump_text,
)
from ivig_dose.render.provenance import Provenance
from ivig_dose.render.translator import ENGLISH, Translator
from ivig_dose.render.words import setting_word, weekday_word

PRODID = "-//ivig-dose//infusion plan//EN"
LOCATIONS = {"hospital": N_("Hospital"), "home": N_("Home")}
START_ONLY = N_("not computed (no pump program in this plan): this event marks the start time only")
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
#: RFC 5545's INTEGER is 32-bit signed: the last SEQUENCE it can write.
LAST_SEQUENCE = 2**31 - 1
#: the last generation time whose SEQUENCE RFC 5545 can write: 2088-01-19 03:14:07 UTC.
LAST_GENERATED = SEQUENCE_EPOCH + timedelta(seconds=LAST_SEQUENCE)
UNTIMED = N_("not computed: this bag follows an earlier one of the same day whose pump time is not known, so its "
             "start time is unknown; shown as an all-day event")


def event_uid(patient_id: str, protocol: str, bag: Bag) -> str:
    key = "\x1f".join((patient_id, protocol, str(bag.course["name"]), str(bag.day["day"]),
                       str(bag.segment["setting"])))
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:24]}@ivig-dose"


def _summary(document: Document, bag: Bag, patient_id: str, tr: Translator = ENGLISH) -> str:
    product = tr(N_("Study medication")) if document["blinded"] else tr.say(document["product"]["name"])
    dose, volume = bag.dose(document, tr), bag.volume(tr)
    amount = volume if dose is None else tr(N_("{dose} in {volume}"), dose=dose, volume=volume)
    return tr(N_("{patient}: {product} {course} day {day}/{days}, {weekday} · {setting} · {amount}"),
              patient=patient_id, product=product, course=bag.course["name"], day=bag.day["day"],
              days=len(bag.course["days"]), weekday=weekday_word(date.fromisoformat(bag.day["date"]), tr),
              setting=setting_word(bag.segment["setting"], tr), amount=amount)


def _waits(slot: Slot, tr: Translator = ENGLISH) -> list[str]:
    """What the day's layout asked of this bag: the wait before it and the observation after it."""
    lines = []
    if slot.home_gap is not None:
        lines.append(tr(N_("Start: at least {wait} after the patient leaves hospital, to travel home and set up "
                           "(source: {source})"), wait=Quantity(slot.home_gap.value, "min"),
                        source=slot.home_gap.source))
    observation = slot.observation
    if observation is not None and slot.observed_until is not None:
        lines.append(tr(N_("Afterwards: observe the patient for {wait}, until {until}, after this first infusion of "
                           "the plan (source: {source})"), wait=Quantity(observation.value, "min"),
                        until=f"{slot.observed_until:%H:%M}", source=observation.source))
    elif observation is not None:
        lines.append(tr(N_("Afterwards: observe the patient for {wait}, after this first infusion of the plan "
                           "(source: {source})"), wait=Quantity(observation.value, "min"), source=observation.source))
    return lines


def _description(document: Document, slot: Slot, bag: Bag, provenance: Provenance, timing: str,
                 tr: Translator = ENGLISH) -> str:
    lines = [
        tr(N_("Patient: {patient}"), patient=str(provenance.patient_id)),
        tr(N_("Protocol: {protocol}, version {version}"), protocol=document["protocol_name"],
           version=document["protocol_version"]),
        tr(N_("Product: {product}"), product=product_text(document, tr)),
        tr(N_("Course: {course} (week {week}), {day}, {date}"), course=bag.course["name"], week=bag.course["week"],
           day=bag.day_label(tr), date=long_date(bag.day["date"], tr)),
        tr(N_("Setting: {setting}"), setting=setting_word(bag.segment["setting"], tr)),
    ]
    dose = bag.dose(document, tr)
    if dose is not None:
        lines.append(tr(N_("Dose: {dose}"), dose=dose))
    lines += [
        tr(N_("Volume: {volume}"), volume=bag.volume(tr)),
        tr(N_("Pump program: {steps}"), steps=pump_text(bag.segment, tr).replace("\n", "; ")),
        tr(N_("Duration: {duration}"), duration=timing),
        *_waits(slot, tr),
        *(tr(N_("Warning: {warning}"), warning=tr.say(note)) for note in slot.notes),
        tr(N_("Made by ivig-dose {version}, input digest {digest}"), version=provenance.tool_version,
           digest=document["input_digest"]),
    ]
    return "\n".join(lines)


def sequence_number(generated: datetime) -> int:
    """Seconds from 2020-01-01 UTC to the generation time (0 before it): rises with every run.
    Generation times later than :data:`LAST_GENERATED` are refused where they are read."""
    return min(LAST_SEQUENCE, max(0, int((generated - SEQUENCE_EPOCH).total_seconds())))


def unambiguous(when: datetime) -> datetime:
    """``when`` as it is written: on its zone's clock, or in UTC where that clock shows it twice."""
    return when.astimezone(UTC) if repeated(when) else when


def _alarm(summary: str, before: timedelta, tr: Translator = ENGLISH) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -before)
    alarm.add("description", tr(N_("Reminder: {summary}"), summary=summary))
    return alarm


def render_calendar(document: Document, provenance: Provenance, layout: DayLayout,
                    reminders: tuple[timedelta, ...] = (), tr: Translator = ENGLISH) -> bytes:
    """The .ics file of the plan document, each bag where ``layout`` (made from the same document) put it."""
    if not provenance.patient_id:
        raise ValueError("a calendar needs a patient id for its event UIDs")
    # refused where it enters (parse.text); checked again here, as a calendar line must never break
    check_id(provenance.patient_id, "patient id")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", vText(tr(N_("IVIg infusions {patient}"), patient=provenance.patient_id)))
    stamp = provenance.generated
    sequence = sequence_number(stamp)
    for bag, slot in zip(bags(document), layout.slots, strict=True):
        event = Event()
        event.add("uid", event_uid(provenance.patient_id, str(document["protocol"]), bag))
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("sequence", sequence)
        summary = _summary(document, bag, provenance.patient_id, tr)
        # RFC 5545's LANGUAGE parameter says what a text is written in; English, as always, without it
        said_in: dict[str, str] = {} if tr.english else {"LANGUAGE": tr.lang}
        event.add("summary", summary, parameters=said_in)
        setting = str(bag.segment["setting"])
        event.add("location", tr(LOCATIONS[setting]) if setting in LOCATIONS else setting, parameters=said_in)
        if slot.start is None:
            day = date.fromisoformat(bag.day["date"])
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            timing = tr(UNTIMED)
        elif slot.end is None:
            event.add("dtstart", unambiguous(slot.start))
            timing = tr(START_ONLY)
        else:
            event.add("dtstart", unambiguous(slot.start))
            event.add("dtend", unambiguous(slot.end))
            timing = duration_text(duration_minutes(bag.segment), tr)
        event.add("description", _description(document, slot, bag, provenance, timing, tr), parameters=said_in)
        for before in reminders:
            event.add_component(_alarm(summary, before, tr))
        calendar.add_component(event)
    # the time zone's rules for the years the plan spans (the default stops in 2038).
    dates = [date.fromisoformat(d["date"]) for c in document["courses"] for d in c["days"]]
    calendar.add_missing_timezones(date(min(dates).year - 1, 1, 1), date(max(dates).year + 2, 1, 1))
    return bytes(calendar.to_ical())
