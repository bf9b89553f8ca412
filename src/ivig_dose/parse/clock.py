"""The calendar's options as typed: a time of day (``--time``), reminders (``--remind``) and a
time zone (``--tz``), each refused in one line naming what is accepted."""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import TYPE_CHECKING

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

_CLOCK = re.compile(r"\s*(\d{1,2}):(\d{2})\s*")
_REMINDER = re.compile(r"\s*(\d{1,4})\s*(d|h|min|m)\s*", re.IGNORECASE)
_REMINDER_UNITS = {"d": timedelta(days=1), "h": timedelta(hours=1), "min": timedelta(minutes=1),
                   "m": timedelta(minutes=1)}
#: a reminder further ahead than this is more likely a typo than a wish.
LONGEST_REMINDER = timedelta(days=28)
#: the longest time zone name read: the longest IANA name, America/Argentina/ComodRivadavia, is 32.
MAX_ZONE = 64


def parse_clock(text: str) -> time:
    """``09:00`` or ``9:00``, 24-hour; seconds and am/pm are refused rather than guessed."""
    match = _CLOCK.fullmatch(text) if len(text) <= 16 else None
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise InputError(message(N_("--time {text!r} is not a time of day; accepted: 24-hour HH:MM, e.g. 09:00 or "
                                    "13:30"), text=text))
    return time(int(match[1]), int(match[2]))


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
    """An IANA time zone by name; zoneinfo (and its database) is loaded only here."""
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
