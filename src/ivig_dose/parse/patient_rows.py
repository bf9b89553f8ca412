"""A row of a patient list turned into a plan request, the same way ``plan`` reads its options.

The header is checked once (exit 2 if the file cannot be a patient list); each row is then
read on its own, and a bad row raises :class:`InputError` for that row only. Columns:
``patient_id, weight, start`` (required), ``arm, days``, ``<course>_weight`` for every later
course of the protocol (``week4_weight``; R9), and the dosing-weight inputs ``height, sex,
dosing_weight, pregnant`` (R1), each read as ``plan`` reads the option of the same name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ivig_dose.core.errors import InputError
from ivig_dose.core.model import IVIG, PlanRequest
from ivig_dose.core.protocol import Protocol
from ivig_dose.parse.csv_table import CsvTable, Row
from ivig_dose.parse.dates import parse_date
from ivig_dose.parse.height import parse_height
from ivig_dose.parse.weight import parse_weight

if TYPE_CHECKING:
    from ivig_dose.core.rounding import Rounding

REQUIRED = ("patient_id", "weight", "start")
OPTIONAL = ("arm", "days", "height", "sex", "dosing_weight", "pregnant")
YES = ("yes", "y", "true", "1")
NO = ("no", "n", "false", "0", "")
WEIGHT_SUFFIX = "_weight"


@dataclass(frozen=True)
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
        raise InputError(f"{name}: column {column!r} names no course of the protocol; "
                         f"accepted: {accepted_columns(protocol)}") from exc
    if course.name == protocol.courses[0].name:
        raise InputError(f"{name}: column {column!r}: the {course.name} weight is the 'weight' column")
    return course.name


def patient_request(row: Row, columns: PatientColumns, day_first: bool | None,
                    rounding: Rounding | None = None) -> PlanRequest:
    """One row as a plan request; raises InputError naming the cell that is wrong."""
    if row.problem:
        raise InputError(row.problem)
    if not row.get("patient_id"):
        raise InputError("patient_id is empty; every row needs one")
    weight = row.get("weight")
    if not weight:
        raise InputError("weight is empty; accepted: a weight such as 72 or 72 kg")
    start = row.get("start")
    if not start:
        raise InputError("start is empty; accepted: a date such as 2027-01-04")
    course_weights = tuple(
        (course, parse_weight(row.get(column), what=f"{column}"))
        for course, column in columns.course_weights
        if row.get(column)
    )
    return PlanRequest(
        weight_kg=parse_weight(weight),
        start=parse_date(start, day_first),
        arm=row.get("arm").lower() or IVIG,
        days=parse_days(row.get("days")),
        course_weights=course_weights,
        height_cm=parse_height(row.get("height")) if row.get("height") else None,
        sex=row.get("sex").lower() or None,
        pregnant=parse_yes_no(row.get("pregnant"), "pregnant"),
        dosing_weight=row.get("dosing_weight").lower() or None,
        rounding=rounding,
    )


def parse_days(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        raise InputError(f"days {text!r} is not a whole number of days; accepted: e.g. 3, or empty for the default")
    return int(text)


def parse_yes_no(text: str, column: str) -> bool:
    answer = text.strip().lower()
    if answer not in YES + NO:
        raise InputError(f"{column} {text!r} is not yes or no; accepted: yes, no (or empty for no)")
    return answer in YES
