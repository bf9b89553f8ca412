"""How far an ordered dose or volume may stray from the protocol's and still count as the same.

Exact by default: an order made by ``ivig-dose plan`` matches to the last 0.1 g. Orders made
by other systems round differently, so the checker may allow a relative slack (``1%``) or an
absolute one (``0.5 g`` or ``5 mL``, each converted to the other through the product's
concentration). Weights, dates, day counts and settings are always compared exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ivig_dose.core.amounts import amount, grams, millilitres
from ivig_dose.core.errors import InputError

ACCEPTED = "0 (exact), a percentage such as 1%, or an amount such as 0.5 g or 5 mL"
GRAMS = "g"
MILLILITRES = "mL"


@dataclass(frozen=True)
class Tolerance:
    """How far an order made by another system may differ from the plan and still match."""

    percent: Decimal = Decimal(0)
    grams: Decimal = Decimal(0)
    millilitres: Decimal = Decimal(0)

    def allows(self, unit: str, ordered: Decimal, expected: Decimal) -> bool:
        """True when ``ordered`` is within the tolerance of ``expected`` for an amount in ``unit``."""
        absolute = {GRAMS: self.grams, MILLILITRES: self.millilitres}.get(unit)
        if absolute is None:
            return ordered == expected
        limit = max(absolute, abs(expected) * self.percent / 100)
        return abs(ordered - expected) <= limit

    @property
    def exact(self) -> bool:
        return not (self.percent or self.grams or self.millilitres)

    def describe(self) -> str:
        if self.exact:
            return "exact"
        if self.percent:
            return f"{amount(self.percent)}% of each dose and volume"
        return f"{grams(self.grams)} on doses, {millilitres(self.millilitres)} on volumes"


def parse_tolerance(text: str, ml_per_g: Decimal) -> Tolerance:
    """``1%``, ``0.5 g`` or ``5 mL``; ``ml_per_g`` turns an amount of one kind into the other."""
    from ivig_dose.parse.units import convert, split_number

    stripped = text.strip()
    if stripped.endswith("%"):
        number, unit = split_number(stripped[:-1], "--tolerance", ACCEPTED)
        if unit or number < 0 or number >= 100:
            raise InputError(f"--tolerance {text!r} is not a percentage from 0 to below 100; accepted: {ACCEPTED}")
        return Tolerance(percent=number)
    number, unit = split_number(stripped, "--tolerance", ACCEPTED)
    if number < 0:
        raise InputError(f"--tolerance {text!r} must not be below 0; accepted: {ACCEPTED}")
    if number == 0 and not unit:
        return Tolerance()
    if unit == GRAMS:
        return Tolerance(grams=number, millilitres=number * ml_per_g)
    if unit.lower() == "ml":
        return Tolerance(grams=number / ml_per_g, millilitres=number)
    if not unit:
        raise InputError(f"--tolerance {text!r} needs a unit (% , g or mL); accepted: {ACCEPTED}")
    for target in (GRAMS, MILLILITRES):
        try:
            value = convert(number, unit, target, "--tolerance", ACCEPTED, stripped)
        except InputError:
            continue
        return parse_tolerance(f"{value} {target}", ml_per_g)
    raise InputError(f"--tolerance {text!r} is neither a mass nor a volume; accepted: {ACCEPTED}")
