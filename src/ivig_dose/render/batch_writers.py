"""Streaming writers for ``batch``: one patient (or one checked order) at a time, nothing kept.

CSV is the plan CSV with a leading ``patient_id`` column; JSON Lines is one plan contract
object per line with ``patient_id`` added; JSON is the same objects as one list, written
piece by piece so that a million patients never sit in memory at once.
"""

from __future__ import annotations

import csv
import json
from typing import Any, Protocol, TextIO

from ivig_dose.model import Plan
from ivig_dose.render.plan_csv import COLUMNS, plan_rows
from ivig_dose.render.plan_json import plan_document
from ivig_dose.render.verification_json import comparison_entry
from ivig_dose.render.verification_text import difference_text, shown
from ivig_dose.verification import Verification

CSV = "csv"
JSON = "json"
JSONL = "jsonl"
#: batch --verify in CSV: one row per discrepancy.
DISCREPANCY_COLUMNS = ("patient_id", "row", "field", "ordered", "expected", "difference", "rule", "note")


class DocumentWriter(Protocol):
    def write(self, document: dict[str, Any]) -> None: ...

    def close(self) -> None: ...


class JsonLinesWriter:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        # one encoder for the whole run: json.dumps with options builds a new one per call.
        self.encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def write(self, document: dict[str, Any]) -> None:
        self.out.write(self.encode(document) + "\n")

    def close(self) -> None:
        """Nothing to finish: every line is complete on its own."""


class JsonListWriter(JsonLinesWriter):
    def __init__(self, out: TextIO) -> None:
        super().__init__(out)
        self.separator = "[\n"

    def write(self, document: dict[str, Any]) -> None:
        self.out.write(self.separator + self.encode(document))
        self.separator = ",\n"

    def close(self) -> None:
        self.out.write("[]\n" if self.separator == "[\n" else "\n]\n")


def document_writer(fmt: str, out: TextIO) -> DocumentWriter:
    return JsonListWriter(out) if fmt == JSON else JsonLinesWriter(out)


class PlanWriter:
    """Plans of a patient list, in the chosen format."""

    def __init__(self, fmt: str, out: TextIO, blinded: bool) -> None:
        self.blinded = blinded
        self.documents = None if fmt == CSV else document_writer(fmt, out)
        self.rows = csv.writer(out, lineterminator="\n")
        if self.documents is None:
            self.rows.writerow(("patient_id", *COLUMNS))

    def write(self, patient_id: str, plan: Plan) -> None:
        if self.documents is not None:
            self.documents.write({"patient_id": patient_id, **plan_document(plan, self.blinded)})
            return
        for row in plan_rows(plan, self.blinded):
            self.rows.writerow((patient_id, *row.values()))

    def close(self) -> None:
        if self.documents is not None:
            self.documents.close()


class VerificationWriter:
    """Checked orders: every discrepancy as a CSV row, or every order as a JSON object."""

    def __init__(self, fmt: str, out: TextIO) -> None:
        self.documents = None if fmt == CSV else document_writer(fmt, out)
        self.rows = csv.writer(out, lineterminator="\n")
        if self.documents is None:
            self.rows.writerow(DISCREPANCY_COLUMNS)

    def write(self, patient_id: str | None, row: int, verification: Verification) -> None:
        if self.documents is not None:
            self.documents.write({
                "patient_id": patient_id,
                "row": row,
                "match": verification.matches,
                "checked": len(verification.comparisons),
                "discrepancies": [comparison_entry(c) for c in verification.discrepancies],
            })
            return
        for c in verification.discrepancies:
            self.rows.writerow((patient_id or "", c.row if c.row is not None else row, c.field,
                                shown(c.ordered, c.unit), shown(c.expected, c.unit), difference_text(c),
                                c.rule, c.note))

    def close(self) -> None:
        if self.documents is not None:
            self.documents.close()
