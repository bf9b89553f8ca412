"""How much is left in a bag and how long it will run, after slow-downs and pauses.

The volume infused is the pump's figure when the nurse gives it, else the recorded rates
integrated over their times (pauses run nothing). What is left then runs as the program would
continue from here: the current rate for the rest of its step (a step's minutes from the moment
the rate was set), then each higher rate of the bag's program in order, the last until the bag
is empty; never faster than the program's top rate (the product's or the at-risk limit). A rate
set after a reaction that is not one of the program's steps runs a whole step before the ramp
resumes above it. A paused bag is counted as if resumed now at the rate it ran before. Where a
new lot starts, here or further on in the bag (its vials run in the order the pharmacy recorded
them), the titration starts again from the program's first rate at the volume where it starts.

Volumes are in 0.1 mL and times rounded up as the pump program rounds them
(:mod:`ivig_dose.core.pump`): a step's volume is rounded down, its time up, and the total up to
the minute, so the time left is never shorter than the pump will take. Decimal only; no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, Quantity, message
from ivig_dose.core.pump import (
    MINUTE_STEP,
    MINUTES_PER_HOUR,
    VOLUME_STEP,
    PumpProgram,
    PumpStep,
    ceil_to,
    floor_to,
    program_from_rates,
)
from ivig_dose.core.record import kind_word
from ivig_dose.core.record_bag import NOT_STARTED, PAUSED, STOPPED, BagState, Run
from ivig_dose.core.record_order import Bag
from ivig_dose.core.records import frozen

if TYPE_CHECKING:
    from ivig_dose.core.preparation import LotStart

SECONDS_PER_HOUR = 3600


def run_volume(run: Run, until: datetime) -> Decimal:
    """What one stretch at one rate delivered up to ``until`` (exact; rounded by the caller)."""
    begin = run.begin.moment
    end = min(run.end.moment, until) if run.end is not None else until
    if end <= begin:
        return Decimal(0)
    return run.rate * int((end - begin).total_seconds()) / SECONDS_PER_HOUR


def infused_by_rates(runs: Sequence[Run], until: datetime) -> Decimal:
    """The volume the recorded rates delivered up to ``until``, rounded down to 0.1 mL."""
    return floor_to(sum((run_volume(run, until) for run in runs), Decimal(0)), VOLUME_STEP)


def continue_program(left_ml: Decimal, rate: Decimal, into_step_s: int, rates: Sequence[Decimal],
                     step_minutes: int) -> PumpProgram:
    """The steps that infuse ``left_ml`` from ``rate``, set ``into_step_s`` seconds ago, through the
    rest of the program ``rates``: never above its top rate."""
    current = min(rate, rates[-1])
    higher = [r for r in rates if r > current]
    if left_ml <= 0:
        return PumpProgram(steps=())
    if not higher:
        return program_from_rates(left_ml, [(current, False)], step_minutes)
    seconds = step_minutes * 60 - into_step_s
    first: tuple[PumpStep, ...] = ()
    if seconds > 0:
        full = floor_to(current * seconds / SECONDS_PER_HOUR, VOLUME_STEP)
        if full >= left_ml:
            return PumpProgram(steps=(PumpStep(current, ceil_to(left_ml * MINUTES_PER_HOUR / current, MINUTE_STEP),
                                               left_ml),))
        first = (PumpStep(current, ceil_to(Decimal(seconds) / 60, MINUTE_STEP), full),)
        left_ml -= full
    rest = program_from_rates(left_ml, [(r, False) for r in higher], step_minutes)
    return PumpProgram(steps=(*first, *rest.steps))


@frozen
class Restart:
    """A new lot starting ahead: the titration starts again at step ``step`` (an index of the program)."""

    step: int
    infused_ml: Decimal
    lot: str


def continue_with_lots(infused_ml: Decimal, rate: Decimal, into_step_s: int, bag: Bag,
                       starts: Sequence[LotStart]) -> tuple[PumpProgram, tuple[Restart, ...]]:
    """:func:`continue_program` up to each new lot ahead, then from the first rate again, a whole step
    at it, for each: a new lot restarts the titration (``continue_program(left, rates[0], 0, ...)``)."""
    steps: list[PumpStep] = []
    restarts: list[Restart] = []
    at, current, into = infused_ml, rate, into_step_s
    for start in starts:
        # a lot starting where the bag is now runs next, so it restarts the titration too
        if not at <= start.infused_ml < bag.volume_ml:
            continue
        steps += continue_program(start.infused_ml - at, current, into, bag.rates, bag.step_minutes).steps
        restarts.append(Restart(len(steps), start.infused_ml, start.lot))
        at, current, into = start.infused_ml, bag.rates[0], 0
    steps += continue_program(bag.volume_ml - at, current, into, bag.rates, bag.step_minutes).steps
    return PumpProgram(steps=tuple(steps)), tuple(restarts)


@frozen
class Remaining:
    """What is left of a bag at ``at``, and the program that runs it."""

    bag: Bag
    at: datetime
    status: str
    infused_ml: Decimal
    #: True when the infused volume is the pump's figure, False when integrated from the record.
    from_pump: bool
    #: True when the recorded rates would already have emptied the bag (a stop not yet recorded).
    emptied: bool
    #: the rate the program continues from (before a pause, the rate it ran at).
    rate: Decimal
    #: when that rate was set; None before the start.
    rate_since: datetime | None
    program: PumpProgram
    #: where a new lot starts ahead and the titration with it.
    restarts: tuple[Restart, ...] = ()

    @property
    def volume_left_ml(self) -> Decimal:
        return self.bag.volume_ml - self.infused_ml

    @property
    def minutes_left(self) -> int:
        return self.program.duration_min

    @property
    def ends_at(self) -> datetime:
        return self.at + timedelta(minutes=self.minutes_left)

    @property
    def step_ends(self) -> tuple[datetime, ...]:
        """When each step of the program ends, rounded up to the whole minute as the time left is,
        so that the last step ends at :attr:`ends_at` and no clock time shown is earlier than the pump's."""
        ends, elapsed = [], Decimal(0)
        for step in self.program.steps:
            elapsed += step.minutes
            ends.append(self.at + timedelta(minutes=int(elapsed.to_integral_value(rounding=ROUND_CEILING))))
        return tuple(ends)


