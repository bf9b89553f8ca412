"""Bag labels: one per bag (segment), eight to an A4 sheet of 105 × 74.25 mm labels.

A label carries what a nurse checks at the bedside (patient, product and route, volume, setting,
dosing weight, course, day, date with its weekday) and blank fields for the batch number and
expiry, written at preparation. Blinded labels show the blinded product name and no dose, so
the bags of both arms carry the same labels.

A home-care nurse programs the pump from the bag, so a label carries the bag's pump program
when the plan computed one (the program is the same for both arms, so blinded labels carry it
too), never in smaller print than the blanks beside it. The patient id is printed whole: shrunk
to fit the label's width, then wrapped onto a second line; an id that would need a third line,
or holds a character the font cannot draw, is refused rather than cut.
"""

from __future__ import annotations

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.core.records import frozen
from ivig_dose.render.document_text import (
    NOT_COMPUTED,
    ROUTE,
    Bag,
    Document,
    bags,
    dosed_on,
    duration_minutes,
    duration_text,
    product_name,
    pump_steps,
    weekday_date,
)
from ivig_dose.render.pdf_base import FONT, Sheet, check_drawable, new_sheet, pdf_bytes, wrapped_lines
from ivig_dose.render.provenance import Provenance
from ivig_dose.render.translator import ENGLISH, Translator
from ivig_dose.render.words import setting_word

COLUMNS, ROWS = 2, 4
WIDTH, HEIGHT = 105.0, 74.25
PADDING = 7.0
CUT_LINE_GREY = 190
TEXT_WIDTH = WIDTH - 2 * PADDING
#: the patient line: its size, the smallest it is shrunk to, and how many lines it may take.
PATIENT_SIZE, SMALLEST_PATIENT_SIZE, PATIENT_LINES = 12.0, 8.0, 2
#: the product line (with the route): its size, and the smallest it is shrunk to before it wraps.
PRODUCT_SIZE, SMALLEST_PRODUCT_SIZE = 10.5, 8.0
#: the blanks for batch, expiry, preparer and time, and the pump program, which is never printed
#: smaller than they are: from PUMP_SIZE down to the blanks' size, and a long program (five rate
#: steps, in a language with longer words) that fits no larger sets the blanks smaller with it.
BLANK_SIZE, PUMP_SIZE, SMALLEST_PUMP_SIZE = 9.0, 10.0, 7.0
#: the height of a blank line and of the footer.
BLANK_LINE, FOOTER_LINE = 5.5, 3.5
#: what a label holds below its pump program: a gap, the batch and preparation lines, the footer.
BELOW_PUMP = 1.0 + 2 * BLANK_LINE + FOOTER_LINE
NBSP = "\u00a0"


def render_labels(document: Document, provenance: Provenance, tr: Translator = ENGLISH) -> bytes:
    pdf = new_sheet(tr(N_("Bag labels")), provenance)
    check_drawable(pdf, provenance.patient_id, "--patient-id")
    pdf.set_margins(0, 0, 0)
    pdf.set_auto_page_break(False)
    per_page = COLUMNS * ROWS
    patient: Patient | None = None
    for bag in bags(document):
        slot = (bag.number - 1) % per_page
        if slot == 0:
            pdf.add_page()
        patient = patient or patient_lines(pdf, provenance.patient_id, tr)
        row, column = divmod(slot, COLUMNS)
        _label(pdf, document, patient, bag, column * WIDTH, row * HEIGHT, tr)
    return pdf_bytes(pdf)


def _line(pdf: Sheet, left: float, height: float, text: str, style: str = "", size: float = 10) -> None:
    pdf.set_x(left)
    pdf.set_font(FONT, style, size)
    pdf.cell(TEXT_WIDTH, height, text, new_x="LMARGIN", new_y="NEXT")


def _patient_text(patient_id: str | None, tr: Translator = ENGLISH) -> str:
    return tr(N_("Patient: {patient}"), patient=patient_id or "_" * 24)


@frozen
class Patient:
    """The patient line as it is printed on every label: its font size and its lines."""

    size: float
    lines: tuple[str, ...]
    id: str | None = None


def patient_lines(pdf: Sheet, patient_id: str | None, tr: Translator = ENGLISH) -> Patient:
    """The patient line at the largest size from 12 pt down to 8 pt at which it fits one line; at
    8 pt wrapped when it still does not; refused when it would need more than two lines."""
    text = _patient_text(patient_id, tr)
    pdf.set_font(FONT, "B", PATIENT_SIZE)
    width = pdf.get_string_width(text)
    size = max(SMALLEST_PATIENT_SIZE, min(PATIENT_SIZE, PATIENT_SIZE * (TEXT_WIDTH - 0.5) / width))
    pdf.set_font(FONT, "B", size)
    lines = wrapped_lines(pdf, TEXT_WIDTH, text, by_character=True)
    if len(lines) > PATIENT_LINES:
        raise InputError(message(N_("--patient-id {id!r} is too long to print whole on a bag label ({length} "
                                    "characters); accepted: an id that fits {lines} lines of the label, about 60 "
                                    "characters"), id=patient_id or "", length=len(patient_id or ""),
                                 lines=PATIENT_LINES))
    return Patient(size, tuple(lines), patient_id)


