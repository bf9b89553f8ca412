"""A verification for the person doing the double check: the verdict first, then the
discrepancies with the rule behind each, what was not checked, and what the expected plan was
computed from (the values taken from the order are the ones to confirm); every value compared,
line by line, only when asked (``--all``): a whole order is hundreds of lines.

Drawn at the terminal's width (``COLUMNS``, also when piped): as a table when every value fits
whole, else one block per value. A value is never cut (``DIFFE…``, ``56…`` once were).
"""

from __future__ import annotations

from typing import TextIO

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from ivig_dose.core.field_words import key_words
from ivig_dose.core.messages import N_
from ivig_dose.core.verification import Comparison, Verification
from ivig_dose.render.console import TextConsole
from ivig_dose.render.terminal import table_width, whole, width_for, wrapped
from ivig_dose.render.translator import ENGLISH, Translator
from ivig_dose.render.verification_text import difference_text, shown, tolerance_text
from ivig_dose.render.words import rule_name

#: the narrowest the "Why" column is drawn in a table; below it the discrepancies are stacked.
WHY_MINIMUM = 20


def _cells(c: Comparison, rows: bool, with_status: bool, tr: Translator) -> list[str]:
    cells = [str(c.row) if c.row is not None else ""] if rows else []
    difference = "" if c.matches and not c.difference else difference_text(c, tr)
    cells += [_field(c, tr), shown(c.ordered, c.unit, tr, c.absent_ordered, key=c.key),
              shown(c.expected, c.unit, tr, c.absent_expected, key=c.key), difference, rule_name(c.rule, tr)]
    if with_status:
        cells.append(_status(c, tr))
    return cells


def _field(c: Comparison, tr: Translator) -> str:
    """The field in words (``baseline day 1 hospital volume``); JSON names it by its keys."""
    from ivig_dose.parse.text import printable

    return printable(tr.say(c.label or c.field))


def _status(c: Comparison, tr: Translator) -> str:
    return tr(N_("ok")) if c.matches else tr(N_("DIFFERS"))


#: the columns that hold numbers, right-aligned.
_NUMBERS = (N_("Row"), N_("Ordered"), N_("Expected"), N_("Difference"))


def _headers(rows: bool, with_status: bool) -> list[str]:
    return [*([N_("Row")] if rows else []), N_("Field"), N_("Ordered"), N_("Expected"), N_("Difference"), N_("Rule"),
            N_("Result") if with_status else N_("Why")]


def _lines(comparisons: tuple[Comparison, ...], with_status: bool, width: int,
           tr: Translator = ENGLISH) -> Table | list[Text]:
    """The comparisons as a table with every column as wide as its widest value, when that fits
    ``width`` (the "Why" column, prose, wrapped to what is left); else :func:`_stacked`."""
    rows = any(c.row is not None for c in comparisons)
    keys = _headers(rows, with_status)
    headers = [tr(key) for key in keys]
    cells = [_cells(c, rows, with_status, tr) for c in comparisons]
    named = headers if with_status else headers[:-1]  # the "Why" column is prose, sized below
    widths = [max(map(cell_len, column)) for column in zip(named, *cells, strict=True)]
    why = 0
    notes = [tr.say(c.note) for c in comparisons]
    if not with_status:
        longest = max((cell_len(note) for note in notes), default=0)
        why = min(max(longest, cell_len(headers[-1])), max(width - table_width([*widths, 0]), 0))
        if why < min(WHY_MINIMUM, max(longest, cell_len(headers[-1]))):
            return _stacked(comparisons, with_status, width, tr)
        widths.append(why)
    if table_width(widths) > width:
        return _stacked(comparisons, with_status, width, tr)
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for key, name, size in zip(keys, headers, widths, strict=True):
        table.add_column(name, justify="right" if key in _NUMBERS else "left", width=size, no_wrap=True)
    for c, row, note in zip(comparisons, cells, notes, strict=True):
        if with_status:
            table.add_row(*row, style=None if c.matches else "bold red")
        else:
            table.add_row(*row, wrapped(note, why))
    return table


