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

This module lays out the sheet from top to bottom: its heading, the notes, the rules applied,
the totals and the warnings. What every page carries is :mod:`ivig_dose.render.order_pages`'s,
a course's table :mod:`ivig_dose.render.order_table`'s, and the text kept unbroken
:mod:`ivig_dose.render.order_text`'s.
"""

from __future__ import annotations

from fpdf.enums import XPos, YPos

from ivig_dose.core.messages import N_, AndList, message
from ivig_dose.core.products import risk_text
from ivig_dose.render.document_text import (
    NOT_COMPUTED,
    ROUTE,
    Document,
    dosing_weight_text,
    exact,
    none_text,
    product_text,
    weekday_date,
    weight_shown,
)
from ivig_dose.render.order_pages import (
    BOTTOM_MARGIN,
    HEADER_TOP,
    SIGN_OFF_HEIGHT,
    Pages,
    header_text,
    keep_together,
    page_footer,
    page_header,
    sign_off,
)
from ivig_dose.render.order_table import draw_course
from ivig_dose.render.order_text import keep_units_together, line_count, plain
from ivig_dose.render.pdf_base import FONT, Sheet, check_drawable, new_sheet, pdf_bytes
from ivig_dose.render.provenance import Provenance, footer_text
from ivig_dose.render.translator import ENGLISH, Translator
from ivig_dose.render.words import arm_word, rule_name

BLANK = "_" * 28
LINE = 5.5


def render_order(document: Document, provenance: Provenance, tr: Translator = ENGLISH) -> bytes:
    tr = tr.with_weekdays()  # the dates the rules and warnings quote, as every date on the sheet
    blinded = bool(document["blinded"])
    title = tr(N_("Study medication infusion order (blinded)")) if blinded else tr(N_("IVIg infusion order"))
    footer = footer_text(document, provenance, tr)
    pages = Pages(header_text(document, provenance, tr), tr=tr)

    def draw_footer(pdf: Sheet) -> None:
        page_footer(pdf, pages, footer)

    def draw_header(pdf: Sheet) -> None:
        page_header(pdf, pages)

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
        draw_course(pdf, pages, document, course)
    names = [product_name_of(document)]
    rules = [plain(f"{rule_name(w['rule'], tr)}: {tr.say(w['text'])}", names) for w in document["why"]]
    _rules(pdf, pages, rules)
    warnings = [plain(tr.say(warning), names) for warning in document["warnings"]] or [none_text(tr)]
    # what the boxes are signed for stands with them: the protocol's total and every warning
    keep_together(pdf, pages, 7 + _list_height(pdf, warnings) + SIGN_OFF_HEIGHT)
    _totals(pdf, document, tr)
    _list(pdf, tr(N_("Warnings")), warnings)
    sign_off(pdf, tr)
    return pdf_bytes(pdf)


#: what the sheet leaves out when the plan did not compute it.
_VIALS, _PUMPS, _RUN_TIMES = N_("vials"), N_("pump programs"), N_("run times")


def at_risk_note(at_risk: Document, tr: Translator = ENGLISH) -> str:
    """The boxed warning's care for a patient at risk: the capped rate, and hydration before each bag."""
    return tr(N_("Patient at risk of {risks}: ensure adequate hydration before each infusion. Pump capped at {limit} "
                 "(see the rules applied); give the minimum dose and rate practicable."),
              risks=tr.say(risk_text(at_risk["risks"])), limit=tr.say(at_risk["max_rate"]))


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


def product_name_of(document: Document) -> str:
    """The name of what the bags hold, as the plan document has it (``Octagam 10%``)."""
    return str(document["product"]["name"])


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


def _rules(pdf: Sheet, pages: Pages, rules: list[str]) -> None:
    """The rules applied, run on to the next page (which says so) rather than moved whole; the
    heading never without its first two."""
    tr = pages.tr
    keep_together(pdf, pages, 7 + sum(line_count(pdf, _bullet(r), pdf.epw) * 4.5 for r in rules[:2]))
    heading = tr(N_("Rules applied"))
    pdf.set_font(FONT, "B", 10)
    pdf.cell(0, 7, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pages.continuing = heading
    try:
        for rule in rules:
            height = line_count(pdf, _bullet(rule), pdf.epw) * 4.5
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
    return 7 + sum(line_count(pdf, _bullet(line), pdf.epw) * 4.5 for line in lines)


def _bullet(line: str) -> str:
    return keep_units_together(f"• {line}")


def _list(pdf: Sheet, heading: str, lines: list[str]) -> None:
    pdf.set_font(FONT, "B", 10)
    pdf.cell(0, 7, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9)
    for line in lines:
        pdf.multi_cell(0, 4.5, _bullet(line), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
