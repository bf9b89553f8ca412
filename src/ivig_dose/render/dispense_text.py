"""Vials and pump programs as short text, one spelling for the table, the CSV and ``rates``.

The CSV (a file for machines) is always English; the table, sheets and labels pass the reader's
:class:`~ivig_dose.render.translator.Translator`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ivig_dose.core.messages import N_
from ivig_dose.core.model import VialCount
from ivig_dose.core.pump import PumpProgram, PumpStep
from ivig_dose.render.translator import ENGLISH, Translator


def vial_list(vials: Iterable[VialCount], tr: Translator = ENGLISH) -> str:
    """``3 × 20 g + 1 × 10 g``; empty when no vial is opened (the placebo arm)."""
    return " + ".join(f"{v.count} × {tr.grams(v.grams)}" for v in vials)


def course_vials(counts: Iterable[tuple[Decimal, int]], tr: Translator = ENGLISH) -> str:
    return " + ".join(f"{count} × {tr.grams(size)}" for size, count in counts)


def step_text(step: PumpStep, tr: Translator = ENGLISH) -> str:
    """``42 mL/h for 30 min``: the rate the nurse sets on the pump, and for how long."""
    rate, minutes = tr.number(step.rate_ml_per_h), tr.number(step.minutes)
    if step.capped:
        # Translators: a pump step held to the cap; mL/h stays mL/h, as the pump shows it.
        return tr(N_("{rate} mL/h for {minutes} min (capped)"), rate=rate, minutes=minutes)
    # Translators: the rate the nurse sets on the pump and how long it runs. Keep mL/h (not mL/u):
    # it is what the pump's display shows, and the number is copied onto it.
    return tr(N_("{rate} mL/h for {minutes} min"), rate=rate, minutes=minutes)


def pump_steps(pump: PumpProgram, tr: Translator = ENGLISH) -> str:
    """``42 mL/h for 30 min → 84 mL/h for 30 min → …``"""
    return " → ".join(step_text(s, tr) for s in pump.steps)
