"""The bedside record for programs: ``record show -f json``, ``record remaining -f json`` and
``record export -f jsonl`` (one entry a line, every entry of the record, hashes included).

Numbers are JSON numbers (mL, mL/h, g, minutes); times ISO 8601 with the UTC offset of the
clock the entry was written by. A blinded order's record holds no arm, product or dose, so its
JSON has none: the keys are left out, never filled with a guess.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

from ivig_dose.core.amounts import json_number
from ivig_dose.core.preparation import Preparation, Vial, lot_starts
from ivig_dose.core.record import Stored, local
from ivig_dose.core.record_bag import BagRecord, Event, OrderRecord
from ivig_dose.core.record_order import Bag
from ivig_dose.core.remaining import Remaining

if TYPE_CHECKING:
    from ivig_dose.app.record_lots import Recalled

SHOW_SCHEMA = "ivig-dose/record/v1"
REMAINING_SCHEMA = "ivig-dose/record-remaining/v1"
RECALL_SCHEMA = "ivig-dose/record-lot/v1"


def number(value: Decimal | None) -> int | float | None:
    return None if value is None else json_number(value)


def iso(at: str, zone: str) -> str:
    return local(at, zone).isoformat()


def render_remaining_json(left: Remaining, patient: str) -> str:
    bag = left.bag
    document = {
        "schema": REMAINING_SCHEMA, "patient_id": patient, "bag": bag.number, "course": bag.course, "day": bag.day,
        "setting": bag.setting, "at": left.at.isoformat(), "status": left.status,
        "volume_ml": number(bag.volume_ml), "volume_infused_ml": number(left.infused_ml),
        "infused_from": "pump" if left.from_pump else "rates", "volume_left_ml": number(left.volume_left_ml),
        "rate_ml_per_h": number(left.rate),
        "steps": [_step(left, index) for index in range(len(left.program.steps))],
        "minutes_left": left.minutes_left, "ends_at": left.ends_at.isoformat(),
    }
    if left.restarts:
        document["lot_starts"] = [{"step": r.step, "infused_ml": number(r.infused_ml), "lot": r.lot}
                                  for r in left.restarts]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _step(left: Remaining, index: int) -> dict[str, Any]:
    step = left.program.steps[index]
    found: dict[str, Any] = {"rate_ml_per_h": number(step.rate_ml_per_h), "minutes": number(step.minutes),
                             "volume_ml": number(step.volume_ml)}
    for restart in left.restarts:
        if restart.step == index:  # a new lot: the titration starts again here
            found["new_lot"] = restart.lot
    return found


def vial_json(vial: Vial) -> dict[str, Any]:
    found: dict[str, Any] = {"lot": vial.lot, "expiry": vial.expiry.isoformat()}
    if vial.size_g is not None:
        found["size_g"] = number(vial.size_g)
    found["volume_ml"] = number(vial.volume_ml)
    found["gtin"] = vial.gtin
    found["gtin_checked"] = vial.listed is not None
    found["serial"] = vial.serial
    return found


def preparation_json(prep: Preparation, bag: Bag) -> dict[str, Any]:
    return {"entry": prep.uuid, "at": iso(prep.at, prep.zone), "by": prep.by, "voided": prep.voided,
            "product": prep.product, "concentration_mg_per_ml": number(prep.concentration_mg_per_ml),
            "lots": list(prep.lots), "vials": [vial_json(vial) for vial in prep.vials],
            "lot_starts": [{"infused_ml": number(start.infused_ml), "lot": start.lot}
                           for start in lot_starts(prep.vials, bag.volume_ml)]}


def event_json(event: Event) -> dict[str, Any]:
    found: dict[str, Any] = {"entry": event.uuid, "kind": event.kind, "at": iso(event.at, event.zone),
                             "by": event.by}
    for key in ("rate_ml_per_h", "infused_ml"):
        if key in event.data:
            found[key] = number(event.decimal(key))
    for key in ("reason", "override", "grade", "symptoms", "action"):
        if key in event.data:
            found[key] = event.data[key]
    if event.corrections:
        found["corrections"] = [{"entry": c.uuid, "by": c.by, "at": iso(c.recorded, event.zone), "reason": c.reason,
                                 "void": c.void} for c in event.corrections]
    return found


def bag_json(order_record: OrderRecord, record: BagRecord) -> dict[str, Any]:
    from ivig_dose.render.record_text import bag_kit

    bag, state, order = record.bag, record.state, order_record.order
    found: dict[str, Any] = {
        "bag": bag.number, "bags": len(order.bags), "course": bag.course, "day": bag.day, "setting": bag.setting,
        "date": bag.date.isoformat(), "volume_ml": number(bag.volume_ml)}
    if order_record.blinded_trial:
        found["kit"] = bag_kit(order_record, bag)
    if bag.dose_g is not None:
        found["dose_g"] = number(bag.dose_g)
    found["program_rates_ml_per_h"] = [number(r) for r in bag.rates]
    found["status"] = state.status
    found["started_at"] = None if state.started is None else iso(state.started.at, state.started.zone)
    found["stopped_at"] = None if state.stopped is None else iso(state.stopped.at, state.stopped.zone)
    found["volume_infused_ml"] = number(state.infused)
    if order.product is not None:
        grams = None if state.infused is None else order.grams(state.infused)
        found["dose_given_g"] = number(grams)
    found["by"] = list(dict.fromkeys(e.by for e in state.events))
    found["events"] = [event_json(e) for e in record.events.active]
    found["voided_events"] = [event_json(e) for e in record.events.voided]
    if order_record.lots_shown:
        found["preparations"] = [preparation_json(prep, bag) for prep in record.preparations]
    found["problem"] = None if state.problem is None else str(state.problem)
    return found


def order_json(record: OrderRecord) -> dict[str, Any]:
    """One order, its bags drawn from the record as they are read."""
    order, entry = record.order, record.stored.entry
    found: dict[str, Any] = {
        "patient_id": record.patient, "order_entry": entry.uuid, "registered_at": iso(entry.at, entry.zone),
        "registered_by": entry.by, "protocol": order.protocol, "protocol_version": order.protocol_version,
        "blinded": order.blinded, "voided": record.voided}
    if order.product is not None:
        found["arm"] = order.product.arm
        found["product"] = {"name": order.product.name,
                            "concentration_mg_per_ml": number(order.product.concentration_mg_per_ml)}
    bags, given = [], {}
    for bag_record in record.bags:
        bags.append(bag_json(record, bag_record))
        if bag_record.state.infused is not None:
            given[bag_record.bag.number] = bag_record.state.infused
    found["bags"] = bags
    courses = []
    for total in order.totals(given):
        course: dict[str, Any] = {"course": total.name, "volume_ordered_ml": number(total.ordered_ml),
                                  "volume_given_ml": number(total.given_ml), "bags": total.bags,
                                  "bags_given": total.bags_given, "cap_volume_ml": number(total.cap_ml)}
        if not order.blinded:
            course.update({"dose_ordered_g": number(total.ordered_g), "dose_given_g": number(total.given_g),
                           "cap_g": number(total.cap_g)})
        courses.append(course)
    found["courses"] = courses
    found["not_given"] = [b["bag"] for b in bags if b["status"] == "not started"]
    return found


def render_record_json(orders: Iterable[OrderRecord], out: TextIO) -> None:
    """``{"schema": ..., "orders": [...]}``, written an order at a time."""
    out.write(f'{{"schema": "{SHOW_SCHEMA}", "orders": [')
    for index, record in enumerate(orders):
        out.write(("," if index else "") + "\n" + json.dumps(order_json(record), ensure_ascii=False))
    out.write("\n]}\n")


def entry_json(stored: Stored) -> dict[str, Any]:
    """An entry whole, as the record holds it: its content, its local time and its hashes."""
    entry = stored.entry
    return {"seq": stored.seq, "uuid": entry.uuid, "origin": entry.origin, "kind": entry.kind,
            "patient_id": entry.patient, "bag": entry.bag, "at": entry.at, "zone": entry.zone,
            "local_time": iso(entry.at, entry.zone), "recorded": entry.recorded, "by": entry.by,
            "data": dict(entry.data), "content_hash": stored.content_hash, "prev_hash": stored.prev_hash,
            "hash": stored.hash}


def render_entries_jsonl(rows: Iterable[Stored], out: TextIO) -> None:
    for stored in rows:
        out.write(json.dumps(entry_json(stored), ensure_ascii=False, separators=(",", ":")) + "\n")


def render_recall_json(lot: str, found: list[Recalled]) -> str:
    return json.dumps(recall_json(lot, found), ensure_ascii=False, indent=2) + "\n"


def recall_json(lot: str, found: list[Recalled]) -> dict[str, Any]:
    """``record lot -f json``: each bag prepared with the lot, its vials of it, and what was given."""
    bags = []
    for recalled in found:
        prep, place = recalled.preparation, recalled.preparation.place
        given = [{"order_bag": each.bag.number, "status": each.state.status,
                  "started_at": None if each.state.started is None else iso(each.state.started.at,
                                                                             each.state.started.zone),
                  "stopped_at": None if each.state.stopped is None else iso(each.state.stopped.at,
                                                                             each.state.stopped.zone),
                  "volume_infused_ml": number(each.state.infused),
                  "by": list(dict.fromkeys(e.by for e in each.state.events))} for each in recalled.given]
        bags.append({"patient_id": place.patient, "protocol": place.protocol, "bag": prep.bag,
                     "course": place.course, "day": place.day, "setting": place.setting,
                     "date": prep.planned.isoformat(), "kit": recalled.kit, "preparation_entry": prep.uuid,
                     "prepared_at": iso(prep.at, prep.zone), "prepared_by": prep.by, "voided": prep.voided,
                     "product": prep.product,
                     "vials": [vial_json(v) for v in prep.vials if v.lot.strip().upper() == lot],
                     "given": given})
    return {"schema": RECALL_SCHEMA, "lot": lot, "bags": bags}
