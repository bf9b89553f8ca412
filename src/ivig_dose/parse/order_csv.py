"""Orders in the plan CSV's shape (one row per bag), read into facts, one order at a time.

The columns are those ``plan --format csv`` writes (``course, week, date, day, setting,
weight_kg, dose_g, volume_ml, product, rules``, then the vials, the pump and
``weight_as_typed``); ``rules`` is explanation and is not checked. With a ``patient_id``
column (the shape ``batch`` writes) consecutive rows of one patient make one order, so a file
of many orders streams in constant memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from ivig_dose.core.blinding import BLINDED_PRODUCT
from ivig_dose.core.errors import InputError
from ivig_dose.core.order_facts import VIALS, WEIGHT_AS_TYPED, FactSheet, Node, OrderFacts, add_pump, vials_text
from ivig_dose.parse.csv_table import CsvTable, Row
from ivig_dose.parse.dates import parse_date
from ivig_dose.parse.order_result import OrderResult
from ivig_dose.parse.text import check_id
from ivig_dose.parse.units import parse_non_negative
from ivig_dose.parse.weight import add_weight_as_typed

REQUIRED = ("course", "day", "setting", "date", "weight_kg", "dose_g", "volume_ml")
PATIENT = "patient_id"
AMOUNTS = {"weight_kg": ("kg", "a weight such as 72.35"), "dosing_weight_kg": ("kg", "a weight such as 64.2"),
           "dose_g": ("g", "a dose such as 53.6"),
           "volume_ml": ("mL", "a volume such as 536")}


def read_csv_order(table: CsvTable) -> OrderFacts:
    """The one order in a file; a file with several patients is for ``batch --verify``."""
    results = iter_csv_orders(table)
    first = next(results, None)
    if first is None:
        raise InputError(f"{table.name} has a header but no rows; an order has at least one bag")
    if next(results, None) is not None:
        raise InputError(f"{table.name} holds orders for more than one patient; use 'ivig-dose batch --verify'")
    if isinstance(first.order, InputError):
        raise InputError(f"{table.name}: {first.order.message}")  # the message names the bad row
    return first.order


def iter_csv_orders(table: CsvTable) -> Iterator[OrderResult]:
    """Orders in file order; a bad row makes its whole order unusable (reported, then skipped)."""
    table.require(REQUIRED, "an order")
    sheet: FactSheet | None = None
    patient: str | None = None
    start = 0
    problem: InputError | None = None
    for row in table.rows():
        row_patient = row.get(PATIENT) or None
        if sheet is None or row_patient != patient:
            if sheet is not None:
                yield OrderResult(start, patient, problem or sheet.build(patient, start))
            sheet, patient, start, problem = FactSheet(), row_patient, row.line, None
        if problem is None:
            try:
                add_row(sheet, row)
            except InputError as exc:
                problem = InputError(f"row {row.line}: {exc.message}")
    if sheet is not None:
        yield OrderResult(start, patient, problem or sheet.build(patient, start))


def add_row(sheet: FactSheet, row: Row) -> None:
    """One bag: its place (course, day, setting) and what the row says about it."""
    if row.problem:
        raise InputError(row.problem)
    if row.get(PATIENT):
        check_id(row.get(PATIENT), PATIENT)
    course = _required(row, "course")
    day_text = _required(row, "day")
    if not (day_text.isascii() and day_text.isdigit()) or len(day_text) > 3:
        raise InputError(f"day {day_text!r} is not a day number; accepted: 1, 2, ...")
    setting = _required(row, "setting").lower()
    on: Node = (course, int(day_text))
    bag: Node = (*on, setting)
    for node in ((course,), on):
        sheet.open(node, row.line)
    if not sheet.open(bag, row.line):
        raise InputError(f"{course} day {day_text} {setting} appears twice; one row per bag")
    product = row.get("product")
    blinded = product.casefold() == BLINDED_PRODUCT.casefold()
    sheet.add(bag, "date", _date(row), row.line)
    week = row.get("week")
    if week:
        if not (week.isascii() and week.isdigit()) or len(week) > 4:
            raise InputError(f"week {week!r} is not a whole number; accepted: e.g. 4")
        sheet.add(bag, "week", int(week), row.line)
    sheet.add(bag, "weight_kg", _amount(row, "weight_kg"), row.line)
    add_weight_as_typed(sheet, bag, row.get(WEIGHT_AS_TYPED) or None, "", row.line)
    if row.get("dosing_weight_kg"):
        sheet.add(bag, "dosing_weight_kg", _amount(row, "dosing_weight_kg"), row.line)
    dose = row.get("dose_g")
    dose_g = _amount(row, "dose_g") if dose or not blinded else None
    sheet.add(bag, "dose_g", dose_g, row.line)
    sheet.add(bag, "volume_ml", _amount(row, "volume_ml"), row.line)
    sheet.add(bag, "product", product or None, row.line)
    _dispensing(sheet, bag, row, dose_g)


#: ``3 × 20 g`` in the vials column, ``42 mL/h for 30 min`` (``(capped)`` after it) in pump_steps.
_VIAL = re.compile(r"^\s*(\d+)\s*×\s*(\d+(?:\.\d+)?)\s*g\s*$")
_STEP = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*mL/h\s+for\s+(\d+(?:\.\d+)?)\s*min(?:\s*\(capped\))?\s*$")


def _dispensing(sheet: FactSheet, bag: Node, row: Row, dose_g: Decimal | None) -> None:
    """The plan CSV's vials, pump_steps and pump_min columns, when the file has them filled in.
    An empty vials cell on a bag with a pump program is a placebo bag: no vial."""
    vials, steps, total = row.get(VIALS), row.get("pump_steps"), row.get("pump_min")
    if vials:
        counts = []
        for item in vials.split("+"):
            found = _VIAL.match(item)
            if found is None:
                raise InputError(f"vials {vials!r} is not a vial list; accepted: e.g. 3 × 20 g + 1 × 10 g")
            counts.append((Decimal(found[2]), int(found[1])))
        sheet.add(bag, VIALS, vials_text(counts), row.line)
    elif steps and dose_g == 0:
        sheet.add(bag, VIALS, vials_text(()), row.line)
    if steps:
        program = []
        for item in steps.split("→"):
            found = _STEP.match(item)
            if found is None:
                raise InputError(f"pump_steps {steps!r} is not a pump program; accepted: e.g. "
                                 "42 mL/h for 30 min → 84 mL/h for 30 min")
            program.append((Decimal(found[1]), Decimal(found[2])))
        minutes = parse_non_negative(total, "min", "pump_min", "a run time in minutes such as 166") if total else None
        add_pump(sheet, bag, program, minutes, row.line)


def _required(row: Row, column: str) -> str:
    value = row.get(column)
    if not value:
        raise InputError(f"{column} is empty")
    return value


#: a dosing weight derived by an inexact division (an ideal weight from a height in inches) is
#: written with every one of Decimal's 28 digits; it is compared, never computed with.
_DERIVED_KG = re.compile(r"\d{1,3}\.\d{1,28}")


def _amount(row: Row, column: str) -> Decimal:
    unit, example = AMOUNTS[column]
    text = row.get(column)
    if not text:
        blinded = " (empty only in a blinded order)" if column == "dose_g" else ""
        raise InputError(f"{column} is empty{blinded}; accepted: {example}")
    if column == "dosing_weight_kg" and len(text) <= 32 and _DERIVED_KG.fullmatch(text.strip()):
        return Decimal(text.strip())
    return parse_non_negative(text, unit, column, example)


def _date(row: Row) -> date:
    return parse_date(_required(row, "date"))
