"""Values of a verification in words, ISMP style: the unit always shown, signed differences, a
date with its weekday, a value one side lacks said as such."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ivig_dose.core.comparison import Comparison
from ivig_dose.core.messages import N_
from ivig_dose.core.tolerance import Tolerance
from ivig_dose.render.translator import ENGLISH, Translator
from ivig_dose.render.words import ARM_WORDS, BASIS_WORDS

MISSING = N_("none")
#: a flag in an order file (``true``), said as a reader says it.
FLAGS = {True: N_("true"), False: N_("false")}
#: values that are keys of the data, by the key that holds them: read as words (``IVIg``, ``ideal``).
VALUE_WORDS = {"arm": ARM_WORDS, "dosing_weight_basis": BASIS_WORDS, "dosing_weight_override_basis": BASIS_WORDS,
               "dosing_weight": BASIS_WORDS, "dosing_weight_override": {"yes": N_("yes"), "no": N_("no")}}


def shown(value: object, unit: str, tr: Translator = ENGLISH, absent: str = "", weekday: bool = True,
          key: str = "") -> str:
    """``53.6 g``, ``Mon 2027-01-04``, ``3``, ``true``; ``absent`` (else ``none``) for a value one
    side does not have; a value that is a key of the data (``key`` names what holds it: ``arm``) in
    words. Text from an order is shown with any control character escaped."""
    from ivig_dose.parse.text import printable

    if value is None:
        return tr.say(absent) if absent else tr(MISSING)
    if isinstance(value, bool):
        return tr(FLAGS[value])
    if isinstance(value, date):
        return tr.dated(value) if weekday else value.isoformat()
    if isinstance(value, Decimal):
        return f"{tr.number(value)} {unit}".rstrip()
    if isinstance(value, str):
        word = VALUE_WORDS.get(key.rsplit(".", 1)[-1], {}).get(value)  # as the tool writes it, else as written
        return tr(word) if word is not None else printable(tr.say(value))
    return str(value)


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
