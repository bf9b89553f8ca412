"""Orders in the plan contract's JSON shape (``ivig-dose/plan/v1``), read into facts; a FHIR
Bundle is handed to :mod:`ivig_dose.parse.order_fhir`.

Every number is read as an exact decimal. Keys the contract marks as totals are optional
(an order from another system may leave them out, and they are recomputed anyway); what
identifies a bag (course name, day number, setting) and the bag's volume are required,
and so is its dose unless the order is blinded. Problems name the JSON path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from ivig_dose.core.blinding import BLINDED_PRODUCT
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message, neutral
from ivig_dose.core.model import PLAN_SCHEMA as SCHEMA
from ivig_dose.core.order_document import NotChecked, patient_not_checked
from ivig_dose.core.order_facts import (
    OVERRIDE_BASIS,
    VIALS,
    WEIGHT_AS_TYPED,
    FactSheet,
    Node,
    OrderFacts,
    add_pump,
    vials_text,
    yes_no,
)
from ivig_dose.parse.order_leaves import plan_leaves
from ivig_dose.parse.order_result import OrderResult
from ivig_dose.parse.order_text import check_order_strings
from ivig_dose.parse.weight import add_weight_as_typed

#: the most digits a number of an order may have, and the largest it may be: 17 is the most a
#: double's shortest form ever needs (a plan writes an ideal weight such as 68.68110236220473 kg),
#: far inside the 28 digits Decimal computes with (docs/limits.md).
MAX_DIGITS = 17
MAX_MAGNITUDE = Decimal(10) ** 6
#: how deeply an order may nest: a plan document is 5 levels deep.
MAX_DEPTH = 20


def _number(text: str) -> Decimal:
    """A JSON number as an exact Decimal, refused when no order could hold it."""
    if len(text) > 40:
        raise InputError(message(N_("number {text}... is {length} characters long; accepted: a number below {max} "
                                    "with at most {digits} digits"), text=text[:20], length=len(text),
                                 max=MAX_MAGNITUDE, digits=MAX_DIGITS))
    number = Decimal(text)
    if abs(number) >= MAX_MAGNITUDE or len(number.normalize().as_tuple().digits) > MAX_DIGITS:
        raise InputError(message(N_("number {text} is out of range; accepted: a number below {max} with at most "
                                    "{digits} digits"), text=text, max=MAX_MAGNITUDE, digits=MAX_DIGITS))
    return number


def _whole(text: str) -> int | Decimal:
    number = _number(text)
    return int(number)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are each given once: ``"dose_g": 99, "dose_g": 30`` is ambiguous
    (most readers keep the last, some the first), so it is refused rather than read one way."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise InputError(message(N_("key {key!r} appears twice in one object; accepted: each key once"),
                                     key=key))
        found[key] = value
    return found


def parse_json(text: str, where: str) -> Any:
    try:
        document = json.loads(text, parse_float=_number, parse_int=_whole, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise InputError(message(N_("{where}: not valid JSON ({problem} at line {line} column {column})"),
                                 where=where, problem=exc.msg, line=exc.lineno, column=exc.colno)) from exc
    except InputError as exc:
        raise InputError(message(N_("{where}: {problem}"), where=where, problem=exc.said)) from exc
    except RecursionError as exc:
        raise _too_deep(where) from exc
    if _depth(document) > MAX_DEPTH:
        raise _too_deep(where)
    return document


def _too_deep(where: str) -> InputError:
    return InputError(message(N_("{where}: nested too deeply to be an order; accepted: at most {depth} levels"),
                              where=where, depth=MAX_DEPTH))


def _depth(value: Any, limit: int = MAX_DEPTH + 1) -> int:
    """How deeply lists and objects nest, counted no further than ``limit``."""
    if limit <= 0 or not isinstance(value, dict | list):
        return 0
    items = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(item, limit - 1) for item in items), default=0)


def read_json_order(text: str, name: str) -> OrderFacts:
    """One order document (a whole file)."""
    document = parse_json(text, name)
    if isinstance(document, list):
        raise InputError(message(N_("{name} holds a list of orders; check one order at a time, or use 'batch "
                                    "--verify'"), name=name))
    return order_from_document(document, name)


def iter_json_orders(lines: Iterator[str], name: str) -> Iterator[OrderResult]:
    """A JSON list of orders (read whole) or JSON Lines, one order per line (streamed)."""
    first = ""
    for line_number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if not first:
            first = line.lstrip()[:1]
            if first == "[":
                yield from _list_orders(line + "".join(lines), name)
                return
        yield _line_order(line, message(N_("{name} line {line}"), name=name, line=line_number), line_number)


def _line_order(line: str, where: str, row: int) -> OrderResult:
    patient_id = None
    try:
        document = parse_json(line, where)
        if isinstance(document, dict):
            patient_id = _patient_id(document)
        return OrderResult(row, patient_id, order_from_document(document, where, row))
    except InputError as exc:
        return OrderResult(row, patient_id, exc)


def _list_orders(text: str, name: str) -> Iterator[OrderResult]:
    """The orders of a text that starts with ``[``: valid JSON that starts so is always a list."""
    documents = parse_json(text, name)
    for index, document in enumerate(documents, start=1):
        patient_id = _patient_id(document) if isinstance(document, dict) else None
        try:
            where = message(N_("{name} order {index}"), name=name, index=index)
            yield OrderResult(index, patient_id, order_from_document(document, where, index))
        except InputError as exc:
            yield OrderResult(index, patient_id, exc)


def _patient_id(document: dict[str, Any]) -> str | None:
    from ivig_dose.parse.order_fhir import bundle_patient_id, is_bundle

    if is_bundle(document):
        return bundle_patient_id(document)
    value = document.get("patient_id")
    return None if value is None else str(value)


def order_from_document(document: Any, where: str, row: int | None = None) -> OrderFacts:
    """A plan contract document, or a FHIR Bundle as ``plan -f fhir`` writes it."""
    from ivig_dose.parse.order_fhir import is_bundle, order_from_bundle

    check_order_strings(document, where)
    if is_bundle(document):
        return order_from_bundle(document, where, row)
    sheet = FactSheet()
    doc = _Doc(where, sheet.read)
    top = doc.object(document, "")
    schema = top.get("schema")
    if schema is not None and schema != SCHEMA:
        raise InputError(message(N_("{where}: schema {schema!r} is not an order; accepted: {accepted!r}"), where=where,
                                 schema=schema, accepted=SCHEMA))
    sheet.add((), "protocol", doc.text(top, "protocol", "", optional=True), row)
    sheet.add((), "protocol_version", doc.text(top, "protocol_version", "", optional=True), row)
    product = doc.object(top.get("product", {}), "product")
    blinded = top.get("blinded") is True or product.get("name") == BLINDED_PRODUCT
    sheet.add((), "weight_kg", doc.number(top, "weight_kg", "", optional=True), row)
    # the text a weight was typed as is compared as written too (a leaf), not only the kg it stands for
    add_weight_as_typed(sheet, (), doc.text(top, WEIGHT_AS_TYPED, "", optional=True, mark=False),
                        neutral("{where}: ", where=where), row)
    sheet.add((), "dosing_weight_kg", doc.number(top, "dosing_weight_kg", "", optional=True), row)
    sheet.add((), "dosing_weight_basis", doc.text(top, "dosing_weight_basis", "", optional=True), row)
    override = doc.flag(top, "dosing_weight_override", "")
    sheet.add((), "dosing_weight_override", None if override is None else yes_no(override), row)
    sheet.add((), OVERRIDE_BASIS, doc.text(top, OVERRIDE_BASIS, "", optional=True), row)
    sheet.add((), "arm", doc.text(top, "arm", "", optional=True), row)
    sheet.add((), "product", doc.text(product, "name", "product.", optional=True), row)
    sheet.add((), "concentration_mg_per_ml",
              doc.number(product, "concentration_mg_per_ml", "product.", optional=True), row)
    for key in ("course_dose_g", "total_dose_g", "total_volume_ml"):
        sheet.add((), key, doc.number(top, key, "", optional=True), row)
    sheet.add((), "days_per_course", doc.whole(top, "days_per_course", "", optional=True), row)
    courses = doc.array(top.get("courses"), "courses")
    if not courses:
        raise InputError(message(N_("{where}: courses is empty; an order has at least one course"), where=where))
    for c_index, course_value in enumerate(courses):
        path = f"courses[{c_index}]."
        course = doc.object(course_value, path.rstrip("."))
        name = doc.text(course, "name", path)
        assert name is not None
        at: Node = (name,)
        if not sheet.open(at, row):
            raise InputError(message(N_("{where}: {path}name {name!r} appears twice; each course once"), where=where,
                                     path=path, name=name))
        sheet.add(at, "week", doc.whole(course, "week", path, optional=True), row)
        sheet.add(at, "start", doc.date(course, "start", path, optional=True), row)
        sheet.add(at, "weight_kg", doc.number(course, "weight_kg", path, optional=True), row)
        add_weight_as_typed(sheet, at, doc.text(course, WEIGHT_AS_TYPED, path, optional=True, mark=False),
                            neutral("{where}: {path}", where=where, path=path), row)
        sheet.add(at, "dosing_weight_kg", doc.number(course, "dosing_weight_kg", path, optional=True), row)
        sheet.add(at, "dosing_weight_basis", doc.text(course, "dosing_weight_basis", path, optional=True), row)
        sheet.add(at, "dose_g", doc.number(course, "dose_g", path, optional=True), row)
        sheet.add(at, "volume_ml", doc.number(course, "volume_ml", path, optional=True), row)
        for d_index, day_value in enumerate(doc.array(course.get("days"), f"{path}days")):
            day_path = f"{path}days[{d_index}]."
            day = doc.object(day_value, day_path.rstrip("."))
            on: Node = (name, doc.whole(day, "day", day_path) or 0)
            if not sheet.open(on, row):
                raise InputError(message(N_("{where}: {path}day {day} appears twice in course {name!r}"), where=where,
                                         path=day_path, day=on[1], name=name))
            sheet.add(on, "date", doc.date(day, "date", day_path), row)
            sheet.add(on, "dose_g", doc.number(day, "dose_g", day_path, optional=True), row)
            sheet.add(on, "volume_ml", doc.number(day, "volume_ml", day_path, optional=True), row)
            for s_index, segment_value in enumerate(doc.array(day.get("segments"), f"{day_path}segments")):
                s_path = f"{day_path}segments[{s_index}]."
                segment = doc.object(segment_value, s_path.rstrip("."))
                setting = (doc.text(segment, "setting", s_path) or "").lower()
                bag: Node = (*on, setting)
                if not sheet.open(bag, row):
                    raise InputError(message(N_("{where}: {path}setting {setting!r} appears twice on day {day}"),
                                             where=where, path=s_path, setting=setting, day=on[1]))
                sheet.add(bag, "dose_g", doc.number(segment, "dose_g", s_path, optional=blinded), row)
                sheet.add(bag, "volume_ml", doc.number(segment, "volume_ml", s_path), row)
                _dispensing(doc, sheet, bag, segment, s_path, row)
    patient_id = _patient_id(top)
    not_checked: tuple[NotChecked, ...] = ()
    if patient_id is not None:
        from ivig_dose.parse.text import check_id

        check_id(patient_id, "patient_id")
        sheet.read.add("patient_id")
        not_checked = (patient_not_checked(patient_id),)
    document_leaves = plan_leaves(top, row).build("json", sheet.read, not_checked, digest=top.get("input_digest"))
    return sheet.build(patient_id, row, document_leaves)


def _dispensing(doc: _Doc, sheet: FactSheet, bag: Node, segment: dict[str, Any], path: str,
                row: int | None) -> None:
    """A bag's vials and pump program, when the order carries them (``null`` or absent: not stated)."""
    vials = segment.get("vials")
    if vials is not None:
        counts = []
        for index, value in enumerate(doc.array(vials, f"{path}vials")):
            vial = doc.object(value, f"{path}vials[{index}]")
            size = doc.number(vial, "grams", f"{path}vials[{index}].")
            count = doc.whole(vial, "count", f"{path}vials[{index}].")
            assert size is not None and count is not None
            counts.append((size, count))
        sheet.add(bag, VIALS, vials_text(counts), row)
    pump = segment.get("pump")
    if pump is None:
        return
    program = doc.object(pump, f"{path}pump")
    steps = []
    for index, value in enumerate(doc.array(program.get("steps"), f"{path}pump.steps")):
        step_path = f"{path}pump.steps[{index}]."
        step = doc.object(value, step_path.rstrip("."))
        rate, minutes = doc.number(step, "rate_ml_per_h", step_path), doc.number(step, "minutes", step_path)
        assert rate is not None and minutes is not None
        steps.append((rate, minutes))
    add_pump(sheet, bag, steps, doc.number(program, "duration_min", f"{path}pump.", optional=True), row)


class _Doc:
    """Typed reads from the parsed JSON; every problem names the path and what is accepted, and
    every value read is marked in ``read``: it is compared as a fact, the others as leaves."""

    def __init__(self, where: str, read: set[str]) -> None:
        self.where = where
        self.read = read

    def fail(self, path: str, what: str) -> InputError:
        return InputError(message(N_("{where}: {path}: {problem}"), where=self.where, path=path, problem=what))

    def object(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path or message(N_("document")), message(N_("expected a JSON object")))
        return value

    def array(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(path, message(N_("missing, or not a JSON list")))
        return value

    def _get(self, parent: dict[str, Any], key: str, path: str, optional: bool, mark: bool = True) -> Any:
        value = parent.get(key)
        if value is None and not optional:
            raise self.fail(path + key, message(N_("missing (required in an order)")))
        if value is not None and mark:
            self.read.add(path + key)
        return value

    def number(self, parent: dict[str, Any], key: str, path: str, optional: bool = False) -> Decimal | None:
        value = self._get(parent, key, path, optional)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise self.fail(path + key, message(N_("{value} is not a number; accepted: a JSON number such as 53.6"),
                                                value=repr(value)))
        # a float (from a caller's own json.load) as the shortest text that reads back the same
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite() or number < 0:
            raise self.fail(path + key, message(N_("{value} must be a number not below 0"), value=repr(value)))
        return number

    def whole(self, parent: dict[str, Any], key: str, path: str, optional: bool = False) -> int | None:
        value = self._get(parent, key, path, optional)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(path + key, message(N_("{value} is not a whole number; accepted: e.g. 2"),
                                                value=repr(value)))
        return value

    def flag(self, parent: dict[str, Any], key: str, path: str) -> bool | None:
        value = self._get(parent, key, path, optional=True)
        if value is not None and not isinstance(value, bool):
            raise self.fail(path + key, message(N_("{value} is not true or false"), value=repr(value)))
        return value

    def text(self, parent: dict[str, Any], key: str, path: str, optional: bool = False,
             mark: bool = True) -> str | None:
        value = self._get(parent, key, path, optional, mark)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path + key, message(N_("{value} is not a text"), value=repr(value)))
        return value.strip()

    def date(self, parent: dict[str, Any], key: str, path: str, optional: bool = False) -> date | None:
        value = self.text(parent, key, path, optional)
        if value is None:
            return None
        from ivig_dose.parse.dates import in_range

        try:
            return in_range(date.fromisoformat(value), value)
        except InputError as exc:  # before ValueError, which it is
            raise self.fail(path + key, exc.said) from exc
        except ValueError as exc:
            raise self.fail(path + key, message(N_("{value} is not an ISO date; accepted: e.g. 2027-01-04"),
                                                value=repr(value))) from exc
