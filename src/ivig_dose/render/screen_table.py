"""The screen as a rich table: one row per criterion (met / not met / not answered, and why),
then a one-line verdict that names the criteria behind it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TextIO

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from ivig_dose.core.messages import N_, Quantity
from ivig_dose.core.screening import Answer, Criterion, Screen, Status, answer_word
from ivig_dose.render.console import TextConsole
from ivig_dose.render.terminal import table_width, width_for, wrapped
from ivig_dose.render.translator import ENGLISH, Translator

_STATUS_STYLE = {Status.MET: "green", Status.NOT_MET: "bold red", Status.NOT_ANSWERED: "yellow"}
_STATUS_WORDS = {Status.MET: N_("met"), Status.NOT_MET: N_("not met"), Status.NOT_ANSWERED: N_("not answered")}
#: the narrowest the Requirement and Reason columns are drawn; below it the screen is stacked.
PROSE_MINIMUM = 16


def answer_text(answer: Answer | None, criterion: Criterion, tr: Translator = ENGLISH) -> str:
    if answer is None:
        return "-"
    if isinstance(answer, Decimal):
        return tr.quantity(Quantity(answer, criterion.unit))
    if isinstance(answer, date):
        return answer.isoformat()
    return tr.say(answer_word(answer))


def verdict(screen: Screen, tr: Translator = ENGLISH) -> str:
    """The verdict in words; the IVIg-only check says so, so it is not read as trial eligibility."""
    subject = tr(N_("IVIg safety check")) if screen.ivig_only else tr(N_("Verdict"))
    failed, missing = ", ".join(screen.failed), ", ".join(screen.missing)
    if screen.eligible is False:
        also = tr(N_("; also not answered: {missing}"), missing=missing) if missing else ""
        word = tr(N_("FAILED")) if screen.ivig_only else tr(N_("NOT ELIGIBLE"))
        return tr(N_("{subject}: {word}, not met: {failed}{also}"), subject=subject, word=word, failed=failed,
                  also=also)
    if screen.eligible is None:
        return tr(N_("{subject}: UNDECIDED, nothing failed but not answered (counted neither yes nor no): {missing}"),
                  subject=subject, missing=missing)
    word = tr(N_("PASSED")) if screen.ivig_only else tr(N_("ELIGIBLE"))
    return tr(N_("{subject}: {word}, every criterion met"), subject=subject, word=word)


def _status(status: Status, tr: Translator) -> str:
    return tr(_STATUS_WORDS[status])


def _table(screen: Screen, width: int, tr: Translator = ENGLISH) -> Table | list[Text]:
    """One row per criterion, the prose columns wrapped to what the others leave (never inside a
    number and its unit); one block per criterion when they would be narrower than
    :data:`PROSE_MINIMUM`."""
    rows = [(r.criterion.id, answer_text(r.answer, r.criterion, tr), _status(r.status, tr)) for r in screen.results]
    requirements = [tr(r.criterion.requirement) for r in screen.results]
    reasons = [tr.say(r.reason) for r in screen.results]
    headers = (tr(N_("ID")), tr(N_("Answer")), tr(N_("Status")))
    fixed = [max(cell_len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
    left = width - table_width([*fixed, 0, 0])
    requirement = min(max(map(cell_len, requirements)), left // 2)
    reason = min(max(map(cell_len, reasons)), left - requirement)
    if min(requirement, reason) < PROSE_MINIMUM:
        return _stacked(screen, width, tr)
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    table.add_column(headers[0], no_wrap=True, width=fixed[0])
    table.add_column(tr(N_("Requirement")), no_wrap=True, width=requirement)
    table.add_column(headers[1], no_wrap=True, width=fixed[1])
    table.add_column(headers[2], no_wrap=True, width=fixed[2])
    table.add_column(tr(N_("Reason")), no_wrap=True, width=reason)
    for result, (criterion_id, answer, status), required, why in zip(screen.results, rows, requirements, reasons,
                                                                       strict=True):
        table.add_row(
            criterion_id,
            wrapped(required, requirement),
            answer,
            Text(status, style=_STATUS_STYLE[result.status]),
            wrapped(why, reason),
        )
    return table


def _stacked(screen: Screen, width: int, tr: Translator = ENGLISH) -> list[Text]:
    """Each criterion as a block: id, status and requirement, then the answer and the reason."""
    blocks = []
    for result in screen.results:
        criterion = result.criterion
        status = _status(result.status, tr)
        heading = Text(wrapped(f"{criterion.id} {status}: {tr(criterion.requirement)}", width, hanging="  "))
        start = len(criterion.id) + 1
        heading.stylize(_STATUS_STYLE[result.status], start, start + len(status))
        blocks.append(heading)
        blocks.append(Text(wrapped(tr(N_("answer: {answer}"), answer=answer_text(result.answer, criterion, tr)),
                                   width, "  ", "    ")))
        blocks.append(Text(wrapped(tr(N_("reason: {reason}"), reason=tr.say(result.reason)), width, "  ", "    ")))
    return blocks


def render_table(screen: Screen, out: TextIO, tr: Translator = ENGLISH) -> None:
    width = width_for(out)
    console = TextConsole(out, width)
    ids = ", ".join(r.criterion.id for r in screen.results)
    scope = tr(N_("IVIg-related exclusions only: {ids}"), ids=ids) if screen.ivig_only else tr(N_("all criteria"))
    lines = [tr(N_("Screen: {name}"), name=tr(screen.checklist.name)), tr(N_("Checked: {scope}"), scope=scope),
             tr(N_("Screening date: {date}"), date=screen.screening_date.isoformat())]
    console.print(Text("\n".join(wrapped(line, width, hanging="  ") for line in lines)), crop=False)
    console.print()
    body = _table(screen, width, tr)
    for part in body if isinstance(body, list) else [body]:
        console.print(part, crop=False)
    console.print()
    console.print(Text(wrapped(verdict(screen, tr), width, hanging="  "), style="bold"), crop=False)
