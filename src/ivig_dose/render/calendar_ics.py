"""The plan as an iCalendar file: one event per bag (segment), for the nurse's calendar.

Timing: the first bag of a day starts at the chosen time; each later bag of that day (the home
part after the hospital part) starts when the one before it ends. An event lasts its pump
program's ``duration_min``. Where the plan has no pump program yet, the event marks the start
time only (no end, which RFC 5545 reads as "takes no time") and says so; a bag that follows one
without a duration cannot be timed at all and becomes an all-day event that says why.

UIDs are a hash of patient id, protocol, course, day and setting, so importing an updated plan
updates the same events instead of adding copies. SEQUENCE counts the seconds from
2020-01-01 UTC to the generation time, so a calendar made again (for a changed plan or not)
always carries a higher SEQUENCE and wins in clients that compare it; counted from 2020 it
stays within RFC 5545's 32-bit integer until 2088. Reminders are VALARMs (DISPLAY) the
given times before each event. A bag that would run past midnight is named by
:func:`calendar_warnings`, and its event says so.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from ivig_dose.core.messages import ENGLISH, N_, Message, Translator, message
from ivig_dose.core.records import frozen
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
from ivig_dose.render.words import setting_word

PRODID = "-//ivig-dose//infusion plan//EN"
LOCATIONS = {"hospital": N_("Hospital"), "home": N_("Home")}
START_ONLY = N_("not computed (no pump program in this plan): this event marks the start time only")
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
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
    return tr(N_("{patient}: {product} {course} day {day}/{days} · {setting} · {amount}"), patient=patient_id,
              product=product, course=bag.course["name"], day=bag.day["day"], days=len(bag.course["days"]),
              setting=setting_word(bag.segment["setting"], tr), amount=amount)


def _description(document: Document, bag: Bag, provenance: Provenance, timing: str,
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
        tr(N_("Made by ivig-dose {version}, input digest {digest}"), version=provenance.tool_version,
           digest=document["input_digest"]),
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


def sequence_number(generated: datetime) -> int:
    """Seconds from 2020-01-01 UTC to the generation time (0 before it): rises with every run."""
    return max(0, int((generated - SEQUENCE_EPOCH).total_seconds()))


@frozen
class Timed:
    """A bag with its times: a start and end; a start only (no pump program); or neither (all day)."""

    bag: Bag
    start: datetime | None
    end: datetime | None


def timed_bags(document: Document, start_time: time, zone: ZoneInfo) -> list[Timed]:
    """Each bag's start and end: the first bag of a day at ``start_time``, a later one when the
    one before it ends."""
    found = []
    cursor: datetime | None = None
    previous_day: tuple[str, object] | None = None
    for bag in bags(document):
        this_day = (str(bag.course["name"]), bag.day["day"])
        if this_day != previous_day:
            cursor = day_start(date.fromisoformat(bag.day["date"]), start_time, zone)
            previous_day = this_day
        minutes = duration_minutes(bag.segment)
        end = None if cursor is None or minutes is None else after(cursor, _minutes(minutes), zone)
        found.append(Timed(bag, cursor, end))
        cursor = end
    return found


def crosses_midnight(timed: Timed) -> bool:
    last = timed.end or timed.start
    return last is not None and last.date() > date.fromisoformat(timed.bag.day["date"])


#: a bag's setting as the midnight warning names it (the warning is a message, said in the run's language).
_SETTING_BAGS = {"hospital": N_("the hospital bag"), "home": N_("the home bag")}


def midnight_text(timed: Timed) -> Message:
    bag, end = timed.bag, timed.end or timed.start
    assert end is not None
    setting = str(bag.segment["setting"])
    which = message(_SETTING_BAGS[setting]) if setting in _SETTING_BAGS else setting
    return message(N_("{which} of the {course} course, day {day} of {days} ({date}), would end {end} ({zone}), "
                      "after midnight: it would run into the next day; choose an earlier --time"), which=which,
                   course=bag.course["name"], day=bag.day["day"], days=len(bag.course["days"]), date=bag.day["date"],
                   end=f"{end:%Y-%m-%d %H:%M}", zone=str(end.tzinfo))


def calendar_warnings(document: Document, start_time: time, zone: ZoneInfo) -> list[str]:
    """One warning per bag that would cross midnight, naming it."""
    return [midnight_text(t) for t in timed_bags(document, start_time, zone) if crosses_midnight(t)]


def _alarm(summary: str, before: timedelta, tr: Translator = ENGLISH) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -before)
    alarm.add("description", tr(N_("Reminder: {summary}"), summary=summary))
    return alarm


def render_calendar(document: Document, provenance: Provenance, start_time: time, zone: ZoneInfo,
                    reminders: tuple[timedelta, ...] = (), tr: Translator = ENGLISH) -> bytes:
    if not provenance.patient_id:
        raise ValueError("a calendar needs a patient id for its event UIDs")
    # refused where it enters (parse.text); checked again here, as a calendar line must never break
    check_id(provenance.patient_id, "patient id")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", tr(N_("IVIg infusions {patient}"), patient=provenance.patient_id))
    stamp = provenance.generated
    sequence = sequence_number(stamp)
    for timed in timed_bags(document, start_time, zone):
        bag = timed.bag
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
        if timed.start is None:
            day = date.fromisoformat(bag.day["date"])
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            timing = tr(UNTIMED)
        elif timed.end is None:
            event.add("dtstart", timed.start)
            timing = tr(START_ONLY)
        else:
            event.add("dtstart", timed.start)
            event.add("dtend", timed.end)
            timing = duration_text(duration_minutes(bag.segment), tr)
        description = _description(document, bag, provenance, timing, tr)
        if crosses_midnight(timed):
            description += "\n" + tr(N_("Warning: {warning}"), warning=tr.say(midnight_text(timed)))
        event.add("description", description, parameters=said_in)
        for before in reminders:
            event.add_component(_alarm(summary, before, tr))
        calendar.add_component(event)
    # the time zone's rules for the years the plan spans (the default stops in 2038).
    dates = [date.fromisoformat(d["date"]) for c in document["courses"] for d in c["days"]]
    calendar.add_missing_timezones(date(min(dates).year - 1, 1, 1), date(max(dates).year + 2, 1, 1))
    return bytes(calendar.to_ical())
