"""Quantities typed by people ("158.7 lb", "0.6 mL/kg/h"), read with a small pint registry.

pint's full registry costs a quarter of a second to build, so this module loads pint only
when a unit must actually be parsed, and then from ``data/units.txt``: the few units the
tool reads, with exact factors, parsed as :class:`~decimal.Decimal`. Only plain decimals
leave this module; a pint Quantity never reaches the dosing core.

Input is a number followed by a unit and nothing else: no arithmetic, no ``nan``/``inf``,
no exponent, so what was typed is exactly what is dosed.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Any

from ivig_dose.core.amounts import amount
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message

_NUMBER_AND_UNIT = re.compile(r"\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(.*?)\s*")
#: a decimal comma, as Dutch (and most European) users type it: ``72,5``, ``72,55``. Three digits
#: after the comma (``1,450``) may be a thousands separator, so that (and more than one comma)
#: is refused rather than guessed.
_DECIMAL_COMMA = re.compile(r"(\s*[+-]?\d+),(\d+)(?![\d,])")
#: kilograms as people also write them. Units are otherwise case-sensitive (``mg`` is not ``Mg``,
#: a megagram), so these few spellings are named one by one rather than matched in any case; a
#: prefixed unit cannot take a pint alias, hence here and not in ``data/units.txt``.
_SPELLINGS = {"kgs": "kg", "KG": "kg", "Kg": "kg", "KGS": "kg", "Kgs": "kg", "LB": "lb", "LBS": "lb", "Lb": "lb"}
_THOUSANDS = re.compile(r"\s*[+-]?\d{1,3}(?:,\d{3})+(?!\d)")
_OTHER_BASE = re.compile(r"\s*[+-]?0[xXoObB][0-9a-fA-F_]")
#: the longest amount read ("158.7 lb", "3.3 mg/kg/min"): longer text is refused before it is parsed.
MAX_LENGTH = 40
#: the most digits a number may have: 12 (a gram to a thousandth is 7), far inside the 28 digits of
#: Decimal's arithmetic, so no sum or product of two inputs is ever rounded.
MAX_DIGITS = 12


@cache
def registry() -> Any:
    """The one small registry, built on first use (about 20 ms, after pint's own import)."""
    from importlib import resources

    import pint

    definitions = resources.files("ivig_dose").joinpath("data/units.txt")
    with resources.as_file(definitions) as path:
        return pint.UnitRegistry(str(path), non_int_type=Decimal, cache_folder=None)


def split_number(text: str, what: str, accepted: str) -> tuple[Decimal, str]:
    """Splits "72.5 kg" into Decimal("72.5") and "kg"; refuses anything that is not that shape."""
    if len(text) > MAX_LENGTH:
        raise InputError(message(N_("{what} {text!r}... is {length} characters long; accepted: {accepted} (at most "
                                    "{limit} characters)"), what=what, text=text[:20], length=len(text),
                                 accepted=accepted, limit=MAX_LENGTH))
    if _OTHER_BASE.match(text):
        raise InputError(message(N_("{what} {text!r} is not a decimal number; accepted: {accepted}"), what=what,
                                 text=text, accepted=accepted))
    comma = _DECIMAL_COMMA.match(text)
    if comma is not None:
        if _THOUSANDS.match(text):
            raise InputError(message(N_("{what} {text!r} may be a thousands separator or a decimal comma; write it "
                                        "without a separator (1450) or with a point (1.45); accepted: {accepted}"),
                                     what=what, text=text, accepted=accepted))
        text = f"{comma[1]}.{comma[2]}{text[comma.end():]}"
    match = _NUMBER_AND_UNIT.fullmatch(text)
    if match is None:
        raise InputError(message(N_("{what} {text!r} is not a number with a unit; accepted: {accepted}"), what=what,
                                 text=text, accepted=accepted))
    check_digits(match[1], what, accepted)
    return Decimal(match[1]), _SPELLINGS.get(match[2], match[2])


def check_digits(number: str, what: str, accepted: str) -> None:
    """Refuses a number of more than :data:`MAX_DIGITS` digits (leading zeros not counted)."""
    digits = number.lstrip("+-").replace(".", "").lstrip("0")
    if len(digits) > MAX_DIGITS:
        raise InputError(message(N_("{what} {number!r} has more than {digits} digits; accepted: {accepted}"),
                                 what=what, number=number, digits=MAX_DIGITS, accepted=accepted))


@cache
def _units(unit: str) -> Any:
    """A unit as pint reads it, parsed once per spelling; pint's own error if it cannot."""
    return registry().parse_units(unit)


def known_units(unit: str, what: str, accepted: str, shown: str) -> Any:
    """The pint unit for ``unit``; an unknown unit is an input error naming it."""
    try:
        return _units(unit)
    except Exception as exc:  # pint raises several types for a unit it cannot read
        raise InputError(message(N_("{what} {text!r}: unknown unit {unit!r}; accepted: {accepted}"), what=what,
                                 text=shown, unit=unit, accepted=accepted)) from exc


def quantity(number: Decimal, unit: str, what: str, accepted: str, shown: str) -> Any:
    """A pint Quantity of ``number`` ``unit``; an unknown unit is an input error naming it."""
    return registry().Quantity(number, known_units(unit, what, accepted, shown))


def same_dimension(value: Any, unit: str) -> bool:
    return bool(value.dimensionality == registry().parse_units(unit).dimensionality)


@cache
def _factor(unit: str, target: str) -> Decimal | None:
    """How many ``target`` make one ``unit``, or None when the two are different dimensions.

    pint converts a Decimal by multiplying it by exactly this factor, so asking once per
    unit and multiplying gives pint's answer digit for digit, while a batch of weights in
    lb pays one Decimal multiplication a row instead of building a Quantity.
    """
    ureg = registry()
    one = ureg.Quantity(Decimal(1), _units(unit))
    if one.dimensionality != ureg.Quantity(1, target).dimensionality:
        return None
    return Decimal(one.to(target).magnitude)


def convert(number: Decimal, unit: str, target: str, what: str, accepted: str, shown: str) -> Decimal:
    """``number`` ``unit`` expressed in ``target``, exactly; the unit must have target's dimension."""
    known_units(unit, what, accepted, shown)
    factor = _factor(unit, target)
    if factor is None:
        raise InputError(message(N_("{what} {text!r} is not {dimension}; accepted: {accepted}"), what=what,
                                 text=shown, dimension=_dimension_word(target), accepted=accepted))
    return number * factor


def _dimension_word(target: str) -> str:
    if target == "kg":
        return message(N_("a mass"))
    if target == "cm":
        return message(N_("a length"))
    return message(N_("convertible to {unit}"), unit=target)


def parse_positive(text: str, target: str, what: str, accepted: str) -> Decimal:
    """A positive amount in ``target`` units; a bare number is taken as ``target`` itself.

    The bare-number and plain-``target`` cases never import pint, so the common
    ``--weight 70`` stays fast.
    """
    number, unit = split_number(text, what, accepted)
    if number <= 0:
        raise not_above_zero(what, text, accepted)
    return in_target(number, unit, target, what, accepted, text)


def not_above_zero(what: str, text: str, accepted: str) -> InputError:
    return InputError(message(N_("{what} {text!r} must be above 0; accepted: {accepted}"), what=what,
                              text=text.strip(), accepted=accepted))


def parse_positive_as_typed(text: str, target: str, what: str, accepted: str) -> tuple[Decimal, str | None]:
    """:func:`parse_positive`, and the amount as typed when its unit is not ``target``: the number
    as ISMP writes it and the unit's symbol (``183.90 lbs`` is ``183.9 lb``), for display only;
    None for a bare number or one in ``target`` (``72,5`` is simply 72.5 kg)."""
    number, unit = split_number(text, what, accepted)
    if number <= 0:
        raise not_above_zero(what, text, accepted)
    value = in_target(number, unit, target, what, accepted, text)
    symbol = "" if unit in ("", target) else _symbol(unit)
    return value, None if symbol in ("", target) else f"{amount(number)} {symbol}"


@cache
def _symbol(unit: str) -> str:
    """The unit's symbol as pint writes it: ``lbs`` and ``pound`` are ``lb``, ``kilogram`` is ``kg``."""
    return f"{_units(unit):~}"


def parse_non_negative(text: str, target: str, what: str, accepted: str) -> Decimal:
    """Like :func:`parse_positive`, but 0 is a valid amount (a placebo bag holds 0 g IgG)."""
    number, unit = split_number(text, what, accepted)
    if number < 0:
        raise InputError(message(N_("{what} {text!r} must not be below 0; accepted: {accepted}"), what=what,
                                 text=text.strip(), accepted=accepted))
    return in_target(number, unit, target, what, accepted, text)


def in_target(number: Decimal, unit: str, target: str, what: str, accepted: str, text: str) -> Decimal:
    """``number`` in ``target`` units; pint is loaded only when ``unit`` is neither empty nor ``target``."""
    if unit in ("", target):
        return number
    return convert(number, unit, target, what, accepted, text.strip())


#: the unit every pump rate per kg of dosing weight is held in.
RATE_PER_KG = "mL/kg/h"
#: the unit every absolute pump rate is held in.
RATE = "mL/h"
RATE_ACCEPTED = message(N_("a rate per kg such as 0.6 mL/kg/h, 0.01 mL/kg/min or 1 mg/kg/min"))


def parse_rate_per_kg(text: str, mg_per_ml: Decimal, what: str, accepted: str = RATE_ACCEPTED) -> Decimal:
    """A pump rate per kg of body weight in mL/kg/h, exactly.

    Labels write rates as volume (mL/kg/min) or as IgG mass (mg/kg/min); a mass rate becomes a
    volume rate through the product's concentration, so one label figure serves every product.
    ``mL/kg/h`` itself needs no units library.
    """
    number, unit = split_number(text, what, accepted)
    if number <= 0:
        raise not_above_zero(what, text, accepted)
    if unit == RATE_PER_KG:
        return number
    if not unit:
        raise InputError(message(N_("{what} {text!r} has no unit; accepted: {accepted}"), what=what,
                                 text=text.strip(), accepted=accepted))
    rate = _rate_in_ml(number, unit, mg_per_ml, what, accepted, text.strip())
    if rate is None or not same_dimension(rate, RATE_PER_KG):
        raise InputError(message(N_("{what} {text!r} is not a rate per kg of body weight; accepted: {accepted}"),
                                 what=what, text=text.strip(), accepted=accepted))
    return Decimal(rate.to(RATE_PER_KG).magnitude)


def parse_rate_limit(
    text: str, mg_per_ml: Decimal, what: str, accepted: str
) -> tuple[Decimal | None, Decimal | None]:
    """A pump rate limit: (mL/h, None) for an absolute rate, (None, mL/kg/h) for one per kg.

    A bare number is mL/h, the unit a pump is set in.
    """
    number, unit = split_number(text, what, accepted)
    if number <= 0:
        raise not_above_zero(what, text, accepted)
    if unit in ("", RATE):
        return number, None
    if unit == RATE_PER_KG:
        return None, number
    rate = _rate_in_ml(number, unit, mg_per_ml, what, accepted, text.strip())
    if rate is not None and same_dimension(rate, RATE):
        return Decimal(rate.to(RATE).magnitude), None
    if rate is not None and same_dimension(rate, RATE_PER_KG):
        return None, Decimal(rate.to(RATE_PER_KG).magnitude)
    raise InputError(message(N_("{what} {text!r} is not a pump rate; accepted: {accepted}"), what=what,
                             text=text.strip(), accepted=accepted))


def _rate_in_ml(
    number: Decimal, unit: str, mg_per_ml: Decimal, what: str, accepted: str, shown: str
) -> Any | None:
    """The rate as a volume rate (mass rates divided by the concentration); None if not a rate at all.

    mg/kg/min has the dimension 1/time, as 1/min has: only a unit whose numerator is a mass
    is read as an IgG mass rate.
    """
    rate = quantity(number, unit, what, accepted, shown)
    if same_dimension(rate, "mL/h") or same_dimension(rate, RATE_PER_KG):
        return rate
    numerator = unit.split("/", 1)[0].strip()
    if "/" in unit and _is_mass(numerator) and (same_dimension(rate, "1/h") or same_dimension(rate, "g/h")):
        return rate / registry().Quantity(mg_per_ml, "mg/mL")
    return None


def _is_mass(unit: str) -> bool:
    try:
        return same_dimension(registry().Quantity(1, unit), "g")
    except Exception:  # pint raises several types for a unit it cannot read
        return False
