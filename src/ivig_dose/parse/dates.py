"""Dates typed by people: ISO always; other forms only when they cannot be misread.

``03/04/2027`` is 3 April in Amsterdam and 4 March in Boston. So:

- a numeric date that starts with a four-digit year is always year, month, day (ISO's order,
  which nobody writes the other way round), whatever --day-first says: ``2027/01/04`` and
  ``2027.1.4`` are 4 January;
- every other all-numeric date (``3/4/2027``, ``3 4 2027``, ``04.01.2027``) is read only in the
  field order the user gives (--day-first or --month-first), even when one field is above 12:
  a list that mixes ``13/04`` and ``03/04`` must not be read two ways;
- a month in words (``4 Jan 2027``, ``January 4th, 2027``) says which number is the day;
- the same holds with words around the date (``on 03/04/2027``, ``Monday 4 Jan 2027``) and with
  an ordinal (``3rd/4/2027`` is read in the order given; an ordinal where that order puts the
  month is refused);
- a date missing any field is refused rather than completed from today, two-digit years are
  refused because a plan spans a new year, a time is refused (``03/04/2027 00:00``: a date is
  asked, and a spreadsheet's time is where misreadings hide), and a weekday that contradicts the
  date is refused;
- years are bounded (:data:`FIRST_YEAR` to :data:`LAST_YEAR`), so no plan's arithmetic can run
  past the calendar's end.

Every number is placed by this module's own small grammar, never by a general date parser:
such a parser reads ``03/04/2027 00:00`` month first whatever it was told, which is how a
date is silently moved by three months. Anything the grammar does not know is refused.
"""

from __future__ import annotations

import re
from datetime import date
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

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
#: month words by number: the full English name, its first three letters, and "sept".
MONTH_WORDS = {**{name: number for number, name in enumerate(_MONTHS, start=1)},
               **{name[:3]: number for number, name in enumerate(_MONTHS, start=1)}, "sept": 9}
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_WORDS = {**{name: number for number, name in enumerate(_DAYS)},
                 **{name[:3]: number for number, name in enumerate(_DAYS)}, "tues": 1, "thur": 3, "thurs": 3}
#: words that may stand around a date without changing it: "on 03/04/2027", "the 3rd of April 2027".
FILLER_WORDS = frozenset({"on", "the", "of"})
ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
#: words that say a time is given: "9 am", "2027-01-04T08", "noon".
TIME_WORDS = frozenset({"t", "am", "pm", "a", "p", "m", "h", "hr", "hrs", "noon", "midnight", "uur", "o", "clock"})
#: a number, a word, a separator (any space, / . , -), or any other single character.
_TOKENS = re.compile(r"(\d+)|([^\W\d_]+)|(\s+|[/.,-])|(.)", re.DOTALL)


def parse_date(text: str, day_first: bool | None = None) -> date:
    """``day_first`` is True for --day-first, False for --month-first, None when not said."""
    if len(text) > MAX_LENGTH:
        raise InputError(message(N_("date {text!r}... is {length} characters long; accepted: {accepted}"),
                                 text=text[:MAX_LENGTH], length=len(text), accepted=ACCEPTED))
    return _parse(text, day_first)


@lru_cache(maxsize=4096)
def _parse(text: str, day_first: bool | None) -> date:
    """Cached: a patient list repeats its start dates; a refusal is never cached."""
    try:
        return in_range(date.fromisoformat(text.strip()), text)
    except ValueError:
        pass
    read = _Read(text)
    found = _with_month_word(read) if read.months else _all_numeric(read, day_first)
    in_range(found, text)
    _check_weekday(read, found)
    return found


