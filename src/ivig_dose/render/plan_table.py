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

from ivig_dose.core.amounts import approximate, duration, grams, millilitres
from ivig_dose.core.blinding import product_label, visible_reasons
from ivig_dose.core.dispensing import UNVERIFIED, dosing_weight
from ivig_dose.core.model import PLACEBO, Course, Dispense, InfusionDay, Plan, Segment
from ivig_dose.core.products import risk_text
from ivig_dose.render.dispense_text import course_vials, step_text, vial_list
from ivig_dose.render.terminal import table_width, whole, width_for, wrapped
from ivig_dose.render.week_strip import week_strip


class Dispensed(Segment):
    """A segment whose vials and pump program are known (for the type checker only)."""

    dispense: Dispense



def _table(plan: Plan, blinded: bool) -> Table:
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
    return table


def _content_widths(table: Table) -> list[int] | None:
    """Every column's widest cell, or None when a cell's width is not simply its characters'
    (a tab, a line break), which only rich's own measuring gets right."""
    cells = [(str(column.header), *map(str, column.cells)) for column in table.columns]
    if not all(text.isprintable() for column in cells for text in column):
        return None
    return [max(map(cell_len, column)) for column in cells]


def _fits(table: Table, width: int, console: Console) -> bool:
    """Whether the table is drawn whole within ``width``: every column as wide as its widest
    cell. Below that, rich would drop or squeeze columns (at 50 columns it drew Course, Day,
    Setting and Vials empty), so the plan is stacked instead."""
    widths = _content_widths(table)
    if widths is None:
        return table.__rich_measure__(console, console.options.update_width(10**4)).maximum <= width
    return table_width(widths) <= width


def _fit_to_content(table: Table) -> None:
    """Sizes every column to its widest cell, for a table that :func:`_fits`.

    They are the widths rich would find, but rich finds them by measuring every cell, about a
    fifth of drawing the table (issue 6).
    """
    widths = _content_widths(table)
    if widths is None:
        return
    for column, content in zip(table.columns, widths, strict=True):
        # no cell is wider than its column, so none would wrap: no need to look for where
        column.width, column.no_wrap = content, True


def _stacked(plan: Plan, blinded: bool, width: int) -> list[Text]:
    """The table's rows as one block per bag, for a terminal narrower than the table: a line
    naming the bag (course, day, date, setting), then its values, each with its column's name.
    Nothing is dropped or cut; a value is never parted from its unit."""
    show_vials = plan.dispensed_with is not None and not blinded
    blocks: list[Text] = []
    for course in plan.courses:
        for day in course.days:
            for segment in day.segments:
                name = f"{course.name} · day {day.day} · {day.date.isoformat()} · {segment.setting}"
                values = [] if blinded else [f"Dose {grams(segment.dose_g)}"]
                values.append(f"Volume {millilitres(segment.volume_ml)}")
                if segment.dispense is not None:
                    if show_vials:
                        values.append(f"Vials {sum(v.count for v in segment.dispense.vials)}")
                    values.append(f"Pump {duration(segment.dispense.pump.duration_min)}")
                blocks.append(Text(wrapped(name, width), style="bold"))
                blocks.append(Text(wrapped(" · ".join(map(whole, values)), width, "  ")))
        total = [f"{len(course.days)} days", *([] if blinded else [grams(course.dose_g)]),
                 millilitres(course.volume_ml)]
        blocks.append(Text(wrapped(f"{course.name} total: " + " · ".join(map(whole, total)), width),
                           style="bold"))
        blocks.append(Text())
    total = [*([] if blinded else [grams(plan.total_dose_g)]), millilitres(plan.total_volume_ml)]
    blocks.append(Text(wrapped("Protocol total: " + " · ".join(map(whole, total)), width), style="bold"))
    return blocks


def _dispense_cells(plan: Plan, segment: Segment, show_vials: bool) -> list[str]:
    if segment.dispense is None:
        return []
    cells = []
    if show_vials:
        cells.append(str(sum(v.count for v in segment.dispense.vials)))
    cells.append(duration(segment.dispense.pump.duration_min))
    return cells


def _dispensing(plan: Plan, blinded: bool, width: int) -> list[Text]:
    """The vials to pick per course (never blinded: sizes are grams) and each distinct pump program."""
    if plan.dispensed_with is None:
        return []
    lines = [] if blinded else [*_vial_lines(plan, width), Text()]
    lines.append(_line("Pump programs (each bag starts the ramp again):", width, style="bold"))
    programs: dict[str, list[str]] = {}
    for course, day, segment in _bags(plan):
        steps = " → ".join(whole(step_text(step)) for step in segment.dispense.pump.steps)
        key = (f"{millilitres(segment.volume_ml)} at {approximate(dosing_weight(course))} kg: "
               f"{steps}; total {duration(segment.dispense.pump.duration_min)}")
        programs.setdefault(key, []).append(f"{course.name} day {day.day} {segment.setting}")
    return lines + _grouped(programs, width)


