"""What happened to one bag, from its entries: the rules a bag's events follow, checked as they are written.

A bag is started once, at its program's first rate; while it runs its rate may change and it
may be paused; a paused bag is resumed at a rate the nurse names; it is stopped once, with the
volume the pump shows. Reactions may be recorded from the start on, after the stop too (the
observation hour). No rate may pass the top of the bag's program (the product's last step, or
the at-risk limit it was held to) unless an override gives the reason. Corrections are applied
first (:func:`effective`), so a corrected time or rate is checked as it now stands.

:func:`fold` replays a bag's events and keeps the first that breaks a rule rather than failing,
because a merged record may hold two nurses' starts of one bag and must still be shown;
:func:`admit` is the write-time check: it refuses an entry that would break a rule, and any
new entry for a bag whose record already does not add up. No I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, Message, Quantity, message
from ivig_dose.core.record import (
    AMEND,
    PAUSE,
    RATE,
    REACTION,
    RESUME,
    START,
    STOP,
    Entry,
    Json,
    Stored,
    from_utc_text,
    kind_word,
    local,
    utc_text,
)
from ivig_dose.core.record_order import Bag, Registered
from ivig_dose.core.records import frozen

if TYPE_CHECKING:
    from ivig_dose.core.preparation import Preparation

NOT_STARTED, RUNNING, PAUSED, STOPPED = "not started", "running", "paused", "stopped"
#: how far ahead of the clock an entry may be: two clocks a minute apart are not a future event.
AHEAD = timedelta(minutes=1)
#: the fields of a bag event a correction may change, by kind.
CORRECTABLE: Mapping[str, tuple[str, ...]] = {
    START: ("at",),
    RATE: ("at", "rate_ml_per_h", "override"),
    PAUSE: ("at", "reason"),
    RESUME: ("at", "rate_ml_per_h", "override"),
    STOP: ("at", "infused_ml"),
    REACTION: ("at", "grade", "symptoms", "action"),
}


def clock(at: str, zone: str) -> str:
    """A moment as the clock read where it was written: ``2027-01-04 09:05``."""
    return local(at, zone).strftime("%Y-%m-%d %H:%M")


@frozen
class Correction:
    """A correction as the event shows it: who made it, when, and why."""

    uuid: str
    by: str
    recorded: str
    reason: str
    void: bool


@frozen
class Event:
    """One bag event as it stands after its corrections."""

    uuid: str
    seq: int
    kind: str
    at: str
    zone: str
    by: str
    data: Mapping[str, Json]
    corrections: tuple[Correction, ...] = ()

    @property
    def moment(self) -> datetime:
        return from_utc_text(self.at)

    @property
    def clock(self) -> str:
        return clock(self.at, self.zone)

    @property
    def short(self) -> str:
        return self.uuid[:8]

    def decimal(self, key: str) -> Decimal | None:
        value = self.data.get(key)
        return None if value is None else Decimal(str(value))

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        return None if value is None else str(value)

    @property
    def rate(self) -> Decimal | None:
        return self.decimal("rate_ml_per_h")

    @property
    def infused(self) -> Decimal | None:
        return self.decimal("infused_ml")

    @property
    def grade(self) -> int | None:
        value = self.data.get("grade")
        return value if isinstance(value, int) and not isinstance(value, bool) else None


def event_of(seq: int, entry: Entry) -> Event:
    return Event(entry.uuid, seq, entry.kind, entry.at, entry.zone, entry.by, entry.data)


@frozen
class Events:
    """A bag's events in order of time, corrections applied; the voided ones apart, for show."""

    active: tuple[Event, ...]
    voided: tuple[Event, ...]


def effective(entries: Iterable[tuple[int, Entry]]) -> Events:
    """A bag's entries (events and corrections, in storage order) as its events now stand.

    A correction names the entry it corrects and replaces the fields it gives; a later correction
    of the same entry wins field by field; a void strikes the entry out. Events are put in order
    of time (storage order where two share a minute), the order their rules follow.
    """
    events: dict[str, Event] = {}
    corrections: list[tuple[Entry, str]] = []
    for seq, entry in entries:
        if entry.kind == AMEND:
            corrections.append((entry, str(entry.data.get("corrects"))))
        else:
            events[entry.uuid] = event_of(seq, entry)
    voided: set[str] = set()
    for correction, target in corrections:
        if target not in events:
            continue
        void = bool(correction.data.get("void"))
        if void:
            voided.add(target)
        events[target] = corrected(events[target], correction, void)
    ordered = sorted(events.values(), key=lambda e: (e.at, e.seq))
    return Events(tuple(e for e in ordered if e.uuid not in voided), tuple(e for e in ordered if e.uuid in voided))


