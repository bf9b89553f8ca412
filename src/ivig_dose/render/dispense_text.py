"""Vials and pump programs as short text, one spelling for the table, the CSV and ``rates``."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ivig_dose.core.amounts import amount, grams
from ivig_dose.core.model import VialCount
from ivig_dose.core.pump import PumpProgram, PumpStep


def vial_list(vials: Iterable[VialCount]) -> str:
    """``3 × 20 g + 1 × 10 g``; empty when no vial is opened (the placebo arm)."""
    return " + ".join(f"{v.count} × {grams(v.grams)}" for v in vials)


def course_vials(counts: Iterable[tuple[Decimal, int]]) -> str:
    return " + ".join(f"{count} × {grams(size)}" for size, count in counts)


def step_text(step: PumpStep) -> str:
    capped = " (capped)" if step.capped else ""
    return f"{amount(step.rate_ml_per_h)} mL/h for {amount(step.minutes)} min{capped}"


def pump_steps(pump: PumpProgram) -> str:
    """``42 mL/h for 30 min → 84 mL/h for 30 min → …``"""
    return " → ".join(step_text(s) for s in pump.steps)
