"""Reading the bedside record back: its orders and bags as ``record show`` prints them, its entries as
``record export`` writes them (a blinded order keeping its secret), and ``record check`` of the whole file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ivig_dose.app.record import orders_of, patient_preparations
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.core.record import AMEND, ORDER, PREPARE, Entry, Stored
from ivig_dose.core.record_bag import BagRecord, OrderRecord, effective, fold
from ivig_dose.core.record_order import Registered, View, grouped, registered_of

if TYPE_CHECKING:
    from ivig_dose.core.preparation import Preparation
    from ivig_dose.core.record import Checked
    from ivig_dose.files.record_store import Store


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

