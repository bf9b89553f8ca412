"""A verification for the person doing the double check: every value checked, line by line,
then the discrepancies on their own with the rule behind each, then what the expected plan
was computed from (the values taken from the order are the ones to confirm)."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ivig_dose.core.verification import Comparison, Verification
from ivig_dose.render.verification_text import difference_text, shown

PIPE_WIDTH = 132


def _lines(comparisons: tuple[Comparison, ...], with_status: bool) -> Table:
    rows = any(c.row is not None for c in comparisons)
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    if rows:
        table.add_column("Row", justify="right")
    table.add_column("Field", no_wrap=True)
    for name in ("Ordered", "Expected", "Difference"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("Rule", no_wrap=True)
    table.add_column("Result" if with_status else "Why")
    for c in comparisons:
        cells = [str(c.row) if c.row is not None else ""] if rows else []
        difference = "" if c.matches and not c.difference else difference_text(c)
        cells += [c.field, shown(c.ordered, c.unit), shown(c.expected, c.unit), difference, c.rule]
        if with_status:
            cells.append("ok" if c.matches else "DIFFERS")
            table.add_row(*map(Text, cells), style=None if c.matches else "bold red")
        else:  # Text, not markup: an ordered value or a field name comes from the order file
            table.add_row(*map(Text, cells), Text(c.note))
    return table


def render_verification_table(verification: Verification, out: TextIO) -> None:
    # not a terminal (a file, a pipe): wide enough that no value is cut; a terminal keeps its width.
    width = None if out.isatty() else PIPE_WIDTH
    console = Console(file=out, highlight=False, soft_wrap=False, width=width)
    console.print(_lines(verification.comparisons, with_status=True))
    console.print()
    total, wrong = len(verification.comparisons), len(verification.discrepancies)
    if verification.matches:
        console.print(Text(f"MATCH: all {total} values checked agree with the protocol.", style="bold green"))
    else:
        console.print(Text(f"DOES NOT MATCH: {wrong} of {total} values differ from the protocol:", style="bold red"))
        console.print(_lines(verification.discrepancies, with_status=False))
    console.print()
    console.print(Text("Expected plan computed from:", style="bold"))
    for item in verification.inputs:
        console.print(Text(f"  {item.name}: {item.value} ({item.source})"), soft_wrap=True)
    for note in verification.notes:
        console.print(Text(f"Note: {note}"), soft_wrap=True)