def _vial_lines(plan: Plan, width: int) -> list[Text]:
    """Vials per bag (identical bags grouped), then per course, so the pharmacy can pick a course at once."""
    if plan.arm == PLACEBO:
        return [_line("Vials to pick: none; the placebo bags are NaCl 0.9 % of the volumes above", width, style="bold")]
    lines = [_line("Vials to pick (least waste, then fewest vials):", width, style="bold")]
    bags: dict[str, list[str]] = {}
    for course, day, segment in _bags(plan):
        waste = segment.dispense.waste_g
        key = (f"{grams(segment.dose_g)}: {vial_list(segment.dispense.vials)}"
               + (f" (waste {grams(waste)}, {millilitres(segment.dispense.waste_ml)})" if waste else ""))
        bags.setdefault(key, []).append(f"{course.name} day {day.day} {segment.setting}")
    lines += _grouped(bags, width)
    for course in plan.courses:
        waste = sum((s.dispense.waste_g for _, _, s in _bags(plan, course.name)), Decimal(0))
        lines.append(_line(f"{course.name} course: {course_vials(course.dispense)}; waste {grams(waste)}", width,
                           "  ", "    "))
    return lines


def _bags(plan: Plan, course_name: str | None = None) -> Iterator[tuple[Course, InfusionDay, Dispensed]]:
    for course in plan.courses:
        if course_name not in (None, course.name):
            continue
        for day in course.days:
            for segment in day.segments:
                if segment.dispense is not None:
                    yield course, day, cast(Dispensed, segment)


def _grouped(groups: dict[str, list[str]], width: int) -> list[Text]:
    """What (a vial list, a pump program), then the bags it is for; each bag's name kept whole."""
    lines = []
    for what, bags in groups.items():
        lines.append(_line(what, width, "  ", "    "))
        lines.append(_line(f"for: {', '.join(map(whole, bags))}", width, "      ", "           "))
    return lines


def _heading(plan: Plan, blinded: bool, width: int) -> Text:
    lines = [f"Protocol: {plan.protocol_name}"]
    if not blinded:
        lines.append(f"Arm: {plan.arm}")
    lines.append(f"Product: {product_label(plan, blinded)}")
    lines.append(f"Weight: {plan.weight_text}")
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
    return Text("\n".join(wrapped(line, width, hanging="  ") for line in lines))


def _line(text: str, width: int, indent: str = "", hanging: str | None = None, style: str = "") -> Text:
    """Prose wrapped to the width by :func:`~ivig_dose.render.terminal.wrap` (never inside a
    number and its unit, nor inside a phrase kept whole), and not wrapped again by rich."""
    return Text(wrapped(text, width, indent, hanging), style=style, no_wrap=True, overflow="ignore")


def _parts(plan: Plan, blinded: bool, console: Console) -> list[Text | Table]:
    """The plan from top to bottom, every part drawn within the console's width."""
    width = console.width
    heading, *strip = week_strip(plan, width)
    table = _table(plan, blinded)
    body: list[Text | Table]
    if _fits(table, width, console):
        _fit_to_content(table)
        body = [table]
    else:
        body = list(_stacked(plan, blinded, width))
    parts: list[Text | Table] = [_heading(plan, blinded, width), Text(), *body, Text()]
    *weeks, legend = strip
    parts += [_line(heading, width, style="bold"), *(_line(line, width) for line in weeks)]
    # each "H hospital" of the legend kept whole, the legend's later lines under its first
    parts += [_line(", ".join(map(whole, legend.strip().split(", "))), width, "      "), Text()]
    parts += _dispensing(plan, blinded, width)
    if plan.dispensed_with is not None:
        parts.append(Text())
    parts.append(_line("Why these numbers:", width, style="bold"))
    return parts + [_line(f"{rule}: {text}", width, "  ", "      ") for rule, text in visible_reasons(plan, blinded)]


def render_table(plan: Plan, out: TextIO, blinded: bool = False) -> None:
    """The plan at the width of ``COLUMNS`` or of the terminal (piped output too, see
    :func:`~ivig_dose.render.terminal.width_for`): the table when it fits whole, else one
    block per bag; prose wrapped to the same width."""
    # Markup and emoji codes off: every cell is plain text, so a name such as "[site A]" or
    # ":ok:" in a protocol or catalogue prints as typed, and no cell is parsed for them (a
    # third of the table's drawing time; rich's emoji table is not even imported).
    console = Console(file=out, highlight=False, soft_wrap=False, width=width_for(out), markup=False, emoji=False)
    # One print and one write for the whole plan. Not cropped: a phrase longer than the width
    # (which wrapping never cuts) runs on rather than lose characters.
    console.print(Group(*_parts(plan, blinded, console)), crop=False)
