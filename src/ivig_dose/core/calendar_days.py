"""The days of a plan a person should look at twice: a start already past, and a hospital day on
a weekend or on a public holiday the protocol lists.

These are warned about, never refused: a day-care ward may be open on a Saturday, and an order
may be written for a course that has begun. The core reads no clock, so the day the plan is made
is passed in. Every date a person reads is shown with its weekday (:func:`dated`), so a Saturday
is seen where the date is read, in every output and language alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ivig_dose.core.messages import N_, AndList, Message, message, neutral
from ivig_dose.core.model import HOSPITAL

if TYPE_CHECKING:
    from ivig_dose.core.model import Plan
    from ivig_dose.core.protocol import Holidays

#: a weekday as it stands beside a date, Monday first (as :meth:`datetime.date.weekday` counts).
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
#: Saturday and Sunday, as :meth:`datetime.date.weekday` numbers them.
WEEKEND = frozenset({5, 6})


def dated(day: date) -> Message:
    """``Mon 2027-01-04``: the ISO date with its weekday in the reader's language."""
    # the date as text: a reader that shows dates with their weekday must not add it twice
    return neutral("{weekday} {date}", weekday=message(WEEKDAYS[day.weekday()]), date=day.isoformat())


def hospital_days(plan: Plan) -> list[date]:
    """The dates on which a bag is given in hospital, in order, each once."""
    found = [day.date for course in plan.courses for day in course.days
             if any(segment.setting == HOSPITAL for segment in day.segments)]
    return sorted(set(found))


def date_warnings(start: date, hospital: Iterable[date], today: date | None,
                  holidays: Holidays | None = None) -> list[Message]:
    """What to check about a plan's dates: a start before ``today`` (None: not checked), and the
    hospital days that fall on a public holiday of ``holidays`` or, failing that, on a weekend."""
    warnings = []
    if today is not None and start < today:
        warnings.append(message(N_("start {start} is {days} day(s) in the past: check the date before anything is "
                                   "prepared"), start=dated(start), days=(today - start).days))
    days = list(hospital)
    on_holidays = [day for day in days if holidays is not None and day in holidays.dates]
    if holidays is not None and on_holidays:
        warnings.append(message(N_("hospital day(s) on a public holiday: {days} (holidays listed by the protocol: "
                                   "{source}); check that the ward gives infusions then, or choose another start"),
                                days=_listed(on_holidays), source=holidays.source))
    weekend = [day for day in days if day.weekday() in WEEKEND and day not in on_holidays]
    if weekend:
        warnings.append(message(N_("hospital day(s) on a weekend: {days}; check that the ward gives infusions then, "
                                   "or choose another start"), days=_listed(weekend)))
    return warnings


def warnings_after(start: date, hospital: Sequence[int], today: date,
                   holidays: Holidays | None = None) -> list[Message]:
    """:func:`date_warnings` for hospital days given in days after ``start`` (a shared plan's in
    ``batch``): for most patients there is nothing to say, which is found without making a date."""
    weekday = start.weekday()
    if start >= today and holidays is None and not any((weekday + days) % 7 in WEEKEND for days in hospital):
        return []
    return date_warnings(start, [start + timedelta(days=days) for days in hospital], today, holidays)


def dated_plan(plan: Plan, today: date | None, holidays: Holidays | None = None) -> Plan:
    """The plan with the warnings its dates call for (:func:`date_warnings`) after its own."""
    found = date_warnings(plan.request.start, hospital_days(plan), today, holidays)
    return replace(plan, warnings=(*plan.warnings, *found)) if found else plan


def _listed(days: list[date]) -> AndList:
    return AndList(tuple(dated(day) for day in days))
