"""The pharmacy order sheet: an A4 PDF to prepare from, sign and file.

Everything on it comes from the plan document, so the sheet says exactly what ``plan --format
json`` says. A part the plan did not compute (vials, pump program) is printed as "not computed",
never estimated. Blinded sheets show neither the arm, nor doses, nor vials (placebo bags have no
vials, so a vial count would unblind): the two arms print the same sheet.

Every page must stand alone, because pages are signed and filed one by one: each carries a
header with the patient, the protocol and version, the input digest and "page N of M"; a
course (heading, table, totals, vials to pick) moves whole to the next page rather than
leave its heading or its total behind, and a course longer than a page repeats its heading
and the table's column headings; the sign-off boxes never stand on a page without the
warnings they sign for. A number is never broken from its unit, nor a vial item or a pump
step across lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fpdf.enums import XPos, YPos

from ivig_dose.core.amounts import grams, millilitres
from ivig_dose.core.products import risk_text
from ivig_dose.render.document_text import (
    NOT_COMPUTED,
    Document,
    course_weights_text,
    dose_text,
    dosing_weight_text,
    duration_minutes,
    duration_text,
    exact,
    pick_items,
    product_text,
    pump_steps,
    vial_items,
    waste_text,
    weight_shown,
)
from ivig_dose.render.pdf_base import FONT, Sheet, check_drawable, new_sheet, pdf_bytes, wrapped_lines
from ivig_dose.render.provenance import Provenance, footer_text

BLANK = "_" * 28
NBSP = "\u00a0"
_NUMBER_SPACE_UNIT = re.compile(r"(\d) (?=[A-Za-z])")
LINE = 5.5
GREY = 110
TABLE_FONT_SIZE = 8.5
SMALLEST_TABLE_FONT_SIZE = 6.0
CELL_PADDING = 1.0
#: the vertical position where the header starts; the bottom margin above the footer.
HEADER_TOP, BOTTOM_MARGIN = 8.0, 20.0
#: the sign-off boxes with the space above and below them.
SIGN_OFF_HEIGHT = 40.0


@dataclass
class _Pages:
    """What the page header must know while the sheet is drawn: the course a page break falls in,
    and where the content of the current page begins (to tell an empty page from a full one)."""

    header: str
    continuing: str | None = None
    content_top: float = 0.0


def render_order(document: Document, provenance: Provenance) -> bytes:
    blinded = bool(document["blinded"])
    title = "Study medication infusion order (blinded)" if blinded else "IVIg infusion order"
    footer = footer_text(document, provenance)
    pages = _Pages(header_text(document, provenance))

    def draw_footer(pdf: Sheet) -> None:
        pdf.set_y(-14)
        pdf.set_font(FONT, size=7)
        pdf.set_text_color(GREY)
        pdf.multi_cell(0, 3.2, footer, align="C")
        pdf.set_text_color(0)

    def draw_header(pdf: Sheet) -> None:
        _page_header(pdf, pages)

    pdf = new_sheet(title, provenance, draw_footer, draw_header)
    check_drawable(pdf, provenance.patient_id, "--patient-id")
    pdf.set_margins(15, HEADER_TOP, 15)
    pdf.set_auto_page_break(True, margin=BOTTOM_MARGIN)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 9, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _heading(pdf, document, provenance)
    for note in sheet_notes(document):
        _note(pdf, note)
    if document.get("at_risk"):
        _note(pdf, at_risk_note(document["at_risk"]))
    for course in document["courses"]:
        _course(pdf, pages, document, course)
    rules = [f"{w['rule']}: {w['text']}" for w in document["why"]]
    _keep_together(pdf, pages, 7 + _list_height(pdf, rules))
    _totals(pdf, document)
    _list(pdf, "Rules applied", rules)
    warnings = list(document["warnings"]) or ["none"]
    _keep_together(pdf, pages, _list_height(pdf, warnings) + SIGN_OFF_HEIGHT)
    _list(pdf, "Warnings", warnings)
    _sign_off(pdf)
    return pdf_bytes(pdf)


def at_risk_note(at_risk: Document) -> str:
    """The boxed warning's care for a patient at risk: the capped rate, and hydration before each bag."""
    risks = risk_text(at_risk["risks"])
    return (f"Patient at risk of {risks}: ensure adequate hydration before each infusion. Pump capped at "
            f"{at_risk['max_rate']} (see the rules applied); give the minimum dose and rate practicable.")


