"""``ivig-dose calendar``: one iCalendar event per bag, for the nurse (icalendar, loaded only here)."""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ivig_dose.cli.options import OutputPath, PatientId, PlanOptions, with_plan_options
from ivig_dose.cli.outputs import Renderer, write_from_plan
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from ivig_dose.render.provenance import Provenance

_CLOCK = re.compile(r"\s*(\d{1,2}):(\d{2})\s*")
_REMINDER = re.compile(r"\s*(\d{1,4})\s*(d|h|min|m)\s*", re.IGNORECASE)
_REMINDER_UNITS = {"d": timedelta(days=1), "h": timedelta(hours=1), "min": timedelta(minutes=1),
                   "m": timedelta(minutes=1)}
#: a reminder further ahead than this is more likely a typo than a wish.
LONGEST_REMINDER = timedelta(days=28)


def parse_clock(text: str) -> time:
    """``09:00`` or ``9:00``, 24-hour; seconds and am/pm are refused rather than guessed."""
    match = _CLOCK.fullmatch(text) if len(text) <= 16 else None
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise InputError(message(N_("--time {text!r} is not a time of day; accepted: 24-hour HH:MM, e.g. 09:00 or "
                                    "13:30"), text=text))
    return time(int(match[1]), int(match[2]))


#: the longest time zone name read: the longest IANA name, America/Argentina/ComodRivadavia, is 32.
MAX_ZONE = 64


def parse_reminders(texts: list[str]) -> tuple[timedelta, ...]:
    """``1d``, ``2h``, ``30min`` (or ``30m``), each one reminder that long before every bag;
    repeated values are given once, the earliest reminder first."""
    found = set()
    for text in texts:
        match = _REMINDER.fullmatch(text)
        before = None if match is None else int(match[1]) * _REMINDER_UNITS[match[2].lower()]
        if before is None or not timedelta(0) < before <= LONGEST_REMINDER:
            raise InputError(message(N_("--remind {text!r} is not a reminder time; accepted: a whole number of days, "
                                        "hours or minutes before the bag, up to 28 days, e.g. 1d, 2h or 30min"),
                                     text=text))
        found.add(before)
    return tuple(sorted(found, reverse=True))


def parse_zone(text: str) -> ZoneInfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if len(text) > MAX_ZONE:
        raise InputError(message(N_("--tz {text!r}... is {length} characters long; accepted: an IANA name such as "
                                    "Europe/Amsterdam (at most {limit} characters)"), text=text[:20],
                                 length=len(text), limit=MAX_ZONE))
    try:
        return ZoneInfo(text.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise InputError(message(N_("--tz {text!r} is not a known time zone; accepted: an IANA name such as "
                                    "Europe/Amsterdam"), text=text)) from exc


@with_plan_options
def calendar(
    options: PlanOptions,
    output: OutputPath,
    patient_id: PatientId = None,
    start_time: Annotated[str, typer.Option(
        "--time", help="When the first bag of each infusion day starts, 24-hour HH:MM.")] = "09:00",
    tz: Annotated[str, typer.Option("--tz", help="IANA time zone of --time.")] = "Europe/Amsterdam",
    remind: Annotated[list[str] | None, typer.Option(
        "--remind", help="A reminder this long before each bag, e.g. 1d, 2h, 30min; repeat for more.")] = None,
) -> None:
    """Write an .ics file with one event per bag; re-importing an updated plan updates the same events."""
    if not patient_id or not patient_id.strip():
        raise InputError(message(N_("calendar needs --patient-id: each event's UID is made from it, so that "
                                    "importing another patient's plan cannot overwrite this patient's events; "
                                    "accepted: a study number, e.g. TIM-001")))
    clock, zone, reminders = parse_clock(start_time), parse_zone(tz), parse_reminders(remind or [])

    def renderer() -> Renderer:
        from ivig_dose.cli.language import current, warn
        from ivig_dose.render.calendar_ics import calendar_warnings, render_calendar

        def render(document: dict[str, Any], provenance: Provenance) -> bytes:
            warn(calendar_warnings(document, clock, zone))
            return render_calendar(document, provenance, clock, zone, reminders, current())

        return render

    write_from_plan(options, output, patient_id.strip(), renderer)
