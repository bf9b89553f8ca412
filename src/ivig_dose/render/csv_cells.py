"""CSV cells a spreadsheet cannot run: the OWASP "CSV injection" defence, in one place.

Excel, LibreOffice and Google Sheets run a cell that begins with ``=``, ``+``, ``-`` or ``@``
as a formula (``=HYPERLINK(...)`` sends data away), and a leading tab or CR hides such a start.
OWASP's advice is to prefix such a cell with a single quote, which the spreadsheet shows as
text; a reader of the raw CSV sees the quote and the value whole. Every text cell that can hold
what a person or a file typed (a patient id, a product or course name, an error message, an
ordered value) goes through :func:`safe_cell` before a CSV writer sees it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

#: what a spreadsheet may take as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """``value``, with a leading single quote when a spreadsheet would read it as a formula.

    A spreadsheet that folds compatibility characters reads the fullwidth ``＝＋－＠`` (and the
    small ``﹦﹢﹣﹫``) of an East Asian keyboard as the ASCII signs: a first character whose
    compatibility form (NFKC) is one of them is escaped too.
    """
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    if value and not value[0].isascii() and unicodedata.normalize("NFKC", value[0]).startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_cells(values: Iterable[object]) -> list[object]:
    """Every text cell of a row made safe; numbers and None are left to the CSV writer."""
    return [safe_cell(v) if isinstance(v, str) else v for v in values]