def corrected(event: Event, correction: Entry, void: bool) -> Event:
    changes = correction.data.get("changes")
    data = dict(event.data)
    at, zone = event.at, event.zone
    if isinstance(changes, dict):
        for key, value in changes.items():
            if key == "at":
                at = str(value)
            elif key == "zone":
                zone = str(value)
            else:
                data[key] = value
    said = Correction(correction.uuid, correction.by, correction.recorded, str(correction.data.get("reason", "")),
                      void)
    return replace(event, at=at, zone=zone, data=data, corrections=(*event.corrections, said))


@frozen
class Run:
    """A stretch at one rate: from the entry that set it to the one that ended it (None: still running)."""

    rate: Decimal
    begin: Event
    end: Event | None


@frozen
class BagState:
    """Where a bag stands after its events; ``problem`` is the first event that broke a rule."""

    status: str = NOT_STARTED
    runs: tuple[Run, ...] = ()
    started: Event | None = None
    stopped: Event | None = None
    #: the pause in force.
    paused: Event | None = None
    reactions: tuple[Event, ...] = ()
    last: Event | None = None
    events: tuple[Event, ...] = ()
    problem: Message | None = None

    @property
    def rate(self) -> Decimal | None:
        """The rate it runs at, or ran at before the pause or stop; None before the start."""
        return self.runs[-1].rate if self.runs else None

    @property
    def infused(self) -> Decimal | None:
        """The pump's volume at the stop; None before it."""
        return self.stopped.infused if self.stopped is not None else None


def fold(bag: Bag, events: Sequence[Event]) -> BagState:
    """The bag's state after ``events`` (in order of time); an event that breaks a rule is left
    out and the first such is kept as the problem."""
    state = BagState()
    for event in events:
        refusal = refused(bag, state, event)
        if refusal is not None:
            state = replace(state, problem=state.problem or refusal)
            continue
        state = applied(state, event)
    return state


def applied(state: BagState, event: Event) -> BagState:
    state = replace(state, last=event, events=(*state.events, event))
    if event.kind == REACTION:
        return replace(state, reactions=(*state.reactions, event))
    runs = state.runs
    if state.status == RUNNING:  # every other event ends the stretch at the current rate
        runs = (*runs[:-1], replace(runs[-1], end=event))
    if event.kind in (START, RATE, RESUME):
        rate = event.rate
        assert rate is not None
        runs = (*runs, Run(rate, event, None))
        started = state.started or event
        return replace(state, status=RUNNING, runs=runs, started=started, paused=None)
    if event.kind == PAUSE:
        return replace(state, status=PAUSED, runs=runs, paused=event)
    return replace(state, status=STOPPED, runs=runs, stopped=event, paused=None)


def refused(bag: Bag, state: BagState, event: Event) -> Message | None:
    """Why ``event`` cannot follow ``state``; None when it can."""
    kind, status = event.kind, state.status
    if kind == START:
        if state.started is not None:
            return message(N_("bag {bag} was already started at {time} (entry {entry}); accepted: one start a bag"),
                           bag=bag.number, time=state.started.clock, entry=state.started.short)
        return _rate_refused(bag, event)
    if status == NOT_STARTED:
        if kind == STOP:
            return message(N_("bag {bag} has no start before the stop at {time}: a stop cannot come before the start"),
                           bag=bag.number, time=event.clock)
        return message(N_("bag {bag} is not started at {time}; record its start first"), bag=bag.number,
                       time=event.clock)
    if kind == REACTION:
        return None
    if status == STOPPED:
        assert state.stopped is not None
        return message(N_("bag {bag} was stopped at {time}; after a stop only a reaction can be recorded"),
                       bag=bag.number, time=state.stopped.clock)
    return _sequence_refused(bag, state, event) or _rate_refused(bag, event) or _volume_refused(bag, event)


def _sequence_refused(bag: Bag, state: BagState, event: Event) -> Message | None:
    """A rate change or pause of a paused bag, a resume of a running one."""
    if state.status == PAUSED and event.kind in (RATE, PAUSE):
        assert state.paused is not None
        return message(N_("bag {bag} is paused since {time}; record resume with its new rate first"),
                       bag=bag.number, time=state.paused.clock)
    if state.status == RUNNING and event.kind == RESUME:
        return message(N_("bag {bag} is running, not paused; record rate to change its rate"), bag=bag.number)
    return None


