"""``ivig-dose calendar``: one iCalendar event per bag, for the nurse (icalendar, loaded only here)."""

from __future__ import annotations

import re
from datetime import time
from typing import TYPE_CHECKING, Annotated

import typer

from ivig_dose.cli.options import OutputPath, PatientId, PlanOptions, with_plan_options
from ivig_dose.cli.outputs import Renderer, write_from_plan
from ivig_dose.core.errors import InputError

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

_CLOCK = re.compile(r"\s*(\d{1,2}):(\d{2})\s*")


def parse_clock(text: str) -> time:
    """``09:00`` or ``9:00``, 24-hour; seconds and am/pm are refused rather than guessed."""
    match = _CLOCK.fullmatch(text) if len(text) <= 16 else None
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise InputError(f"--time {text!r} is not a time of day; accepted: 24-hour HH:MM, e.g. 09:00 or 13:30")
    return time(int(match[1]), int(match[2]))


#: the longest time zone name read: the longest IANA name, America/Argentina/ComodRivadavia, is 32.
MAX_ZONE = 64


def parse_zone(text: str) -> ZoneInfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if len(text) > MAX_ZONE:
        raise InputError(f"--tz {text[:20]!r}... is {len(text):,} characters long; accepted: an IANA name such "
                         f"as Europe/Amsterdam (at most {MAX_ZONE} characters)")
    try:
        return ZoneInfo(text.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise InputError(
            f"--tz {text!r} is not a known time zone; accepted: an IANA name such as Europe/Amsterdam"
        ) from exc


@with_plan_options
def calendar(
    options: PlanOptions,
    output: OutputPath,
    patient_id: PatientId = None,
    start_time: Annotated[str, typer.Option(
        "--time", help="When the first bag of each infusion day starts, 24-hour HH:MM.")] = "09:00",
    tz: Annotated[str, typer.Option("--tz", help="IANA time zone of --time.")] = "Europe/Amsterdam",
) -> None:
    """Write an .ics file with one event per bag; re-importing an updated plan updates the same events."""
    if not patient_id or not patient_id.strip():
        raise InputError(
            "calendar needs --patient-id: each event's UID is made from it, so that importing another "
            "patient's plan cannot overwrite this patient's events; accepted: a study number, e.g. TIM-001"
        )
    clock, zone = parse_clock(start_time), parse_zone(tz)

    def renderer() -> Renderer:
        from ivig_dose.render.calendar_ics import render_calendar

        return lambda document, provenance: render_calendar(document, provenance, clock, zone)

    write_from_plan(options, output, patient_id.strip(), renderer)
