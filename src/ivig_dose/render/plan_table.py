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

from ivig_dose.core.blinding import product_label, visible_reasons
from ivig_dose.core.dispensing import UNVERIFIED, VERIFIED, dosing_weight
from ivig_dose.core.messages import N_, neutral
from ivig_dose.core.model import PLACEBO, Course, Dispense, InfusionDay, Plan, Segment
from ivig_dose.core.products import risk_text
from ivig_dose.render.console import TextConsole
from ivig_dose.render.dispense_text import course_vials, step_text, vial_list
from ivig_dose.render.terminal import table_width, whole, width_for, wrapped
from ivig_dose.render.translator import ENGLISH, Translator
from ivig_dose.render.week_strip import week_strip
from ivig_dose.render.words import arm_word, basis_word, rule_name, setting_word


class Dispensed(Segment):
    """A segment whose vials and pump program are known (for the type checker only)."""

    dispense: Dispense



def _table(plan: Plan, blinded: bool, tr: Translator = ENGLISH) -> Table:
    dispensed = plan.dispensed_with is not None
    show_vials = dispensed and not blinded
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    date_header = tr(N_("Date"))
    for name in (tr(N_("Course")), date_header, tr(N_("Day")), tr(N_("Setting"))):
        table.add_column(name, no_wrap=name == date_header)
    if not blinded:
        table.add_column(tr(N_("Dose")), justify="right", no_wrap=True)
    table.add_column(tr(N_("Volume")), justify="right", no_wrap=True)
    if show_vials:
        table.add_column(tr(N_("Vials")), justify="right")
    if dispensed:
        table.add_column(tr(N_("Pump")), justify="right", no_wrap=True)
    for course in plan.courses:
        for day in course.days:
            for index, segment in enumerate(day.segments):
                first = index == 0
                cells = [
                    Text(tr.say(course.name)) if day.day == 1 and first else "",  # a protocol's text, not markup
                    tr.dated(day.date) if first else "",
                    str(day.day) if first else "",
                    setting_word(segment.setting, tr),
                ]
                cells += [] if blinded else [tr.grams(segment.dose_g)]
                cells.append(tr.millilitres(segment.volume_ml))
                table.add_row(*cells, *_dispense_cells(plan, segment, show_vials, tr))
        subtotal: list[str | Text] = [Text(tr(N_("{course} total"), course=course.name)), "",
                                      tr(N_("{n} days"), n=len(course.days)), ""]
        subtotal += [] if blinded else [tr.grams(course.dose_g)]
        subtotal += [tr.millilitres(course.volume_ml)] + [""] * (show_vials + dispensed)
        table.add_row(*subtotal, style="bold", end_section=True)
    total = [tr(N_("Protocol total")), "", "", ""]
    total += [] if blinded else [tr.grams(plan.total_dose_g)]
    total += [tr.millilitres(plan.total_volume_ml)] + [""] * (show_vials + dispensed)
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
    fifth of drawing the table, which a bedside ``plan`` pays at every start.
    """
    widths = _content_widths(table)
    if widths is None:
        return
    for column, content in zip(table.columns, widths, strict=True):
        # no cell is wider than its column, so none would wrap: no need to look for where
        column.width, column.no_wrap = content, True


def _stacked(plan: Plan, blinded: bool, width: int, tr: Translator = ENGLISH) -> list[Text]:
    """The table's rows as one block per bag, for a terminal narrower than the table: a line
    naming the bag (course, day, date, setting), then its values, each with its column's name.
    Nothing is dropped or cut; a value is never parted from its unit."""
    show_vials = plan.dispensed_with is not None and not blinded
    blocks: list[Text] = []
    for course in plan.courses:
        for day in course.days:
            for segment in day.segments:
                name = " · ".join((tr.say(course.name), tr(N_("day {day}"), day=day.day), whole(tr.dated(day.date)),
                                   setting_word(segment.setting, tr)))
                values = [] if blinded else [tr(N_("Dose {dose}"), dose=tr.grams(segment.dose_g))]
                values.append(tr(N_("Volume {volume}"), volume=tr.millilitres(segment.volume_ml)))
                if segment.dispense is not None:
                    if show_vials:
                        values.append(tr(N_("Vials {n}"), n=segment.dispense.vial_count))
                    values.append(tr(N_("Pump {duration}"), duration=tr.duration(segment.dispense.pump.duration_min)))
                blocks.append(Text(wrapped(name, width), style="bold"))
                blocks.append(Text(wrapped(" · ".join(map(whole, values)), width, "  ")))
        total = [tr(N_("{n} days"), n=len(course.days)), *([] if blinded else [tr.grams(course.dose_g)]),
                 tr.millilitres(course.volume_ml)]
        blocks.append(Text(wrapped(tr(N_("{course} total"), course=course.name) + ": "
                                   + " · ".join(map(whole, total)), width), style="bold"))
        blocks.append(Text())
    total = [*([] if blinded else [tr.grams(plan.total_dose_g)]), tr.millilitres(plan.total_volume_ml)]
    blocks.append(Text(wrapped(tr(N_("Protocol total")) + ": " + " · ".join(map(whole, total)), width),
                       style="bold"))
    return blocks


def _dispense_cells(plan: Plan, segment: Segment, show_vials: bool, tr: Translator = ENGLISH) -> list[str]:
    if segment.dispense is None:
        return []
    cells = []
    if show_vials:
        cells.append(str(segment.dispense.vial_count))
    cells.append(tr.duration(segment.dispense.pump.duration_min))
    return cells


def _bag_name(course: Course, day: InfusionDay, segment: Segment, tr: Translator) -> str:
    """``baseline day 1 hospital``: where a bag sits in the plan."""
    return tr(N_("{course} day {day} {setting}"), course=course.name, day=day.day,
              setting=setting_word(segment.setting, tr))


def _dispensing(plan: Plan, blinded: bool, width: int, tr: Translator = ENGLISH) -> list[Text]:
    """The vials to pick per course (never blinded: sizes are grams) and each distinct pump program."""
    if plan.dispensed_with is None:
        return []
    lines = [] if blinded else [*_vial_lines(plan, width, tr), Text()]
    lines.append(_line(tr(N_("Pump programs (each bag starts the ramp again):")), width, style="bold"))
    programs: dict[str, list[str]] = {}
    for course, day, segment in _bags(plan):
        steps = " → ".join(whole(step_text(step, tr)) for step in segment.dispense.pump.steps)
        key = tr(N_("{volume} at {weight} kg: {steps}; total {duration}"), volume=tr.millilitres(segment.volume_ml),
                 weight=tr.approximate(dosing_weight(course)), steps=steps,
                 duration=tr.duration(segment.dispense.pump.duration_min))
        programs.setdefault(key, []).append(_bag_name(course, day, segment, tr))
    return lines + _grouped(programs, width, tr)


def _vial_lines(plan: Plan, width: int, tr: Translator = ENGLISH) -> list[Text]:
    """Vials per bag (identical bags grouped), then per course, so the pharmacy can pick a course at once."""
    if plan.arm == PLACEBO:
        return [_line(tr(N_("Vials to pick: none; the placebo bags are {placebo} of the volumes above"),
                         placebo=tr.say(neutral("NaCl {percent} %", percent=Decimal("0.9")))), width, style="bold")]
    lines = [_line(tr(N_("Vials to pick (least waste, then fewest vials):")), width, style="bold")]
    bags: dict[str, list[str]] = {}
    for course, day, segment in _bags(plan):
        waste = segment.dispense.waste_g
        key = f"{tr.grams(segment.dose_g)}: {vial_list(segment.dispense.vials, tr)}"
        if waste:
            key += tr(N_(" (waste {grams}, {millilitres})"), grams=tr.grams(waste),
                      millilitres=tr.millilitres(segment.dispense.waste_ml))
        bags.setdefault(key, []).append(_bag_name(course, day, segment, tr))
    lines += _grouped(bags, width, tr)
    for course in plan.courses:
        lines.append(_line(tr(N_("{course} course: {vials}; waste {waste}"), course=course.name,
                              vials=course_vials(course.dispense, tr), waste=tr.grams(course.waste_g)), width,
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


def _grouped(groups: dict[str, list[str]], width: int, tr: Translator = ENGLISH) -> list[Text]:
    """What (a vial list, a pump program), then the bags it is for; each bag's name kept whole."""
    lines = []
    label = tr(N_("for:"))
    for what, bags in groups.items():
        lines.append(_line(what, width, "  ", "    "))
        lines.append(_line(f"{label} {', '.join(map(whole, bags))}", width, "      ", " " * (len(label) + 7)))
    return lines


