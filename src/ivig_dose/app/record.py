"""The bedside record's use cases: register an order, write what happened to a bag, and read it back.

Every command opens the record once, in one transaction (:func:`ivig_dose.files.record_store.opened`):
a write reads what it checks against and appends its entry under one lock, so two nurses
writing at once are put in turn and neither's check is made on a record the other has changed.
The checks themselves are the core's (:mod:`ivig_dose.core.record_bag`); this module finds the
patient's order and the bag's entries, builds the new entry and hands back what a renderer needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, Message, message
from ivig_dose.core.record import (
    AMEND,
    ORDER,
    PREPARE,
    START,
    STOP,
    Entry,
    Json,
    Stored,
    decimal_text,
    kind_word,
    utc_text,
    zone_text,
)
from ivig_dose.core.record_bag import (
    CORRECTABLE,
    BagRecord,
    Events,
    OrderRecord,
    admit,
    admit_all,
    clock,
    effective,
    event_of,
    fold,
    not_ahead,
    start_day_warning,
)
from ivig_dose.core.record_order import (
    Bag,
    OrderedProduct,
    OrderViews,
    Registered,
    View,
    Written,
    cap_warning,
    grouped,
    ordered_bags,
    registered_of,
)
from ivig_dose.core.records import frozen

if TYPE_CHECKING:
    from ivig_dose.app.plan import Setup
    from ivig_dose.core.order_facts import OrderFacts
    from ivig_dose.core.preparation import LotStart, Preparation
    from ivig_dose.core.record import Checked
    from ivig_dose.core.remaining import Remaining
    from ivig_dose.core.verification import Verification
    from ivig_dose.files.record_store import Store


def now_here() -> datetime:
    """This computer's clock, in its time zone, to the second."""
    return datetime.now().astimezone().replace(microsecond=0)


def new_id() -> str:
    import uuid

    return uuid.uuid4().hex


# ---- registering an order -------------------------------------------------------------------------------


@frozen
class VerifyOptions:
    """What ``verify`` needs besides the order to recompute it: the plan options as typed."""

    protocol: str = "timeismuscle"
    products: str | None = None
    product: str | None = None
    round_to: str | None = None
    max_rate: str | None = None
    indication: str | None = None
    risks: tuple[str, ...] = ()
    weight: str | None = None
    course_weights: tuple[str, ...] = ()
    height: str | None = None
    sex: str | None = None
    dosing_weight: str | None = None
    pregnant: bool = False
    day_first: bool | None = None
    age: str | None = None


def verified_order(path: str, options: VerifyOptions) -> tuple[OrderFacts, Verification, Setup]:
    """The order file read and checked exactly as ``ivig-dose verify`` checks it (exact, no tolerance).

    The one call into verify's use case, kept here alone so it follows verify's changes in one place."""
    from ivig_dose.app.plan import setup
    from ivig_dose.app.verify import check_order, load_tolerance, read_order, roundings
    from ivig_dose.parse.plan_inputs import PlanInputs, split_course_weights

    run = setup(options.protocol, options.products, options.product, options.round_to, options.max_rate,
                options.indication)
    order = read_order(path)
    typed = PlanInputs(weight=options.weight or "", course_weights=split_course_weights(options.course_weights),
                       height=options.height, sex=options.sex, dosing_weight=options.dosing_weight,
                       pregnant=options.pregnant, day_first=options.day_first, risk=options.risks, age=options.age)
    checked = check_order(order, typed, run, load_tolerance("0", run.protocol), tried=roundings(options.round_to, run))
    return order, checked, run


