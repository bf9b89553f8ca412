"""``ivig-dose verify``: the independent double check of one order, or of one bag at the bedside.

The expected plan is recomputed through :func:`ivig_dose.cli.plan.plan_from_request`,
the step ``plan`` itself uses, so the check and the plan cannot drift apart; the order's
own totals are compared, never believed.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ivig_dose.cli.options import Arm, with_some_plan_options
from ivig_dose.cli.plan import day_order, parse_course_weights
from ivig_dose.core.errors import ExitStatus, InputError

if TYPE_CHECKING:
    from ivig_dose.core.order_facts import OrderFacts
    from ivig_dose.core.protocol import Protocol
    from ivig_dose.core.rounding import Rounding
    from ivig_dose.core.tolerance import Tolerance
    from ivig_dose.core.verification import Given, Planner, Verification

BEDSIDE = "--weight, --course, --day and --volume or --dose"


class VerifyFormat(StrEnum):
    table = "table"
    json = "json"


#: the plan options verify takes as plan does (the weight, start, days and arm it may read from the order).
PLAN_OPTIONS = ("course_weight", "day_first", "month_first", "protocol", "height", "sex", "dosing_weight",
                "pregnant", "products", "product", "round_to")


def planner(protocol: Protocol) -> Planner:
    """The step ``plan`` itself takes from a request to a plan. Vials and pump programs are not
    compared (they follow from the doses), so no product is applied to the expected plan."""
    from ivig_dose.cli.plan import plan_from_request

    return lambda request: plan_from_request(request, protocol)


def roundings(round_to: str | None, products: str | None, product_id: str | None,
              protocol: Protocol) -> tuple[tuple[str, Rounding | None], ...]:
    """--round as given; else exact, then whole vials of the product (so that an order made with
    ``--round vials`` is accepted exactly as plan would make it, and said so)."""
    from ivig_dose.parse.dispensing_options import VIALS, choose_product, parse_rounding

    product = choose_product(products, product_id, protocol)
    if round_to is not None:
        return ((f"--round {round_to.strip()}", parse_rounding(round_to, product)),)
    if product is None:
        return (("", None),)
    return (("", None), (f"--round {VIALS}", parse_rounding(VIALS, product)))


def given_inputs(
    weight: str | None, start: str | None, arm: Arm | None, days: int | None, values: dict[str, Any],
    protocol: Protocol,
) -> Given:
    """What the checker typed, parsed; values holds the shared plan options by name."""
    from ivig_dose.core.verification import Given

    order = day_order(values["day_first"], values["month_first"])
    parsed_start = None
    if start is not None:
        from ivig_dose.parse.dates import parse_date

        parsed_start = parse_date(start, order)
    parsed_weight = None
    if weight is not None:
        from ivig_dose.parse.weight import parse_weight

        parsed_weight = parse_weight(weight)
    height = None
    if values["height"] is not None:
        from ivig_dose.parse.height import parse_height

        height = parse_height(values["height"])
    return Given(
        parsed_weight, parsed_start, arm.value if arm else None, days,
        parse_course_weights(values["course_weight"] or []),
        height_cm=height,
        sex=values["sex"].value if values["sex"] else None,
        pregnant=values["pregnant"],
        dosing_weight=values["dosing_weight"].value if values["dosing_weight"] else None,
        roundings=roundings(values["round_to"], values["products"], values["product"], protocol),
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
        raise InputError(f"a bedside check needs {BEDSIDE}")
    name = protocol.course_named(course).name
    target: Node = (name, day)
    sheet = FactSheet()
    sheet.open((name,))
    sheet.open(target)
    if setting is not None:
        where = setting.strip().lower()
        if where not in (HOSPITAL, HOME):
            raise InputError(f"--setting {setting!r} is not a setting; accepted: {HOSPITAL}, {HOME}")
        target = (name, day, where)
        sheet.open(target)
    if volume is not None:
        sheet.add(target, "volume_ml", parse_positive(volume, "mL", "--volume", "a volume such as 424 mL or 0.5 L"))
    if dose is not None:
        sheet.add(target, "dose_g", parse_non_negative(dose, "g", "--dose", "a dose such as 42.4 g"))
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


def write_verification(verification: Verification, fmt: VerifyFormat) -> None:
    if fmt is VerifyFormat.json:
        from ivig_dose.render.verification_json import render_verification_json

        sys.stdout.write(render_verification_json(verification))
    else:
        from ivig_dose.render.verification_table import render_verification_table

        render_verification_table(verification, sys.stdout)


def load_tolerance(text: str, protocol: Protocol) -> Tolerance:
    from ivig_dose.core.tolerance import parse_tolerance

    return parse_tolerance(text, protocol.product.ml_per_g)


@with_some_plan_options(*PLAN_OPTIONS)
def verify(
    values: dict[str, Any],
    order: Annotated[str | None, typer.Argument(
        help="Order file: plan JSON (contract ivig-dose/plan/v1) or plan CSV; - reads stdin.")] = None,
    weight: Annotated[str | None, typer.Option(
        "--weight", "-w", help="Body weight; with an order file, the order's weight is checked against it.")] = None,
    course: Annotated[str | None, typer.Option(help="Bedside: the course, e.g. baseline, week 4 (or week4).")] = None,
    day: Annotated[int | None, typer.Option(min=1, help="Bedside: the infusion day in the course, 1, 2, ...")] = None,
    setting: Annotated[str | None, typer.Option(
        help="Bedside: hospital or home; leave out to check the whole day.")] = None,
    volume: Annotated[str | None, typer.Option(help="Bedside: the bag's volume, e.g. 424mL.")] = None,
    dose: Annotated[str | None, typer.Option(help="Bedside: the bag's dose, e.g. 42.4g.")] = None,
    start: Annotated[str | None, typer.Option(help="Baseline start date; default: the order's.")] = None,
    days: Annotated[int | None, typer.Option(
        help="Infusion days per course; default: the protocol's, or the order's if the protocol allows it.")] = None,
    arm: Annotated[Arm | None, typer.Option(help="Study arm; default: the order's (ivig at the bedside).")] = None,
    tolerance: Annotated[str, typer.Option(
        help="Allowed difference on doses and volumes: 0 (exact), 1%, 0.5 g or 5 mL.")] = "0",
    fmt: Annotated[VerifyFormat, typer.Option("--format", "-f", help="Output format.")] = VerifyFormat.table,
) -> int:
    """Check an order (or one bag at the bedside) against the protocol, value by value.

    Exit status 0 the order matches, 1 it does not (every discrepancy is listed with the rule
    behind it), 2 the input is bad.
    """
    from ivig_dose.core.protocol import load_protocol
    from ivig_dose.core.verification import verify_order

    rules = load_protocol(values["protocol"])
    bedside = any(v is not None for v in (course, day, setting, volume, dose))
    if order is not None and bedside:
        raise InputError("give an order file or a bedside check (--course, --day, ...), not both")
    if order is None and (not bedside or weight is None):
        raise InputError(f"give an order file to check, or a bedside check: {BEDSIDE}")
    checked = read_order(order) if order is not None else bedside_order(course, day, setting, volume, dose, rules)
    given = given_inputs(weight, start, arm, days, values, rules)
    result = verify_order(checked, given, rules, planner(rules), load_tolerance(tolerance, rules),
                          complete=not bedside)
    write_verification(result, fmt)
    return int(ExitStatus.OK if result.matches else ExitStatus.NOT_OK)
