"""What blinded output may show: volumes, dates and settings, never the arm or a dose.

Every renderer asks here, so the two arms of one weight print byte-identical text.
"""

from __future__ import annotations

import hashlib

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


def kit_id(patient: str, protocol: str, course: str, day: int, setting: str) -> str:
    """A blinded bag's kit identifier, ``3F9A-07C2-11B4``: what its label prints where an open label
    leaves the batch to be written in (a lot would tell IVIg from NaCl). It names the bag's place,
    not its contents, so the two arms' labels stay identical, and the pharmacy's record (which
    holds the lots) and the nurse's (which holds the place) both know it. 48 bits: no two bags of
    a trial share one by chance."""
    name = "\x1f".join(("kit", patient, protocol, course, str(day), setting))
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest().upper()
    return f"{digest[:4]}-{digest[4:8]}-{digest[8:12]}"
