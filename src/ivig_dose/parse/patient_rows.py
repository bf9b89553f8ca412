"""A row of a patient list as plan inputs, read afterwards exactly as ``plan``'s options are.

The header is checked once (exit 2 if the file cannot be a patient list); each row is then
read on its own, and a bad row raises :class:`InputError` for that row only. Columns:
``patient_id, weight, start`` (required), ``arm, days``, ``<course>_weight`` for every later
course of the protocol (``week4_weight``; R9), and the dosing-weight inputs ``height, sex,
dosing_weight, pregnant, age`` (R1) and ``risk`` (``thrombosis``, ``renal`` or both, as
``thrombosis+renal``), each read as ``plan`` reads the option of the same name.
"""

from __future__ import annotations

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.core.protocol import Protocol
from ivig_dose.core.records import frozen
from ivig_dose.parse.csv_table import CsvTable, Row
from ivig_dose.parse.plan_inputs import CourseWeight, PlanInputs
from ivig_dose.parse.text import check_id

REQUIRED = ("patient_id", "weight", "start")
OPTIONAL = ("arm", "days", "height", "sex", "dosing_weight", "pregnant", "risk", "age")
WEIGHT_SUFFIX = "_weight"


@frozen
class PatientColumns:
    """What the header offers: the course weight columns by protocol course name, and what is ignored."""

    course_weights: tuple[tuple[str, str], ...]
    ignored: tuple[str, ...]


def check_header(table: CsvTable, protocol: Protocol) -> PatientColumns:
    table.require(REQUIRED, "a patient list")
    course_weights = []
    ignored = []
    for column in table.columns:
        if column in REQUIRED or column in OPTIONAL or not column:
            continue
        if column.endswith(WEIGHT_SUFFIX):
            course_weights.append((course_of(column, table.name, protocol), column))
        else:
            ignored.append(column)
    return PatientColumns(tuple(course_weights), tuple(ignored))


def accepted_columns(protocol: Protocol) -> str:
    later = [f"{c.name.replace(' ', '')}{WEIGHT_SUFFIX}" for c in protocol.courses[1:]]
    return ", ".join([*REQUIRED, *OPTIONAL, *later])


def course_of(column: str, name: str, protocol: Protocol) -> str:
    """``week4_weight`` -> "week 4"; the first course's weight is the ``weight`` column."""
    try:
        course = protocol.course_named(column.removesuffix(WEIGHT_SUFFIX))
    except InputError as exc:
        raise InputError(message(N_("{name}: column {column!r} names no course of the protocol; accepted: {accepted}"),
                                 name=name, column=column, accepted=accepted_columns(protocol))) from exc
    if course.name == protocol.courses[0].name:
        raise InputError(message(N_("{name}: column {column!r}: the {course} weight is the 'weight' column"),
                                 name=name, column=column, course=course.name))
    return course.name


def patient_inputs(row: Row, columns: PatientColumns, day_first: bool | None) -> PlanInputs:
    """One row's inputs as typed, for the reader ``plan``'s options go through; raises InputError
    naming the cell that is missing."""
    if row.problem:
        raise InputError(row.problem)
    if not row.get("patient_id"):
        raise InputError(message(N_("patient_id is empty; every row needs one")))
    check_id(row.get("patient_id"), "patient_id")
    weight = row.get("weight")
    if not weight:
        raise InputError(message(N_("weight is empty; accepted: a weight such as 72 or 72 kg")))
    start = row.get("start")
    if not start:
        raise InputError(message(N_("start is empty; accepted: a date such as 2027-01-04")))
    return PlanInputs(
        weight=weight,
        start=start,
        arm=row.get("arm"),
        days=row.get("days"),
        course_weights=tuple(CourseWeight(course, row.get(column), column)
                             for course, column in columns.course_weights if row.get(column)),
        height=row.get("height"),
        sex=row.get("sex"),
        dosing_weight=row.get("dosing_weight"),
        pregnant=row.get("pregnant"),
        day_first=day_first,
        risk=row.get("risk"),
        age=row.get("age"),
    )
