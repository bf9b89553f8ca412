"""Correcting an entry of the bedside record: a correction (or a void) is an entry of its own, written
only when the bag's record as it would then stand still passes every check; nothing is changed in place.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ivig_dose.app.record import bag_entries, new_id, now_here, orders_of
from ivig_dose.app.record_events import EventInput, event_data
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.core.record import AMEND, ORDER, PREPARE, Entry, Json, Stored, kind_word, utc_text, zone_text
from ivig_dose.core.record_bag import CORRECTABLE, admit_all, effective, not_ahead
from ivig_dose.core.record_order import OrderViews, Written
from ivig_dose.core.records import frozen

if TYPE_CHECKING:
    from ivig_dose.files.record_store import Store


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