def header_text(document: Document, provenance: Provenance) -> str:
    """What identifies a page on its own: patient, protocol and version, input digest."""
    return (f"Patient {provenance.patient_id or '_' * 16} · {document['protocol_name']}, version "
            f"{document['protocol_version']} · input digest {document['input_digest']}")


def sheet_notes(document: Document) -> list[str]:
    """Boxed notes under the heading that say exactly what the sheet does and does not show."""
    segments = [s for c in document["courses"] for d in c["days"] for s in d["segments"]]
    pump_missing = any(s.get("pump") is None for s in segments)
    notes = []
    if document["blinded"]:
        shown = "volumes" if pump_missing else "volumes, pump programs and run times"
        notes.append("Blinded order: the arm, the doses and the vials are not shown, because they would tell "
                     f"the arm. Shown are the dates, settings and {shown}, which are the same for both arms. "
                     "The unblinded pharmacy picks the vials and prepares the bags.")
    missing = []
    if not document["blinded"] and any(s.get("vials") is None for s in segments):
        missing.append("vials")
    if pump_missing:
        missing += ["pump programs", "run times"]
    if missing:
        what = ", ".join(missing[:-1]) + " and " + missing[-1] if len(missing) > 1 else missing[0]
        notes.append(f"{what[0].upper()}{what[1:]}: {NOT_COMPUTED} in this plan, and printed as "
                     f"\"{NOT_COMPUTED}\" where they would be. Work them out by local procedure and "
                     "record them on this sheet by hand.")
    return notes


def keep_units_together(text: str) -> str:
    """A no-break space between a number and its unit, so a wrapped cell never reads "270" / "mL"."""
    return _NUMBER_SPACE_UNIT.sub("\\1\u00a0", text)


def whole(text: str) -> str:
    """The text as one unbreakable piece: a line may break before or after it, never inside."""
    return text.replace(" ", NBSP)


