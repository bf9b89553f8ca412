"""Dates typed by people: ISO always; other forms only when they cannot be misread.

``03/04/2027`` is 3 April in Amsterdam and 4 March in Boston, so a numeric date whose
first two fields could both be a month is refused unless the user says which comes
first. A date missing its year (or any field) is refused rather than completed from
today, and two-digit years are refused because a plan spans a new year.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from ivig_dose.core.errors import InputError

ACCEPTED = "an ISO date such as 2027-01-04, or an unambiguous one such as '4 Jan 2027'"
_NUMERIC = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d+)\s*")
_PROBES = (datetime(2001, 2, 3), datetime(2002, 5, 6))


def parse_date(text: str, day_first: bool | None = None) -> date:
    """``day_first`` is True for --day-first, False for --month-first, None when not said."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        pass
    numeric = _NUMERIC.fullmatch(text)
    if numeric is not None:
        first, second, year = numeric.groups()
        if len(year) != 4:
            raise InputError(f"date {text!r} has a {len(year)}-digit year; accepted: {ACCEPTED}")
        if day_first is None and int(first) <= 12 and int(second) <= 12 and first != second:
            raise InputError(
                f"date {text!r} is ambiguous (day or month first?); give --day-first or "
                f"--month-first, or {ACCEPTED}"
            )
        if day_first is None:
            day_first = int(first) > 12
        month = second if day_first else first
        if int(month) > 12:
            order = "day first" if day_first else "month first"
            raise InputError(f"date {text!r} has no month {month} ({order}); accepted: {ACCEPTED}")
    return _parse_free_form(text, day_first)


@lru_cache(maxsize=4096)
def _parse_free_form(text: str, day_first: bool | None) -> date:
    """Cached: dateutil takes about 0.1 ms for the two parses, and a patient list repeats its
    start dates (issue 6); a refusal raises and so is never cached."""
    from dateutil import parser

    try:
        # Parsed against two different defaults: any field taken from a default differs.
        seen = {parser.parse(text, default=probe, dayfirst=bool(day_first)) for probe in _PROBES}
    except (ValueError, OverflowError) as exc:
        raise InputError(f"date {text!r} is not a date; accepted: {ACCEPTED}") from exc
    if len(seen) != 1:
        raise InputError(f"date {text!r} is incomplete (day, month and year needed); accepted: {ACCEPTED}")
    parsed = seen.pop()
    if parsed.time() != datetime.min.time():
        raise InputError(f"date {text!r} has a time; give the date only; accepted: {ACCEPTED}")
    result: date = parsed.date()
    return result
