"""A course's dose counted in whole dose steps, and how it came about.

Amounts are counted in whole *steps* of the protocol's dose step (0.1 g for TIMEISMUSCLE), so
every sum is integer arithmetic. The dosing rules (:mod:`ivig_dose.core.dosing`) make a
:class:`CourseDose`; the "why" block (:mod:`ivig_dose.core.reasons`) says how it came about.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivig_dose.core.records import frozen

if TYPE_CHECKING:
    from decimal import Decimal

    from ivig_dose.core.protocol import Protocol


@frozen
class CourseDose:
    """A course's dose in whole steps, and how it came about (for the "why" block)."""

    steps: int
    uncapped_steps: int
    exact_g: Decimal
    #: per-day protocols: each day's dose from the weight (exact, and in steps after the daily cap).
    daily: CourseDose | None = None
    #: the days as the rules split them (R4), before any ``--round``.
    rules_days: tuple[int, ...] = ()
    #: the days as given, after ``--round``; equal to ``rules_days`` without it.
    given_days: tuple[int, ...] = ()
    #: how the days were rounded ("whole vials", "multiples of 5 g"), or None.
    rounding: str | None = None

    @property
    def capped(self) -> bool:
        return self.uncapped_steps > self.steps


def to_steps(grams_: Decimal, protocol: Protocol) -> int:
    """Whole dose steps in an amount that the protocol guarantees is a multiple of the step."""
    return int(grams_ / protocol.dose_step)


def to_grams(steps: int, protocol: Protocol) -> Decimal:
    return steps * protocol.dose_step
