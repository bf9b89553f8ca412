"""The screen as a rich table: one row per criterion (met / not met / not answered, and why),
then a one-line verdict that names the criteria behind it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ivig_dose.core.screening import Answer, Criterion, Screen, Status, with_unit

_STATUS_STYLE = {Status.MET: "green", Status.NOT_MET: "bold red", Status.NOT_ANSWERED: "yellow"}


def answer_text(answer: Answer | None, criterion: Criterion) -> str:
    if answer is None:
        return "-"
    if isinstance(answer, Decimal):
        return with_unit(answer, criterion.unit)
    if isinstance(answer, date):
        return answer.isoformat()
    return answer


def verdict(screen: Screen) -> str:
    """The verdict in words; the IVIg-only check says so, so it is not read as trial eligibility."""
    subject = "IVIg safety check" if screen.ivig_only else "Verdict"
    failed, missing = ", ".join(screen.failed), ", ".join(screen.missing)
    if screen.eligible is False:
        also = f"; also not answered: {missing}" if missing else ""
        word = "FAILED" if screen.ivig_only else "NOT ELIGIBLE"
        return f"{subject}: {word}, not met: {failed}{also}"
    if screen.eligible is None:
        return f"{subject}: UNDECIDED, nothing failed but not answered (counted neither yes nor no): {missing}"
    word = "PASSED" if screen.ivig_only else "ELIGIBLE"
    return f"{subject}: {word}, every criterion met"


def _table(screen: Screen) -> Table:
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    table.add_column("ID", no_wrap=True)
    table.add_column("Requirement", ratio=3)
    table.add_column("Answer", ratio=1)
    table.add_column("Status", no_wrap=True)
    table.add_column("Reason", ratio=3)
    for result in screen.results:
        criterion = result.criterion
        table.add_row(  # Text, not markup: the checklist and the answers are files
            Text(criterion.id),
            Text(criterion.requirement),
            Text(answer_text(result.answer, criterion)),
            Text(str(result.status), style=_STATUS_STYLE[result.status]),
            Text(result.reason),
        )
    return table


def render_table(screen: Screen, out: TextIO) -> None:
    console = Console(file=out, highlight=False, soft_wrap=False)
    ids = ", ".join(r.criterion.id for r in screen.results)
    scope = f"IVIg-related exclusions only: {ids}" if screen.ivig_only else "all criteria"
    console.print(Text(f"Screen: {screen.checklist.name}\nChecked: {scope}\n"
                       f"Screening date: {screen.screening_date.isoformat()}"))
    console.print()
    console.print(_table(screen))
    console.print()
    console.print(Text(verdict(screen), style="bold"), soft_wrap=True)
