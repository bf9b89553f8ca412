"""Values of a verification in words, ISMP style: the unit always shown, signed differences, a
date with its weekday, a value one side lacks said as such."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ivig_dose.core.comparison import Comparison
from ivig_dose.core.messages import N_
from ivig_dose.core.tolerance import Tolerance
from ivig_dose.render.translator import ENGLISH, Translator

MISSING = N_("none")


def shown(value: object, unit: str, tr: Translator = ENGLISH, absent: str = "", weekday: bool = True) -> str:
    """``53.6 g``, ``Mon 2027-01-04``, ``3``, ``true``; ``absent`` (else ``none``) for a value one
    side does not have. Text from an order is shown with any control character escaped."""
    from ivig_dose.parse.text import printable

    if value is None:
        return tr.say(absent) if absent else tr(MISSING)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return dated(value, tr) if weekday else value.isoformat()
    if isinstance(value, Decimal):
        return f"{tr.number(value)} {unit}".rstrip()
    return printable(tr.say(value)) if isinstance(value, str) else str(value)


def dated(day: date, tr: Translator = ENGLISH) -> str:
    """``Mon 2027-01-04``: the ISO date the order file holds, with its weekday in the reader's language."""
    from ivig_dose.core.calendar_days import dated as with_weekday

    return tr.say(with_weekday(day))


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


def tolerance_text(tolerance: Tolerance, tr: Translator = ENGLISH) -> str:
    """``1%``, ``0.5 g (5 mL)``: the tolerance as the checker gave it."""
    if tolerance.percent:
        return f"{tr.number(tolerance.percent)}%"
    return f"{tr.number(tolerance.grams)} g ({tr.number(tolerance.millilitres)} mL)"
