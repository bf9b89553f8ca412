"""The pharmacy order sheet: an A4 PDF to prepare from, sign and file.

Everything on it comes from the plan document, so the sheet says exactly what ``plan --format
json`` says. A part the plan did not compute (vials, pump program) is printed as "not computed",
never estimated. Blinded sheets show neither the arm, nor doses, nor vials (placebo bags have no
vials, so a vial count would unblind): the two arms print the same sheet.

Every page must stand alone, because pages are signed and filed one by one: each carries a
header with the patient, the protocol and version, the input digest and "page N of M", and
each page that carries bags has a line for the prescriber's, the pharmacist's and the double
checker's initials, so a page nobody initialled cannot be swapped in. A course runs on to the
next page rather than leave half a page blank: the page it continues on repeats its heading and
the table's column headings, its heading never stands without its first bag, nor its total
without its last. The rules run on the same way; the sign-off boxes (prescriber, pharmacist,
double check) never stand on a page without the warnings they sign for. A number is never
broken from its unit, nor a vial item or a pump step across lines; the route and the one product
the bags hold are named, and nothing from a data file's Markdown (a backtick) is printed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from fpdf.enums import XPos, YPos

from ivig_dose.core.messages import N_, AndList, message
from ivig_dose.core.products import risk_text
from ivig_dose.core.records import frozen
from ivig_dose.render.document_text import (
    NOT_COMPUTED,
    ROUTE,
    Document,
    course_weights_text,
    dose_text,
    dosing_weight_text,
    duration_minutes,
    duration_text,
    exact,
    none_text,
    pick_items,
    product_text,
    pump_steps,
    vial_items,
    waste_text,
    weekday_date,
    weight_shown,
)
from ivig_dose.render.pdf_base import FONT, Sheet, check_drawable, new_sheet, pdf_bytes, wrapped_lines
from ivig_dose.render.provenance import Provenance, footer_text
from ivig_dose.render.translator import ENGLISH, Translator
from ivig_dose.render.words import arm_word, rule_name, setting_word

BLANK = "_" * 28
NBSP = "\u00a0"
_NUMBER_SPACE_UNIT = re.compile(r"(\d) (?=[A-Za-z%])")
#: a name and its strength (``Octagam 10 %``, ``NaCl 0.9%``), a weekday and its date (``Sat 2027-01-09``).
_NAME_SPACE_STRENGTH = re.compile(r"(?<=[A-Za-z]) (?=\d+(?:[.,]\d+)? ?%)")
_SPACE_DATE = re.compile(r" (?=\d{4}-\d\d-\d\d\b)")
LINE = 5.5
GREY = 110
TABLE_FONT_SIZE = 8.5
SMALLEST_TABLE_FONT_SIZE = 6.0
CELL_PADDING = 1.0
#: the vertical position where the header starts; the bottom margin above the initials and the footer.
HEADER_TOP, BOTTOM_MARGIN = 8.0, 27.0
#: where the line for initials stands, from the foot of the page, and its height.
INITIALS_FROM_FOOT, INITIALS_HEIGHT = 24.0, 7.0
#: a sign-off box: its heading, the height of a row, the space between boxes.
BOX_HEADING, BOX_ROW, BOX_GAP = 9.0, 7.5, 4.0
#: the sign-off boxes, each with its rows: whoever prescribes (in many hospitals this sheet is the
#: prescription), prepares and double-checks signs here.
SIGN_OFF = (
    (N_("Prescribed by (physician)"), (N_("Name"), N_("Registration no."), N_("Signature"), N_("Date"))),
    (N_("Prepared by (pharmacist)"), (N_("Name"), N_("Signature"), N_("Date/time"))),
    (N_("Independent double check"), (N_("Name"), N_("Signature"), N_("Date/time"))),
)
#: the boxes with the space above and below them.
SIGN_OFF_HEIGHT = 4 + BOX_HEADING + max(len(rows) for _, rows in SIGN_OFF) * BOX_ROW + 2.5 + 2
#: what a table's height is allowed to be off by before fpdf2 would break the page itself.
SLACK = 0.5


@dataclass
class _Pages:
    """What the page header must know while the sheet is drawn: the course a page break falls in,
    and where the content of the current page begins (to tell an empty page from a full one)."""

    header: str
    continuing: str | None = None
    content_top: float = 0.0
    tr: Translator = ENGLISH
    #: whether the page being drawn carries bags, and so gets the line for initials.
    doses: bool = False


def render_order(document: Document, provenance: Provenance, tr: Translator = ENGLISH) -> bytes:
    tr = tr.with_weekdays()  # the dates the rules and warnings quote, as every date on the sheet
    blinded = bool(document["blinded"])
    title = tr(N_("Study medication infusion order (blinded)")) if blinded else tr(N_("IVIg infusion order"))
    footer = footer_text(document, provenance, tr)
    pages = _Pages(header_text(document, provenance, tr), tr=tr)

    def draw_footer(pdf: Sheet) -> None:
        if pages.doses:
            _initials(pdf, tr)
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
    _heading(pdf, document, provenance, tr)
    for note in sheet_notes(document, tr):
        _note(pdf, note)
    if document.get("at_risk"):
        _note(pdf, at_risk_note(document["at_risk"], tr))
    for course in document["courses"]:
        _course(pdf, pages, document, course)
    names = [product_name_of(document)]
    rules = [plain(f"{rule_name(w['rule'], tr)}: {tr.say(w['text'])}", names) for w in document["why"]]
    _rules(pdf, pages, rules)
    warnings = [plain(tr.say(warning), names) for warning in document["warnings"]] or [none_text(tr)]
    # what the boxes are signed for stands with them: the protocol's total and every warning
    _keep_together(pdf, pages, 7 + _list_height(pdf, warnings) + SIGN_OFF_HEIGHT)
    _totals(pdf, document, tr)
    _list(pdf, tr(N_("Warnings")), warnings)
    _sign_off(pdf, tr)
    return pdf_bytes(pdf)


#: what the sheet leaves out when the plan did not compute it.
_VIALS, _PUMPS, _RUN_TIMES = N_("vials"), N_("pump programs"), N_("run times")


def at_risk_note(at_risk: Document, tr: Translator = ENGLISH) -> str:
    """The boxed warning's care for a patient at risk: the capped rate, and hydration before each bag."""
    return tr(N_("Patient at risk of {risks}: ensure adequate hydration before each infusion. Pump capped at {limit} "
                 "(see the rules applied); give the minimum dose and rate practicable."),
              risks=tr.say(risk_text(at_risk["risks"])), limit=tr.say(at_risk["max_rate"]))


