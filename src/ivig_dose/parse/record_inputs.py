"""What a nurse types into ``ivig-dose record``: times, rates, volumes, initials, a grade, free text.

Times are the clock on the wall: ``--at "2027-01-04 09:05"`` (or ``09:05`` for today) is local
time, and is kept as the UTC moment it names with the clock's UTC offset, so it can be shown
again as it was read wherever the record is opened. A local time a clock change skips or repeats
is refused rather than guessed; an explicit offset (``09:05+01:00``) settles it. No units
library: a rate is mL/h and a volume mL, as the pump shows them.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.parse.text import check_id, check_text
from ivig_dose.parse.units import parse_non_negative, split_number

AT_ACCEPTED = message(N_("a local date and time such as 2027-01-04 09:05, or 09:05 for today; an offset such as "
                         "+01:00 may follow"))
#: ASCII digits only: ``٣`` is a digit to Python's ``\d`` but no clock shows it.
_TIME = re.compile(r"\s*(?:(\d{4}-\d{2}-\d{2})[ T])?(\d{1,2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:\d{2})?\s*", re.ASCII)
#: the years a record may hold: a pump reading from before 2000 or after 2999 is a typing error.
FIRST_YEAR, LAST_YEAR = 2000, 2999
RATE_ACCEPTED = message(N_("a pump rate such as 144 mL/h (a bare number is mL/h)"))
VOLUME_ACCEPTED = message(N_("the volume the pump shows, such as 360 mL (a bare number is mL)"))
#: initials or a short staff code, as a paraph on paper.
MAX_INITIALS = 16
#: free text of an entry: a reason, symptoms, an action.
MAX_NOTE = 500
GRADES = range(1, 6)


def parse_at(text: str | None, now: datetime) -> datetime:
    """``--at`` as an aware moment; ``now`` (aware, local) when not given, and for ``09:05`` its date."""
    if text is None:
        return now.replace(microsecond=0)
    match = _TIME.fullmatch(text)
    if match is None:
        raise InputError(message(N_("--at {text!r} is not a time; accepted: {accepted}"), text=text[:40],
                                 accepted=AT_ACCEPTED))
    day, clock, offset = match[1], match[2], match[3]
    try:
        naive = datetime.fromisoformat(f"{day or now.date().isoformat()}T{clock.zfill(5 if len(clock) <= 5 else 8)}")
    except ValueError as exc:
        raise InputError(message(N_("--at {text!r} is not a time; accepted: {accepted}"), text=text,
                                 accepted=AT_ACCEPTED)) from exc
    if not FIRST_YEAR <= naive.year <= LAST_YEAR:
        raise InputError(message(N_("--at {text!r} is not in the years {first} to {last}; accepted: {accepted}"),
                                 text=text, first=FIRST_YEAR, last=LAST_YEAR, accepted=AT_ACCEPTED))
    if offset is None:
        return _local(naive, text)
    try:
        return datetime.fromisoformat(f"{naive.isoformat()}{'+00:00' if offset == 'Z' else offset}")
    except ValueError as exc:  # an offset of 24 hours or more
        raise InputError(message(N_("--at {text!r} is not a time; accepted: {accepted}"), text=text,
                                 accepted=AT_ACCEPTED)) from exc


def _local(naive: datetime, text: str) -> datetime:
    """A wall-clock time in this computer's time zone; one a clock change skips or repeats is refused."""
    first, second = naive.replace(fold=0).astimezone(), naive.replace(fold=1).astimezone()
    if first.replace(tzinfo=None) != naive:
        raise InputError(message(N_("--at {text!r} does not exist here: the clock skips it; accepted: a time with its "
                                    "offset, such as 02:30+01:00"), text=text))
    if first.utcoffset() != second.utcoffset():
        raise InputError(message(N_("--at {text!r} happens twice here (the clock is put back); accepted: the time "
                                    "with its offset, such as {first} or {second}"), text=text,
                                 first=first.isoformat(timespec="minutes"),
                                 second=second.isoformat(timespec="minutes")))
    return first


def parse_rate(text: str) -> Decimal:
    """A pump rate in mL/h, above 0."""
    number, unit = split_number(text, "--rate", RATE_ACCEPTED)
    if unit not in ("", "mL/h", "ml/h"):
        raise InputError(message(N_("--rate {text!r} is not in mL/h; accepted: {accepted}"), text=text.strip(),
                                 accepted=RATE_ACCEPTED))
    if number <= 0:
        raise InputError(message(N_("--rate {text!r} must be above 0; accepted: {accepted}"), text=text.strip(),
                                 accepted=RATE_ACCEPTED))
    return number


def parse_infused(text: str) -> Decimal:
    """The pump's volume infused in mL (0 for a bag stopped at once)."""
    return parse_non_negative(text, "mL", "--infused", VOLUME_ACCEPTED)


def parse_by(text: str) -> str:
    """Who did it: initials or a staff code, on one line; never empty."""
    initials = check_text(text.strip(), "--by", MAX_INITIALS)
    if not initials:
        raise InputError(message(N_("--by is empty; accepted: the initials or staff code of who did it, up to {limit} "
                                    "characters"), limit=MAX_INITIALS))
    return initials


def parse_note(text: str, option: str) -> str:
    """A reason, symptoms or an action: free text on one line, never empty."""
    note = check_text(text.strip(), option, MAX_NOTE)
    if not note:
        raise InputError(message(N_("{option} is empty; accepted: a few words, up to {limit} characters"),
                                 option=option, limit=MAX_NOTE))
    return note


def parse_grade(value: int) -> int:
    """A reaction's CTCAE grade, 1 (mild) to 5 (death)."""
    if value not in GRADES:
        raise InputError(message(N_("--grade {grade} is not a CTCAE grade; accepted: 1, 2, 3, 4 or 5"), grade=value))
    return value


def parse_patient(text: str) -> str:
    patient = check_id(text.strip(), "--patient-id")
    if not patient:
        raise InputError(message(N_("--patient-id is empty; accepted: the patient or study number")))
    return patient


def parse_entry_id(text: str) -> str:
    """An entry's id as show prints it: its first eight characters or more, hexadecimal."""
    wanted = text.strip().lower()
    if len(wanted) < 8 or len(wanted) > 32 or any(c not in "0123456789abcdef" for c in wanted):
        raise InputError(message(N_("entry {text!r} is not an entry id; accepted: the first 8 characters or more of "
                                    "the id record show prints, such as 1a2b3c4d"), text=text[:40]))
    return wanted

