"""What every ivig-dose PDF shares: A4, a Unicode TrueType font, real text, fixed metadata.

The PDF core fonts only know Latin-1, so ``≥`` or ``≤`` would fail; Source Sans Pro (SIL Open
Font License) comes from the ``font-source-sans-pro`` package on PyPI, so no system font path is
needed and CI renders the same glyphs as a laptop. The creation date is the generation time the
command passes in, which makes the bytes reproducible (``SOURCE_DATE_EPOCH``) and lets tests
compare the PDFs of the two arms whole.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from contextlib import ExitStack
from importlib import resources
from typing import Any

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, WrapMode

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.render.provenance import Provenance

FONT = "Sans"
FONT_PACKAGE = "font_source_sans_pro"
FONT_FILES = {"": "SourceSansPro-Regular.ttf", "B": "SourceSansPro-Bold.ttf"}


#: Unicode categories never drawn from an id: controls, format characters (bidi overrides),
#: surrogates, private use, unassigned, and the line and paragraph separators.
_UNDRAWABLE_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")

PageDrawer = Callable[["Sheet"], None]


class Sheet(FPDF):
    """An FPDF whose header and footer are drawn by functions the renderer gives (or none)."""

    def __init__(self, draw_footer: PageDrawer | None, draw_header: PageDrawer | None = None) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.draw_footer = draw_footer
        self.draw_header = draw_header

    def header(self) -> None:
        if self.draw_header is not None:
            self.draw_header(self)

    def footer(self) -> None:
        if self.draw_footer is not None:
            self.draw_footer(self)


def new_sheet(title: str, provenance: Provenance, draw_footer: PageDrawer | None = None,
              draw_header: PageDrawer | None = None) -> Sheet:
    pdf = Sheet(draw_footer, draw_header)
    with ExitStack() as stack:
        folder = resources.files(FONT_PACKAGE).joinpath("files")
        for style, name in FONT_FILES.items():
            pdf.add_font(FONT, style, stack.enter_context(resources.as_file(folder.joinpath(name))))
    pdf.set_font(FONT, size=10)
    pdf.set_title(title)
    pdf.set_author(f"ivig-dose {provenance.tool_version}")
    pdf.set_creator(f"ivig-dose {provenance.tool_version}")
    pdf.set_lang("en")
    pdf.set_creation_date(provenance.generated)
    return pdf


def pdf_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())


def check_drawable(pdf: FPDF, text: str | None, what: str) -> None:
    """Refuse text that would not print as typed.

    A newline in a patient id would draw a second, forged line ("Arm placebo"); a character
    the font has no glyph for would silently vanish (``患者-001`` prints ``-001``). Either is a
    different id on paper, so both are refused before anything is drawn (exit status 2).
    """
    if not text:
        return
    for character in text:
        if unicodedata.category(character) in _UNDRAWABLE_CATEGORIES:
            raise InputError(message(N_("{what} {text!r} holds the control character {code}; accepted: letters, "
                                        "digits, spaces and punctuation on one line"), what=what, text=text,
                                     code=f"U+{ord(character):04X}"))
    missing = sorted({c for c in text if c != " " and any(ord(c) not in f.cmap for f in _fonts(pdf))})
    if missing:
        listed = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing)
        raise InputError(message(N_("{what} {text!r} holds characters the PDF font cannot draw: {listed}; accepted: "
                                    "Latin, Greek and Cyrillic letters, digits and punctuation"), what=what, text=text,
                                 listed=listed))


def _fonts(pdf: FPDF) -> list[Any]:
    return [pdf.fonts[f"{FONT.lower()}{style}"] for style in FONT_FILES]


def wrapped_lines(pdf: FPDF, width: float, text: str, by_character: bool = False) -> list[str]:
    """The lines fpdf2 wraps the text into at this width in the current font, without drawing.

    Measured with page breaks off: near the foot of a page a dry run would otherwise break the
    page in passing, and the page's header, drawn for nothing, would reset what the renderer
    keeps about the page it is on (whether it carries bags)."""
    mode = WrapMode.CHAR if by_character else WrapMode.WORD
    breaks, margin = pdf.auto_page_break, pdf.b_margin
    pdf.set_auto_page_break(False, margin)
    try:
        lines = pdf.multi_cell(width, 1, text, dry_run=True, output=MethodReturnValue.LINES, wrapmode=mode)
    finally:
        pdf.set_auto_page_break(breaks, margin)
    assert isinstance(lines, list)
    return [str(line) for line in lines]
