"""Numbers as ISMP asks them to be written: the unit always shown, no trailing zero
(``70 g``, never ``70.0 g``), a leading zero (``0.5 mL``), ``mL`` never ``cc``.

No thousands separator is printed: the first users read Dutch, where ``1,400`` means
1.4, so ``1400 mL`` is the only spelling that cannot be misread.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from ivig_dose.core.units import GRAMS, KILOGRAMS, MILLILITRES


def amount(value: Decimal | int) -> str:
    """An exact decimal without exponent or trailing zeros: 70, 53.6, 0.5, 71.985109119.

    The text depends on the value alone: ``70``, ``70.0`` and ``Decimal(70)`` all give "70".
    """
    number = Decimal(value)
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number.normalize(), "f")


def with_unit(number: str, unit: str) -> str:
    """``70 g``: a number as written and its unit, one space apart; a number without a unit alone.

    The one way a unit is put beside a number, in English here and in every language's digits
    (:mod:`ivig_dose.render.translator`)."""
    return f"{number} {unit}" if unit else number


def grams(value: Decimal | int) -> str:
    return with_unit(amount(value), GRAMS)


def millilitres(value: Decimal | int) -> str:
    return with_unit(amount(value), MILLILITRES)


def kilograms(value: Decimal | int) -> str:
    return with_unit(amount(value), KILOGRAMS)


def json_number(value: Decimal | int) -> int | float:
    """A JSON number for an exact decimal: an int when whole, else the shortest float.

    Doses have at most one decimal and weights a few, far inside a double's 15 exact
    digits, so the float prints back the same digits the decimal had.
    """
    whole = int(value)
    return whole if whole == value else float(value)


def approximate(value: Decimal | int, places: int = 2) -> str:
    """An exact decimal as :func:`amount` writes it, or rounded to ``places`` with a leading ``≈``.

    For numbers derived by an inexact division (a height in inches from centimetres), which
    would otherwise print 28 digits; the ``≈`` says the shown value is not the one computed with.
    """
    number = Decimal(value)
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return amount(number) if rounded == number else f"≈{amount(rounded)}"


def duration(minutes: Decimal | int) -> str:
    """A run time as every output spells it: ``2 h 46 min``, ``45 min``. Whole minutes, rounded up,
    so a visit is never planned shorter than the pump runs."""
    whole = int(Decimal(minutes).to_integral_value(rounding=ROUND_CEILING))
    hours, rest = divmod(whole, 60)
    return f"{hours} h {rest} min" if hours else f"{rest} min"