def _heading(plan: Plan, blinded: bool, width: int, tr: Translator = ENGLISH) -> Text:
    lines = [tr(N_("Protocol: {protocol}"), protocol=plan.protocol_name)]
    if not blinded:
        lines.append(tr(N_("Arm: {arm}"), arm=arm_word(plan.arm, tr)))
    lines.append(tr(N_("Product: {product}"), product=tr.say(product_label(plan, blinded))))
    lines.append(tr(N_("Weight: {weight}"), weight=tr.say(plan.weight_text)))
    if plan.dosing_weight_basis != "actual" or plan.dosing_weight_override:
        chosen = tr(N_("chosen with --dosing-weight")) if plan.dosing_weight_override \
            else tr(N_("the protocol's default"))
        lines.append(tr(N_("Dosing weight: {weight} kg ({basis}; {chosen}; see R1 below)"),
                        weight=tr.approximate(plan.dosing_weight_kg), basis=basis_word(plan.dosing_weight_basis, tr),
                        chosen=chosen))
    start = plan.courses[0].start
    lines.append(tr(N_("Start: {date}"), date=tr.dated(start) if tr.english else whole(tr.long_date(start))))
    check = plan.dispensed_with
    if check is not None:
        what = tr(N_("Pump rates")) if blinded else tr(N_("Vials and pump rates ({id})"), id=check.id)
        lines.append(f"{what}: {tr.say(VERIFIED if check.verified else UNVERIFIED)}")
        if check.indication:
            lines.append(tr(N_("Rate table: {indication}"), indication=check.indication))
        if check.at_risk is not None:
            lines.append(tr(N_("At risk of {risks}: pump capped at {limit} (see pump below); ensure adequate "
                               "hydration"), risks=tr.say(risk_text(check.at_risk.risks)),
                            limit=tr.say(check.at_risk.limit)))
        elif check.max_rate:
            lines.append(tr(N_("Pump capped at: --max-rate {max_rate}"), max_rate=check.max_rate))
    return Text("\n".join(wrapped(line, width, hanging="  ") for line in lines))



