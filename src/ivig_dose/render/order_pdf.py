"""The pharmacy order sheet: an A4 PDF to prepare from, sign and file.

Everything on it comes from the plan document, so the sheet says exactly what ``plan --format
json`` says. A part the plan did not compute (vials, pump program) is printed as "not computed",
never estimated. Blinded sheets show neither the arm, nor doses, nor vials (placebo bags have no
vials, so a vial count would unblind): the two arms print the same sheet.
"""

from __future__ import annotations

import re

from fpdf.enums import XPos, YPos

from ivig_dose.core.amounts import grams, kilograms, millilitres
from ivig_dose.core.products import risk_text
from ivig_dose.render.document_text import (
    Document,
    course_duration,
    dose_text,
    dosing_weight_text,
    duration_minutes,
    duration_text,
    exact,
    pick_list,
    product_text,
    pump_text,
    vials_text,
)
from ivig_dose.render.pdf_base import FONT, Sheet, new_sheet, pdf_bytes
from ivig_dose.render.provenance import Provenance, footer_text

BLANK = "_" * 28
_NUMBER_SPACE_UNIT = re.compile(r"(\d) (?=[A-Za-z])")
LINE = 5.5
GREY = 110


def render_order(document: Document, provenance: Provenance) -> bytes:
    blinded = bool(document["blinded"])
    title = "Study medication infusion order (blinded)" if blinded else "IVIg infusion order"
    footer = footer_text(document, provenance)

    def draw_footer(pdf: Sheet) -> None:
        pdf.set_y(-14)
        pdf.set_font(FONT, size=7)
        pdf.set_text_color(GREY)
        pdf.multi_cell(0, 3.2, f"{footer} · page {pdf.page_no()} of {{nb}}", align="C")
        pdf.set_text_color(0)

    pdf = new_sheet(title, provenance, draw_footer)
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 9, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _heading(pdf, document, provenance)
    if _missing_dispense(document):
        _note(pdf, "Vials and pump program: not computed in this plan. Pick the vials and program the pump "
                   "by local procedure, and record them on this sheet by hand.")
    if blinded:
        _note(pdf, "Blinded order: arm, doses and vials are not shown; the unblinded pharmacy prepares the bags.")
    if document.get("at_risk"):
        _note(pdf, at_risk_note(document["at_risk"]))
    for course in document["courses"]:
        _course(pdf, document, course)
    _totals(pdf, document)
    _list(pdf, "Rules applied", [f"{w['rule']}: {w['text']}" for w in document["why"]])
    _list(pdf, "Warnings", list(document["warnings"]) or ["none"])
    _sign_off(pdf)
    return pdf_bytes(pdf)


def at_risk_note(at_risk: Document) -> str:
    """The boxed warning's care for a patient at risk: the capped rate, and hydration before each bag."""
    risks = risk_text(at_risk["risks"])
    return (f"Patient at risk of {risks}: ensure adequate hydration before each infusion. Pump capped at "
            f"{at_risk['max_rate']} (see the rules applied); give the minimum dose and rate practicable.")


def keep_units_together(text: str) -> str:
    """A no-break space between a number and its unit, so a wrapped cell never reads "270" / "mL"."""
    return _NUMBER_SPACE_UNIT.sub("\\1\u00a0", text)


def _missing_dispense(document: Document) -> bool:
    segments = [s for c in document["courses"] for d in c["days"] for s in d["segments"]]
    return any(s.get("pump") is None or s.get("vials") is None for s in segments)


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
    _field(pdf, "Weight", kilograms(exact(document["weight_kg"])))
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
        return [("Date", 22), ("Day", 17), ("Setting", 20), ("Volume", 20), ("Pump program", 76), ("Time", 25)]
    return [("Date", 18), ("Day", 12), ("Setting", 16), ("Dose", 14), ("Volume", 16),
            ("Vials to pick", 40), ("Pump program", 43), ("Time", 21)]


def _course(pdf: Sheet, document: Document, course: Document) -> None:
    blinded = bool(document["blinded"])
    pdf.set_font(FONT, "B", 12)
    days = len(course["days"])
    pdf.cell(0, 8, f"{course['name']} course · week {course['week']} · from {course['start']} · "
                   f"{days} days · dosed on {kilograms(exact(course['weight_kg']))}",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    columns = _columns(blinded)
    pdf.set_font(FONT, "", 9)
    with pdf.table(col_widths=[w for _, w in columns], text_align="LEFT", line_height=4.5,
                   padding=1, first_row_as_headings=True) as table:
        table.row([name for name, _ in columns])
        for day in course["days"]:
            for segment in day["segments"]:
                cells = [day["date"], f"{day['day']} of {days}", segment["setting"]]
                cells += [] if blinded else [dose_text(segment["dose_g"])]
                cells.append(millilitres(exact(segment["volume_ml"])))
                cells += [] if blinded else [vials_text(segment)]
                cells += [pump_text(segment), duration_text(duration_minutes(segment))]
                table.row([keep_units_together(cell) for cell in cells])
        total = ["Total", "", ""]
        total += [] if blinded else [dose_text(course["dose_g"])]
        total.append(millilitres(exact(course["volume_ml"])))
        total += [] if blinded else [""]
        total += ["", duration_text(course_duration(course))]
        table.row([keep_units_together(cell) for cell in total])
    if not blinded:
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 5, f"Vials to pick for the {course['name']} course: {pick_list(course)}",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _totals(pdf: Sheet, document: Document) -> None:
    volume = millilitres(exact(document["total_volume_ml"]))
    courses = len(document["courses"])
    text = f"Protocol total over {courses} courses: {volume}"
    if document["total_dose_g"] is not None:
        text = f"Protocol total over {courses} courses: {grams(exact(document['total_dose_g']))} in {volume}"
    pdf.set_font(FONT, "B", 10)
    pdf.cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _list(pdf: Sheet, heading: str, lines: list[str]) -> None:
    pdf.set_font(FONT, "B", 10)
    pdf.cell(0, 7, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9)
    for line in lines:
        pdf.multi_cell(0, 4.5, f"• {line}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _sign_off(pdf: Sheet) -> None:
    """Two boxes side by side, kept together on one page: preparer and independent check."""
    height = 34
    if pdf.will_page_break(height + 10):
        pdf.add_page()
    pdf.ln(4)
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
