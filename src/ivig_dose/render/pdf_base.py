"""What every ivig-dose PDF shares: A4, a Unicode TrueType font, real text, fixed metadata.

The PDF core fonts only know Latin-1, so ``≥`` or ``≤`` would fail; Source Sans Pro (SIL Open
Font License) comes from the ``font-source-sans-pro`` package on PyPI, so no system font path is
needed and CI renders the same glyphs as a laptop. The creation date is the generation time the
command passes in, which makes the bytes reproducible (``SOURCE_DATE_EPOCH``) and lets tests
compare the PDFs of the two arms whole.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from importlib import resources

from fpdf import FPDF

from ivig_dose.render.provenance import Provenance

FONT = "Sans"
FONT_PACKAGE = "font_source_sans_pro"
FONT_FILES = {"": "SourceSansPro-Regular.ttf", "B": "SourceSansPro-Bold.ttf"}


class Sheet(FPDF):
    """An FPDF whose footer is drawn by a function the renderer gives (or none)."""

    def __init__(self, draw_footer: Callable[[Sheet], None] | None) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.draw_footer = draw_footer

    def footer(self) -> None:
        if self.draw_footer is not None:
            self.draw_footer(self)


def new_sheet(title: str, provenance: Provenance, draw_footer: Callable[[Sheet], None] | None = None) -> Sheet:
    pdf = Sheet(draw_footer)
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
