"""The bedside record as its use cases look it up: a patient's orders and the one in force, a
bag's entries, the patient's preparations; and the clock and the ids new entries are written with.

Every command opens the record once, in one transaction (:func:`ivig_dose.files.record_store.opened`):
a write reads what it checks against and appends its entry under one lock, so two nurses
writing at once are put in turn and neither's check is made on a record the other has changed.
The checks themselves are the core's (:mod:`ivig_dose.core.record_bag`). Each use case has its
own module, which finds the patient's order and the bag's entries here, builds the new entry and
hands back what a renderer needs: :mod:`~ivig_dose.app.record_order` registers an order,
:mod:`~ivig_dose.app.record_events` writes a bag's events and says the time left,
:mod:`~ivig_dose.app.record_amend` corrects an entry, :mod:`~ivig_dose.app.record_read` shows,
exports and checks the record, :mod:`~ivig_dose.app.record_merge` merges another into it, and
:mod:`~ivig_dose.app.record_lots` records preparations and recalls a lot.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.core.record import AMEND, ORDER, PREPARE, Entry
from ivig_dose.core.record_bag import Events, effective
from ivig_dose.core.record_order import OrderViews, View, grouped, registered_of

if TYPE_CHECKING:
    from ivig_dose.core.preparation import Preparation
    from ivig_dose.files.record_store import Store


def now_here() -> datetime:
    """This computer's clock, in its time zone, to the second."""
    return datetime.now().astimezone().replace(microsecond=0)


def new_id() -> str:
    import uuid

    return uuid.uuid4().hex


# ---- a patient's orders --------------------------------------------------------------------------------


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


# ---- a bag's entries and the patient's preparations ----------------------------------------------------


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