def batch_line(document: Document, patient_id: str | None, bag: Bag, tr: Translator = ENGLISH) -> str:
    """Blanks for the batch and expiry; on a blinded label the bag's kit identifier instead, since a
    lot would tell IVIg from NaCl (the pharmacy's record holds the kit's lots). Without a patient
    id the kit is left blank, to be written in."""
    if not document.get("blinded"):
        return tr(N_("Batch: ________________   Expiry: ____________"))
    if patient_id is None:
        return tr(N_("Kit: ________________"))
    from ivig_dose.core.blinding import kit_id

    return tr(N_("Kit: {kit}"), kit=kit_id(patient_id, document["protocol"], bag.course["name"],
                                           bag.day["day"], bag.segment["setting"]))


def pump_label_text(bag: Bag, tr: Translator = ENGLISH) -> str:
    """``Pump: 50 mL/h 30 min (25 mL) → 100 mL/h … · run time 3 h 25 min``; steps never split."""
    steps = pump_steps(bag.segment, tr)
    if steps is None:
        return tr(N_("Pump program: {not_computed} in this plan; program it by local procedure"),
                  not_computed=tr(NOT_COMPUTED))
    run_time = duration_text(duration_minutes(bag.segment), tr)
    listed = " → ".join(step.replace(" ", NBSP) for step in steps)
    return tr(N_("Pump: {steps} · {run_time}"), steps=listed,
              run_time=tr(N_("run time {duration}"), duration=run_time).replace(" ", NBSP))


def pump_size(pdf: Sheet, text: str, room: float) -> float:
    """The largest size from 10 pt down to 7 pt, in half points, at which the pump program fits
    the room left on the label."""
    size = PUMP_SIZE
    while size > SMALLEST_PUMP_SIZE:
        pdf.set_font(FONT, "", size)
        if len(wrapped_lines(pdf, TEXT_WIDTH, text)) * size * 0.45 <= room:
            break
        size -= 0.5
    return size


def _shrunk(pdf: Sheet, text: str, style: str, size: float, smallest: float) -> float:
    """The largest size up to ``size`` at which the text fits one line of the label, not below ``smallest``."""
    pdf.set_font(FONT, style, size)
    width = pdf.get_string_width(text)
    return max(smallest, min(size, size * (TEXT_WIDTH - 0.5) / width)) if width else size


def _label(pdf: Sheet, document: Document, patient: Patient, bag: Bag, x: float, y: float,
           tr: Translator = ENGLISH) -> None:
    pdf.set_draw_color(CUT_LINE_GREY)
    pdf.rect(x, y, WIDTH, HEIGHT)
    pdf.set_draw_color(0)
    left = x + PADDING
    pdf.set_y(y + PADDING - 2.5)
    for line in patient.lines:
        _line(pdf, left, patient.size / 2, line, "B", patient.size)
    product = f"{product_name(document, tr)} · {tr(ROUTE)}"
    size = _shrunk(pdf, product, "B", PRODUCT_SIZE, SMALLEST_PRODUCT_SIZE)
    pdf.set_x(left)
    pdf.set_font(FONT, "B", size)
    pdf.multi_cell(TEXT_WIDTH, size / 2, product, align="L", new_x="LMARGIN", new_y="NEXT")
    dose = bag.dose(document, tr)
    volume = bag.volume(tr)
    _line(pdf, left, 9, volume if dose is None else f"{volume}  ({dose})", "B", 20)
    course = bag.course
    _line(pdf, left, 5.5, tr(N_("Setting: {setting} · dosing weight {weight}"),
                             setting=setting_word(bag.segment["setting"], tr).upper(), weight=dosed_on(course, tr)),
          "B", 10.5)
    _line(pdf, left, 5, tr(N_("{course} course · {day} · {date}"), course=course["name"], day=bag.day_label(tr),
                           date=weekday_date(bag.day["date"], tr)), size=9.5)
    pump = pump_label_text(bag, tr)
    size = pump_size(pdf, pump, y + HEIGHT - 1 - BELOW_PUMP - pdf.get_y())
    pdf.set_x(left)
    pdf.set_font(FONT, "", size)
    pdf.multi_cell(TEXT_WIDTH, size * 0.45, pump, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    blanks = min(BLANK_SIZE, size)
    _line(pdf, left, BLANK_LINE, batch_line(document, patient.id, bag, tr), size=blanks)
    _line(pdf, left, BLANK_LINE, tr(N_("Prepared by: ___________   Date/time: __________")), size=blanks)
    pdf.set_text_color(110)
    _line(pdf, left, FOOTER_LINE, tr(N_("bag {number} of {count} · {protocol} {version} · input digest {digest}"),
                                     number=bag.number, count=bag.count, protocol=document["protocol"],
                                     version=document["protocol_version"], digest=document["input_digest"]), size=6.5)
    pdf.set_text_color(0)
    if pdf.get_y() > y + HEIGHT - 1:
        raise ValueError(f"label of bag {bag.number} runs {pdf.get_y() - y - HEIGHT + 1:.1f} mm past its edge")
