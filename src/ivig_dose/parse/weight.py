"""Body weights as people type them (R1): ``72``, ``72 kg``, ``72kg``, ``72000 g``, ``158.7 lb``."""

from __future__ import annotations

from decimal import Decimal

from ivig_dose.core.messages import N_, message
from ivig_dose.parse.units import parse_positive

ACCEPTED = message(N_("a positive mass such as 72, 72 kg, 72000 g or 158.7 lb (a bare number is kg)"))
WEIGHT = message(N_("weight"))


def parse_weight(text: str, what: str = WEIGHT) -> Decimal:
    """The weight in kg, exactly (1 lb = 0.45359237 kg by definition)."""
    return parse_positive(text, "kg", what, ACCEPTED)