def registered(order: OrderFacts, run: Setup, risks: tuple[str, ...]) -> tuple[Registered, list[str]]:
    """The verified order as the record keeps it: every bag with the ramp its pump runs; and the
    warning that those ramps come from an unverified catalogue entry, when they do."""
    from ivig_dose.app.plan import dispensing_of
    from ivig_dose.core.dispensing import pick_list, unverified_warning
    from ivig_dose.core.model import IVIG, PLACEBO
    from ivig_dose.core.pump import pump_rates

    dispensing, _ = dispensing_of(run.dispensing, risks)
    if dispensing is None:
        raise InputError(message(N_("the record checks every rate against the bag's pump program, so it needs a "
                                    "product with rate steps; accepted: --product ID")))
    product, limit = dispensing.product, dispensing.limit
    bags = ordered_bags(order, lambda weight: [rate for rate, _ in pump_rates(weight, product.rate_steps, limit)],
                        product.step_minutes)
    protocol = run.protocol
    chosen = None
    if not order.blinded:
        arm = next((str(f.value) for f in order.facts if f.attr == "arm"), None)
        arm = arm or (IVIG if any(bag.dose_g for bag in bags) else PLACEBO)
        placebo = protocol.placebo.name if protocol.placebo is not None else PLACEBO
        chosen = (OrderedProduct(arm, product.name, product.concentration_mg_per_ml) if arm == IVIG
                  else OrderedProduct(arm, placebo, None))
        # the pick list the verified order lists: its vials were compared with this same pick
        bags = tuple(replace(bag, vials=pick_list(bag.dose_g or Decimal(0), product.presentations) if arm == IVIG
                             else ()) for bag in bags)
    cap = protocol.course_cap
    return (Registered(protocol.id, protocol.version, order.blinded, chosen, None if order.blinded else cap,
                       None if cap is None else cap * protocol.product.ml_per_g, bags,
                       product.id if chosen is not None and chosen.arm == IVIG else None),
            unverified_warning(product, message(N_("pump rate steps"))))


def register_order(db: str, path: str, patient: str | None, by: str, at_text: str | None, options: VerifyOptions,
                   now: datetime | None = None) -> tuple[Written | None, Verification]:
    """Checks the order as verify does and registers it; None when it does not match (nothing written)."""
    from ivig_dose.files.record_store import check_file, opened
    from ivig_dose.parse.record_inputs import parse_at

    check_file(db, write=True)  # a record that cannot be written to costs no verification
    now = now or now_here()
    at = parse_at(at_text, now)
    order, verification, run = verified_order(path, options)
    patient = _order_patient(patient, order.patient_id)
    if not verification.matches:
        return None, verification
    kept, warnings = registered(order, run, options.risks)
    with opened(db, write=True) as store:
        views = views_of(store, patient)
        for view in views:
            if view.order.digest == kept.digest and not view.voided:
                return Written(view.stored, view.order, already=True), verification
        # a blinded and an unblinded registration of one plan are one order, so either may follow the other
        if others := [group.view().stored.entry for group in grouped(views)
                      if not group.voided and group.views[0].order.plan_digest != kept.plan_digest]:
            other = others[0]
            raise InputError(message(N_("patient {patient} has another order registered (entry {entry}, {time}); "
                                        "accepted: void it first with record amend {entry} --void --reason TEXT"),
                                     patient=patient, entry=other.short, time=_clock(other)))
        _not_ahead(at, now)
        entry = Entry(new_id(), store.origin, ORDER, patient, None, utc_text(at), zone_text(at), utc_text(now), by,
                      kept.data())
        return Written(store.append(entry), kept, warnings=tuple(warnings)), verification


def _order_patient(given: str | None, stated: str | None) -> str:
    from ivig_dose.parse.record_inputs import parse_patient

    if given is None and stated is None:
        raise InputError(message(N_("the order names no patient; accepted: --patient-id ID")))
    if given is not None and stated is not None and parse_patient(given) != stated:
        raise InputError(message(N_("--patient-id {given} is not the order's patient {stated}; accepted: the order's "
                                    "own patient id"), given=given, stated=stated))
    return parse_patient(given if given is not None else str(stated))


def _clock(entry: Entry) -> str:
    return clock(entry.at, entry.zone)


def _not_ahead(at: datetime, now: datetime) -> None:
    not_ahead(utc_text(at), zone_text(at), now)


def views_of(store: Store, patient: str) -> list[View]:
    """The patient's registrations, each once (a merge may bring the same order registered in two
    records): its first entry, the order, and whether every entry of it is voided."""
    rows = store.bag_rows(patient, None)
    voided = {e.uuid for e in effective((row.seq, row.entry) for row in rows).voided}
    found: dict[str, View] = {}
    for row in rows:
        if row.entry.kind != ORDER:
            continue
        order = registered_of(row.entry.data)
        void = row.entry.uuid in voided
        if order.digest not in found or (found[order.digest].voided and not void):
            found[order.digest] = View(row, order, void)
    return list(found.values())


