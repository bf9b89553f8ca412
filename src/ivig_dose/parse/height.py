"""Heights as people type them (R1): ``178``, ``178 cm``, ``1.78 m``, ``70 in``, ``5.8 ft``, ``5 ft 10 in``.

A bare number is centimetres. Feet and inches together (``5 ft 10 in``, ``5'10"``) are read as
their exact sum (1 in = 2.54 cm by definition), so what was typed is what is used.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ivig_dose.core.errors import InputError
from ivig_dose.parse.units import parse_positive

ACCEPTED = "a positive length such as 178, 178 cm, 1.78 m, 70 in, 5 ft 10 in (a bare number is cm)"
_FEET_AND_INCHES = re.compile(
    r"\s*(\d+)\s*(?:ft|feet|foot|')\s*(\d+(?:\.\d+)?)\s*(?:in|inch|inches|\"|'')?\s*", re.IGNORECASE
)


def parse_height(text: str) -> Decimal:
    """The height in cm, exactly."""
    match = _FEET_AND_INCHES.fullmatch(text)
    if match is None:
        return parse_positive(text, "cm", "height", ACCEPTED)
    feet = parse_positive(f"{match[1]} ft", "cm", "height", ACCEPTED) if int(match[1]) else Decimal(0)
    inches = Decimal(match[2])
    if inches >= 12:
        raise InputError(f"height {text.strip()!r}: {match[2]} inches is not below 12; accepted: {ACCEPTED}")
    extra = parse_positive(f"{match[2]} in", "cm", "height", ACCEPTED) if inches else Decimal(0)
    if feet + extra <= 0:
        raise InputError(f"height {text.strip()!r} must be above 0; accepted: {ACCEPTED}")
    return feet + extra
