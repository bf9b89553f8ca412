"""Rounding each day's dose to an amount that can be dispensed whole.

``--round vials`` (amounts that whole vials of the product make) and ``--round 5g`` (multiples of
5 g, as several guidelines ask) are one idea: the amounts a set of sizes adds up to, so one
function serves both, with a multiple being a single "vial size". The nearest such amount is
taken, ties down, but never one above the daily cap or more than 10 % above the day's dose by
the rules; if the course would then pass the course cap, the day rounded up the most is lowered
to its next amount until it fits. Amounts are counted in whole dose steps (integers); no I/O.
"""

from __future__ import annotations

from decimal import Decimal

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.core.records import frozen
from ivig_dose.core.vials import UNREACHABLE, fewest_vials

#: a rounded day may exceed the rules' dose by at most this fraction (10 %).
MAX_OVER = Decimal("0.1")
#: the cap of a protocol that has none (in dose steps): larger than any dose.
NO_CAP = 10**9


@frozen
class Rounding:
    """What days are rounded to: every amount that whole units of ``sizes_g`` add up to."""

    #: how the output names it: "whole vials" or "multiples of 5 g".
    label: str
    sizes_g: tuple[Decimal, ...]


@frozen
class DayLimits:
    """The caps a rounded day stays within, in dose steps."""

    daily_cap: int
    course_cap: int


def over_limit(steps: int) -> int:
    """The most a day of ``steps`` may become: the rules' dose plus 10 %, rounded down."""
    return int(Decimal(steps) * (1 + MAX_OVER))


def round_days(days: list[int], sizes: tuple[int, ...], limits: DayLimits, label: str) -> list[int]:
    """Each day rounded to the nearest amount the sizes make (ties down), within the caps."""
    if not days:
        return []
    ceiling = max(min(limits.daily_cap, over_limit(d)) for d in days)
    table = fewest_vials(sizes, max(ceiling, max(days)))
    rounded = [_nearest(index, steps, table, limits, label) for index, steps in enumerate(days)]
    return _within_course_cap(days, rounded, table, limits, label)


def _nearest(index: int, steps: int, table: tuple[int, ...], limits: DayLimits, label: str) -> int:
    highest = min(limits.daily_cap, over_limit(steps))
    below = next((t for t in range(steps, 0, -1) if table[t] < UNREACHABLE), None)
    above = next((t for t in range(steps, highest + 1) if table[t] < UNREACHABLE), None)
    if below is None and above is None:
        raise InputError(message(
            N_("--round: day {day} cannot be rounded to {rounding}: no such amount lies above 0 and within both the "
               "daily cap and the rules' dose + {over}%; accepted: smaller sizes, or no --round"),
            day=index + 1, rounding=label, over=MAX_OVER * 100))
    if below is None:
        return above  # type: ignore[return-value]  # not both None, checked above
    if above is None or steps - below <= above - steps:
        return below
    return above


def _within_course_cap(
    days: list[int], rounded: list[int], table: tuple[int, ...], limits: DayLimits, label: str
) -> list[int]:
    """Lowers the day rounded up the most (the later one on a tie) until the course fits its cap."""
    rounded = list(rounded)
    while sum(rounded) > limits.course_cap:
        lowerable = [
            i for i, amount in enumerate(rounded)
            if any(table[t] < UNREACHABLE for t in range(1, amount))
        ]
        if not lowerable:
            raise InputError(message(N_("--round: days rounded to {rounding} cannot be kept within the course cap; "
                                        "accepted: smaller sizes, or no --round"), rounding=label))
        day = max(lowerable, key=lambda i: (rounded[i] - days[i], i))
        rounded[day] = next(t for t in range(rounded[day] - 1, 0, -1) if table[t] < UNREACHABLE)
    return rounded
