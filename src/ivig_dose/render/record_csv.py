"""The bedside record as CSV: ``record show -f csv`` (a row a bag) and ``record export -f csv``
(a row an entry, every entry of the record with its hashes), for a spreadsheet or an audit.

Text a person typed (a reason, symptoms, initials) goes through
:func:`~ivig_dose.render.csv_cells.safe_cells`, so a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import TextIO

from ivig_dose.core.record import Stored, canonical, local
from ivig_dose.core.record_bag import OrderRecord
from ivig_dose.core.record_order import Registered
from ivig_dose.render.csv_cells import safe_cells
from ivig_dose.render.record_json import bag_json, number

SHOW_COLUMNS = ("patient_id", "order_entry", "bag", "bags", "course", "day", "setting", "date", "volume_ml", "dose_g",
                "status", "started_at", "stopped_at", "volume_infused_ml", "dose_given_g", "rates_ml_per_h",
                "pauses", "reactions", "by", "problem")
#: an entry's columns; its other fields (an order's bags) go whole into ``details`` as JSON.
ENTRY_COLUMNS = ("seq", "uuid", "kind", "patient_id", "bag", "at", "zone", "local_time", "recorded", "by",
                 "rate_ml_per_h", "infused_ml", "reason", "override", "grade", "symptoms", "action", "corrects",
                 "void", "order", "details", "content_hash", "prev_hash", "hash")
_DATA_COLUMNS = ("rate_ml_per_h", "infused_ml", "reason", "override", "grade", "symptoms", "action", "corrects",
                 "void", "order")
_NUMBERS = ("rate_ml_per_h", "infused_ml")


def render_record_csv(orders: Iterable[OrderRecord], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SHOW_COLUMNS)
    for record in orders:
        for bag_record in record.bags:
            writer.writerow(safe_cells(_bag_row(record, record.order, bag_json(record.order, bag_record))))


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
            bag["problem"]]


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
        details = canonical(data).decode("utf-8") if data else ""
        writer.writerow(safe_cells([stored.seq, entry.uuid, entry.kind, entry.patient, entry.bag, entry.at,
                                    entry.zone, local(entry.at, entry.zone).isoformat(), entry.recorded, entry.by,
                                    *cells, details, stored.content_hash, stored.prev_hash, stored.hash]))
