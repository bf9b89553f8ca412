"""What every page of the order sheet carries, whatever is on it.

Every page must stand alone, because pages are signed and filed one by one: each carries a
header with the patient, the protocol and version, the input digest and "page N of M", and
each page that carries bags has a line for the prescriber's, the pharmacist's and the double
checker's initials, so a page nobody initialled cannot be swapped in. A page that a course or
the rules run on to repeats their heading. The sign-off boxes (prescriber, pharmacist, double
check) close the sheet.
"""

from __future__ import annotations

from dataclasses import dataclass

from fpdf.enums import XPos, YPos

from ivig_dose.core.messages import N_
from ivig_dose.render.document_text import Document
from ivig_dose.render.order_text import keep_units_together
from ivig_dose.render.pdf_base import FONT, Sheet
from ivig_dose.render.provenance import Provenance
from ivig_dose.render.translator import ENGLISH, Translator

GREY = 110
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


@dataclass
class Pages:
    """What the page header must know while the sheet is drawn: the course a page break falls in,
    and where the content of the current page begins (to tell an empty page from a full one)."""

    header: str
    continuing: str | None = None
    content_top: float = 0.0
    tr: Translator = ENGLISH
    #: whether the page being drawn carries bags, and so gets the line for initials.
    doses: bool = False


def header_text(document: Document, provenance: Provenance, tr: Translator = ENGLISH) -> str:
    """What identifies a page on its own: patient, protocol and version, input digest."""
    return tr(N_("Patient {patient} · {protocol}, version {version} · input digest {digest}"),
              patient=provenance.patient_id or "_" * 16, protocol=document["protocol_name"],
              version=document["protocol_version"], digest=document["input_digest"])


def page_footer(pdf: Sheet, pages: Pages, footer: str) -> None:
    """The initials on a page that carries bags, then the footer."""
    if pages.doses:
        _initials(pdf, pages.tr)
    pdf.set_y(-14)
    pdf.set_font(FONT, size=7)
    pdf.set_text_color(GREY)
    pdf.multi_cell(0, 3.2, footer, align="C")
    pdf.set_text_color(0)


def page_header(pdf: Sheet, pages: Pages) -> None:
    """The header that identifies the page, then the heading of a course or the rules running on to it."""
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


def keep_together(pdf: Sheet, pages: Pages, height: float) -> None:
    """Starts a new page when a block of this height would not fit below the content already on
    this page. A block longer than a whole page starts on a page of its own and is split by
    fpdf2 as it goes (the header then repeats the course heading)."""
    if pdf.get_y() > pages.content_top + 0.01 and pdf.will_page_break(height):
        pdf.add_page()


def sign_off(pdf: Sheet, tr: Translator = ENGLISH) -> None:
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
