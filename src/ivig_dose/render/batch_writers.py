"""Streaming writers for ``batch``: one patient (or one checked order) at a time, nothing kept.

CSV is the plan CSV with a leading ``patient_id`` column; JSON Lines is one plan contract
object per line with ``patient_id`` added; JSON is the same objects as one list, written
piece by piece so that a million patients never sit in memory at once.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any, Protocol, TextIO

from ivig_dose.model import Plan
from ivig_dose.render.plan_csv import COLUMNS, plan_rows
from ivig_dose.render.plan_json import plan_document
from ivig_dose.render.plan_template import PATIENT_ID, Hole
from ivig_dose.render.verification_json import comparison_entry
from ivig_dose.render.verification_text import difference_text, shown
from ivig_dose.verification import Verification

CSV = "csv"
JSON = "json"
JSONL = "jsonl"
#: batch --verify in CSV: one row per discrepancy.
DISCREPANCY_COLUMNS = ("patient_id", "row", "field", "ordered", "expected", "difference", "rule", "note")


class DocumentWriter(Protocol):
    def encode(self, o: Any) -> str: ...

    def write(self, document: dict[str, Any]) -> None: ...

    def write_text(self, text: str) -> None: ...

    def close(self) -> None: ...


class JsonLinesWriter:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        # one encoder for the whole run: json.dumps with options builds a new one per call.
        self.encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode

    def write(self, document: dict[str, Any]) -> None:
        self.write_text(self.encode(document))

    def write_text(self, text: str) -> None:
        """One object already encoded, as :meth:`write` would have encoded it."""
        self.out.write(text + "\n")

    def close(self) -> None:
        """Nothing to finish: every line is complete on its own."""


class JsonListWriter(JsonLinesWriter):
    def __init__(self, out: TextIO) -> None:
        super().__init__(out)
        self.separator = "[\n"

    def write_text(self, text: str) -> None:
        self.out.write(self.separator + text)
        self.separator = ",\n"

    def close(self) -> None:
        self.out.write("[]\n" if self.separator == "[\n" else "\n]\n")


def document_writer(fmt: str, out: TextIO) -> DocumentWriter:
    return JsonListWriter(out) if fmt == JSON else JsonLinesWriter(out)


class PlanWriter:
    """Plans of a patient list, in the chosen format, each patient's text written whole.

    A patient's text is made in two steps, :meth:`parts` (the plan rendered, with holes where
    the patient id goes) and :meth:`write`, so that ``batch`` can render a plan once and fill
    it for every patient who shares it (:mod:`ivig_dose.render.plan_template`).
    """

    def __init__(self, fmt: str, out: TextIO, blinded: bool) -> None:
        self.fmt = fmt
        self.out = out
        self.blinded = blinded
        self.documents = None if fmt == CSV else document_writer(fmt, out)
        self.buffer = io.StringIO()
        self.rows = csv.writer(self.buffer, lineterminator="\n")
        if self.documents is None:
            out.write(self._csv_line(("patient_id", *COLUMNS)))

    def parts(self, plan: Plan) -> list[str | Hole]:
        """One JSON object with ``patient_id`` first, or one CSV line per bag led by it."""
        if self.documents is not None:
            document = self.documents.encode(plan_document(plan, self.blinded))
            return ['{"patient_id":', PATIENT_ID, "," + document[1:]]
        parts: list[str | Hole] = []
        for row in plan_rows(plan, self.blinded):
            # csv quotes each cell on its own, so the id cell can be written in front of the rest
            parts += [PATIENT_ID, "," + self._csv_line(row.values())]
        return parts

    def patient_id(self, patient_id: str) -> str:
        """The id as it is written into the text: a JSON string, or a CSV cell."""
        if self.documents is not None:
            return self.documents.encode(patient_id)
        return self._csv_line((patient_id,))[:-1]

    def text(self, patient_id: str, plan: Plan) -> str:
        """The patient's text, rendered for this plan alone."""
        cell = self.patient_id(patient_id)
        return "".join(cell if isinstance(part, Hole) else part for part in self.parts(plan))

    def write(self, text: str) -> None:
        if self.documents is not None:
            self.documents.write_text(text)
        else:
            self.out.write(text)

    def close(self) -> None:
        if self.documents is not None:
            self.documents.close()

    def _csv_line(self, cells: Iterable[str]) -> str:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.rows.writerow(cells)
        return self.buffer.getvalue()


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
