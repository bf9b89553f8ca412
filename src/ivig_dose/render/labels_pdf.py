"""Bag labels: one per bag (segment), eight to an A4 sheet of 105 × 74.25 mm labels.

A label carries what a nurse checks at the bedside (patient, product, volume, course, day,
date, setting) and blank fields for the batch number and expiry, written at preparation.
Blinded labels show the blinded product name and no dose, so the bags of both arms carry the
same labels.
"""

from __future__ import annotations

from ivig_dose.render.document_text import Bag, Document, bags, product_name
from ivig_dose.render.pdf_base import FONT, Sheet, new_sheet, pdf_bytes
from ivig_dose.render.provenance import Provenance

COLUMNS, ROWS = 2, 4
WIDTH, HEIGHT = 105.0, 74.25
PADDING = 7.0
CUT_LINE_GREY = 190


def render_labels(document: Document, provenance: Provenance) -> bytes:
    pdf = new_sheet("Bag labels", provenance)
    pdf.set_margins(0, 0, 0)
    pdf.set_auto_page_break(False)
    per_page = COLUMNS * ROWS
    for bag in bags(document):
        slot = (bag.number - 1) % per_page
        if slot == 0:
            pdf.add_page()
        row, column = divmod(slot, COLUMNS)
        _label(pdf, document, provenance, bag, column * WIDTH, row * HEIGHT)
    return pdf_bytes(pdf)


def _line(pdf: Sheet, left: float, height: float, text: str, style: str = "", size: float = 10) -> None:
    pdf.set_x(left)
    pdf.set_font(FONT, style, size)
    pdf.cell(WIDTH - 2 * PADDING, height, text, new_x="LMARGIN", new_y="NEXT")


def _label(pdf: Sheet, document: Document, provenance: Provenance, bag: Bag, x: float, y: float) -> None:
    pdf.set_draw_color(CUT_LINE_GREY)
    pdf.rect(x, y, WIDTH, HEIGHT)
    pdf.set_draw_color(0)
    left = x + PADDING
    pdf.set_y(y + PADDING - 1)
    _line(pdf, left, 6, f"Patient: {provenance.patient_id or '_' * 24}", "B", 12)
    _line(pdf, left, 6, product_name(document), "B", 11)
    dose = bag.dose(document)
    _line(pdf, left, 11, bag.volume if dose is None else f"{bag.volume}  ({dose})", "B", 22)
    course = bag.course
    _line(pdf, left, 5.5, f"{course['name']} course · {bag.day_label} · {bag.day['date']}")
    _line(pdf, left, 6, f"Setting: {str(bag.segment['setting']).upper()}", "B", 11)
    pdf.ln(2.5)
    _line(pdf, left, 7, "Batch: ________________   Expiry: ____________")
    _line(pdf, left, 7, "Prepared by: ___________   Date/time: __________")
    pdf.set_text_color(110)
    _line(pdf, left, 4, f"bag {bag.number} of {bag.count} · {document['protocol']} {document['protocol_version']}"
                        f" · input digest {document['input_digest']}", size=6.5)
    pdf.set_text_color(0)
