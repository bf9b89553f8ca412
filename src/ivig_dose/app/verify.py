"""The double check: an order (a file, or one bag read off its label) in, a verification out.

The expected plan is made by :func:`ivig_dose.app.plan.plan_request`, the step every command
plans through, with the run's :class:`~ivig_dose.app.plan.Setup`: so a protocol's default
rounding is expected exactly as ``plan`` applies it, and ``verify`` of ``plan``'s own order is
a match. The order's own totals are compared, never believed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message

if TYPE_CHECKING:
    from ivig_dose.app.plan import Setup
    from ivig_dose.core.order_facts import OrderFacts
    from ivig_dose.core.protocol import Protocol
    from ivig_dose.core.rounding import Rounding
    from ivig_dose.core.tolerance import Tolerance
    from ivig_dose.core.verification import Given, Planner, Verification
    from ivig_dose.parse.plan_inputs import CourseWeight

BEDSIDE = message(N_("--weight, --course, --day and --volume or --dose"))


def planner(run: Setup) -> Planner:
    """The step ``plan`` itself takes from a request to a plan, with the run's product: an order
    made with ``--product`` names that product, as the expected plan must."""
    from ivig_dose.app.plan import plan_request

    return lambda request: plan_request(request, run)


def roundings(round_to: str | None, run: Setup) -> tuple[tuple[str, Rounding | None], ...]:
    """The roundings an order may have been made with, tried in order: ``--round`` as given; else
    the run's default (the protocol's rounding, or exact), then the other ways ``plan`` rounds
    (exact, whole vials of the product), each named by the option that makes it."""
    from ivig_dose.parse.dispensing_options import VIALS, parse_rounding

    if round_to is not None:
        return ((f"--round {round_to.strip()}", run.rounding),)
    tried: list[tuple[str, Rounding | None]] = [("", run.rounding)]
    if run.rounding is not None:
        tried.append(("--round none", None))
    if run.product is not None:
        vials = parse_rounding(VIALS, run.product)
        if vials != run.rounding:
            tried.append((f"--round {VIALS}", vials))
    return tuple(tried)


def given_inputs(
    weight: str | None, start: str | None, arm: str | None, days: int | None,
    course_weights: tuple[CourseWeight, ...], height: str | None, sex: str | None, dosing_weight: str | None,
    pregnant: bool, day_first: bool | None, roundings_: tuple[tuple[str, Rounding | None], ...],
    age: str | None = None, risks: tuple[str, ...] = (),
) -> Given:
    """What the checker typed, read by the same readers as a plan's inputs; None: the order's."""
    from ivig_dose.core.verification import Given
    from ivig_dose.parse.plan_inputs import (
        parse_age,
        parse_course_weights,
        parse_height_text,
        parse_risks,
        parse_start,
        typed_course_weights,
        word,
    )
    from ivig_dose.parse.weight import read_weight

    weight_kg, weight_as_typed = read_weight(weight) if weight is not None else (None, None)
    later = parse_course_weights(course_weights)
    return Given(
        weight_kg,
        parse_start(start, day_first), word(arm), days,
        tuple((course, kg) for course, kg, _ in later),
        height_cm=parse_height_text(height),
        sex=word(sex),
        pregnant=pregnant,
        dosing_weight=word(dosing_weight),
        roundings=roundings_,
        age_years=parse_age(age),
        risks=parse_risks(risks),
        weight_as_typed=weight_as_typed,
        course_weights_as_typed=typed_course_weights(later),
    )


def bedside_order(
    course: str | None, day: int | None, setting: str | None, volume: str | None, dose: str | None,
    protocol: Protocol,
) -> OrderFacts:
    """One bag (or one day) as the nurse reads it off the label: a partial order."""
    from ivig_dose.core.model import HOME, HOSPITAL
    from ivig_dose.core.order_facts import FactSheet, Node
    from ivig_dose.parse.units import parse_non_negative, parse_positive

    if course is None or day is None or (volume is None and dose is None):
        raise InputError(message(N_("a bedside check needs {options}"), options=BEDSIDE))
    name = protocol.course_named(course).name
    target: Node = (name, day)
    sheet = FactSheet()
    sheet.open((name,))
    sheet.open(target)
    if setting is not None:
        where = setting.strip().lower()
        if where not in (HOSPITAL, HOME):
            raise InputError(message(N_("--setting {setting!r} is not a setting; accepted: {hospital}, {home}"),
                                     setting=setting, hospital=HOSPITAL, home=HOME))
        target = (name, day, where)
        sheet.open(target)
    if volume is not None:
        sheet.add(target, "volume_ml", parse_positive(volume, "mL", "--volume",
                                                      message(N_("a volume such as 424 mL or 0.5 L"))))
    if dose is not None:
        sheet.add(target, "dose_g", parse_non_negative(dose, "g", "--dose", message(N_("a dose such as 42.4 g"))))
    return sheet.build()


def read_order(path: str) -> OrderFacts:
    """A whole order from a plan JSON document or a plan CSV file (``-``: stdin)."""
    from ivig_dose.files.inputs import looks_like_json, open_input
    from ivig_dose.parse.csv_table import CsvTable
    from ivig_dose.parse.order_csv import read_csv_order
    from ivig_dose.parse.order_json import read_json_order

    with open_input(path) as source:
        if looks_like_json(source):
            return read_json_order("".join(source.lines), source.name)
        return read_csv_order(CsvTable(source.lines, source.name))


def load_tolerance(text: str, protocol: Protocol) -> Tolerance:
    from ivig_dose.parse.tolerance import parse_tolerance

    return parse_tolerance(text, protocol.product.ml_per_g)


def check_order(order: OrderFacts, given: Given, run: Setup, tolerance: Tolerance,
                complete: bool = True) -> Verification:
    """The order checked value by value against the plan its inputs give."""
    from ivig_dose.core.verification import verify_order

    return verify_order(order, given, run.protocol, planner(run), tolerance, complete=complete)