def orders_of(store: Store, patient: str) -> list[OrderViews]:
    """The patient's orders: the registrations of one plan (a nurse's blinded one, the pharmacy's
    unblinded one) are one order."""
    return grouped(views_of(store, patient))


def active_order(store: Store, patient: str) -> OrderViews:
    """The order the patient's bags are recorded against: the one registered and not voided."""
    active = [group for group in orders_of(store, patient) if not group.voided]
    if not active:
        raise InputError(message(N_("patient {patient} has no order in this record; accepted: record order FILE "
                                    "--patient-id {patient} first"), patient=patient))
    if len(active) > 1:
        raise InputError(message(N_("patient {patient} has {count} different orders registered (a merge of two "
                                    "records?); accepted: void the one not given with record amend ENTRY --void"),
                                 patient=patient, count=len(active)))
    return active[0]


# ---- a bag's events ------------------------------------------------------------------------------------


def bag_entries(store: Store, patient: str, bag: int, digests: frozenset[str]) -> list[tuple[int, Entry]]:
    """A bag's events and their corrections as stored, written against any view of its order (its
    preparations are not events)."""
    return [(row.seq, row.entry) for row in store.bag_rows(patient, bag)
            if row.entry.kind != PREPARE and row.entry.data.get("order") in digests]


def bag_events(store: Store, patient: str, bag: int, digests: frozenset[str]) -> Events:
    return effective(bag_entries(store, patient, bag, digests))


def patient_preparations(store: Store, patient: str) -> list[Preparation]:
    """The patient's preparations as they stand (voided ones marked), in storage order."""
    from ivig_dose.core.preparation import preparations

    return preparations(store.rows("WHERE patient = ? AND kind IN (?, ?)", (patient, PREPARE, AMEND)))


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


# ---- corrections ---------------------------------------------------------------------------------------


@frozen
class Correction:
    """A correction as typed: the entry, who, why, and the fields to correct (None: unchanged)."""

    entry: str
    by: str
    reason: str
    void: bool = False
    at: str | None = None
    rate: str | None = None
    infused: str | None = None
    pause_reason: str | None = None
    override: str | None = None
    grade: int | None = None
    symptoms: str | None = None
    action: str | None = None

    def changes(self, now: datetime) -> dict[str, Json]:
        from ivig_dose.parse.record_inputs import parse_at

        typed = EventInput("", "", 0, "", rate=self.rate, infused=self.infused, reason=self.pause_reason,
                           override=self.override, grade=self.grade, symptoms=self.symptoms, action=self.action)
        found = event_data(typed)
        if self.at is not None:
            at = parse_at(self.at, now)
            found["at"], found["zone"] = utc_text(at), zone_text(at)
        return found


#: how amend names each field it may correct.
OPTIONS = {"at": "--at", "zone": "--at", "rate_ml_per_h": "--rate", "infused_ml": "--infused",
           "reason": "--pause-reason", "override": "--override", "grade": "--grade", "symptoms": "--symptoms",
           "action": "--action"}


