"""The bedside record as CSV: ``record show -f csv`` (a row a bag) and ``record export -f csv``
(a row an entry, every entry of the record with its hashes), for a spreadsheet or an audit.

Text a person typed (a reason, symptoms, initials) goes through
:func:`~ivig_dose.render.csv_cells.safe_cells`, so a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, TextIO

from ivig_dose.core.record import Stored, canonical, local
from ivig_dose.core.record_bag import OrderRecord
from ivig_dose.core.record_order import Registered
from ivig_dose.render.csv_cells import safe_cells
from ivig_dose.render.record_json import bag_json, number

if TYPE_CHECKING:
    from ivig_dose.app.record_lots import Recalled

SHOW_COLUMNS = ("patient_id", "order_entry", "bag", "bags", "course", "day", "setting", "date", "volume_ml", "dose_g",
                "status", "started_at", "stopped_at", "volume_infused_ml", "dose_given_g", "rates_ml_per_h",
                "pauses", "reactions", "by", "kit", "lots", "problem")
#: an entry's columns; its other fields (an order's bags, a preparation's vials) go whole into
#: ``details`` as JSON; a preparation's lots and their expiries, in the order its vials run, also
#: in ``lot`` and ``expiry``.
ENTRY_COLUMNS = ("seq", "uuid", "kind", "patient_id", "bag", "at", "zone", "local_time", "recorded", "by",
                 "rate_ml_per_h", "infused_ml", "reason", "override", "grade", "symptoms", "action", "corrects",
                 "void", "order", "lot", "expiry", "details", "content_hash", "prev_hash", "hash")
RECALL_COLUMNS = ("lot", "patient_id", "bag", "course", "day", "setting", "date", "kit", "preparation_entry",
                  "prepared_at", "prepared_by", "voided", "product", "vials", "expiry", "status", "started_at",
                  "stopped_at", "volume_infused_ml", "given_by")
_DATA_COLUMNS = ("rate_ml_per_h", "infused_ml", "reason", "override", "grade", "symptoms", "action", "corrects",
                 "void", "order")
_NUMBERS = ("rate_ml_per_h", "infused_ml")


def render_record_csv(orders: Iterable[OrderRecord], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SHOW_COLUMNS)
    for record in orders:
        for bag_record in record.bags:
            writer.writerow(safe_cells(_bag_row(record, record.order, bag_json(record, bag_record))))


def _bag_row(record: OrderRecord, order: Registered, bag: dict[str, object]) -> list[object]:
    events = bag["events"]
    assert isinstance(events, list)
    rates = [e["rate_ml_per_h"] for e in events if e["kind"] in ("start", "rate", "resume")]
    reactions = [f"grade {e['grade']} at {e['at']}" for e in events if e["kind"] == "reaction"]
    pauses = sum(1 for e in events if e["kind"] == "pause")
    return [record.patient, record.stored.entry.uuid, bag["bag"], bag["bags"], bag["course"], bag["day"],
            bag["setting"], bag["date"], bag["volume_ml"], bag.get("dose_g"), bag["status"], bag["started_at"],
            bag["stopped_at"], bag["volume_infused_ml"], bag.get("dose_given_g"), "; ".join(map(str, rates)), pauses,
            "; ".join(reactions), ", ".join(map(str, bag["by"])) if isinstance(bag["by"], list) else "",
            bag.get("kit"), _lots(bag.get("preparations")), bag["problem"]]


def _lots(preparations: object) -> str:
    """``AB1234 (2027-12-31); CD5678 (2028-01-31)``: the lots of the bag's standing preparation."""
    if not isinstance(preparations, list):
        return ""
    standing = [prep for prep in preparations if not prep["voided"]]
    if not standing:
        return ""
    vials = standing[-1]["vials"]
    return "; ".join(dict.fromkeys(f"{vial['lot']} ({vial['expiry']})" for vial in vials))


def render_entries_csv(rows: Iterable[Stored], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ENTRY_COLUMNS)
    for stored in rows:
        entry = stored.entry
        data = dict(entry.data)
        cells: list[object] = []
        for key in _DATA_COLUMNS:
            value = data.pop(key, None)
            cells.append(number(Decimal(str(value))) if key in _NUMBERS and value is not None else value)
        listed = data.get("vials")
        vials = [vial for vial in listed if isinstance(vial, dict)] if isinstance(listed, list) else []
        lots = "; ".join(str(vial.get("lot")) for vial in vials)
        expiries = "; ".join(str(vial.get("expiry")) for vial in vials)
        details = canonical(data).decode("utf-8") if data else ""
        writer.writerow(safe_cells([stored.seq, entry.uuid, entry.kind, entry.patient, entry.bag, entry.at,
                                    entry.zone, local(entry.at, entry.zone).isoformat(), entry.recorded, entry.by,
                                    *cells, lots, expiries, details, stored.content_hash, stored.prev_hash,
                                    stored.hash]))


def render_recall_csv(lot: str, found: list[Recalled], out: TextIO) -> None:
    """``record lot -f csv``: a row a bag prepared with the lot and each time it was given (one row,
    with the given columns empty, when it was not)."""
    from ivig_dose.render.record_json import recall_json

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RECALL_COLUMNS)
    document = recall_json(lot, found)
    for bag in document["bags"]:
        given = [each for each in bag["given"] if each["status"] != "not started"] or [{}]
        vials = bag["vials"]
        for each in given:
            writer.writerow(safe_cells([
                document["lot"], bag["patient_id"], bag["bag"], bag["course"], bag["day"], bag["setting"],
                bag["date"], bag["kit"], bag["preparation_entry"], bag["prepared_at"], bag["prepared_by"],
                bag["voided"], bag["product"], len(vials), "; ".join(dict.fromkeys(v["expiry"] for v in vials)),
                each.get("status", "not started"), each.get("started_at"), each.get("stopped_at"),
                each.get("volume_infused_ml"), ", ".join(each.get("by", []))]))