def header_text(document: Document, provenance: Provenance, tr: Translator = ENGLISH) -> str:
    """What identifies a page on its own: patient, protocol and version, input digest."""
    return tr(N_("Patient {patient} · {protocol}, version {version} · input digest {digest}"),
              patient=provenance.patient_id or "_" * 16, protocol=document["protocol_name"],
              version=document["protocol_version"], digest=document["input_digest"])


def sheet_notes(document: Document, tr: Translator = ENGLISH) -> list[str]:
    """Boxed notes under the heading that say exactly what the sheet does and does not show."""
    segments = [s for c in document["courses"] for d in c["days"] for s in d["segments"]]
    pump_missing = any(s.get("pump") is None for s in segments)
    notes = []
    if document["blinded"]:
        if pump_missing:
            notes.append(tr(N_("Blinded order: the arm, the doses and the vials are not shown, because they would "
                               "tell the arm. Shown are the dates, settings and volumes, which are the same for both "
                               "arms. The unblinded pharmacy picks the vials and prepares the bags.")))
        else:
            notes.append(tr(N_("Blinded order: the arm, the doses and the vials are not shown, because they would "
                               "tell the arm. Shown are the dates, settings and volumes, pump programs and run times, "
                               "which are the same for both arms. The unblinded pharmacy picks the vials and prepares "
                               "the bags.")))
    missing = []
    if not document["blinded"] and any(s.get("vials") is None for s in segments):
        missing.append(message(_VIALS))
    if pump_missing:
        missing += [message(_PUMPS), message(_RUN_TIMES)]
    if missing:
        what = tr.say(AndList(tuple(missing)))
        not_computed = tr(NOT_COMPUTED)
        notes.append(tr(N_("{what}: {not_computed} in this plan, and printed as \"{not_computed}\" where they would "
                           "be. Work them out by local procedure and record them on this sheet by hand."),
                        what=what[0].upper() + what[1:], not_computed=not_computed))
    return notes


