"""Which lot went into whom: a bag's preparation recorded by the pharmacy, and a recall by lot.

``record prepare`` checks the vials of a bag (scanned or typed) against the order it was
verified as, in the pharmacy's record, which holds the unblinded order: in a blinded trial the
nurse's record holds only the blinded one and never a lot (a lot tells IVIg from NaCl).
``record lot`` finds every bag prepared with a lot and what was given of it, across every record
merged into this one: a preparation and an administration are joined by the bag's place (patient,
protocol, course, day, setting), which a blinded and an unblinded order of one plan share.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from ivig_dose.app.record import (
    bag_events,
    new_id,
    now_here,
    orders_of,
    patient_preparations,
)
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.core.record import PREPARE, Entry, utc_text, zone_text
from ivig_dose.core.record_bag import clock, fold, not_ahead
from ivig_dose.core.records import frozen

if TYPE_CHECKING:
    from ivig_dose.core.preparation import LotStart, Place, Preparation, Vial
    from ivig_dose.core.products import Catalogue, CatalogueProduct
    from ivig_dose.core.record_bag import BagState
    from ivig_dose.core.record_order import Bag, Registered, Written
    from ivig_dose.files.record_store import Store


@frozen
class PrepareInput:
    """A preparation as typed: the patient, the bag, who, when, and one text a vial."""

    patient: str
    bag: int
    by: str
    vials: tuple[str, ...]
    at: str | None = None
    products: str | None = None


@frozen
class Prepared:
    """A preparation just written, and where a new lot starts in its bag."""

    written: Written
    vials: tuple[Vial, ...]
    starts: tuple[LotStart, ...]


def prepare(db: str, typed: PrepareInput, now: datetime | None = None) -> Prepared:
    """Checks a bag's vials against its order and writes the preparation, or refuses it whole."""
    from ivig_dose.core.dispensing import unverified_warning
    from ivig_dose.core.preparation import (
        Place,
        checked_vials,
        lot_starts,
        one_brand,
        preparation_data,
        unchecked_warnings,
    )
    from ivig_dose.core.record_order import Written
    from ivig_dose.files.catalogue import load_catalogue
    from ivig_dose.files.record_store import opened
    from ivig_dose.parse.gs1 import parse_vial
    from ivig_dose.parse.record_inputs import parse_at, parse_by, parse_patient

    patient, by = parse_patient(typed.patient), parse_by(typed.by)
    now = now or now_here()
    at = parse_at(typed.at, now)
    scans = [parse_vial(text) for text in typed.vials]
    catalogue = load_catalogue(typed.products)
    with opened(db, write=True) as store:
        order = _unblinded_order(store, patient)
        bag = order.bag(typed.bag, patient)
        product = _catalogue_product(order, catalogue)
        vials = checked_vials(order, bag, scans, catalogue, product)
        place = Place.of(patient, order, bag)
        standing = [prep for prep in patient_preparations(store, patient) if not prep.voided]
        for prep in standing:
            if prep.place == place:
                raise InputError(message(N_("bag {bag} of patient {patient} was prepared already (entry {entry}, "
                                            "{time} by {by}); accepted: void that entry first with record amend "
                                            "{entry} --void --reason TEXT"), bag=bag.number, patient=patient,
                                         entry=prep.short, time=clock(prep.at, prep.zone), by=prep.by))
        one_brand(bag, vials, [prep for prep in standing if prep.planned == bag.date])
        not_ahead(utc_text(at), zone_text(at), now)
        entry = Entry(new_id(), store.origin, PREPARE, patient, bag.number, utc_text(at), zone_text(at),
                      utc_text(now), by, preparation_data(order, bag, place, vials))
        # the sizes the vials were checked against are the catalogue's: unverified, they say so as plan does
        unverified = unverified_warning(product, message(N_("vial sizes"))) if product is not None else []
        written = Written(store.append(entry), order, bag, (*unchecked_warnings(vials), *unverified))
    return Prepared(written, vials, lot_starts(vials, bag.volume_ml))


def _unblinded_order(store: Store, patient: str) -> Registered:
    """The order a preparation is checked against: the unblinded registration of the patient's order."""
    from ivig_dose.app.record import active_order

    group = active_order(store, patient)
    view = group.open_view()
    if view is None:
        raise InputError(message(N_("the order of patient {patient} is blinded in this record: a preparation names "
                                    "the product and its lots, so it goes in the pharmacy's record, which holds "
                                    "the unblinded order; accepted: --db with the pharmacy's record"),
                                 patient=patient))
    return view.order


def _catalogue_product(order: Registered, catalogue: Catalogue) -> CatalogueProduct | None:
    """The order's entry in the catalogue: by the id it was dispensed with, else by name and
    concentration; None for the placebo or a catalogue without it."""
    product = order.product
    if product is None or product.concentration_mg_per_ml is None:
        return None
    for entry in catalogue.products:
        if entry.id == order.catalogue_id:
            return entry
    return next((entry for entry in catalogue.products if entry.name == product.name
                 and entry.concentration_mg_per_ml == product.concentration_mg_per_ml), None)


# ---- recall --------------------------------------------------------------------------------------------


@frozen
class Given:
    """What was given of a prepared bag at its place: under which order and bag, and where it stands."""

    order: Registered
    bag: Bag
    state: BagState


@frozen
class Recalled:
    """A bag prepared with the lot: the preparation, its kit when the order is a blinded trial's, and
    what the record says was given at its place (none: not given yet)."""

    preparation: Preparation
    kit: str | None
    given: tuple[Given, ...]


def recall(db: str, lot: str) -> tuple[str, list[Recalled]]:
    """Every bag prepared with ``lot`` (compared in upper case), each with what was given of it."""
    from ivig_dose.core.preparation import preparations
    from ivig_dose.files.record_store import lot_key, opened
    from ivig_dose.parse.text import check_text

    wanted = lot_key(check_text(lot, "LOT", 20))
    if not wanted:
        raise InputError(message(N_("the lot is empty; accepted: a lot as the vial prints it, such as AB1234")))
    with opened(db, write=False) as store:
        found = []
        for row in store.lot_rows(wanted):
            entry = row.entry
            # the preparation as it stands: a void of it is a correction of the same patient
            (prep,) = [p for p in preparations([row, *store.rows("WHERE patient = ? AND kind = 'amend'",
                                                                  (entry.patient,))]) if p.uuid == entry.uuid]
            found.append(_recalled(store, prep))
    return wanted, found


def _recalled(store: Store, prep: Preparation) -> Recalled:
    from ivig_dose.core.blinding import kit_id

    given, blinded = [], False
    for group in orders_of(store, prep.place.patient):
        blinded = blinded or group.blinded
        order = group.view().order
        for bag in _at_place(order, prep.place):
            state = fold(bag, bag_events(store, prep.place.patient, bag.number, group.digests).active)
            given.append(Given(order, bag, state))
    place = prep.place
    kit = kit_id(place.patient, place.protocol, place.course, place.day, place.setting) if blinded else None
    return Recalled(prep, kit, tuple(given))


def _at_place(order: Registered, place: Place) -> Sequence[Bag]:
    if order.protocol != place.protocol:
        return ()
    return [bag for bag in order.bags if (bag.course, bag.day, bag.setting) == (place.course, place.day,
                                                                                place.setting)]
