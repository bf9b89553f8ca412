"""Values of a verification in words, ISMP style: the unit always shown, signed differences."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ivig_dose.core.messages import N_
from ivig_dose.core.verification import Comparison
from ivig_dose.render.translator import ENGLISH, Translator

MISSING = N_("none")


def shown(value: object, unit: str, tr: Translator = ENGLISH) -> str:
    """``53.6 g``, ``2027-01-04``, ``3``; ``none`` for a value one side does not have."""
    if value is None:
        return tr(MISSING)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{tr.number(value)} {unit}".rstrip()
    return tr.say(value) if isinstance(value, str) else str(value)


def difference_text(comparison: Comparison, tr: Translator = ENGLISH) -> str:
    """``+4 mL (+0.9%)``, ``+1 day``, ``-1``; empty when the values cannot be subtracted."""
    difference = comparison.difference
    if difference is None:
        return ""
    sign = "+" if difference > 0 else ""
    if comparison.unit == "date":
        days = tr(N_("day")) if abs(difference) == 1 else tr(N_("days"))
        return f"{sign}{difference} {days}"
    text = f"{sign}{tr.number(difference)} {comparison.unit}".rstrip()
    expected = comparison.expected
    if isinstance(expected, Decimal) and expected and comparison.unit in ("g", "mL"):
        percent = (Decimal(difference) * 100 / expected).quantize(Decimal("0.1"))
        text += f" ({sign}{tr.number(percent)}%)"
    return text
