"""The plan as a rich table for the terminal: one row per day and setting, subtotals, a total,
and the "why" block that names every rule and cap that shaped the numbers."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ivig_dose.formatting import approximate, grams, kilograms, millilitres
from ivig_dose.model import Plan
from ivig_dose.render.blinding import product_label, visible_reasons
from ivig_dose.render.week_strip import week_strip


def _table(plan: Plan, blinded: bool) -> Table:
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for name in ("Course", "Date", "Day", "Setting"):
        table.add_column(name)
    if not blinded:
        table.add_column("Dose", justify="right")
    table.add_column("Volume", justify="right")
    for course in plan.courses:
        for day in course.days:
            for index, segment in enumerate(day.segments):
                first = index == 0
                cells = [
                    course.name if day.day == 1 and first else "",
                    day.date.isoformat() if first else "",
                    str(day.day) if first else "",
                    segment.setting,
                ]
                cells += [] if blinded else [grams(segment.dose_g)]
                table.add_row(*cells, millilitres(segment.volume_ml))
        subtotal = [f"{course.name} total", "", f"{len(course.days)} days", ""]
        subtotal += [] if blinded else [grams(course.dose_g)]
        table.add_row(*subtotal, millilitres(course.volume_ml), style="bold", end_section=True)
    total = ["Protocol total", "", "", ""]
    total += [] if blinded else [grams(plan.total_dose_g)]
    table.add_row(*total, millilitres(plan.total_volume_ml), style="bold")
    return table


def _heading(plan: Plan, blinded: bool) -> Text:
    lines = [f"Protocol: {plan.protocol_name}"]
    if not blinded:
        lines.append(f"Arm: {plan.arm}")
    lines.append(f"Product: {product_label(plan, blinded)}")
    lines.append(f"Weight: {kilograms(plan.weight_kg)}")
    if plan.dosing_weight_basis != "actual" or plan.dosing_weight_override:
        chosen = "chosen with --dosing-weight" if plan.dosing_weight_override else "the protocol's default"
        lines.append(f"Dosing weight: {approximate(plan.dosing_weight_kg)} kg "
                     f"({plan.dosing_weight_basis}; {chosen}; see R1 below)")
    lines.append(f"Start: {plan.courses[0].start.isoformat()}")
    return Text("\n".join(lines))


def render_table(plan: Plan, out: TextIO, blinded: bool = False) -> None:
    console = Console(file=out, highlight=False, soft_wrap=False)
    console.print(_heading(plan, blinded))
    console.print()
    console.print(_table(plan, blinded))
    console.print()
    heading, *strip = week_strip(plan)
    console.print(Text(heading, style="bold"))
    for line in strip:
        console.print(Text(line), soft_wrap=True)
    console.print()
    console.print(Text("Why these numbers:", style="bold"))
    for rule, text in visible_reasons(plan, blinded):
        console.print(Text(f"  {rule}: {text}"), soft_wrap=True)