def keep_units_together(text: str) -> str:
    """A no-break space between a number and its unit, so a wrapped cell never reads "270" / "mL";
    likewise between a name and its strength and between a weekday and its date."""
    text = _NAME_SPACE_STRENGTH.sub(NBSP, _SPACE_DATE.sub(NBSP, text))
    return _NUMBER_SPACE_UNIT.sub("\\1\u00a0", text)


def whole(text: str) -> str:
    """The text as one unbreakable piece: a line may break before or after it, never inside."""
    return text.replace(" ", NBSP)


def product_name_of(document: Document) -> str:
    """The name of what the bags hold, as the plan document has it (``Octagam 10%``)."""
    return str(document["product"]["name"])


def plain(text: str, names: Sequence[str] = ()) -> str:
    """Text from a protocol or catalogue as print shows it: without Markdown's backticks (a source
    may quote a command as `code`), and each of ``names`` kept on one line."""
    text = text.replace("`", "")
    for name in names:
        if " " in name:
            text = text.replace(name, whole(name))
    return text


def _page_header(pdf: Sheet, pages: _Pages) -> None:
    tr = pages.tr
    pdf.set_y(HEADER_TOP)
    pdf.set_font(FONT, size=8)
    pdf.set_text_color(GREY)
    page = tr(N_("page {page} of {pages}"), page=pdf.page_no(), pages="{nb}")
    page_width = pdf.get_string_width(tr(N_("page {page} of {pages}"), page=pdf.page_no(), pages=999)) + 2
    pdf.multi_cell(pdf.epw - page_width, 3.6, keep_units_together(pages.header), align="L", new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)
    # the rule goes under the whole header, which a long protocol name takes two lines for
    header_bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + pdf.epw - page_width, HEADER_TOP)
    pdf.cell(page_width, 3.6, page, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    bottom = max(header_bottom, HEADER_TOP + 3.6) + 1
    pdf.set_draw_color(GREY)
    pdf.line(pdf.l_margin, bottom, pdf.l_margin + pdf.epw, bottom)
    pdf.set_draw_color(0)
    pdf.set_y(bottom + 3)
    pages.doses = False
    if pages.continuing is not None:
        pdf.set_font(FONT, "B", 12)
        pdf.multi_cell(0, 8, tr(N_("{heading} (continued)"), heading=pages.continuing), align="L", new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
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
    pdf.multi_cell(0, LINE, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _heading(pdf: Sheet, document: Document, provenance: Provenance, tr: Translator = ENGLISH) -> None:
    _field(pdf, tr(N_("Protocol")), tr(N_("{protocol}, version {version}"), protocol=document["protocol_name"],
                                       version=document["protocol_version"]))
    _field(pdf, tr(N_("Product")), product_text(document, tr))
    _field(pdf, tr(N_("Route")), tr(ROUTE))
    _field(pdf, tr(N_("Patient")), provenance.patient_id or BLANK)
    if not document["blinded"]:
        _field(pdf, tr(N_("Arm")), arm_word(str(document["arm"]), tr))
    _field(pdf, tr(N_("Weight")), weight_shown(document, tr))
    _field(pdf, tr(N_("Dosing weight")), dosing_weight_text(document, tr))
    _field(pdf, tr(N_("Start")), weekday_date(document["courses"][0]["start"], tr))
    pdf.ln(2)


def _note(pdf: Sheet, text: str) -> None:
    pdf.set_font(FONT, "B", 9)
    pdf.multi_cell(0, 4.5, text, border=1, padding=2, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


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


def _course(pdf: Sheet, pages: _Pages, document: Document, course: Document) -> None:
    """The course's heading and table, run on over as many pages as it takes: each page it goes on
    to repeats its heading (the page header) and the column headings; the heading never stands
    without the first bag, the total and the vials to pick never without the last."""
    table = _course_table(pdf, document, course, pages.tr)
    heading, *bags = table.rows
    tail = table.row_height(table.total) + (0 if table.picked is None else _lines(pdf, table.picked, pdf.epw) * 5)
    first = (_lines(pdf, table.heading, pdf.epw, "B", 12) * 8 + table.row_height(heading)
             + table.row_height(bags[0]) + (tail if len(bags) == 1 else 0))
    _keep_together(pdf, pages, first)
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


def _draw_bags(pdf: Sheet, pages: _Pages, table: _CourseTable, bags: list[list[str]], last: bool) -> None:
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


def _rules(pdf: Sheet, pages: _Pages, rules: list[str]) -> None:
    """The rules applied, run on to the next page (which says so) rather than moved whole; the
    heading never without its first two."""
    tr = pages.tr
    _keep_together(pdf, pages, 7 + sum(_lines(pdf, _bullet(r), pdf.epw) * 4.5 for r in rules[:2]))
    heading = tr(N_("Rules applied"))
    pdf.set_font(FONT, "B", 10)
    pdf.cell(0, 7, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pages.continuing = heading
    try:
        for rule in rules:
            height = _lines(pdf, _bullet(rule), pdf.epw) * 4.5
            if pdf.will_page_break(height):
                pdf.add_page()
            pdf.set_font(FONT, "", 9)
            pdf.multi_cell(0, 4.5, _bullet(rule), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    finally:
        pages.continuing = None


def _totals(pdf: Sheet, document: Document, tr: Translator = ENGLISH) -> None:
    volume = tr.millilitres(exact(document["total_volume_ml"]))
    courses = len(document["courses"])
    text = tr(N_("Protocol total over {courses} courses: {volume}"), courses=courses, volume=volume)
    if document["total_dose_g"] is not None:
        text = tr(N_("Protocol total over {courses} courses: {dose} in {volume}"), courses=courses,
                  dose=tr.grams(exact(document["total_dose_g"])), volume=volume)
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
        pdf.multi_cell(0, 4.5, _bullet(line), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _sign_off(pdf: Sheet, tr: Translator = ENGLISH) -> None:
    """The boxes side by side: prescriber (with the registration number), preparer, independent check."""
    height = SIGN_OFF_HEIGHT - 6
    pdf.ln(4)
    if pdf.will_page_break(height + 2):
        pdf.add_page()
    top = pdf.get_y()
    width = (pdf.epw - BOX_GAP * (len(SIGN_OFF) - 1)) / len(SIGN_OFF)
    pdf.set_font(FONT, "", 9)
    label_width = max(pdf.get_string_width(tr(label)) for _, labels in SIGN_OFF for label in labels) + 2
    for index, (heading, labels) in enumerate(SIGN_OFF):
        left = pdf.l_margin + index * (width + BOX_GAP)
        pdf.rect(left, top, width, height)
        pdf.set_xy(left + 2, top + 1.5)
        pdf.set_font(FONT, "B", 9.5)
        pdf.cell(width - 4, 6, tr(heading))
        pdf.set_font(FONT, "", 9)
        for row, label in enumerate(labels):
            line = top + BOX_HEADING + (row + 1) * BOX_ROW - 1.5
            pdf.set_xy(left + 2, line - 5)
            pdf.cell(label_width, 5, tr(label))
            pdf.line(left + 2 + label_width, line, left + width - 2, line)
    pdf.set_y(top + height + 2)


def _initials(pdf: Sheet, tr: Translator = ENGLISH) -> None:
    """The line for the initials of everyone who signs, on a page that carries bags."""
    top = pdf.h - INITIALS_FROM_FOOT
    pdf.set_xy(pdf.l_margin, top)
    pdf.set_font(FONT, "B", 8.5)
    label = tr(N_("Initials for the bags on this page:"))
    pdf.cell(pdf.get_string_width(label) + 3, INITIALS_HEIGHT, label)
    pdf.set_font(FONT, "", 8.5)
    who = [tr(N_("prescriber")), tr(N_("pharmacist")), tr(N_("double check"))]
    room = (pdf.l_margin + pdf.epw - pdf.get_x()) / len(who)
    for name in who:
        left = pdf.get_x()
        pdf.cell(pdf.get_string_width(name) + 1.5, INITIALS_HEIGHT, name)
        pdf.line(pdf.get_x(), top + INITIALS_HEIGHT - 1.5, left + room - 3, top + INITIALS_HEIGHT - 1.5)
        pdf.set_x(left + room)