def _page_header(pdf: Sheet, pages: _Pages) -> None:
    pdf.set_y(HEADER_TOP)
    pdf.set_font(FONT, size=8)
    pdf.set_text_color(GREY)
    page = f"page {pdf.page_no()} of {{nb}}"
    page_width = pdf.get_string_width(f"page {pdf.page_no()} of 999") + 2
    pdf.multi_cell(pdf.epw - page_width, 3.6, keep_units_together(pages.header), new_x=XPos.RIGHT,
                   new_y=YPos.TOP)
    pdf.cell(page_width, 3.6, page, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    bottom = max(pdf.get_y(), HEADER_TOP + 3.6) + 1
    pdf.set_draw_color(GREY)
    pdf.line(pdf.l_margin, bottom, pdf.l_margin + pdf.epw, bottom)
    pdf.set_draw_color(0)
    pdf.set_y(bottom + 3)
    if pages.continuing is not None:
        pdf.set_font(FONT, "B", 12)
        pdf.multi_cell(0, 8, f"{pages.continuing} (continued)", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pages.content_top = pdf.get_y()


def _keep_together(pdf: Sheet, pages: _Pages, height: float) -> None:
    """Starts a new page when a block of this height would not fit below the content already on
    this page. A block longer than a whole page starts on a page of its own and is split by
    fpdf2 as it goes (the header then repeats the course heading)."""
    if pdf.get_y() > pages.content_top + 0.01 and pdf.will_page_break(height):
        pdf.add_page()


def _lines(pdf: Sheet, text: str, width: float, style: str = "", size: float = 9.0) -> int:
    """How many lines fpdf2 wraps the text into at this width (measured, not drawn)."""
    pdf.set_font(FONT, style, size)
    return len(wrapped_lines(pdf, width, text))


def wrap(pdf: Sheet, text: str, width: float) -> str:
    """The text with its line breaks made explicit: as many pieces (split at plain spaces) on a
    line as fit the width. Knowing every line in advance makes a table's height exact, so a
    course can be kept on one page without drawing it twice."""
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for piece in paragraph.split(" "):
            longer = f"{line} {piece}" if line else piece
            if line and pdf.get_string_width(longer) > width:
                lines.append(line)
                line = piece
            else:
                line = longer
        lines.append(line)
    return "\n".join(lines)


def _field(pdf: Sheet, label: str, value: str) -> None:
    pdf.set_font(FONT, "B", 10)
    pdf.cell(32, LINE, label)
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, LINE, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _heading(pdf: Sheet, document: Document, provenance: Provenance) -> None:
    _field(pdf, "Protocol", f"{document['protocol_name']}, version {document['protocol_version']}")
    _field(pdf, "Product", product_text(document))
    _field(pdf, "Patient", provenance.patient_id or BLANK)
    if not document["blinded"]:
        _field(pdf, "Arm", str(document["arm"]))
    _field(pdf, "Weight", weight_shown(document))
    _field(pdf, "Dosing weight", dosing_weight_text(document))
    _field(pdf, "Start", document["courses"][0]["start"])
    pdf.ln(2)


def _note(pdf: Sheet, text: str) -> None:
    pdf.set_font(FONT, "B", 9)
    pdf.multi_cell(0, 4.5, text, border=1, padding=2, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _columns(blinded: bool) -> list[tuple[str, int]]:
    """(heading, width in mm); the widths of each layout add up to the 180 mm between margins."""
    if blinded:
        return [("Date", 22), ("Day", 16), ("Setting", 20), ("Volume", 20), ("Pump program", 80),
                ("Run time", 22)]
    return [("Date", 16), ("Day", 10), ("Setting", 13), ("Dose", 12), ("Volume", 13),
            ("Vials to pick", 52), ("Pump program", 47), ("Run time", 17)]


def _vials_cell(segment: Document) -> str:
    """Vial items joined so that a line breaks only between items: ``2 × 20 g (200 mL)`` / ``+ 1 × 5 g``."""
    items = vial_items(segment)
    if items is None:
        return NOT_COMPUTED
    text = f" +{NBSP}".join(whole(item) for item in items) or "none"
    waste = waste_text(segment)
    return text if waste is None else f"{text}\n{whole(waste)}"


def _pump_cell(segment: Document) -> str:
    steps = pump_steps(segment)
    return NOT_COMPUTED if steps is None else "\n".join(whole(step) for step in steps)


def course_heading(course: Document) -> str:
    return (f"{course['name']} course · week {course['week']} · from {course['start']} · "
            f"{len(course['days'])} days · {course_weights_text(course)}")


def _course_rows(document: Document, course: Document) -> list[list[str]]:
    """One row per bag and a course total of dose and volume; run times are per bag, never summed."""
    blinded = bool(document["blinded"])
    days = len(course["days"])
    rows = []
    for day in course["days"]:
        for segment in day["segments"]:
            cells = [whole(day["date"]), whole(f"{day['day']} of {days}"), whole(segment["setting"])]
            cells += [] if blinded else [whole(dose_text(segment["dose_g"]))]
            cells.append(whole(millilitres(exact(segment["volume_ml"]))))
            cells += [] if blinded else [_vials_cell(segment)]
            cells += [_pump_cell(segment), whole(duration_text(duration_minutes(segment)))]
            rows.append(cells)
    total = ["Course total", "", ""]
    total += [] if blinded else [whole(dose_text(course["dose_g"]))]
    total.append(whole(millilitres(exact(course["volume_ml"]))))
    total += [""] * (3 if not blinded else 2)
    return [*rows, total]


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


@dataclass(frozen=True)
class _CourseTable:
    """A course's table laid out: cells with their line breaks made, the font size, the height."""

    heading: str
    widths: list[int]
    rows: list[list[str]]
    size: float
    picked: str | None

    def row_height(self, row: list[str]) -> float:
        return max(cell.count("\n") + 1 for cell in row) * self.size / 2 + 2 * CELL_PADDING


def _course_table(pdf: Sheet, document: Document, course: Document) -> _CourseTable:
    columns = _columns(bool(document["blinded"]))
    widths = [w for _, w in columns]
    rows = [[name for name, _ in columns], *_course_rows(document, course)]
    size = _table_font_size(pdf, widths, rows)
    pdf.set_font(FONT, "", size)
    rows = [[wrap(pdf, cell, _room(w)) for w, cell in zip(widths, row, strict=True)] for row in rows]
    picked = None
    if not document["blinded"]:
        items = pick_items(course)
        listed = NOT_COMPUTED if items is None else " + ".join(whole(i) for i in items) or "none"
        picked = f"Vials to pick for the {course['name']} course: {listed}"
    return _CourseTable(course_heading(course), widths, rows, size, picked)


def _course(pdf: Sheet, pages: _Pages, document: Document, course: Document) -> None:
    table = _course_table(pdf, document, course)
    height = (_lines(pdf, table.heading, pdf.epw, "B", 12) * 8
              + sum(table.row_height(row) for row in table.rows)
              + (0 if table.picked is None else _lines(pdf, table.picked, pdf.epw) * 5))
    _keep_together(pdf, pages, height)
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 8, table.heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pages.continuing = table.heading
    try:
        pdf.set_font(FONT, "", table.size)
        with pdf.table(col_widths=table.widths, text_align="LEFT", line_height=table.size / 2,
                       padding=CELL_PADDING, first_row_as_headings=True) as drawn:
            for row in table.rows:
                drawn.row(row)
        if table.picked is not None:
            pdf.set_font(FONT, "", 9)
            pdf.multi_cell(0, 5, table.picked, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    finally:
        pages.continuing = None
    pdf.ln(2)


def _totals(pdf: Sheet, document: Document) -> None:
    volume = millilitres(exact(document["total_volume_ml"]))
    courses = len(document["courses"])
    text = f"Protocol total over {courses} courses: {volume}"
    if document["total_dose_g"] is not None:
        text = f"Protocol total over {courses} courses: {grams(exact(document['total_dose_g']))} in {volume}"
    pdf.set_font(FONT, "B", 10)
    pdf.cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _list_height(pdf: Sheet, lines: list[str]) -> float:
    return 7 + sum(_lines(pdf, _bullet(line), pdf.epw) * 4.5 for line in lines)


def _bullet(line: str) -> str:
    return keep_units_together(f"• {line}")


def _list(pdf: Sheet, heading: str, lines: list[str]) -> None:
    pdf.set_font(FONT, "B", 10)
    pdf.cell(0, 7, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9)
    for line in lines:
        pdf.multi_cell(0, 4.5, _bullet(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _sign_off(pdf: Sheet) -> None:
    """Two boxes side by side: preparer and independent check."""
    height = SIGN_OFF_HEIGHT - 6
    pdf.ln(4)
    if pdf.will_page_break(height + 2):
        pdf.add_page()
    top = pdf.get_y()
    width = (pdf.epw - 6) / 2
    for index, heading in enumerate(("Prepared by (pharmacist)", "Independent double check")):
        left = pdf.l_margin + index * (width + 6)
        pdf.rect(left, top, width, height)
        pdf.set_xy(left + 2, top + 2)
        pdf.set_font(FONT, "B", 10)
        pdf.cell(width - 4, 6, heading)
        pdf.set_font(FONT, "", 10)
        for row, label in enumerate(("Name", "Signature", "Date/time")):
            pdf.set_xy(left + 2, top + 10 + row * 8)
            pdf.cell(22, 6, label)
            pdf.line(left + 24, top + 15 + row * 8, left + width - 3, top + 15 + row * 8)
    pdf.set_y(top + height + 2)
