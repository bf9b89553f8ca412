"""A course on the order sheet: its heading and its table of bags, run on over the pages it needs.

One row per bag (date, day, setting, dose, volume, the vials to pick, the pump program, the run
time), then the course's total and the vials to pick for the whole course. Blinded sheets show
neither doses nor vials. A course runs on to the next page rather than leave half a page blank:
the page it continues on repeats its heading and the table's column headings, its heading never
stands without its first bag, nor its total without its last.
"""

from __future__ import annotations

from datetime import date

from fpdf.enums import XPos, YPos

from ivig_dose.core.messages import N_
from ivig_dose.core.records import frozen
from ivig_dose.render.document_text import (
    NOT_COMPUTED,
    Document,
    course_weights_text,
    dose_text,
    duration_minutes,
    duration_text,
    exact,
    none_text,
    pick_items,
    pump_steps,
    vial_items,
    waste_text,
    weekday_date,
)
from ivig_dose.render.order_pages import Pages, keep_together
from ivig_dose.render.order_text import NBSP, keep_units_together, line_count, whole, wrap
from ivig_dose.render.pdf_base import FONT, Sheet
from ivig_dose.render.translator import ENGLISH, Translator
from ivig_dose.render.words import setting_word

TABLE_FONT_SIZE = 8.5
SMALLEST_TABLE_FONT_SIZE = 6.0
CELL_PADDING = 1.0
#: what a table's height is allowed to be off by before fpdf2 would break the page itself.
SLACK = 0.5


def _columns(blinded: bool, tr: Translator = ENGLISH) -> list[tuple[str, int]]:
    """(heading, width in mm); the widths of each layout add up to the 180 mm between margins."""
    if blinded:
        return [(tr(N_("Date")), 22), (tr(N_("Day")), 16), (tr(N_("Setting")), 20), (tr(N_("Volume")), 20),
                (tr(N_("Pump program")), 80), (tr(N_("Run time")), 22)]
    return [(tr(N_("Date")), 16), (tr(N_("Day")), 10), (tr(N_("Setting")), 13), (tr(N_("Dose")), 12),
            (tr(N_("Volume")), 13), (tr(N_("Vials to pick")), 52), (tr(N_("Pump program")), 47),
            (tr(N_("Run time")), 17)]


def _vials_cell(segment: Document, tr: Translator = ENGLISH) -> str:
    """Vial items joined so that a line breaks only between items: ``2 × 20 g (200 mL)`` / ``+ 1 × 5 g``."""
    items = vial_items(segment, tr)
    if items is None:
        return tr(NOT_COMPUTED)
    text = f" +{NBSP}".join(whole(item) for item in items) or none_text(tr)
    waste = waste_text(segment, tr)
    return text if waste is None else f"{text}\n{whole(waste)}"


def _pump_cell(segment: Document, tr: Translator = ENGLISH) -> str:
    steps = pump_steps(segment, tr)
    return tr(NOT_COMPUTED) if steps is None else "\n".join(whole(step) for step in steps)


def course_heading(course: Document, tr: Translator = ENGLISH) -> str:
    return tr(N_("{course} course · week {week} · from {start} · {days} days · {dosed_on}"),
              course=course["name"], week=course["week"], start=weekday_date(course["start"], tr),
              days=len(course["days"]), dosed_on=course_weights_text(course, tr))


def _course_rows(document: Document, course: Document, tr: Translator = ENGLISH) -> list[list[str]]:
    """One row per bag; a date under its weekday, the same in every layout and language."""
    blinded = bool(document["blinded"])
    days = len(course["days"])
    rows = []
    for day in course["days"]:
        for segment in day["segments"]:
            cells = [tr.dated(date.fromisoformat(day["date"])).replace(" ", "\n", 1),
                     whole(tr(N_("{day} of {days}"), day=day["day"], days=days)),
                     whole(setting_word(segment["setting"], tr))]
            cells += [] if blinded else [whole(dose_text(segment["dose_g"], tr))]
            cells.append(whole(tr.millilitres(exact(segment["volume_ml"]))))
            cells += [] if blinded else [_vials_cell(segment, tr)]
            cells += [_pump_cell(segment, tr), whole(duration_text(duration_minutes(segment), tr))]
            rows.append(cells)
    return rows


def _total_row(document: Document, course: Document, tr: Translator = ENGLISH) -> list[str]:
    """The course's total of dose and volume, its label across the date, day and setting columns
    (:data:`TOTAL_SPAN`); run times are per bag, never summed."""
    blinded = bool(document["blinded"])
    total = [whole(tr(N_("Course total")))]
    total += [] if blinded else [whole(dose_text(course["dose_g"], tr))]
    total.append(whole(tr.millilitres(exact(course["volume_ml"]))))
    return total + [""] * (3 if not blinded else 2)


#: the columns the course total's label spans: date, day and setting.
TOTAL_SPAN = 3


