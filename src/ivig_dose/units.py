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
from importlib import resources
from typing import Any

from ivig_dose.errors import InputError

_NUMBER_AND_UNIT = re.compile(r"\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(.*?)\s*")
_DECIMAL_COMMA = re.compile(r"\s*\d+,\d+")


@cache
def registry() -> Any:
    """The one small registry, built on first use (about 20 ms, after pint's own import)."""
    import pint

    definitions = resources.files("ivig_dose").joinpath("data/units.txt")
    with resources.as_file(definitions) as path:
        return pint.UnitRegistry(str(path), non_int_type=Decimal, cache_folder=None)


def split_number(text: str, what: str, accepted: str) -> tuple[Decimal, str]:
    """Splits "72.5 kg" into Decimal("72.5") and "kg"; refuses anything that is not that shape."""
    if _DECIMAL_COMMA.match(text):
        raise InputError(f"{what} {text!r} uses a decimal comma; write a point, e.g. 72.5; accepted: {accepted}")
    match = _NUMBER_AND_UNIT.fullmatch(text)
    if match is None:
        raise InputError(f"{what} {text!r} is not a number with a unit; accepted: {accepted}")
    return Decimal(match[1]), match[2]


def convert(number: Decimal, unit: str, target: str, what: str, accepted: str, shown: str) -> Decimal:
    """``number`` ``unit`` expressed in ``target``, exactly; the unit must have target's dimension."""
    ureg = registry()
    try:
        units = ureg.parse_units(unit)
    except Exception as exc:  # pint raises several types for a unit it cannot read
        raise InputError(f"{what} {shown!r}: unknown unit {unit!r}; accepted: {accepted}") from exc
    quantity = ureg.Quantity(number, units)
    if quantity.dimensionality != ureg.Quantity(1, target).dimensionality:
        raise InputError(f"{what} {shown!r} is not {_dimension_word(target)}; accepted: {accepted}")
    return Decimal(quantity.to(target).magnitude)


def _dimension_word(target: str) -> str:
    return {"kg": "a mass", "cm": "a length"}.get(target, f"convertible to {target}")


def parse_positive(text: str, target: str, what: str, accepted: str) -> Decimal:
    """A positive amount in ``target`` units; a bare number is taken as ``target`` itself.

    The bare-number and plain-``target`` cases never import pint, so the common
    ``--weight 70`` stays fast.
    """
    number, unit = split_number(text, what, accepted)
    if number <= 0:
        raise InputError(f"{what} {text.strip()!r} must be above 0; accepted: {accepted}")
    if unit in ("", target):
        return number
    return convert(number, unit, target, what, accepted, text.strip())
