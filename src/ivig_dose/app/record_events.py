"""A bag's events at the bedside (start, rate, pause, resume, reaction, stop), each checked against
the bag's program and record before it is written; and the volume and time left of a bag.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from ivig_dose.app.record import active_order, bag_events, new_id, now_here, orders_of, patient_preparations
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, Message, message
from ivig_dose.core.record import START, STOP, Entry, Json, decimal_text, utc_text, zone_text
from ivig_dose.core.record_bag import admit, event_of, fold, start_day_warning
from ivig_dose.core.record_order import Bag, Registered, Written, cap_warning
from ivig_dose.core.records import frozen

if TYPE_CHECKING:
    from ivig_dose.core.preparation import LotStart
    from ivig_dose.core.remaining import Remaining
    from ivig_dose.files.record_store import Store


@frozen
class EventInput:
    """A bag event as typed: the options its kind takes, each None when not given."""

    kind: str
    patient: str
    bag: int
    by: str
    at: str | None = None
    rate: str | None = None
    infused: str | None = None
    reason: str | None = None
    override: str | None = None
    grade: int | None = None
    symptoms: str | None = None
    action: str | None = None


def event_data(typed: EventInput) -> dict[str, Json]:
    """The kind's own fields, read and checked as typed."""
    from ivig_dose.parse.record_inputs import parse_grade, parse_infused, parse_note, parse_rate

    data: dict[str, Json] = {}
    if typed.rate is not None:
        data["rate_ml_per_h"] = decimal_text(parse_rate(typed.rate))
    if typed.infused is not None:
        data["infused_ml"] = decimal_text(parse_infused(typed.infused))
    for key, text, option in (("reason", typed.reason, "--reason"), ("override", typed.override, "--override"),
                              ("symptoms", typed.symptoms, "--symptoms"), ("action", typed.action, "--action")):
        if text is not None:
            data[key] = parse_note(text, option)
    if typed.grade is not None:
        data["grade"] = parse_grade(typed.grade)
    return data


def write_event(db: str, typed: EventInput, now: datetime | None = None) -> Written:
    """Checks a bag event against the bag's program and record, and writes it, or refuses it whole."""
    from ivig_dose.files.record_store import opened
    from ivig_dose.parse.record_inputs import parse_at, parse_by, parse_patient

    patient, by = parse_patient(typed.patient), parse_by(typed.by)
    now = now or now_here()
    at = parse_at(typed.at, now)
    data = event_data(typed)
    with opened(db, write=True) as store:
        group = active_order(store, patient)
        order = group.view().order
        bag = order.bag(typed.bag, patient)
        events = bag_events(store, patient, bag.number, group.digests)
        if typed.kind == START:
            data["rate_ml_per_h"] = decimal_text(bag.rates[0])
        entry = Entry(new_id(), store.origin, typed.kind, patient, bag.number, utc_text(at), zone_text(at),
                      utc_text(now), by, {"order": order.digest, **data})
        new = event_of(store.highest_seq() + 1, entry)
        admit(bag, events.active, new, now)
        stored = store.append(entry)
        warnings = [*start_day_warning(bag, new)]
        if typed.kind == STOP:  # with this bag's volume: the store reads its own transaction's entry
            warnings += course_cap_warning(store, patient, order, bag)
        return Written(stored, order, bag, tuple(warnings))


def course_cap_warning(store: Store, patient: str, order: Registered, bag: Bag) -> list[Message]:
    """Said when the volume given in the bag's course passes the volume of the course cap: counted
    over every order of the patient, a voided one's bags too (what was given was given, and a
    course re-ordered half way is where the cap is passed)."""
    given, bags_given = Decimal(0), 0
    for group in orders_of(store, patient):
        for other in group.view().order.bags:
            if other.course == bag.course:
                infused = fold(other, bag_events(store, patient, other.number, group.digests).active).infused
                if infused is not None:
                    given, bags_given = given + infused, bags_given + 1
    (total,) = (t for t in order.totals({}) if t.name == bag.course)
    return cap_warning(replace(total, given_ml=given, given_g=order.grams(given), bags_given=bags_given))


# ---- time left -----------------------------------------------------------------------------------------


def bag_remaining(db: str, patient: str, number: int, infused: str | None, at_text: str | None,
                  now: datetime | None = None) -> Remaining:
    """Volume and time left of a bag now (or ``--at``), from the pump's figure or the recorded rates."""
    from ivig_dose.core.remaining import remaining
    from ivig_dose.files.record_store import opened
    from ivig_dose.parse.record_inputs import parse_at, parse_infused, parse_patient

    patient = parse_patient(patient)
    now = now or now_here()
    at = parse_at(at_text, now)
    pump = parse_infused(infused) if infused is not None else None
    with opened(db, write=False) as store:
        group = active_order(store, patient)
        order = group.view().order
        bag = order.bag(number, patient)
        state = fold(bag, bag_events(store, patient, number, group.digests).active)
        # a blinded bag is a kit the pharmacy fills, one mixture: no lot starts part way through it
        starts = () if group.blinded else bag_lot_starts(store, patient, order, bag)
    if state.problem is not None:
        raise InputError(message(N_("the record of bag {bag} does not add up: {problem}; correct or void the entry "
                                    "with record amend first"), bag=bag.number, problem=state.problem))
    return remaining(bag, state, at, pump, starts)


def bag_lot_starts(store: Store, patient: str, order: Registered, bag: Bag) -> tuple[LotStart, ...]:
    """Where a new lot starts in the bag, by its standing preparation (none: no lot change known)."""
    from ivig_dose.core.preparation import Place, lot_starts

    place = Place.of(patient, order, bag)
    standing = [prep for prep in patient_preparations(store, patient) if prep.place == place and not prep.voided]
    return lot_starts(standing[-1].vials, bag.volume_ml) if standing else ()