def in_range(value: date, text: str) -> date:
    """The date, if its year is one a plan, an order or a screening can be about."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InputError(message(N_("date {text!r} is out of range; accepted: a date from {first} to {last}, "
                                    "e.g. 2027-01-04"), text=text.strip(), first=FIRST_YEAR, last=LAST_YEAR))
    return value


class _Read:
    """The text split into its numbers (each with whether an ordinal suffix follows it), month
    words and weekday words; a time, or anything that is none of these, is refused here."""

    def __init__(self, text: str) -> None:
        self.text = text.strip()
        self.numbers: list[tuple[str, bool]] = []
        self.months: list[int] = []
        self.weekdays: list[int] = []
        tokens = _TOKENS.findall(text)
        if any(other == ":" or word.lower() in TIME_WORDS for _, word, _, other in tokens):
            raise _has_a_time(text)
        for index, (number, word, _separator, other) in enumerate(tokens):
            if number:
                self.numbers.append((number, False))
            elif word:
                self._word(word.lower(), index > 0 and bool(tokens[index - 1][0]))
            elif other:
                raise self.not_a_date()

    def _word(self, word: str, after_a_number: bool) -> None:
        if after_a_number and word in ORDINAL_SUFFIXES:
            self.numbers[-1] = (self.numbers[-1][0], True)
        elif word in MONTH_WORDS:
            self.months.append(MONTH_WORDS[word])
        elif word in WEEKDAY_WORDS:
            self.weekdays.append(WEEKDAY_WORDS[word])
        elif word not in FILLER_WORDS:
            raise self.not_a_date()

    def not_a_date(self) -> InputError:
        return InputError(message(N_("date {text!r} is not a date; accepted: {accepted}"), text=self.text,
                                  accepted=ACCEPTED))

    def too_few_or_many(self) -> InputError:
        if len(self.numbers) + len(self.months) < 3:
            return InputError(message(N_("date {text!r} is incomplete (day, month and year needed); accepted: "
                                         "{accepted}"), text=self.text, accepted=ACCEPTED))
        return InputError(message(N_("date {text!r} is not a date (day, month and year needed); accepted: "
                                     "{accepted}"), text=self.text, accepted=ACCEPTED))


def _with_month_word(read: _Read) -> date:
    """A month in words: the four-digit number is the year, the other the day, in either order."""
    if len(read.months) != 1 or len(read.weekdays) > 1 or len(read.numbers) != 2:
        raise read.too_few_or_many()
    years = [(n, o) for n, o in read.numbers if len(n) == 4]
    days = [(n, o) for n, o in read.numbers if len(n) <= 2]
    if not years:
        longest = max(len(n) for n, _ in read.numbers)
        if longest <= 2:
            raise InputError(message(N_("date {text!r} has a two-digit year (a plan spans a new year); accepted: "
                                        "{accepted}"), text=read.text, accepted=ACCEPTED))
        raise _year_digits(read, longest)
    if len(years) != 1 or len(days) != 1 or years[0][1]:
        raise read.not_a_date()
    return _real_date(read.text, int(years[0][0]), read.months[0], int(days[0][0]))


def _all_numeric(read: _Read, day_first: bool | None) -> date:
    """Three numbers: year-month-day when the year comes first, else in the field order given."""
    if len(read.numbers) != 3 or len(read.weekdays) > 1:
        raise read.too_few_or_many()
    first, second, third = read.numbers
    if len(first[0]) == 4:
        if first[1] or second[1] or len(second[0]) > 2 or len(third[0]) > 2:
            raise read.not_a_date()
        if int(second[0]) > 12:
            raise InputError(message(N_("date {text!r} has no month {month} (a date that starts with its year is "
                                        "year-month-day); accepted: {accepted}"), text=read.text, month=second[0],
                                     accepted=ACCEPTED))
        return _real_date(read.text, int(first[0]), int(second[0]), int(third[0]))
    if len(third[0]) != 4:
        raise _year_digits(read, len(third[0]))
    if third[1] or len(first[0]) > 2 or len(second[0]) > 2:
        raise read.not_a_date()
    if day_first is None:
        raise InputError(message(N_("date {text!r} is written in numbers: day or month first? give --day-first "
                                    "or --month-first, or {accepted}"), text=read.text, accepted=ACCEPTED))
    (day, _), (month, ordinal_month) = (first, second) if day_first else (second, first)
    order = message(N_("day first")) if day_first else message(N_("month first"))
    if ordinal_month:
        raise InputError(message(N_("date {text!r} has an ordinal day (such as 3rd) where {order} puts the month; "
                                    "accepted: {accepted}"), text=read.text, order=order, accepted=ACCEPTED))
    if int(month) > 12:
        raise InputError(message(N_("date {text!r} has no month {month} ({order}); accepted: {accepted}"),
                                 text=read.text, month=month, order=order, accepted=ACCEPTED))
    return _real_date(read.text, int(third[0]), int(month), int(day))


def _year_digits(read: _Read, digits: int) -> InputError:
    return InputError(message(N_("date {text!r} has a {digits}-digit year; accepted: {accepted}"), text=read.text,
                              digits=digits, accepted=ACCEPTED))


def _real_date(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise InputError(message(N_("date {text!r} has no day {day} in month {month}; accepted: {accepted}"),
                                 text=text, day=day, month=month, accepted=ACCEPTED)) from exc


def _check_weekday(read: _Read, value: date) -> None:
    """A weekday written with the date must be the date's own: one of the two is a typo."""
    for named in read.weekdays:
        if named != value.weekday():
            raise InputError(message(N_("date {text!r}: {date} is a {weekday}, not a {named}; accepted: {accepted}"),
                                     text=read.text, date=value, weekday=message(WEEKDAY_NAMES[value.weekday()]),
                                     named=message(WEEKDAY_NAMES[named]), accepted=ACCEPTED))


def _has_a_time(text: str) -> InputError:
    return InputError(message(N_("date {text!r} has a time; give the date only; accepted: {accepted}"),
                              text=text.strip(), accepted=ACCEPTED))
