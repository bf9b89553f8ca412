"""``ivig-dose plan``: a body weight in, the whole protocol's plan out (table, JSON or CSV)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

from ivig_dose.cli.options import PlanOptions, format_option, with_plan_options
from ivig_dose.render.formats import Format

if TYPE_CHECKING:
    from ivig_dose.core.model import Plan


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
    fmt: Annotated[Format, format_option(Format.table, Format.json, Format.csv)] = Format.table,
) -> None:
    """Plan every course of the protocol for one patient, and say why each number is what it is."""
    write_plan(options.plan(), fmt, options.blinded)