def amend(db: str, typed: Correction, now: datetime | None = None) -> Written:
    """Writes a correction of an entry, after checking the bag's record as it would then stand."""
    from ivig_dose.files.record_store import opened
    from ivig_dose.parse.record_inputs import parse_by, parse_entry_id, parse_note

    wanted, by = parse_entry_id(typed.entry), parse_by(typed.by)
    reason = parse_note(typed.reason, "--reason")
    now = now or now_here()
    changes = typed.changes(now)
    with opened(db, write=True) as store:
        target = _one_entry(store, wanted)
        entry = target.entry
        allowed = () if entry.kind == ORDER else CORRECTABLE.get(entry.kind, ())
        if entry.kind == AMEND:
            raise InputError(message(N_("entry {entry} is itself a correction, of entry {target}; accepted: a "
                                        "correction of entry {target}"), entry=entry.short,
                                     target=str(entry.data.get("corrects", ""))[:8]))
        wrong = [OPTIONS[key] for key in changes if key not in allowed and key != "zone"]
        if wrong:
            raise InputError(message(N_("{options} cannot be corrected on an entry of kind {kind}; accepted: "
                                        "{accepted}"), options=", ".join(wrong), kind=kind_word(entry.kind),
                                     accepted=", ".join(["--void", *(OPTIONS[key] for key in allowed)])))
        if not changes and not typed.void:
            raise InputError(message(N_("nothing to correct; accepted: --void, or the corrected value of {accepted}"),
                                     accepted=", ".join(OPTIONS[key] for key in allowed) or "--void"))
        data: dict[str, Json] = {"corrects": entry.uuid, "reason": reason}
        if "order" in entry.data:
            data["order"] = entry.data["order"]
        elif entry.kind == ORDER:
            data["order"] = entry.data.get("digest")
        if changes:
            data["changes"] = changes
            if "at" in changes:
                not_ahead(str(changes["at"]), str(changes["zone"]), now)
        if typed.void:
            data["void"] = True
        correction = Entry(new_id(), store.origin, AMEND, entry.patient, entry.bag, utc_text(now), zone_text(now),
                           utc_text(now), by, data)
        group = _order_of(store, entry)
        order = group.view().order
        bag = None
        if entry.bag is not None:
            bag = order.bag(entry.bag, entry.patient)
            if entry.kind != PREPARE:  # a bag's events are checked again as they would stand
                admit_all(bag, effective([*bag_entries(store, entry.patient, entry.bag, group.digests),
                                          (store.highest_seq() + 1, correction)]).active)
        return Written(store.append(correction), order, bag, corrects=target)


def _one_entry(store: Store, wanted: str) -> Stored:
    found = store.by_prefix(wanted)
    if not found:
        raise InputError(message(N_("no entry {entry} in this record; accepted: an id record show prints"),
                                 entry=wanted))
    if len(found) > 1:
        raise InputError(message(N_("entry {entry} is not unique in this record; accepted: more of its id"),
                                 entry=wanted))
    return found[0]


def _order_of(store: Store, entry: Entry) -> OrderViews:
    """The order an entry belongs to: itself for an order, else the one its ``order`` names."""
    digest = entry.data.get("digest") if entry.kind == ORDER else entry.data.get("order")
    for group in orders_of(store, entry.patient):
        if digest in group.digests:
            return group
    raise InputError(message(N_("entry {entry} names an order this record does not hold; accepted: merge the record "
                                "it was written in first"), entry=entry.short))


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


# ---- reading the record back ---------------------------------------------------------------------------


def read_orders(db: str, patient: str | None, unblinded: bool = False) -> Iterator[OrderRecord]:
    """Every order of the record (or of one patient), its bags read from the file one at a time,
    so a long record is shown without being held whole. Each order's bags must be read before
    the next order is asked for.

    An order of a blinded trial is shown through its blinded view, without its preparations
    (lots, product, grams), unless ``unblinded`` asks for the pharmacy's view."""
    from ivig_dose.files.record_store import opened
    from ivig_dose.parse.record_inputs import parse_patient

    wanted = parse_patient(patient) if patient is not None else None
    with opened(db, write=False) as store:
        patients = [wanted] if wanted is not None else store.patients()
        for name in patients:
            orders = orders_of(store, name)
            if not orders and wanted is not None:
                raise InputError(message(N_("patient {patient} has no order in this record"), patient=name))
            prepared: list[Preparation] | None = None
            for group in orders:
                view, shown = group.view(unblinded), unblinded or not group.blinded
                if shown and prepared is None:
                    prepared = patient_preparations(store, name)
                yield OrderRecord(name, view.stored, view.order, group.voided,
                                  _bag_records(store, name, view.order, group.digests, prepared if shown else None),
                                  group.blinded, shown)


def _bag_records(store: Store, patient: str, order: Registered, digests: frozenset[str],
                 prepared: list[Preparation] | None) -> Iterator[BagRecord]:
    """The order's bags in order, each with its entries, read bag by bag from the file, and (when
    ``prepared`` is given) the preparations of its place."""
    from ivig_dose.core.preparation import Place

    rows = store.rows("WHERE patient = ? AND bag IS NOT NULL", (patient,), "bag, seq")
    pending = next(rows, None)
    for bag in order.bags:
        mine: list[tuple[int, Entry]] = []
        while pending is not None and (pending.entry.bag or 0) <= bag.number:
            entry = pending.entry
            if entry.bag == bag.number and entry.kind != PREPARE and entry.data.get("order") in digests:
                mine.append((pending.seq, entry))
            pending = next(rows, None)
        events = effective(mine)
        place = Place.of(patient, order, bag)
        yield BagRecord(bag, events, fold(bag, events.active),
                        tuple(prep for prep in prepared or () if prep.place == place))


