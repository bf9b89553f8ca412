"""A verification for the person doing the double check: every value checked, line by line,
then the discrepancies on their own with the rule behind each, then what the expected plan
was computed from (the values taken from the order are the ones to confirm).

Drawn at the terminal's width (``COLUMNS``, also when piped): as a table when every value fits
whole, else one block per value. A value is never cut (``DIFFE…``, ``56…`` once were).
"""

from __future__ import annotations

from typing import TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ivig_dose.core.verification import Comparison, Verification
from ivig_dose.render.terminal import table_width, whole, width_for, wrapped
from ivig_dose.render.verification_text import difference_text, shown

#: the narrowest the "Why" column is drawn in a table; below it the discrepancies are stacked.
WHY_MINIMUM = 20


def _cells(c: Comparison, rows: bool, with_status: bool) -> list[str]:
    cells = [str(c.row) if c.row is not None else ""] if rows else []
    difference = "" if c.matches and not c.difference else difference_text(c)
    cells += [c.field, shown(c.ordered, c.unit), shown(c.expected, c.unit), difference, c.rule]
    if with_status:
        cells.append(_status(c))
    return cells


def _status(c: Comparison) -> str:
    return "ok" if c.matches else "DIFFERS"


def _headers(rows: bool, with_status: bool) -> list[str]:
    return [*(["Row"] if rows else []), "Field", "Ordered", "Expected", "Difference", "Rule",
            "Result" if with_status else "Why"]


def _lines(comparisons: tuple[Comparison, ...], with_status: bool, width: int) -> Table | list[Text]:
    """The comparisons as a table with every column as wide as its widest value, when that fits
    ``width`` (the "Why" column, prose, wrapped to what is left); else :func:`_stacked`."""
    rows = any(c.row is not None for c in comparisons)
    headers = _headers(rows, with_status)
    cells = [_cells(c, rows, with_status) for c in comparisons]
    named = headers if with_status else headers[:-1]  # the "Why" column is prose, sized below
    widths = [max(map(cell_len, column)) for column in zip(named, *cells, strict=True)]
    why = 0
    if not with_status:
        longest = max((cell_len(c.note) for c in comparisons), default=0)
        why = min(max(longest, cell_len("Why")), max(width - table_width([*widths, 0]), 0))
        if why < min(WHY_MINIMUM, max(longest, cell_len("Why"))):
            return _stacked(comparisons, with_status, width)
        widths.append(why)
    if table_width(widths) > width:
        return _stacked(comparisons, with_status, width)
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for name, size in zip(headers, widths, strict=True):
        right = name in ("Row", "Ordered", "Expected", "Difference")
        table.add_column(name, justify="right" if right else "left", width=size, no_wrap=True)
    for c, row in zip(comparisons, cells, strict=True):
        if with_status:
            table.add_row(*row, style=None if c.matches else "bold red")
        else:
            table.add_row(*row, wrapped(c.note, why))
    return table


def _stacked(comparisons: tuple[Comparison, ...], with_status: bool, width: int) -> list[Text]:
    """One block per value: the field with its rule (and result), then ordered, expected and
    the difference, each whole, then why."""
    blocks = []
    for c in comparisons:
        where = f"row {c.row}: " if c.row is not None else ""
        status = f"{_status(c)} " if with_status else ""
        style = "bold red" if with_status and not c.matches else ""
        blocks.append(Text(wrapped(f"{status}{where}{c.field} ({c.rule})", width, hanging="  "), style=style))
        values = [f"ordered {shown(c.ordered, c.unit)}", f"expected {shown(c.expected, c.unit)}"]
        difference = "" if c.matches and not c.difference else difference_text(c)
        if difference:
            values.append(f"difference {difference}")
        blocks.append(Text(wrapped(" · ".join(map(whole, values)), width, "  ", "  ")))
        if not with_status and c.note:
            blocks.append(Text(wrapped(f"why: {c.note}", width, "  ", "    ")))
    return blocks


def render_verification_table(verification: Verification, out: TextIO) -> None:
    width = width_for(out)
    console = Console(file=out, highlight=False, soft_wrap=False, width=width, markup=False, emoji=False)

    def say(text: str, style: str = "", hanging: str = "  ") -> None:
        console.print(Text(wrapped(text, width, hanging=hanging), style=style), crop=False)

    def draw(part: Table | list[Text]) -> None:
        for renderable in part if isinstance(part, list) else [part]:
            console.print(renderable, crop=False)

    draw(_lines(verification.comparisons, with_status=True, width=width))
    console.print()
    total, wrong = len(verification.comparisons), len(verification.discrepancies)
    if verification.matches:
        say(f"MATCH: all {total} values checked agree with the protocol.", style="bold green")
    else:
        say(f"DOES NOT MATCH: {wrong} of {total} values differ from the protocol:", style="bold red")
        draw(_lines(verification.discrepancies, with_status=False, width=width))
    console.print()
    say("Expected plan computed from:", style="bold")
    for item in verification.inputs:
        console.print(Text(wrapped(f"{item.name}: {item.value} ({item.source})", width, "  ", "    ")), crop=False)
    for note in verification.notes:
        say(f"Note: {note}")
