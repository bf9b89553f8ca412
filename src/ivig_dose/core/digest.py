"""A short fingerprint of the inputs a plan was made from, printed on paper so a sheet can be
traced back and re-checked: run ``plan --format json`` with the same inputs and compare
``input_digest``.

What goes in is what decides the numbers: the plan's request (the baseline weight as parsed, in
kg, so ``72 kg`` and ``72000 g`` agree; the start date; the arm; ``--days`` as given; the weights
measured for later courses, R9; height, sex, pregnancy, age and the dosing-weight basis chosen;
the risks, which cap the pump), and the protocol's id and version; and, when the plan picked vials
and pump programs, the catalogue product, the catalogue and its version, the indication,
``--round`` and ``--max-rate``, which decide vials, pumps and (with ``--round``) doses.

Two things stay out on purpose:

- The patient id. It does not change a single number, ``plan`` has no such option (so the two
  digests could never agree), and a hash of a short study number is easily reversed by trying
  them all, which would put a patient identifier into every shared JSON file.
- The arm, when the output is blinded. There are only two arms, so a digest that covered the
  arm would unblind anyone who recomputed it for both; blinded output must be identical for
  both arms, footer included.
"""

from __future__ import annotations

import hashlib
import json

from ivig_dose.core.amounts import amount
from ivig_dose.core.model import Plan

#: bumped when what goes into the digest changes, so old and new digests never collide silently.
DIGEST_SCHEME = 3
DIGEST_LENGTH = 12


def canonical_inputs(plan: Plan, blinded: bool) -> dict[str, object]:
    """The inputs as one plain dict with a single spelling for each value."""
    request = plan.request
    return {
        "scheme": DIGEST_SCHEME,
        "protocol": plan.protocol_id,
        "protocol_version": plan.protocol_version,
        "weight_kg": amount(request.weight_kg),
        "start": request.start.isoformat(),
        "arm": None if blinded else request.arm,
        "days": request.days,
        "course_weights_kg": {c.name: amount(c.weight_kg) for c in plan.courses if c.weight_measured},
        "height_cm": None if request.height_cm is None else amount(request.height_cm),
        "sex": request.sex,
        "pregnant": request.pregnant,
        "dosing_weight": request.dosing_weight,
        "age_years": None if request.age_years is None else amount(request.age_years),
        "risks": list(request.risks),
        "dispensing": dispensing_inputs(plan),
    }


def dispensing_inputs(plan: Plan) -> dict[str, object] | None:
    """Product, catalogue, rounding and rate limit; the same for both arms (the placebo's pump is the IVIg's)."""
    check, rounding = plan.dispensed_with, plan.request.rounding
    if check is None and rounding is None:
        return None
    return {
        "product": None if check is None else check.id,
        "catalogue": None if check is None else check.catalogue,
        "max_rate": None if check is None else check.max_rate,
        "indication": None if check is None else check.indication,
        "round": None if rounding is None else [rounding.label, [amount(s) for s in rounding.sizes_g]],
    }


def canonical_text(plan: Plan, blinded: bool = False) -> str:
    """The canonical inputs as the one JSON text that is hashed (sorted keys, no spaces)."""
    return json.dumps(canonical_inputs(plan, blinded), sort_keys=True, separators=(",", ":"))


def digest_of(text: str) -> str:
    """The first 12 hex digits of the SHA-256 of a canonical text (48 bits: enough to tell two
    plans apart, short enough to read aloud)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def input_digest(plan: Plan, blinded: bool = False) -> str:
    return digest_of(canonical_text(plan, blinded))