def _stacked(comparisons: tuple[Comparison, ...], with_status: bool, width: int,
             tr: Translator = ENGLISH) -> list[Text]:
    """One block per value: the field with its rule (and result), then ordered, expected and
    the difference, each whole, then why."""
    blocks = []
    for c in comparisons:
        where = tr(N_("row {row}: "), row=c.row) if c.row is not None else ""
        status = f"{_status(c, tr)} " if with_status else ""
        style = "bold red" if with_status and not c.matches else ""
        rule = f" ({rule_name(c.rule, tr)})" if c.rule else ""
        blocks.append(Text(wrapped(f"{status}{where}{_field(c, tr)}{rule}", width, hanging="  "), style=style))
        values = [tr(N_("ordered {value}"), value=shown(c.ordered, c.unit, tr, c.absent_ordered, key=c.key)),
                  tr(N_("expected {value}"), value=shown(c.expected, c.unit, tr, c.absent_expected, key=c.key))]
        difference = "" if c.matches and not c.difference else difference_text(c, tr)
        if difference:
            values.append(tr(N_("difference {value}"), value=difference))
        blocks.append(Text(wrapped(" · ".join(map(whole, values)), width, "  ", "  ")))
        if not with_status and c.note:
            blocks.append(Text(wrapped(tr(N_("why: {note}"), note=tr.say(c.note)), width, "  ", "    ")))
    return blocks


def render_verification_table(verification: Verification, out: TextIO, tr: Translator = ENGLISH,
                               every: bool = False) -> None:
    width = width_for(out)
    console = TextConsole(out, width)

    def say(text: str, style: str = "", hanging: str = "  ") -> None:
        console.print(Text(wrapped(text, width, hanging=hanging), style=style), crop=False)

    def draw(part: Table | list[Text]) -> None:
        for renderable in part if isinstance(part, list) else [part]:
            console.print(renderable, crop=False)

    say(verdict(verification, tr), style="bold green" if verification.matches else "bold red")
    if not verification.matches:
        draw(_lines(verification.discrepancies, with_status=False, width=width, tr=tr))
    if verification.not_checked:
        console.print()
        say(tr(N_("Not checked (no plan decides them; confirm them yourself):")), style="bold")
        for unchecked in verification.not_checked:
            field = printable_text(tr.say(unchecked.label or key_words(unchecked.field)))
            line = f"{field}: {printable_text(tr.say(unchecked.value))} ({tr.say(unchecked.why)})"
            console.print(Text(wrapped(line, width, "  ", "    ")), crop=False)
    console.print()
    say(tr(N_("Expected plan computed from:")), style="bold")
    for item in verification.inputs:
        line = f"{tr.say(item.name)}: {shown(item.value, '', tr, key=item.key)} ({tr.say(item.source)})"
        console.print(Text(wrapped(line, width, "  ", "    ")), crop=False)
    for note in verification.notes:
        say(tr(N_("Note: {note}"), note=tr.say(note)))
    console.print()
    if every:
        say(tr(N_("Every value compared:")), style="bold")
        draw(_lines(verification.comparisons, with_status=True, width=width, tr=tr))
    else:
        say(tr(N_("--all lists every value compared.")))


def verdict(verification: Verification, tr: Translator = ENGLISH) -> str:
    """The answer first: a match (exact, or within the tolerance with the largest difference it let
    through), or how many values differ."""
    total, wrong = len(verification.comparisons), len(verification.discrepancies)
    if not verification.matches:
        return tr(N_("DOES NOT MATCH: {wrong} of {total} values compared differ from the protocol:"), wrong=wrong,
                  total=total)
    largest = verification.largest_difference
    if largest is None:
        return tr(N_("MATCH: all {total} values compared agree with the protocol."), total=total)
    return tr(N_("MATCH within tolerance: all {total} values compared are within {tolerance} of the protocol's; the "
                 "largest difference is {difference} ({field})."), total=total,
              tolerance=tolerance_text(verification.tolerance, tr), difference=difference_text(largest, tr),
              field=_field(largest, tr))


def printable_text(text: str) -> str:
    from ivig_dose.parse.text import printable

    return printable(text)
