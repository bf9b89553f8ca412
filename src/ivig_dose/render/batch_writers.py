"""Streaming writers for ``batch``: one patient (or one checked order) at a time, nothing kept.

CSV is the plan CSV with a leading ``patient_id`` column; JSON Lines is one plan contract
object per line with ``patient_id`` added; JSON is the same objects as one list, written
piece by piece so that a million patients never sit in memory at once. FHIR is NDJSON, one
Bundle per patient a line (:mod:`ivig_dose.render.plan_fhir`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import IO, Any, AnyStr, BinaryIO, Generic, TextIO

from ivig_dose.core.model import Plan
from ivig_dose.core.verification import Verification
from ivig_dose.render.csv_cells import safe_cells
from ivig_dose.render.plan_csv import COLUMNS, plan_rows
from ivig_dose.render.plan_json import plan_document
from ivig_dose.render.plan_template import PATIENT_ID, PATIENT_ID_IN_TEXT, WARNINGS, Hole, Place
from ivig_dose.render.verification_json import comparison_entry
from ivig_dose.render.verification_text import difference_text, shown

CSV = "csv"
JSON = "json"
JSONL = "jsonl"
FHIR = "fhir"
#: a FHIR bundle is rendered for this stand-in id and cut where it and the resource ids (marked
#: between two private-use characters) stand; neither character is in any text a plan holds.
_MARK = "\ue000"
_STAND_IN = f"{_MARK}patient{_MARK}"
#: a stand-in last warning of a FHIR bundle's plan: where a patient's own warnings go in each request's notes.
_WARNINGS_STAND_IN = f"{_MARK}warnings{_MARK}"
#: batch --verify in CSV: one row per discrepancy.
DISCREPANCY_COLUMNS = ("patient_id", "row", "field", "ordered", "expected", "difference", "rule", "note")


class JsonDocuments(Generic[AnyStr]):
    """JSON documents one after another: one a line (JSON Lines) or, ``listed``, as one JSON list.
    To a text stream, or to a binary one as UTF-8 (``as_written`` turns text into what ``out`` takes)."""

    def __init__(self, out: IO[AnyStr], as_written: Callable[[str], AnyStr], listed: bool) -> None:
        self.out: IO[AnyStr] = out
        self.as_written: Callable[[str], AnyStr] = as_written
        self.listed = listed
        self.newline: AnyStr = as_written("\n")
        self.first: AnyStr = as_written("[\n")
        self.between: AnyStr = as_written(",\n")
        self.separator: AnyStr = self.first
        # one encoder for the whole run: json.dumps with options builds a new one per call.
        self.encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode

    def write(self, document: dict[str, Any]) -> None:
        self.write_text(self.as_written(self.encode(document)))

    def write_text(self, text: AnyStr) -> None:
        """One object already encoded, as :meth:`write` would have encoded it."""
        if self.listed:
            self.out.write(self.separator + text)
            self.separator = self.between
        else:
            self.out.write(text + self.newline)

    def close(self) -> None:
        """Ends the list; JSON Lines need nothing: every line is complete on its own."""
        if self.listed:
            self.out.write(self.as_written("[]\n" if self.separator == self.first else "\n]\n"))


def document_writer(fmt: str, out: IO[AnyStr], as_written: Callable[[str], AnyStr]) -> JsonDocuments[AnyStr]:
    return JsonDocuments(out, as_written, listed=fmt == JSON)


def _cut_at_marks(text: str, holes: dict[str, Hole]) -> list[str | Hole]:
    """``text`` cut where each of ``holes`` stands (each is text around one mark pair, such as
    ``"\ue000patient\ue000"``), as a regular expression of them all would cut it: a hole is
    matched where it begins first (its text before the marks is there), the first of ``holes``
    where two begin alike; marks no hole fits stay in the text.

    One pass of str.split over the text: a regular expression of some sixty markers, tried at
    every quote of a 40 kB bundle, cost a fifth of rendering it."""
    around: dict[str, list[tuple[str, str, Hole]]] = {}
    for key, hole in holes.items():
        before, name, after = key.split(_MARK)
        around.setdefault(name, []).append((before, after, hole))
    for fits in around.values():
        fits.sort(key=lambda fit: -len(fit[0]))  # stable: the first of holes among those that begin alike
    pieces = text.split(_MARK)  # each piece after the first follows a mark
    parts: list[str | Hole] = [pieces[0]]
    index = 1
    while index < len(pieces):
        written = parts[-1]
        assert isinstance(written, str)
        if index + 1 < len(pieces):  # a pair of marks, a name between them
            name, after = pieces[index], pieces[index + 1]
            fit = next(((before, behind, hole) for before, behind, hole in around.get(name, ())
                        if written.endswith(before) and after.startswith(behind)), None)
            if fit is not None:
                before, behind, hole = fit
                parts[-1] = written[:len(written) - len(before)]
                parts += (hole, after[len(behind):])
                index += 2
                continue
        parts[-1] = f"{written}{_MARK}{pieces[index]}"  # a mark that begins no hole is text
        index += 1
    return parts


class PlanWriter:
    """Plans of a patient list, in the chosen format, each patient's text written whole.

    A patient's text is made in two steps, :meth:`parts` (the plan rendered, with holes where
    the patient id goes) and :meth:`write`, so that ``batch`` can render a plan once and fill
    it for every patient who shares it (:mod:`ivig_dose.render.plan_template`). Texts are
    written as UTF-8 bytes: a shared plan is then encoded once, not once for every patient.
    """

    def __init__(self, fmt: str, out: BinaryIO, blinded: bool, authored: datetime | None = None) -> None:
        self.fmt = fmt
        self.out = out
        self.blinded = blinded
        #: FHIR only: the run's generation time, every request's ``authoredOn``.
        self.authored = authored or datetime.now().astimezone()
        self.documents = None if fmt == CSV else document_writer(fmt, out, str.encode)
        self.buffer = io.StringIO()
        self.rows = csv.writer(self.buffer, lineterminator="\n")
        if self.documents is None:
            out.write(self._csv_line(("patient_id", *COLUMNS)).encode())

    def parts(self, plan: Plan, digest: str | None = None) -> list[str | Hole]:
        """One JSON object with ``patient_id`` first, or one CSV line per bag led by it; for FHIR the
        bundle, with holes for the patient id and each resource's id (made from the patient id)."""
        if self.fmt == FHIR:
            return self._fhir_parts(plan, digest)
        if self.documents is not None:
            document = plan_document(plan, self.blinded, digest)
            text = self.documents.encode(document)
            # a patient's own warnings go at the end of the plan's: a key's quotes are never escaped,
            # a string's always are, so this is the document's own "warnings" list
            listed = '"warnings":' + self.documents.encode(document["warnings"])
            head, found, tail = text.partition(listed)
            assert found, "the document's warnings are where its encoder put them"
            return ['{"patient_id":', PATIENT_ID, "," + head[1:] + listed[:-1], WARNINGS, "]" + tail]
        parts: list[str | Hole] = []
        for row in plan_rows(plan, self.blinded):
            # csv quotes each cell on its own, so the id cell can be written in front of the rest
            parts += [PATIENT_ID, "," + self._csv_line(row.values())]
        return parts

    def _fhir_parts(self, plan: Plan, digest: str | None) -> list[str | Hole]:
        """The bundle rendered for a stand-in patient id, then cut where the id, the resource ids and
        the patient's own warnings (after the plan's, in every request's notes) go."""
        from ivig_dose.render.plan_fhir import place_name, plan_bundle, warning_note

        assert self.documents is not None
        # a request's notes always begin with the rules that shaped it, so a warning follows a comma
        own = "," + self.documents.encode(warning_note(_WARNINGS_STAND_IN))
        holes: dict[str, Hole] = {f'"{_STAND_IN}"': PATIENT_ID, _STAND_IN: PATIENT_ID_IN_TEXT, own: WARNINGS}
        plan = replace(plan, warnings=(*plan.warnings, _WARNINGS_STAND_IN))

        def url(_patient_id: str, plan: Plan, *place: str | int) -> str:
            marker = f"{_MARK}{len(holes)}{_MARK}"
            holes[marker] = Place(place_name(plan.protocol_id, *place))
            return marker

        text = self.documents.encode(plan_bundle(plan, self.blinded, _STAND_IN, self.authored, digest, url))
        return _cut_at_marks(text, holes)

    def warnings_text(self, before: int, warnings: Iterable[str]) -> str:
        """``warnings`` as a patient's text holds them after the ``before`` warnings of their plan:
        JSON strings each after a comma, FHIR notes each after a comma; nothing in a CSV row, which
        shows no warnings."""
        if self.documents is None:
            return ""
        if self.fmt == FHIR:
            from ivig_dose.render.plan_fhir import warning_note

            return "".join("," + self.documents.encode(warning_note(warning)) for warning in warnings)
        return "".join(("," if before or index else "") + self.documents.encode(warning)
                       for index, warning in enumerate(warnings))

    def patient_id(self, patient_id: str) -> str:
        """The id as it is written into the text: a JSON string, or a CSV cell."""
        if self.documents is not None:
            return self.documents.encode(patient_id)
        return self._csv_line((patient_id,))[:-1]

    def hole_texts(self, patient_id: str, holes: tuple[Hole, ...], warnings: str = "") -> list[str]:
        """What fills each of a template's named holes for this patient; ``warnings``: their own
        warnings, as :meth:`warnings_text` writes them."""
        written = self.patient_id(patient_id)
        if holes == (PATIENT_ID, WARNINGS):
            return [written, warnings]
        if holes == (PATIENT_ID,):
            return [written]
        from ivig_dose.render.plan_fhir import named_url

        return [written if hole == PATIENT_ID else written[1:-1] if hole == PATIENT_ID_IN_TEXT
                else warnings if hole == WARNINGS else named_url(patient_id, hole) for hole in holes]

    @property
    def shows_warnings(self) -> bool:
        """Whether a patient's text shows their plan's warnings: JSON and FHIR do, a CSV row does not."""
        return self.documents is not None

    def text(self, patient_id: str, plan: Plan) -> bytes:
        """The patient's text, rendered for this plan alone."""
        if self.fmt == FHIR:
            from ivig_dose.render.plan_fhir import plan_bundle

            assert self.documents is not None
            return self.documents.encode(plan_bundle(plan, self.blinded, patient_id, self.authored)).encode()
        cell = self.patient_id(patient_id)
        # the plan's warnings are all its own here: the hole for more stays empty
        return "".join((cell if part == PATIENT_ID else "") if isinstance(part, Hole) else part
                       for part in self.parts(plan)).encode()

    def write(self, text: bytes) -> None:
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
        self.rows.writerow(safe_cells(cells))
        return self.buffer.getvalue()


class VerificationWriter:
    """Checked orders: every discrepancy as a CSV row, or every order as a JSON object."""

    def __init__(self, fmt: str, out: TextIO) -> None:
        self.documents = None if fmt == CSV else document_writer(fmt, out, str)
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
            self.rows.writerow(safe_cells((patient_id or "", c.row if c.row is not None else row, c.field,
                                           shown(c.ordered, c.unit, absent=c.absent_ordered, weekday=False),
                                           shown(c.expected, c.unit, absent=c.absent_expected, weekday=False),
                                           difference_text(c), c.rule, c.note)))

    def close(self) -> None:
        if self.documents is not None:
            self.documents.close()
