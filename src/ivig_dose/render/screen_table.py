"""The screen as a rich table: one row per criterion (met / not met / not answered, and why),
then a one-line verdict that names the criteria behind it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ivig_dose.core.screening import Answer, Criterion, Screen, Status, with_unit
from ivig_dose.render.terminal import table_width, width_for, wrapped

_STATUS_STYLE = {Status.MET: "green", Status.NOT_MET: "bold red", Status.NOT_ANSWERED: "yellow"}
#: the narrowest the Requirement and Reason columns are drawn; below it the screen is stacked.
PROSE_MINIMUM = 16


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


def _table(screen: Screen, width: int) -> Table | list[Text]:
    """One row per criterion, the prose columns wrapped to what the others leave (never inside a
    number and its unit); one block per criterion when they would be narrower than
    :data:`PROSE_MINIMUM`."""
    rows = [(r.criterion.id, answer_text(r.answer, r.criterion), str(r.status)) for r in screen.results]
    fixed = [max(cell_len(cell) for cell in column) for column in zip(("ID", "Answer", "Status"), *rows, strict=True)]
    left = width - table_width([*fixed, 0, 0])
    requirement = min(max(cell_len(r.criterion.requirement) for r in screen.results), left // 2)
    reason = min(max(cell_len(r.reason) for r in screen.results), left - requirement)
    if min(requirement, reason) < PROSE_MINIMUM:
        return _stacked(screen, width)
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    table.add_column("ID", no_wrap=True, width=fixed[0])
    table.add_column("Requirement", no_wrap=True, width=requirement)
    table.add_column("Answer", no_wrap=True, width=fixed[1])
    table.add_column("Status", no_wrap=True, width=fixed[2])
    table.add_column("Reason", no_wrap=True, width=reason)
    for result, (criterion_id, answer, _) in zip(screen.results, rows, strict=True):
        table.add_row(
            criterion_id,
            wrapped(result.criterion.requirement, requirement),
            answer,
            Text(str(result.status), style=_STATUS_STYLE[result.status]),
            wrapped(result.reason, reason),
        )
    return table


def _stacked(screen: Screen, width: int) -> list[Text]:
    """Each criterion as a block: id, status and requirement, then the answer and the reason."""
    blocks = []
    for result in screen.results:
        criterion = result.criterion
        heading = Text(wrapped(f"{criterion.id} {result.status}: {criterion.requirement}", width, hanging="  "))
        start = len(criterion.id) + 1
        heading.stylize(_STATUS_STYLE[result.status], start, start + len(str(result.status)))
        blocks.append(heading)
        blocks.append(Text(wrapped(f"answer: {answer_text(result.answer, criterion)}", width, "  ", "    ")))
        blocks.append(Text(wrapped(f"reason: {result.reason}", width, "  ", "    ")))
    return blocks


def render_table(screen: Screen, out: TextIO) -> None:
    width = width_for(out)
    console = Console(file=out, highlight=False, soft_wrap=False, width=width, markup=False, emoji=False)
    ids = ", ".join(r.criterion.id for r in screen.results)
    scope = f"IVIg-related exclusions only: {ids}" if screen.ivig_only else "all criteria"
    lines = [f"Screen: {screen.checklist.name}", f"Checked: {scope}",
             f"Screening date: {screen.screening_date.isoformat()}"]
    console.print(Text("\n".join(wrapped(line, width, hanging="  ") for line in lines)), crop=False)
    console.print()
    body = _table(screen, width)
    for part in body if isinstance(body, list) else [body]:
        console.print(part, crop=False)
    console.print()
    console.print(Text(wrapped(verdict(screen), width, hanging="  "), style="bold"), crop=False)
