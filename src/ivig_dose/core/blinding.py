"""What blinded output may show: volumes, dates and settings, never the arm or a dose.

Every renderer asks here, so the two arms of one weight print byte-identical text.
"""

from __future__ import annotations

from ivig_dose.core.messages import N_, message, neutral
from ivig_dose.core.model import Plan

BLINDED_PRODUCT = message(N_("Study medication (IVIg or placebo)"))


def product_label(plan: Plan, blinded: bool) -> str:
    """The product as the reader may see it: name and concentration, or the blinded name."""
    if blinded:
        return BLINDED_PRODUCT
    concentration = plan.product.concentration_mg_per_ml
    if concentration is None:
        return plan.product.name
    return neutral("{name} {concentration} mg/mL", name=plan.product.name, concentration=concentration)


def visible_warnings(plan: Plan, blinded: bool) -> list[str]:
    """The warnings to show; blinded output, which shows no vials, warns of no vial sizes."""
    from ivig_dose.core.dispensing import blinded_warning

    return [blinded_warning(w) for w in plan.warnings] if blinded else list(plan.warnings)


def visible_reasons(plan: Plan, blinded: bool) -> list[tuple[str, str]]:
    """(rule, sentence) pairs to show; blinded output drops what only one arm has."""
    pairs = [(r.rule, r.blinded_text if blinded else r.text) for r in plan.reasons]
    return [(rule, text) for rule, text in pairs if text]
