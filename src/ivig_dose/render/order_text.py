"""The order sheet's text as it is printed: never broken where a reader could misread it.

A number is never broken from its unit ("270" / "mL"), a name from its strength, a weekday from
its date, nor a vial item or a pump step across lines; nothing from a data file's Markdown (a
backtick) is printed. Line breaks are made here, in advance, so that a table's height is known
before it is drawn.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ivig_dose.render.pdf_base import FONT, Sheet, wrapped_lines

NBSP = "\u00a0"
_NUMBER_SPACE_UNIT = re.compile(r"(\d) (?=[A-Za-z%])")
#: a name and its strength (``Octagam 10 %``, ``NaCl 0.9%``), a weekday and its date (``Sat 2027-01-09``).
_NAME_SPACE_STRENGTH = re.compile(r"(?<=[A-Za-z]) (?=\d+(?:[.,]\d+)? ?%)")
_SPACE_DATE = re.compile(r" (?=\d{4}-\d\d-\d\d\b)")


def keep_units_together(text: str) -> str:
    """A no-break space between a number and its unit, so a wrapped cell never reads "270" / "mL";
    likewise between a name and its strength and between a weekday and its date."""
    text = _NAME_SPACE_STRENGTH.sub(NBSP, _SPACE_DATE.sub(NBSP, text))
    return _NUMBER_SPACE_UNIT.sub("\\1\u00a0", text)


def whole(text: str) -> str:
    """The text as one unbreakable piece: a line may break before or after it, never inside."""
    return text.replace(" ", NBSP)


def plain(text: str, names: Sequence[str] = ()) -> str:
    """Text from a protocol or catalogue as print shows it: without Markdown's backticks (a source
    may quote a command as `code`), and each of ``names`` kept on one line."""
    text = text.replace("`", "")
    for name in names:
        if " " in name:
            text = text.replace(name, whole(name))
    return text


def line_count(pdf: Sheet, text: str, width: float, style: str = "", size: float = 9.0) -> int:
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
