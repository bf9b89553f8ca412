"""``ivig-dose verify``: the independent double check of one order, or of one bag at the bedside.

The check itself is :func:`ivig_dose.verify` (the Python API, over :mod:`ivig_dose.app.verify`);
this module reads the options, calls it and prints.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ivig_dose.cli.options import Arm, format_option, with_some_plan_options
from ivig_dose.core.errors import ExitStatus
from ivig_dose.render.formats import Format

if TYPE_CHECKING:
    from ivig_dose.core.verification import Verification


#: the plan options verify takes as plan does (the weight, start, days and arm it may read from the order).
PLAN_OPTIONS = ("course_weight", "day_first", "month_first", "protocol", "height", "sex", "dosing_weight",
                "pregnant", "products", "product", "round_to", "max_rate", "risk", "indication", "age")


def write_verification(verification: Verification, fmt: Format, every: bool = False) -> None:
    if fmt is Format.json:
        from ivig_dose.render.verification_json import render_verification_json

        sys.stdout.write(render_verification_json(verification))
    else:
        from ivig_dose.cli.language import current
        from ivig_dose.render.verification_table import render_verification_table

        render_verification_table(verification, sys.stdout, current(), every=every)


@with_some_plan_options(*PLAN_OPTIONS)
def verify(
    values: dict[str, Any],
    order: Annotated[str | None, typer.Argument(
        help="Order file: plan JSON (contract ivig-dose/plan/v1), a FHIR Bundle (plan -f fhir) or plan CSV; "
             "- reads stdin.")] = None,
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
    arm: Annotated[Arm | None, typer.Option(
        case_sensitive=False, help="Study arm; default: the order's (ivig at the bedside).")] = None,
    tolerance: Annotated[str, typer.Option(
        help="Allowed difference on doses and volumes, relative to the protocol's value: 0 (exact), 1%, 0.5 g or "
             "5 mL.")] = "0",
    every: Annotated[bool, typer.Option(
        "--all", help="After the verdict and the discrepancies, list every value compared.")] = False,
    fmt: Annotated[Format, format_option(Format.table, Format.json)] = Format.table,
) -> int:
    """Check an order (or one bag at the bedside) against the protocol, value by value.

    Exit status 0 the order matches, 1 it does not (every discrepancy is listed with the rule
    behind it), 2 the input is bad.
    """
    import ivig_dose
    from ivig_dose.parse.plan_inputs import day_order

    sex, basis = values["sex"], values["dosing_weight"]
    result = ivig_dose.verify(
        order, weight=weight, start=start, arm=arm.value if arm else None, days=days,
        course_weights=course_weight_options(values["course_weight"] or []), height=values["height"],
        sex=sex.value if sex else None, dosing_weight=basis.value if basis else None, pregnant=values["pregnant"],
        age=values["age"], risk=tuple(r.value for r in values["risk"] or ()),
        day_first=day_order(values["day_first"], values["month_first"]), protocol=values["protocol"],
        products=values["products"], product=values["product"], round_to=values["round_to"],
        max_rate=values["max_rate"], indication=values["indication"], tolerance=tolerance, course=course, day=day,
        setting=setting, volume=volume, dose=dose)
    write_verification(result, fmt, every)
    return int(ExitStatus.OK if result.matches else ExitStatus.NOT_OK)


def course_weight_options(values: list[str]) -> tuple[tuple[str, str], ...]:
    """``--course-weight week4=68kg`` options as the API takes them, each kept (a course named
    twice is refused by the core, not silently the last); a malformed one is refused."""
    from ivig_dose.parse.plan_inputs import split_course_weights

    return tuple((weight.course, weight.weight) for weight in split_course_weights(values))