def _table_font_size(pdf: Sheet, widths: list[int], rows: list[list[str]]) -> float:
    """The largest size up to 8.5 pt at which every unbreakable piece fits its column, so that
    fpdf2 never has to cut a piece inside ("(481" / "mL)")."""
    pdf.set_font(FONT, "", TABLE_FONT_SIZE)
    scale = 1.0
    for row in rows:
        for width, cell in zip(widths, row, strict=True):
            for piece in cell.replace("\n", " ").split(" "):
                needed = pdf.get_string_width(piece)
                if needed:
                    scale = min(scale, _room(width) / needed)
    return max(SMALLEST_TABLE_FONT_SIZE, TABLE_FONT_SIZE * scale)


def _room(width: float) -> float:
    """The text width inside a cell: its width less the padding, and a little to spare."""
    return width - 2 * CELL_PADDING - 0.5


@frozen
class _CourseTable:
    """A course's table laid out: cells with their line breaks made, the font size, the height."""

    heading: str
    widths: list[int]
    #: the column headings, then one row per bag.
    rows: list[list[str]]
    total: list[str]
    size: float
    picked: str | None

    def row_height(self, row: list[str]) -> float:
        return max(cell.count("\n") + 1 for cell in row) * self.size / 2 + 2 * CELL_PADDING


def _course_table(pdf: Sheet, document: Document, course: Document, tr: Translator = ENGLISH) -> _CourseTable:
    columns = _columns(bool(document["blinded"]), tr)
    widths = [w for _, w in columns]
    rows = [[name for name, _ in columns], *_course_rows(document, course, tr)]
    size = _table_font_size(pdf, widths, rows)
    pdf.set_font(FONT, "", size)
    rows = [[wrap(pdf, cell, _room(w)) for w, cell in zip(widths, row, strict=True)] for row in rows]
    picked = None
    if not document["blinded"]:
        items = pick_items(course, tr)
        listed = tr(NOT_COMPUTED) if items is None else " + ".join(whole(i) for i in items) or none_text(tr)
        picked = tr(N_("Vials to pick for the {course} course: {vials}"), course=course["name"], vials=listed)
    return _CourseTable(keep_units_together(course_heading(course, tr)), widths, rows,
                        _total_row(document, course, tr), size, picked)


def draw_course(pdf: Sheet, pages: Pages, document: Document, course: Document) -> None:
    """The course's heading and table, run on over as many pages as it takes: each page it goes on
    to repeats its heading (the page header) and the column headings; the heading never stands
    without the first bag, the total and the vials to pick never without the last."""
    table = _course_table(pdf, document, course, pages.tr)
    heading, *bags = table.rows
    tail = table.row_height(table.total) + (0 if table.picked is None else line_count(pdf, table.picked, pdf.epw) * 5)
    first = (line_count(pdf, table.heading, pdf.epw, "B", 12) * 8 + table.row_height(heading)
             + table.row_height(bags[0]) + (tail if len(bags) == 1 else 0))
    keep_together(pdf, pages, first)
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 8, table.heading, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pages.continuing = table.heading
    try:
        start = 0
        while True:
            end = _bags_that_fit(pdf, table, bags, start, tail)
            _draw_bags(pdf, pages, table, bags[start:end], last=end == len(bags))
            if end == len(bags):
                break
            pdf.add_page()
            start = end
        if table.picked is not None:
            pdf.set_font(FONT, "", 9)
            pdf.multi_cell(0, 5, table.picked, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    finally:
        pages.continuing = None
    pdf.ln(2)


def _bags_that_fit(pdf: Sheet, table: _CourseTable, bags: list[list[str]], start: int, tail: float) -> int:
    """Where this page's part of the table ends: as many bags from ``start`` as fit below the
    column headings, the last bag only with the total (``tail``) after it; at least one bag."""
    room = pdf.page_break_trigger - pdf.get_y() - table.row_height(table.rows[0]) - SLACK
    end, used = start, 0.0
    while end < len(bags) and used + table.row_height(bags[end]) <= room:
        used += table.row_height(bags[end])
        end += 1
    if end == len(bags) and used + tail > room:
        end -= 1  # the last bag goes on with the total: a page never opens with a lone total
    return max(end, start + 1)


def _draw_bags(pdf: Sheet, pages: Pages, table: _CourseTable, bags: list[list[str]], last: bool) -> None:
    pdf.set_font(FONT, "", table.size)
    with pdf.table(col_widths=table.widths, text_align="LEFT", line_height=table.size / 2,
                   padding=CELL_PADDING, first_row_as_headings=True) as drawn:
        drawn.row(table.rows[0])
        for row in bags:
            drawn.row(row)
        if last:
            total = drawn.row()
            label, *cells = table.total
            total.cell(label, colspan=TOTAL_SPAN)
            for cell in cells:
                total.cell(cell)
    pages.doses = True
