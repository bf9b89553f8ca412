"""The pump program of one bag: rate steps in mL/h, how long each runs, and the total time.

IVIg is started slowly and stepped up, because reactions come with the rate. Each rate per kg
of the product's table is multiplied by the dosing weight and rounded DOWN to 0.1 mL/h, so the
pump never runs faster than ordered. Every step but the last runs ``step_minutes``; the last runs
until the bag is empty; a step the remaining volume cannot fill is shortened and ends the program.
A step's volume is rounded down to 0.1 mL (what a pump can be set to) and the last step takes the
rest, so the volumes add up to the bag exactly. The total is rounded UP to a whole minute.
Decimal only; no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, AndList, Quantity, message, said
from ivig_dose.core.records import frozen

#: the finest rate a pump is set to, in mL/h.
RATE_STEP = Decimal("0.1")
#: the finest volume a pump is set to, in mL.
VOLUME_STEP = Decimal("0.1")
#: step times are shown to a tenth of a minute, rounded up (a step never looks shorter than it runs).
MINUTE_STEP = Decimal("0.1")
MINUTES_PER_HOUR = 60


@frozen
class RateLimit:
    """A cap on the pump (``--max-rate``): absolute in mL/h, or per kg of dosing weight in mL/kg/h."""

    ml_per_h: Decimal | None = None
    ml_per_kg_h: Decimal | None = None

    def for_weight(self, weight_kg: Decimal) -> Decimal | None:
        """The cap in mL/h for this patient, rounded down like every rate; the lower when both are set."""
        caps = [floor_to(self.ml_per_h, RATE_STEP)] if self.ml_per_h is not None else []
        if self.ml_per_kg_h is not None:
            caps.append(floor_to(self.ml_per_kg_h * weight_kg, RATE_STEP))
        return min(caps) if caps else None

    def describe(self) -> str:
        """``300 mL/h and 4.8 mL/kg/h``, ``none``."""
        parts = [Quantity(self.ml_per_h, "mL/h")] if self.ml_per_h is not None else []
        if self.ml_per_kg_h is not None:
            parts.append(Quantity(self.ml_per_kg_h, "mL/kg/h"))
        return said(AndList(tuple(parts))) if parts else message(N_("none"))

    def tighter(self, other: RateLimit) -> RateLimit:
        """Both limits at once: the lower of each kind (``--max-rate`` with a label's at-risk limit)."""
        def lower(a: Decimal | None, b: Decimal | None) -> Decimal | None:
            return b if a is None else a if b is None else min(a, b)

        return RateLimit(lower(self.ml_per_h, other.ml_per_h), lower(self.ml_per_kg_h, other.ml_per_kg_h))


NO_LIMIT = RateLimit()


@frozen
class PumpStep:
    """One rate a nurse sets on the pump, for how long, and the volume it delivers meanwhile."""

    rate_ml_per_h: Decimal
    minutes: Decimal
    volume_ml: Decimal
    #: True when the rate limit lowered this step below the product's rate.
    capped: bool = False


@frozen
class PumpProgram:
    """The rate steps for one bag, in the order they are run; totals are derived, never stored."""

    steps: tuple[PumpStep, ...]

    @property
    def duration_min(self) -> int:
        return int(sum((s.minutes for s in self.steps), Decimal(0)).to_integral_value(rounding=ROUND_CEILING))

    @property
    def volume_ml(self) -> Decimal:
        return sum((s.volume_ml for s in self.steps), Decimal(0))

    @property
    def capped(self) -> bool:
        return any(s.capped for s in self.steps)


def floor_to(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).to_integral_value(rounding=ROUND_FLOOR) * step


def ceil_to(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).to_integral_value(rounding=ROUND_CEILING) * step


def pump_rates(
    weight_kg: Decimal, rate_steps: Sequence[Decimal], limit: RateLimit = NO_LIMIT
) -> list[tuple[Decimal, bool]]:
    """(mL/h, capped) for each step: rate × weight rounded down, and no step above the limit.

    Once a step reaches the limit (lowered to it, or exactly on it), later steps could only repeat
    it, so the program ends there.
    """
    cap = limit.for_weight(weight_kg)
    if cap is not None and cap < RATE_STEP:
        raise InputError(message(N_("--max-rate {limit} is below {step} for this patient; accepted: a rate a pump "
                                    "can run"), limit=limit.describe(), step=Quantity(RATE_STEP, "mL/h")))
    rates = []
    for per_kg in rate_steps:
        rate = floor_to(per_kg * weight_kg, RATE_STEP)
        if rate < RATE_STEP:
            raise InputError(message(N_("rate step {rate} × {weight} is below {step}; accepted: a rate a pump can "
                                        "run"), rate=Quantity(per_kg, "mL/kg/h"), weight=Quantity(weight_kg, "kg"),
                                     step=Quantity(RATE_STEP, "mL/h")))
        if cap is not None and rate >= cap:
            # at the cap (lowered to it, or exactly on it) every later step could only repeat it
            rates.append((cap, rate > cap))
            break
        rates.append((rate, False))
    return rates


def pump_program(
    volume_ml: Decimal,
    weight_kg: Decimal,
    rate_steps: Sequence[Decimal],
    step_minutes: int,
    limit: RateLimit = NO_LIMIT,
) -> PumpProgram:
    """The steps that infuse ``volume_ml`` for a patient of ``weight_kg``; the ramp starts afresh."""
    if volume_ml <= 0:
        return PumpProgram(steps=())
    return program_from_rates(volume_ml, pump_rates(weight_kg, rate_steps, limit), step_minutes)


def program_from_rates(volume_ml: Decimal, rates: Sequence[tuple[Decimal, bool]], step_minutes: int) -> PumpProgram:
    """The steps that infuse ``volume_ml`` through ``rates`` (mL/h, capped) in order: the one way
    a program is laid out, whether the rates come from a weight or from a recorded bag's ramp."""
    if volume_ml <= 0:
        return PumpProgram(steps=())
    remaining = volume_ml
    steps = []
    for index, (rate, capped) in enumerate(rates):
        full = floor_to(rate * step_minutes / MINUTES_PER_HOUR, VOLUME_STEP)
        if index == len(rates) - 1 or full >= remaining:
            minutes = ceil_to(remaining * MINUTES_PER_HOUR / rate, MINUTE_STEP)
            steps.append(PumpStep(rate, minutes, remaining, capped))
            break
        steps.append(PumpStep(rate, Decimal(step_minutes), full, capped))
        remaining -= full
    return PumpProgram(steps=tuple(steps))
