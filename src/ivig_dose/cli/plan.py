"""``ivig-dose plan``: a body weight in, the whole protocol's plan out (table, JSON or CSV)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from ivig_dose.cli.options import PlanOptions, with_plan_options
from ivig_dose.core.errors import InputError
from ivig_dose.core.model import IVIG, Plan, PlanRequest

if TYPE_CHECKING:
    from ivig_dose.core.dosing import IvigPlanner
    from ivig_dose.core.products import CatalogueProduct
    from ivig_dose.core.protocol import Protocol
    from ivig_dose.core.pump import RateLimit


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def parse_course_weights(values: list[str]) -> tuple[tuple[str, Decimal], ...]:
    """``week4=68kg`` pairs, as given; the core checks the course names against the protocol."""
    from ivig_dose.parse.weight import parse_weight

    pairs = []
    for value in values:
        name, sep, weight = value.partition("=")
        if not sep or not name.strip() or not weight.strip():
            raise InputError(
                f"--course-weight {value!r} is not COURSE=WEIGHT; accepted: e.g. week4=68kg"
            )
        pairs.append((name.strip(), parse_weight(weight, what=f"{name.strip()} weight")))
    return tuple(pairs)


def day_order(day_first: bool, month_first: bool) -> bool | None:
    if day_first and month_first:
        raise InputError("--day-first and --month-first contradict each other; give one of them")
    return True if day_first else False if month_first else None


def start_date(text: str | None, order: bool | None) -> tuple[date, bool]:
    """The start date and whether it was defaulted to today."""
    if text is None:
        return date.today(), True
    from ivig_dose.parse.dates import parse_date

    return parse_date(text, order), False


def make_plan(
    weight: str,
    start: str | None = None,
    days: int | None = None,
    arm: str = IVIG,
    course_weights: list[str] | None = None,
    day_first: bool = False,
    month_first: bool = False,
    protocol_name: str = "timeismuscle",
    height: str | None = None,
    sex: str | None = None,
    dosing_weight: str | None = None,
    pregnant: bool = False,
    products_file: str | None = None,
    product_id: str | None = None,
    rounding: str | None = None,
    max_rate: str | None = None,
) -> Plan:
    """Parses the options, runs the core, adds vials and pump programs from the product catalogue,
    and notes a defaulted start date among the warnings."""
    from ivig_dose.core.protocol import load_protocol
    from ivig_dose.parse.dispensing_options import parse_rounding
    from ivig_dose.parse.weight import parse_weight

    height_cm = None
    if height is not None:
        from ivig_dose.parse.height import parse_height

        height_cm = parse_height(height)

    protocol = load_protocol(protocol_name)
    dispensing = dispensing_for(products_file, product_id, max_rate, protocol)
    first, defaulted = start_date(start, day_order(day_first, month_first))
    request = PlanRequest(
        weight_kg=parse_weight(weight),
        start=first,
        arm=arm,
        days=days,
        course_weights=parse_course_weights(course_weights or []),
        height_cm=height_cm,
        sex=sex,
        pregnant=pregnant,
        dosing_weight=dosing_weight,
        rounding=parse_rounding(rounding if rounding is not None else protocol.rounding,
                                dispensing.product if dispensing else None),
    )
    plan = plan_from_request(request, protocol, dispensing)
    if defaulted:
        note = f"no --start given: courses count from today, {first.isoformat()}"
        plan = replace(plan, warnings=(note, *plan.warnings))
    return plan


@dataclass(frozen=True)
class Dispensing:
    """The catalogue product behind vials and pump programs, and the pump's limit, as parsed once."""

    product: CatalogueProduct
    limit: RateLimit
    #: --max-rate as typed, for the plan to quote.
    max_rate: str | None
    #: True when --product chose the product, False when it is the protocol's default.
    chosen: bool


def dispensing_for(products_file: str | None, product_id: str | None, max_rate: str | None,
                   protocol: Protocol) -> Dispensing | None:
    """``--products``, ``--product`` and ``--max-rate`` parsed; None when no product applies."""
    from ivig_dose.parse.dispensing_options import choose_product, parse_max_rate

    product = choose_product(products_file, product_id, protocol)
    limit = parse_max_rate(max_rate, product)
    return None if product is None else Dispensing(product, limit, max_rate, product_id is not None)


def plan_from_request(request: PlanRequest, protocol: Protocol, dispensing: Dispensing | None = None,
                      ivig: IvigPlanner | None = None) -> Plan:
    """The one step from parsed inputs to a plan, shared by ``plan``, ``verify`` and ``batch``.

    Everything that shapes the plan after parsing (the core, with ``--round`` in the request;
    vials and pump programs from the product) happens here and nowhere else, so that ``verify``
    recomputes exactly what ``plan`` printed and ``batch`` writes exactly what ``plan`` would.
    """
    from ivig_dose.core.dosing import build_plan

    plan = build_plan(request, protocol, ivig)
    if dispensing is not None:
        from ivig_dose.core.dispensing import dispense_plan

        plan = dispense_plan(plan, dispensing.product, dispensing.limit, dispensing.max_rate,
                             chosen=dispensing.chosen)
    return plan


def write_plan(plan: Plan, fmt: Format, blinded: bool) -> None:
    for warning in plan.warnings:
        sys.stderr.write(f"ivig-dose: warning: {warning}\n")
    if fmt is Format.json:
        from ivig_dose.render.plan_json import render_json

        sys.stdout.write(render_json(plan, blinded))
    elif fmt is Format.csv:
        from ivig_dose.render.plan_csv import render_csv

        sys.stdout.write(render_csv(plan, blinded))
    else:
        from ivig_dose.render.plan_table import render_table

        render_table(plan, sys.stdout, blinded)


@with_plan_options
def plan(
    options: PlanOptions,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
) -> None:
    """Plan every course of the protocol for one patient, and say why each number is what it is."""
    write_plan(options.plan(), fmt, options.blinded)
