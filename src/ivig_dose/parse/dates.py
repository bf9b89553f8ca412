"""Dates typed by people: ISO always; other forms only when they cannot be misread.

``03/04/2027`` is 3 April in Amsterdam and 4 March in Boston. So:

- a numeric date that starts with a four-digit year is always year, month, day (ISO's order,
  which nobody writes the other way round), whatever --day-first says: ``2027/01/04``,
  ``2027.1.4`` and ``2027-01-04T00:00:00`` are 4 January;
- every other all-numeric date (``3/4/2027``, ``3 4 2027``, ``04.01.2027``) is read only when
  the user says which field comes first (--day-first or --month-first), even when one field is
  above 12: a list that mixes ``13/04`` and ``03/04`` must not be read two ways;
- a date missing any field is refused rather than completed from today, two-digit years are
  refused because a plan spans a new year, and a weekday that contradicts the date is refused;
- years are bounded (:data:`FIRST_YEAR` to :data:`LAST_YEAR`), so no plan's arithmetic can run
  past the calendar's end.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message

ACCEPTED = message(N_("an ISO date such as 2027-01-04, or an unambiguous one such as '4 Jan 2027'"))
#: the weekdays a refusal names, by number (Monday 0).
WEEKDAY_NAMES = (N_("monday"), N_("tuesday"), N_("wednesday"), N_("thursday"), N_("friday"), N_("saturday"),
                 N_("sunday"))
FIRST_YEAR = 1900
LAST_YEAR = 2999
#: the longest date text read: "Wednesday 29 September 2027" is 27 characters.
MAX_LENGTH = 40
_TIME = r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?"
_YEAR_FIRST = re.compile(r"\s*(\d{4})([-/. ])(\d{1,2})\2(\d{1,2})" + _TIME + r"\s*")
_ALL_NUMERIC = re.compile(r"[\d\s/.,-]+")
_FIELDS = re.compile(r"\d+")
_PROBES = (datetime(2001, 2, 3), datetime(2002, 5, 6))


def parse_date(text: str, day_first: bool | None = None) -> date:
    """``day_first`` is True for --day-first, False for --month-first, None when not said."""
    if len(text) > MAX_LENGTH:
        raise InputError(message(N_("date {text!r}... is {length} characters long; accepted: {accepted}"),
                                 text=text[:MAX_LENGTH], length=len(text), accepted=ACCEPTED))
    try:
        return in_range(date.fromisoformat(text.strip()), text)
    except ValueError:
        pass
    year_first = _YEAR_FIRST.fullmatch(text)
    if year_first is not None:
        return in_range(_year_first(text, year_first), text)
    if _ALL_NUMERIC.fullmatch(text):
        return in_range(_numeric(text, day_first), text)
    return in_range(_parse_free_form(text), text)


def in_range(value: date, text: str) -> date:
    """The date, if its year is one a plan, an order or a screening can be about."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InputError(message(N_("date {text!r} is out of range; accepted: a date from {first} to {last}, "
                                    "e.g. 2027-01-04"), text=text.strip(), first=FIRST_YEAR, last=LAST_YEAR))
    return value


def _real_date(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise InputError(message(N_("date {text!r} has no day {day} in month {month}; accepted: {accepted}"),
                                 text=text.strip(), day=day, month=month, accepted=ACCEPTED)) from exc


def _year_first(text: str, match: re.Match[str]) -> date:
    year, _, month, day, *clock = match.groups()
    if any(part is not None and int(part) != 0 for part in clock):
        raise _has_a_time(text)
    if int(month) > 12:
        raise InputError(message(N_("date {text!r} has no month {month} (a date that starts with its year is "
                                    "year-month-day); accepted: {accepted}"), text=text.strip(), month=month,
                                 accepted=ACCEPTED))
    return _real_date(text, int(year), int(month), int(day))


def _numeric(text: str, day_first: bool | None) -> date:
    fields = _FIELDS.findall(text)
    if len(fields) != 3:
        raise InputError(message(N_("date {text!r} is not a date (day, month and year needed); accepted: "
                                    "{accepted}"), text=text.strip(), accepted=ACCEPTED))
    first, second, year = fields
    if len(year) != 4:
        raise InputError(message(N_("date {text!r} has a {digits}-digit year; accepted: {accepted}"),
                                 text=text.strip(), digits=len(year), accepted=ACCEPTED))
    if day_first is None:
        raise InputError(message(N_("date {text!r} is all numbers: day or month first? give --day-first or "
                                    "--month-first, or {accepted}"), text=text.strip(), accepted=ACCEPTED))
    day, month = (first, second) if day_first else (second, first)
    if int(month) > 12:
        order = message(N_("day first")) if day_first else message(N_("month first"))
        raise InputError(message(N_("date {text!r} has no month {month} ({order}); accepted: {accepted}"),
                                 text=text.strip(), month=month, order=order, accepted=ACCEPTED))
    return _real_date(text, int(year), int(month), int(day))


@lru_cache(maxsize=4096)
def _parse_free_form(text: str) -> date:
    """A date with the month (or a weekday) in words. Cached: dateutil takes about 0.1 ms for the
    two parses, and a patient list repeats its start dates; a refusal is never cached."""
    from dateutil import parser

    try:
        # Parsed against two different defaults: any field taken from a default differs.
        seen = {parser.parse(text, default=probe) for probe in _PROBES}
    except (ValueError, OverflowError) as exc:
        raise InputError(message(N_("date {text!r} is not a date; accepted: {accepted}"), text=text.strip(),
                                 accepted=ACCEPTED)) from exc
    if len(seen) != 1:
        raise InputError(message(N_("date {text!r} is incomplete (day, month and year needed); accepted: {accepted}"),
                                 text=text.strip(), accepted=ACCEPTED))
    parsed = seen.pop()
    if str(parsed.year) not in _FIELDS.findall(text):
        raise InputError(message(N_("date {text!r} has a two-digit year (a plan spans a new year); accepted: "
                                    "{accepted}"), text=text.strip(), accepted=ACCEPTED))
    if parsed.time() != datetime.min.time():
        raise _has_a_time(text)
    result: date = parsed.date()
    _check_weekday(text, result, parser.parserinfo())
    return result


def _check_weekday(text: str, value: date, info: object) -> None:
    """A weekday written with the date must be the date's own: one of the two is a typo."""
    for word in re.findall(r"[^\W\d_]+", text):
        named = info.weekday(word)  # type: ignore[attr-defined]
        if named is not None and named != value.weekday():
            raise InputError(message(N_("date {text!r}: {date} is a {weekday}, not a {named}; accepted: {accepted}"),
                                     text=text.strip(), date=value, weekday=message(WEEKDAY_NAMES[value.weekday()]),
                                     named=message(WEEKDAY_NAMES[named]), accepted=ACCEPTED))


def _has_a_time(text: str) -> InputError:
    return InputError(message(N_("date {text!r} has a time; give the date only; accepted: {accepted}"),
                              text=text.strip(), accepted=ACCEPTED))