def _line(text: str, width: int, indent: str = "", hanging: str | None = None, style: str = "") -> Text:
    """Prose wrapped to the width by :func:`~ivig_dose.render.terminal.wrap` (never inside a
    number and its unit, nor inside a phrase kept whole), and not wrapped again by rich."""
    return Text(wrapped(text, width, indent, hanging), style=style, no_wrap=True, overflow="ignore")


def _parts(plan: Plan, blinded: bool, console: Console, tr: Translator = ENGLISH) -> list[Text | Table]:
    """The plan from top to bottom, every part drawn within the console's width."""
    width = console.width
    heading, *strip = week_strip(plan, width, tr)
    table = _table(plan, blinded, tr)
    body: list[Text | Table]
    if _fits(table, width, console):
        _fit_to_content(table)
        body = [table]
    else:
        body = list(_stacked(plan, blinded, width, tr))
    parts: list[Text | Table] = [_heading(plan, blinded, width, tr), Text(), *body, Text()]
    *weeks, legend = strip
    parts += [_line(heading, width, style="bold"), *(_line(line, width) for line in weeks)]
    # each "H hospital" of the legend kept whole, the legend's later lines under its first
    parts += [_line(", ".join(map(whole, legend.strip().split(", "))), width, "      "), Text()]
    parts += _dispensing(plan, blinded, width, tr)
    if plan.dispensed_with is not None:
        parts.append(Text())
    parts.append(_line(tr(N_("Why these numbers:")), width, style="bold"))
    dates = tr.with_weekdays()  # R7's start, as every date of the table, with its weekday
    return parts + [_line(f"{rule_name(rule, tr)}: {dates.say(text)}", width, "  ", "      ")
                    for rule, text in visible_reasons(plan, blinded)]


def render_table(plan: Plan, out: TextIO, blinded: bool = False, tr: Translator = ENGLISH) -> None:
    """The plan at the width of ``COLUMNS`` or of the terminal (piped output too, see
    :func:`~ivig_dose.render.terminal.width_for`): the table when it fits whole, else one
    block per bag; prose wrapped to the same width."""
    # Markup and emoji codes off: every cell is plain text, so a name such as "[site A]" or
    # ":ok:" in a protocol or catalogue prints as typed, and no cell is parsed for them (a
    # third of the table's drawing time; rich's emoji table is not even imported).
    console = TextConsole(out, width_for(out))
    # One print and one write for the whole plan. Not cropped: a phrase longer than the width
    # (which wrapping never cuts) runs on rather than lose characters.
    console.print(Group(*_parts(plan, blinded, console, tr)), crop=False)
