"""Registering an order in the bedside record: checked exactly as ``verify`` checks it, then kept
with every bag's pump program, which each rate recorded later is held to.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from ivig_dose.app.record import new_id, now_here, views_of
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.core.record import ORDER, Entry, utc_text, zone_text
from ivig_dose.core.record_bag import clock, not_ahead
from ivig_dose.core.record_order import OrderedProduct, Registered, Written, grouped, ordered_bags
from ivig_dose.core.records import frozen

if TYPE_CHECKING:
    from ivig_dose.app.plan import Setup
    from ivig_dose.core.order_facts import OrderFacts
    from ivig_dose.core.verification import Verification


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

