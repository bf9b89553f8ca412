"""``ivig-dose plan``: a body weight in, the whole protocol's plan out (table, JSON or CSV)."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

import typer

from ivig_dose.commands.options import PlanOptions, with_plan_options
from ivig_dose.errors import InputError
from ivig_dose.model import IVIG, Plan, PlanRequest


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def parse_course_weights(values: list[str]) -> tuple[tuple[str, Decimal], ...]:
    """``week4=68kg`` pairs, as given; the core checks the course names against the protocol."""
    from ivig_dose.weight import parse_weight

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
    from ivig_dose.dates import parse_date

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
    from ivig_dose.dispensing import dispense_plan
    from ivig_dose.dosing import build_plan
    from ivig_dose.product_choice import choose_product, parse_max_rate, parse_rounding
    from ivig_dose.protocol import load_protocol
    from ivig_dose.weight import parse_weight

    height_cm = None
    if height is not None:
        from ivig_dose.height import parse_height

        height_cm = parse_height(height)

    protocol = load_protocol(protocol_name)
    product = choose_product(products_file, product_id, protocol)
    limit = parse_max_rate(max_rate, product)
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
        rounding=parse_rounding(rounding, product),
    )
    plan = build_plan(request, protocol)
    if product is not None:
        plan = dispense_plan(plan, product, limit, max_rate, chosen=product_id is not None)
    if defaulted:
        note = f"no --start given: courses count from today, {first.isoformat()}"
        plan = replace(plan, warnings=(note, *plan.warnings))
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
