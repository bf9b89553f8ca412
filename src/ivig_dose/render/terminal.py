"""The terminal's width and prose wrapped to it, one way for every command's text output.

Standard library only, so the warnings of ``plan`` can be wrapped without importing rich.

A number is never parted from its unit (``200.1 mL/h``, ``2 h 8 min``, ``1 × 20 g``): a line
that ends in ``200.1 mL/h for 6`` over ``7.5 min`` reads as 6 minutes. Text marks the phrases
that must stay whole with :func:`whole`; :func:`wrap` also keeps every number with its unit.
"""

from __future__ import annotations

import os
import re
import textwrap
from functools import cache
from typing import TextIO

#: the width when nothing says otherwise: no COLUMNS and no terminal on any standard stream.
FALLBACK_WIDTH = 100
#: below this a line cannot hold a bag's heading; narrower widths are drawn at this one.
MINIMUM_WIDTH = 20

#: a space that wrapping may not break; turned back into a plain space once lines are made,
#: so the printed text holds no U+00A0 (a copied ``200.1 mL/h`` stays searchable).
_KEEP = "\u00a0"

_UNITS = (
    r"mg/kg/min|mL/kg/h|mL/kg/min|mg/mL|mL/g|g/kg|g/day|g/dag|mL/h|mL|min|kg|lb|mg|µg|oz|st|g|h|cm|m|in|ft|days?"
    r"|vials?|dagen|dag|flacons?|%"
)
#: ``2 h 8 min``, ``1 × 20 g``, ``4.8 mL/kg/h``, ``+4 mL (+1%)``, ``183.9 lb (83.42 kg)`` are each one
#: phrase (in a Dutch text with a decimal comma too: ``1 × 2,5 g``, ``+4 mL (+0,9%)``, ``183,9 lb (83,42 kg)``).
_PHRASE_PATTERNS = (
    r"\b\w{2,3} \d{4}-\d\d-\d\d\b",  # a date with its weekday: Sat 2027-01-09
    r"\d+ h \d+ min\b",
    rf"\d+ × [\d.,]+ (?:{_UNITS})(?![\w/])",
    rf"[+\-−]?\d[\d.,]* (?:{_UNITS})(?![\w/])(?: \([+\-−]?[\d.,]+%\)| \([\d.,]+ kg\))?",
)


@cache
def _phrases() -> tuple[re.Pattern[str], ...]:
    """The phrases, compiled when a text first needs wrapping: compiling the units' alternatives
    costs about a fifth of python's own start, and JSON, CSV and most warnings never wrap."""
    return tuple(re.compile(pattern) for pattern in _PHRASE_PATTERNS)


def width_for(out: TextIO) -> int:
    """The width to draw for: ``COLUMNS`` when it is a whole number, else the terminal ``out``
    is, else the terminal of stderr or stdin (``ivig-dose plan | less`` at a terminal is still
    read at that terminal's width), else :data:`FALLBACK_WIDTH`."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isascii() and columns.isdigit() and int(columns) > 0:
        return max(int(columns), MINIMUM_WIDTH)
    for stream in (out, None):
        for fd in _descriptors(stream):
            try:
                if os.isatty(fd):
                    return max(os.get_terminal_size(fd).columns, MINIMUM_WIDTH)
            except (OSError, ValueError):
                continue
    return FALLBACK_WIDTH


def _descriptors(stream: TextIO | None) -> list[int]:
    if stream is None:
        return [2, 0]
    try:
        return [stream.fileno()]
    except (OSError, ValueError, AttributeError):  # a StringIO, a closed file
        return []


def whole(text: str) -> str:
    """``text`` as one unbreakable phrase for :func:`wrap` (a pump step, a bag's name)."""
    return text.replace(" ", _KEEP)


def _keep_units(text: str) -> str:
    for phrase in _phrases():
        text = phrase.sub(lambda m: whole(m.group(0)), text)
    return text


def wrap(text: str, width: int, indent: str = "", hanging: str | None = None) -> list[str]:
    """``text`` as lines of at most ``width`` characters, the first after ``indent`` and the
    rest after ``hanging`` (``indent`` when not given); broken only at spaces between phrases.

    A phrase longer than the line is not cut: it runs past the width on a line of its own.
    """
    lines = textwrap.wrap(
        _keep_units(text),
        width=max(width, MINIMUM_WIDTH),
        initial_indent=indent,
        subsequent_indent=indent if hanging is None else hanging,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [line.replace(_KEEP, " ") for line in lines] or [indent.rstrip()]


def wrapped(text: str, width: int, indent: str = "", hanging: str | None = None) -> str:
    """:func:`wrap` joined into one string of lines."""
    return "\n".join(wrap(text, width, indent, hanging))


def warning_lines(prefix: str, message: str, out: TextIO) -> str:
    """``ivig-dose: warning: ...`` with its final newline: wrapped to the width, the later lines
    indented, when ``out`` is a terminal; one line when it is a log or a pipe, so that each
    warning stays one line for ``grep`` and for whatever reads the log."""
    line = f"{prefix}{message}"
    try:
        at_terminal = out.isatty()
    except (OSError, ValueError):
        at_terminal = False
    return (wrapped(line, width_for(out), hanging="    ") if at_terminal else line) + "\n"


#: what a line of a table has between two columns: a space, the divider, a space (the tables
#: are drawn without an outer edge or edge padding).
BETWEEN_COLUMNS = 3


def table_width(widths: list[int]) -> int:
    """The width of a table whose columns are ``widths`` wide, as rich draws it without edges."""
    return sum(widths) + BETWEEN_COLUMNS * (len(widths) - 1)
