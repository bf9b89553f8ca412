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
from ivig_dose.core.messages import N_, message
from ivig_dose.core.order_document import TEXT, Leaf, LeafSheet, patient_not_checked
from ivig_dose.core.order_facts import VIALS, WEIGHT_AS_TYPED, FactSheet, Node, OrderFacts, add_pump, vials_text
from ivig_dose.parse.csv_table import CsvTable, Row
from ivig_dose.parse.dates import parse_date
from ivig_dose.parse.order_result import OrderResult
from ivig_dose.parse.order_text import check_order_text
from ivig_dose.parse.text import check_id
from ivig_dose.parse.units import parse_non_negative
from ivig_dose.parse.weight import add_weight_as_typed

REQUIRED = ("course", "day", "setting", "date", "weight_kg", "dose_g", "volume_ml")
PATIENT = "patient_id"
AMOUNTS = {"weight_kg": ("kg", message(N_("a weight such as 72.35"))),
           "dosing_weight_kg": ("kg", message(N_("a weight such as 64.2"))),
           "dose_g": ("g", message(N_("a dose such as 53.6"))),
           "volume_ml": ("mL", message(N_("a volume such as 536")))}


def read_csv_order(table: CsvTable) -> OrderFacts:
    """The one order in a file; a file with several patients is for ``batch --verify``."""
    results = iter_csv_orders(table)
    first = next(results, None)
    if first is None:
        raise InputError(message(N_("{name} has a header but no rows; an order has at least one bag"),
                                 name=table.name))
    if next(results, None) is not None:
        raise InputError(message(N_("{name} holds orders for more than one patient; use 'ivig-dose batch --verify'"),
                                 name=table.name))
    if isinstance(first.order, InputError):  # the message names the bad row
        raise InputError(message(N_("{name}: {problem}"), name=table.name, problem=first.order.said))
    return first.order


def iter_csv_orders(table: CsvTable) -> Iterator[OrderResult]:
    """Orders in file order; a bad row makes its whole order unusable (reported, then skipped)."""
    table.require(REQUIRED, message(N_("an order")))
    sheet: FactSheet | None = None
    patient: str | None = None
    start = 0
    problem: InputError | None = None
    leaves = LeafSheet()
    for row in table.rows():
        row_patient = row.get(PATIENT) or None
        if sheet is None or row_patient != patient:
            if sheet is not None:
                yield OrderResult(start, patient, problem or _built(sheet, leaves, patient, start))
            sheet, leaves, patient, start, problem = FactSheet(), LeafSheet(), row_patient, row.line, None
        if problem is None:
            try:
                add_row(sheet, row, leaves)
            except InputError as exc:
                problem = InputError(message(N_("row {row}: {problem}"), row=row.line, problem=exc.said))
    if sheet is not None:
        yield OrderResult(start, patient, problem or _built(sheet, leaves, patient, start))


def _built(sheet: FactSheet, leaves: LeafSheet, patient: str | None, start: int) -> OrderFacts:
    not_checked = () if patient is None else (patient_not_checked(patient),)
    return sheet.build(patient, start, leaves.build("csv", sheet.read, not_checked))


def cell_path(row: Row, column: str) -> str:
    """Where a cell is, as a person finds it: ``row 3 waste_g``."""
    return f"row {row.line} {column}"


#: the columns read into facts; every other cell is compared as written with the expected plan's CSV.
READ_COLUMNS = frozenset({"course", "day", "setting", "date", "week", "weight_kg", "dosing_weight_kg", "dose_g",
                          "volume_ml", "product", VIALS, "pump_steps", "pump_min", PATIENT})


def add_row(sheet: FactSheet, row: Row, leaves: LeafSheet | None = None) -> None:
    """One bag: its place (course, day, setting) and what the row says about it; each cell a
    leaf of the order's document."""
    if row.problem:
        raise InputError(row.problem)
    for column, cell in row.cells.items():
        check_order_text(cell, cell_path(row, column))
    if row.get(PATIENT):
        check_id(row.get(PATIENT), PATIENT)
    course = _required(row, "course")
    day_text = _required(row, "day")
    if not (day_text.isascii() and day_text.isdigit()) or len(day_text) > 3:
        raise InputError(message(N_("day {day!r} is not a day number; accepted: 1, 2, ..."), day=day_text))
    setting = _required(row, "setting").lower()
    on: Node = (course, int(day_text))
    bag: Node = (*on, setting)
    for node in ((course,), on):
        sheet.open(node, row.line)
    if not sheet.open(bag, row.line):
        raise InputError(message(N_("{course} day {day} {setting} appears twice; one row per bag"), course=course,
                                 day=day_text, setting=setting))
    product = row.get("product")
    blinded = product.casefold() == BLINDED_PRODUCT.casefold()
    sheet.add(bag, "date", _date(row), row.line)
    week = row.get("week")
    if week:
        if not (week.isascii() and week.isdigit()) or len(week) > 4:
            raise InputError(message(N_("week {week!r} is not a whole number; accepted: e.g. 4"), week=week))
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
    sheet.read.update(cell_path(row, column) for column in READ_COLUMNS if column in row.cells)
    if leaves is not None:
        leaves.leaves += [Leaf(bag, column, cell, TEXT, cell_path(row, column), row.line)
                          for column, cell in row.cells.items() if column]


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
                raise InputError(message(N_("vials {vials!r} is not a vial list; accepted: e.g. 3 × 20 g + 1 × 10 g"),
                                         vials=vials))
            counts.append((Decimal(found[2]), int(found[1])))
        sheet.add(bag, VIALS, vials_text(counts), row.line)
    elif steps and dose_g == 0:
        sheet.add(bag, VIALS, vials_text(()), row.line)
    if steps:
        program = []
        for item in steps.split("→"):
            found = _STEP.match(item)
            if found is None:
                raise InputError(message(N_("pump_steps {steps!r} is not a pump program; accepted: e.g. 42 mL/h for "
                                            "30 min → 84 mL/h for 30 min"), steps=steps))
            program.append((Decimal(found[1]), Decimal(found[2])))
        minutes = parse_non_negative(total, "min", "pump_min", message(N_("a run time in minutes such as 166"))) \
            if total else None
        add_pump(sheet, bag, program, minutes, row.line)


def _required(row: Row, column: str) -> str:
    value = row.get(column)
    if not value:
        raise InputError(message(N_("{column} is empty"), column=column))
    return value


#: a dosing weight derived by an inexact division (an ideal weight from a height in inches) is
#: written with every one of Decimal's 28 digits; it is compared, never computed with.
_DERIVED_KG = re.compile(r"\d{1,3}\.\d{1,28}")


def _amount(row: Row, column: str) -> Decimal:
    unit, example = AMOUNTS[column]
    text = row.get(column)
    if not text:
        if column == "dose_g":
            raise InputError(message(N_("{column} is empty (empty only in a blinded order); accepted: {example}"),
                                     column=column, example=example))
        raise InputError(message(N_("{column} is empty; accepted: {example}"), column=column, example=example))
    if column == "dosing_weight_kg" and len(text) <= 32 and _DERIVED_KG.fullmatch(text.strip()):
        return Decimal(text.strip())
    return parse_non_negative(text, unit, column, example)


def _date(row: Row) -> date:
    return parse_date(_required(row, "date"))