def _rate_refused(bag: Bag, event: Event) -> Message | None:
    rate = event.rate
    if rate is None or rate <= bag.top_rate or event.text("override"):
        return None
    return message(N_("{rate} is above the program of bag {bag}, whose highest rate is {top}; accepted: at most "
                      "{top}, or --override REASON to record it anyway"), rate=Quantity(rate, "mL/h"),
                   bag=bag.number, top=Quantity(bag.top_rate, "mL/h"))


def _volume_refused(bag: Bag, event: Event) -> Message | None:
    infused = event.infused
    if infused is None or infused <= bag.volume_ml:
        return None
    return message(N_("{infused} infused is more than bag {bag} holds ({volume}); accepted: at most {volume}"),
                   infused=Quantity(infused, "mL"), bag=bag.number, volume=Quantity(bag.volume_ml, "mL"))


def not_ahead(at: str, zone: str, now: datetime) -> None:
    """Refuses a moment more than a minute ahead of the clock: an entry records what happened."""
    if from_utc_text(at) > now + AHEAD:
        raise InputError(message(N_("--at {time} is in the future (the clock says {now}); accepted: a time up to a "
                                    "minute from now"), time=clock(at, zone), now=clock_of(now, zone)))


def clock_of(moment: datetime, zone: str) -> str:
    return clock(utc_text(moment), zone)


def admit(bag: Bag, events: Sequence[Event], new: Event, now: datetime) -> BagState:
    """The bag's state with ``new`` written after ``events``, or an InputError saying why it may not be.

    ``new`` must not be ahead of the clock nor before the bag's last entry (entries of a bag are
    written in the order they happened; a late one is a correction of the record, made with amend).
    """
    before = fold(bag, events)
    if before.problem is not None:
        raise InputError(message(N_("the record of bag {bag} does not add up: {problem}; correct or void the entry "
                                    "with record amend first"), bag=bag.number, problem=before.problem))
    not_ahead(new.at, new.zone, now)
    last = before.last
    if last is not None and new.at < last.at:
        started = before.started
        if new.kind == STOP and started is not None and new.at < started.at:
            raise InputError(message(N_("--at {time} is before the start of bag {bag} at {start}: a stop cannot come "
                                        "before the start"), time=new.clock, bag=bag.number, start=started.clock))
        raise InputError(message(N_("--at {time} is before the last entry of bag {bag} ({kind} at {last}); accepted: "
                                    "the entries of a bag in the order they happened (record amend corrects an "
                                    "entry's time)"), time=new.clock, bag=bag.number, kind=kind_word(last.kind),
                                 last=last.clock))
    after = fold(bag, [*events, new])
    if after.problem is not None:
        raise InputError(after.problem)
    return after


def admit_all(bag: Bag, events: Sequence[Event]) -> BagState:
    """The bag's state after a correction: every event as it now stands must follow the rules."""
    after = fold(bag, events)
    if after.problem is not None:
        raise InputError(message(N_("after this correction the record of bag {bag} would not add up: {problem}"),
                                 bag=bag.number, problem=after.problem))
    return after


def start_day_warning(bag: Bag, event: Event) -> list[Message]:
    """A bag started on another day than planned is written, and said."""
    day = local(event.at, event.zone).date()
    if event.kind != START or day == bag.date:
        return []
    return [message(N_("bag {bag} was planned for {planned} and started on {day}"), bag=bag.number,
                    planned=bag.date, day=day)]


@frozen
class BagRecord:
    """One bag of an order: its events as they stand, where it is, and (when they may be shown) its
    preparations with their lots."""

    bag: Bag
    events: Events
    state: BagState
    preparations: tuple[Preparation, ...] = ()


@frozen
class OrderRecord:
    """One order of one patient and, read as they are drawn, its bags in order."""

    patient: str
    stored: Stored
    order: Registered
    voided: bool
    bags: Iterator[BagRecord] = field(compare=False)
    #: True for an order of a blinded trial (a blinded view of it is registered): its bags have kits.
    blinded_trial: bool = False
    #: True when its preparations are shown: an open order, or a blinded one asked --unblinded.
    lots_shown: bool = False
