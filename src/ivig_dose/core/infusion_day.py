"""When each bag of a plan runs on the nurse's calendar, and what is wrong with the day so laid out.

The first bag of an infusion day starts at the chosen clock time; the next bag of the same day
starts when the one before it ends, plus what the protocol asks for in between: the observation
after the plan's first infusion (patients new to IVIg are watched for an hour after it) and, on a
day whose hospital bag is followed by a home bag, the time to go home and set up. Each wait
keeps its source, so the calendar can say where it comes from.

Times are real, elapsed time: a pump runs the same minutes on the night the clocks change, so
every sum is made in UTC and shown on the zone's clock again. A clock time the zone skips or
repeats on a day (02:30 when the clocks change) is named in a warning rather than moved
silently. Renderers show what this module decides; they decide nothing themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from ivig_dose.core.messages import N_, Message, message
from ivig_dose.core.model import HOSPITAL
from ivig_dose.core.protocol import Param
from ivig_dose.core.records import frozen

#: the protocol parameters of the day's layout, in minutes.
OBSERVATION = "observation_after_first"
HOME_GAP = "home_gap"


@frozen
class DayRules:
    """The waits between bags: each a protocol parameter in minutes with its source, or None for none."""

    #: how long the patient is watched after the plan's first infusion.
    observation: Param | None = None
    #: the least time from leaving hospital (after any observation) to a home bag the same day.
    home_gap: Param | None = None


@frozen
class BagTime:
    """What laying out a bag needs of it: which day it belongs to, where it is given, how long it runs."""

    course: str
    day: int
    days: int
    date: date
    setting: str
    #: the pump program's run time; None when the plan computed no pump program.
    minutes: Decimal | None


@frozen
class Slot:
    """A bag's place in the day: a start and end; a start only (no pump program); or neither
    (it follows a bag of unknown length: an all-day event)."""

    bag: BagTime
    start: datetime | None
    end: datetime | None
    #: the observation after this bag and when it ends; None when none is asked for.
    observation: Param | None = None
    observed_until: datetime | None = None
    #: the wait before this bag for the patient to go home after the hospital bag; None when none.
    home_gap: Param | None = None
    #: warnings about this bag (the run's warnings name them too).
    notes: tuple[Message, ...] = ()


@frozen
class DayLayout:
    """Every bag's slot, in order of giving, and the warnings the layout gives rise to, each once."""

    slots: tuple[Slot, ...]
    warnings: tuple[Message, ...]


def after(start: datetime, run: timedelta, zone: tzinfo) -> datetime:
    """``run`` of real, elapsed time after ``start``, on the zone's clock.

    Python adds to an aware datetime on the wall clock: 23:00 + 3 h on the night the clocks go
    forward would be 02:00, only 2 h of pumping later. A pump runs in real time, so the sum is
    made in UTC and shown in the zone again.
    """
    return (start.astimezone(UTC) + run).astimezone(zone)


def minutes(value: Decimal | int) -> timedelta:
    """Minutes to the whole second (a pump step of 84.7 min is 84 min 42 s)."""
    return timedelta(seconds=int((Decimal(value) * 60).to_integral_value()))


def skipped(local: datetime) -> bool:
    """True when the zone's clock never shows ``local`` (02:30 on the day the clocks go forward)."""
    return local.astimezone(UTC).astimezone(local.tzinfo).replace(tzinfo=None) != local.replace(tzinfo=None)


def repeated(local: datetime) -> bool:
    """True when the zone's clock shows ``local`` twice (02:30 on the day the clocks go back): its
    wall time alone does not say which instant it is."""
    return local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset()


def day_start(day: date, clock: time, zone: tzinfo) -> tuple[datetime, Message | None]:
    """``clock`` on ``day`` in ``zone``, and a warning when the zone skips or repeats that time.

    A skipped time (02:30 on the spring change) becomes the same instant on the clock after the
    change (03:30), as a phone's calendar reads it; a repeated one (02:30 on the autumn change)
    is its first occurrence, as RFC 5545 reads a local time."""
    local = datetime.combine(day, clock, tzinfo=zone)
    start = local.astimezone(UTC).astimezone(zone)
    if skipped(local):
        return start, message(N_("--time {clock} does not exist on {date} in {zone}: the clocks go forward that "
                                 "night; the bags of that day start at {start}, the same moment on the clock after "
                                 "the change; choose another --time to be sure"),
                              clock=f"{clock:%H:%M}", date=day, zone=str(zone), start=f"{start:%H:%M}")
    if repeated(local):
        return start, message(N_("--time {clock} occurs twice on {date} in {zone}: the clocks go back that night; "
                                 "the first {clock} (UTC{offset}) is meant and written in UTC; choose another --time "
                                 "to be sure"),
                              clock=f"{clock:%H:%M}", date=day, zone=str(zone), offset=_offset(start))
    return start, None


def _offset(when: datetime) -> str:
    """``+02:00``: the zone's offset from UTC at ``when``."""
    seconds = int(when.utcoffset().total_seconds())  # type: ignore[union-attr]
    sign, seconds = ("-", -seconds) if seconds < 0 else ("+", seconds)
    return f"{sign}{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


#: a bag's setting as the midnight warning names it.
_SETTING_BAGS = {"hospital": N_("the hospital bag"), "home": N_("the home bag")}


def midnight_warning(bag: BagTime, end: datetime) -> Message:
    """The bag that would run past midnight into the next day, named."""
    return message(N_("{which} of the {course} course, day {day} of {days} ({date}), would end {end} ({zone}), "
                      "after midnight: it would run into the next day; choose an earlier --time"),
                   which=message(_SETTING_BAGS[bag.setting]),
                   course=bag.course, day=bag.day, days=bag.days, date=bag.date, end=f"{end:%Y-%m-%d %H:%M}",
                   zone=str(end.tzinfo))


def lay_out(bags: Sequence[BagTime], clock: time, zone: tzinfo, rules: DayRules = DayRules()) -> DayLayout:
    """Each bag's start and end, the waits between them, and the warnings of the day so laid out.

    The observation follows the plan's first bag (the patient's first infusion of the plan); the
    time to go home comes between a hospital bag and a later bag of the same day given elsewhere."""
    slots: list[Slot] = []
    warnings: list[Message] = []
    cursor: datetime | None = None
    previous: BagTime | None = None
    for index, bag in enumerate(bags):
        notes: list[Message] = []
        gap = None
        if previous is None or (bag.course, bag.day) != (previous.course, previous.day):
            cursor, odd_clock = day_start(bag.date, clock, zone)
            if odd_clock is not None:
                notes.append(odd_clock)
        elif previous.setting == HOSPITAL and bag.setting != HOSPITAL and rules.home_gap is not None:
            gap = rules.home_gap
            cursor = None if cursor is None else after(cursor, minutes(gap.value), zone)
        end = None if cursor is None or bag.minutes is None else after(cursor, minutes(bag.minutes), zone)
        observation = rules.observation if index == 0 and rules.observation is not None else None
        until = None if end is None or observation is None else after(end, minutes(observation.value), zone)
        last = end or cursor
        if last is not None and last.date() > bag.date:
            notes.append(midnight_warning(bag, last))
        slots.append(Slot(bag, cursor, end, observation, until, gap, tuple(notes)))
        warnings.extend(n for n in notes if n not in warnings)
        cursor, previous = until or end, bag
    return DayLayout(tuple(slots), tuple(warnings))
