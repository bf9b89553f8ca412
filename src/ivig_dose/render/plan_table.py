"""The plan as a rich table for the terminal: one row per day and setting, subtotals, a total,
and the "why" block that names every rule and cap that shaped the numbers."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TextIO, cast

from rich.cells import cell_len
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from ivig_dose.core.amounts import approximate, duration, grams, kilograms, millilitres
from ivig_dose.core.blinding import product_label, visible_reasons
from ivig_dose.core.dispensing import UNVERIFIED, dosing_weight
from ivig_dose.core.model import PLACEBO, Course, Dispense, InfusionDay, Plan, Segment
from ivig_dose.core.products import risk_text
from ivig_dose.render.dispense_text import course_vials, pump_steps, vial_list
from ivig_dose.render.week_strip import week_strip


class Dispensed(Segment):
    """A segment whose vials and pump program are known (for the type checker only)."""

    dispense: Dispense


PIPED_WIDTH = 100


def _table(plan: Plan, blinded: bool, width: int) -> Table:
    dispensed = plan.dispensed_with is not None
    show_vials = dispensed and not blinded
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for name in ("Course", "Date", "Day", "Setting"):
        table.add_column(name, no_wrap=name == "Date")
    if not blinded:
        table.add_column("Dose", justify="right", no_wrap=True)
    table.add_column("Volume", justify="right", no_wrap=True)
    if show_vials:
        table.add_column("Vials", justify="right")
    if dispensed:
        table.add_column("Pump", justify="right", no_wrap=True)
    for course in plan.courses:
        for day in course.days:
            for index, segment in enumerate(day.segments):
                first = index == 0
                cells = [
                    Text(course.name) if day.day == 1 and first else "",  # a protocol's text, not markup
                    day.date.isoformat() if first else "",
                    str(day.day) if first else "",
                    segment.setting,
                ]
                cells += [] if blinded else [grams(segment.dose_g)]
                cells.append(millilitres(segment.volume_ml))
                table.add_row(*cells, *_dispense_cells(plan, segment, show_vials))
        subtotal: list[str | Text] = [Text(f"{course.name} total"), "", f"{len(course.days)} days", ""]
        subtotal += [] if blinded else [grams(course.dose_g)]
        subtotal += [millilitres(course.volume_ml)] + [""] * (show_vials + dispensed)
        table.add_row(*subtotal, style="bold", end_section=True)
    total = ["Protocol total", "", "", ""]
    total += [] if blinded else [grams(plan.total_dose_g)]
    total += [millilitres(plan.total_volume_ml)] + [""] * (show_vials + dispensed)
    table.add_row(*total, style="bold")
    _fit_to_content(table, width)
    return table


#: what a line of the table has between two columns: a space, the divider, a space (no outer
#: edge, as ``show_edge`` and ``pad_edge`` are off above).
_BETWEEN_COLUMNS = 3


def _fit_to_content(table: Table, width: int) -> None:
    """Sizes every column to its widest cell when the table fits ``width`` with those widths.

    They are the widths rich would find, but rich finds them by measuring every cell, about a
    fifth of drawing the table (issue 6). A table too wide for ``width``, or with a cell whose
    width is not simply its characters' (a tab, a line break), is left to rich's own layout.
    """
    cells = [(str(column.header), *map(str, column.cells)) for column in table.columns]
    if not all(text.isprintable() for column in cells for text in column):
        return
    widths = [max(map(cell_len, column)) for column in cells]
    if sum(widths) + _BETWEEN_COLUMNS * (len(widths) - 1) <= width:
        for column, content in zip(table.columns, widths, strict=True):
            # no cell is wider than its column, so none would wrap: no need to look for where
            column.width, column.no_wrap = content, True


def _dispense_cells(plan: Plan, segment: Segment, show_vials: bool) -> list[str]:
    if segment.dispense is None:
        return []
    cells = []
    if show_vials:
        cells.append(str(sum(v.count for v in segment.dispense.vials)))
    cells.append(f"{segment.dispense.pump.duration_min} min")
    return cells


def _dispensing(plan: Plan, blinded: bool) -> list[Text]:
    """The vials to pick per course (never blinded: sizes are grams) and each distinct pump program."""
    if plan.dispensed_with is None:
        return []
    lines = [] if blinded else [*_vial_lines(plan), _unwrapped()]
    lines.append(_unwrapped("Pump programs (each bag starts the ramp again):", style="bold"))
    programs: dict[str, list[str]] = {}
    for course, day, segment in _bags(plan):
        key = (f"{millilitres(segment.volume_ml)} at {approximate(dosing_weight(course))} kg: "
               f"{pump_steps(segment.dispense.pump)}; total {duration(segment.dispense.pump.duration_min)}")
        programs.setdefault(key, []).append(f"{course.name} day {day.day} {segment.setting}")
    return lines + _grouped(programs)


def _vial_lines(plan: Plan) -> list[Text]:
    """Vials per bag (identical bags grouped), then per course, so the pharmacy can pick a course at once."""
    if plan.arm == PLACEBO:
        return [_unwrapped("Vials to pick: none; the placebo bags are NaCl 0.9 % of the volumes above", style="bold")]
    lines = [_unwrapped("Vials to pick (least waste, then fewest vials):", style="bold")]
    bags: dict[str, list[str]] = {}
    for course, day, segment in _bags(plan):
        waste = segment.dispense.waste_g
        key = (f"{grams(segment.dose_g)}: {vial_list(segment.dispense.vials)}"
               + (f" (waste {grams(waste)}, {millilitres(segment.dispense.waste_ml)})" if waste else ""))
        bags.setdefault(key, []).append(f"{course.name} day {day.day} {segment.setting}")
    lines += _grouped(bags)
    for course in plan.courses:
        waste = sum((s.dispense.waste_g for _, _, s in _bags(plan, course.name)), Decimal(0))
        lines.append(_unwrapped(f"  {course.name} course: {course_vials(course.dispense)}; waste {grams(waste)}"))
    return lines


def _bags(plan: Plan, course_name: str | None = None) -> Iterator[tuple[Course, InfusionDay, Dispensed]]:
    for course in plan.courses:
        if course_name not in (None, course.name):
            continue
        for day in course.days:
            for segment in day.segments:
                if segment.dispense is not None:
                    yield course, day, cast(Dispensed, segment)


def _grouped(groups: dict[str, list[str]]) -> list[Text]:
    lines = []
    for what, bags in groups.items():
        lines.append(_unwrapped(f"  {what}"))
        lines.append(_unwrapped(f"      for: {', '.join(bags)}"))
    return lines


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
    check = plan.dispensed_with
    if check is not None:
        what = "Pump rates" if blinded else f"Vials and pump rates ({check.id})"
        lines.append(f"{what}: {'verified against the label' if check.verified else UNVERIFIED}")
        if check.indication:
            lines.append(f"Rate table: {check.indication}")
        if check.at_risk is not None:
            lines.append(f"At risk of {risk_text(check.at_risk.risks)}: pump capped at {check.at_risk.limit} "
                         "(see pump below); ensure adequate hydration")
        elif check.max_rate:
            lines.append(f"Pump capped at: --max-rate {check.max_rate}")
    return Text("\n".join(lines))


def _unwrapped(line: str = "", style: str = "") -> Text:
    """A line that runs past the width rather than be wrapped or cut, as ``print(soft_wrap=True)``
    would print it: a vial list or a reason split over two lines is easy to misread."""
    return Text(line, style=style, no_wrap=True, overflow="ignore")


def _parts(plan: Plan, blinded: bool, width: int) -> list[Text | Table]:
    """The plan from top to bottom; only the heading and the table fit themselves to the width."""
    heading, *strip = week_strip(plan)
    parts: list[Text | Table] = [_heading(plan, blinded), Text(), _table(plan, blinded, width), Text()]
    parts += [Text(heading, style="bold"), *map(_unwrapped, strip), Text(), *_dispensing(plan, blinded)]
    if plan.dispensed_with is not None:
        parts.append(Text())
    parts.append(Text("Why these numbers:", style="bold"))
    return parts + [_unwrapped(f"  {rule}: {text}") for rule, text in visible_reasons(plan, blinded)]


def render_table(plan: Plan, out: TextIO, blinded: bool = False) -> None:
    # piped or saved output is not cut to 80 columns: dates and totals must never be truncated
    width = None if out.isatty() else PIPED_WIDTH
    # Markup and emoji codes off: every cell is plain text, so a name such as "[site A]" or
    # ":ok:" in a protocol or catalogue prints as typed, and no cell is parsed for them (a
    # third of the table's drawing time; rich's emoji table is not even imported).
    console = Console(file=out, highlight=False, soft_wrap=False, width=width, markup=False, emoji=False)
    # One print and one write for the whole plan. Not cropped, so the unwrapped lines run on;
    # the heading and the table are drawn within the width already.
    console.print(Group(*_parts(plan, blinded, console.width)), crop=False)