@dataclass
class Exported:
    """The entries an export writes, one at a time; once they are written, how many were left out
    (not frozen: the count is known only when the last entry has been read, so the rows count as
    they go)."""

    rows: Iterator[Stored]
    left_out: int = 0


def entries(db: str, patient: str | None, unblinded: bool = False) -> Exported:
    """Every entry (or one patient's), in the order the record holds them, one at a time. An order
    of a blinded trial keeps its secret unless ``unblinded``: the pharmacy's unblinded registration
    of it, its preparations and their corrections are left out (and counted)."""
    exported = Exported(iter(()))

    def rows() -> Iterator[Stored]:
        from ivig_dose.files.record_store import opened
        from ivig_dose.parse.record_inputs import parse_patient

        with opened(db, write=False) as store:
            where, parameters = ("", ()) if patient is None else ("WHERE patient = ?", (parse_patient(patient),))
            hidden = set() if unblinded else _unblinding(store, where, parameters)
            left_out: set[str] = set()
            for row in store.rows(where, parameters):
                entry = row.entry
                digest = entry.data.get("digest" if entry.kind == ORDER else "order")
                if (entry.kind in (ORDER, PREPARE) and digest in hidden) or (
                        entry.kind == AMEND and entry.data.get("corrects") in left_out):
                    left_out.add(entry.uuid)
                    exported.left_out += 1
                    continue
                yield row

    exported.rows = rows()
    return exported


def _unblinding(store: Store, where: str, parameters: tuple[str, ...]) -> set[str]:
    """The digests of the unblinded registrations of orders that are blinded in this record."""
    condition = f"{where} AND kind = ?" if where else "WHERE kind = ?"
    views: dict[str, list[View]] = {}
    for row in store.rows(condition, (*parameters, ORDER)):
        views.setdefault(row.entry.patient, []).append(View(row, registered_of(row.entry.data), False))
    return {view.order.digest for found in views.values() for group in grouped(found) if group.blinded
            for view in group.views if not view.order.blinded}


def check(db: str) -> Checked:
    """Every entry's hash and link recomputed, the triggers that keep the record append-only, and
    the index of lots against the preparations."""
    from ivig_dose.core.record import Checked, check_chain
    from ivig_dose.files.record_store import opened

    with opened(db, write=False) as store:
        chain = check_chain(store.rows(), store.highest_seq())
        index = store.index_problem()
        problem = None if index is None else message(
            N_("the index of lots does not match the preparations at lot {lot} of entry {seq}: it was changed"),
            lot=index[0], seq=index[1])
        return Checked(chain, tuple(store.missing_triggers()), problem)


@frozen
class Merged:
    """What a merge brought: entries added, and entries the record held already."""

    added: int
    present: int


def merge(db: str, other: str) -> Merged:
    """Brings every entry of ``other`` this record does not hold yet, re-chained here with its id and
    content hash kept; an entry held in both with different content stops the merge, nothing added."""
    import os

    from ivig_dose.files.record_store import opened

    if os.path.abspath(db) == os.path.abspath(other):
        raise InputError(message(N_("cannot merge the record {path!r} into itself; accepted: another record file"),
                                 path=other))
    checked = check(other)
    if checked.chain.problem is not None:
        raise InputError(message(N_("{path} fails its check, so nothing was merged: {problem}"), path=other,
                                 problem=checked.chain.problem.said))
    added = present = 0
    with opened(db, write=True) as store, opened(other, write=False) as source:
        for row in source.rows():
            held = store.content_hash_of(row.entry.uuid)
            if held is None:
                store.append(row.entry)
                added += 1
            elif held == row.content_hash:
                present += 1
            else:
                raise InputError(message(N_("entry {entry} is in both records with different content; nothing was "
                                            "merged; accepted: records whose shared entries agree (record check "
                                            "finds which was changed)"), entry=row.entry.short))
    return Merged(added, present)