def remaining(bag: Bag, state: BagState, at: datetime, pump_ml: Decimal | None = None,
              starts: Sequence[LotStart] = ()) -> Remaining:
    """The volume and time left of ``bag`` at ``at``, given what was recorded (``state``) and,
    when the nurse reads it off the pump, the volume infused so far; ``starts`` are the volumes
    at which a new lot starts (from the bag's preparation)."""
    if state.status == STOPPED:
        assert state.stopped is not None
        raise InputError(message(N_("bag {bag} was stopped at {time}; nothing is left to run"), bag=bag.number,
                                 time=state.stopped.clock))
    if pump_ml is not None and pump_ml > bag.volume_ml:
        raise InputError(message(N_("{infused} infused is more than bag {bag} holds ({volume}); accepted: at most "
                                    "{volume}"), infused=Quantity(pump_ml, "mL"), bag=bag.number,
                                 volume=Quantity(bag.volume_ml, "mL")))
    if state.last is not None and at < state.last.moment:
        raise InputError(message(N_("--at {time} is before the last entry of bag {bag} ({kind} at {last}); accepted: "
                                    "a time from then on"), time=at.strftime("%Y-%m-%d %H:%M"), bag=bag.number,
                                 kind=kind_word(state.last.kind), last=state.last.clock))
    if state.status == NOT_STARTED:  # as if started now: the whole program
        infused = pump_ml if pump_ml is not None else Decimal(0)
        program, restarts = continue_with_lots(infused, bag.rates[0], 0, bag, starts)
        return Remaining(bag, at, state.status, infused, pump_ml is not None, False, bag.rates[0], None, program,
                         restarts)
    run = state.runs[-1]
    integrated = infused_by_rates(state.runs, at)
    infused = pump_ml if pump_ml is not None else min(integrated, bag.volume_ml)
    # a paused bag resumes "now" with a whole step at its rate; a running one is that far into its step
    into = 0 if state.status == PAUSED else int((at - run.begin.moment).total_seconds())
    program, restarts = continue_with_lots(infused, run.rate, into, bag, starts)
    return Remaining(bag, at, state.status, infused, pump_ml is not None,
                     pump_ml is None and integrated >= bag.volume_ml, run.rate, run.begin.moment, program, restarts)
