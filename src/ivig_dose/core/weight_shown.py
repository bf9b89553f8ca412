"""A body weight as people read it, in the unit it was typed in (so that it can be matched with
the chart it came from), in any language, and what a message calls it.

Apart from :mod:`ivig_dose.core.amounts` because it is a message (:mod:`ivig_dose.core.messages`),
and messages write their numbers with ``amounts``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ivig_dose.core.amounts import kilograms
from ivig_dose.core.messages import N_, Message, Quantity, message, neutral

#: the kg shown beside a weight typed in another unit: to 10 g, for reading only.
SHOWN_KG = Decimal("0.01")
#: what a weight is called in a message when it is the patient's (baseline) weight.
WEIGHT = message(N_("weight"))


def course_weight_label(course: str) -> Message:
    """``week 4 weight``: the weight measured for a later course (R9), as every message names it
    (a course weight's refusal or warning, whether typed, from a list or read from an order)."""
    return message(N_("{course} weight"), course=course)


def weight_text(kg: Decimal | int, typed: str | None = None) -> str:
    """A weight as people read it: ``72.35 kg``; one typed in another unit as typed, with its kg
    beside it rounded to 0.01 kg (``183.9 lb (83.42 kg)``), so it can be matched with the chart it
    came from. The rounded kg is for reading only: every dose is computed from the exact kg.

    A message (:mod:`ivig_dose.core.messages`) of these numbers, so that another language writes
    them in its own digits (``183,9 lb (83,42 kg)``); its text is the English."""
    shown = kilograms(kg)
    if typed is None or typed == shown:
        return neutral("{weight}", weight=Quantity(kg, "kg"))
    rounded = Quantity(Decimal(kg).quantize(SHOWN_KG, rounding=ROUND_HALF_UP), "kg")
    number, _, unit = typed.partition(" ")
    try:
        value: Decimal | None = Decimal(number)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():  # not as readers write it ("183.9 lb"), or "inf": as it is
        return neutral("{typed} ({kg})", typed=typed, kg=rounded)
    return neutral("{typed} ({kg})", typed=Quantity(value, unit), kg=rounded)
