"""Heights as people type them (R1): ``178``, ``178 cm``, ``1.78 m``, ``70 in``, ``6 ft``, ``5 ft 10 in``.

A bare number is centimetres. Feet and inches together (``5 ft 10 in``, ``5'10"``) are read as
their exact sum (1 in = 2.54 cm by definition), so what was typed is what is used.

Feet with a decimal point are refused: ``5.10 ft`` is what many people write for 5 ft 10 in
(177.8 cm), while as a decimal it is 155.4 cm, 22 cm shorter, which changes an ideal or
adjusted dosing weight by kilograms. Neither reading can be assumed, so the user is asked to
write feet and inches, or centimetres. The refusal is decided on the number and the unit as
read, not on the spelling: ``5,10 ft``, ``5.10 ft.``, ``5.10 ft**1`` and ``5100 mft`` are all
feet that are not whole, and a unit built on the foot other than the foot itself is refused.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.parse.units import known_units, parse_positive, split_number

ACCEPTED = message(N_("a positive length such as 178, 178 cm, 1.78 m, 70 in, 5 ft 10 in (a bare number is cm)"))
HEIGHT = message(N_("height"))
_FEET_AND_INCHES = re.compile(
    r"\s*(\d+)\s*(?:ft|feet|foot|')\s*(\d+(?:\.\d+)?)\s*(?:in|inch|inches|\"|'')?\s*", re.IGNORECASE
)

#: the one unit built on the foot that is read: whole feet, as pint names the unit.
_FOOT = "foot"


def parse_height(text: str) -> Decimal:
    """The height in cm, exactly."""
    match = _FEET_AND_INCHES.fullmatch(text)
    if match is None:
        number, unit = split_number(text, HEIGHT, ACCEPTED)
        if unit not in ("", "cm"):  # the two spellings read without pint
            _refuse_decimal_feet(text, number, unit)
        return parse_positive(text, "cm", HEIGHT, ACCEPTED)
    feet = parse_positive(f"{match[1]} ft", "cm", HEIGHT, ACCEPTED) if int(match[1]) else Decimal(0)
    inches = Decimal(match[2])
    if inches >= 12:
        raise InputError(message(N_("height {text!r}: {inches} inches is not below 12; accepted: {accepted}"),
                                 text=text.strip(), inches=match[2], accepted=ACCEPTED))
    extra = parse_positive(f"{match[2]} in", "cm", HEIGHT, ACCEPTED) if inches else Decimal(0)
    if feet + extra <= 0:
        raise InputError(message(N_("height {text!r} must be above 0; accepted: {accepted}"), text=text.strip(),
                                 accepted=ACCEPTED))
    return feet + extra


def _refuse_decimal_feet(text: str, number: Decimal, unit: str) -> None:
    """Refuses feet that are not whole, however the unit is spelt, and any other unit made of feet."""
    name = str(known_units(unit, HEIGHT, ACCEPTED, text.strip()))
    if _FOOT not in name:
        return
    if name == _FOOT and number == number.to_integral_value():
        return
    if name == _FOOT:
        feet = str(number)  # as typed, in ASCII digits: "5.10", not the amount 5.1
        whole, _, tenths = feet.partition(".")
        raise InputError(message(
            N_("height {text!r} is ambiguous: {feet} ft could be {feet} feet or {feet_and_inches} in; write feet "
               "and inches (5 ft 10 in) or cm; accepted: {accepted}"), text=text.strip(), feet=feet,
            feet_and_inches=f"{whole} ft {tenths}", accepted=ACCEPTED))
    raise InputError(message(N_("height {text!r}: the unit {unit!r} is not read (feet are read whole, as in 5 ft "
                                "10 in); accepted: {accepted}"), text=text.strip(), unit=unit, accepted=ACCEPTED))
