"""A short fingerprint of the inputs a plan was made from, printed on paper so a sheet can be
traced back and re-checked: run ``plan --format json`` with the same inputs and compare
``input_digest``.

What goes in is what decides the numbers: the plan's request (the baseline weight as parsed, in
kg, so ``72 kg`` and ``72000 g`` agree; the start date; the arm; ``--days`` as given; the weights
measured for later courses, R9; height, sex, pregnancy, age and the dosing-weight basis chosen;
the risks, which cap the pump), and the protocol's id, version and content; and, when the plan
picked vials and pump programs, the catalogue product, the catalogue and its version, the
product's content, the indication, ``--round`` and ``--max-rate``, which decide vials, pumps and
(with ``--round``) doses.

The content of the protocol and of the catalogue product is a fingerprint of every value as
parsed (:func:`content_fingerprint`), not of the file's bytes: a protocol file that reuses the
built-in id and version with 3 g/kg must not print the digest of the built-in 2 g/kg plan, while
a comment or a reordered table, which change no value, change no digest.

Two things stay out on purpose:

- The patient id. It does not change a single number, ``plan`` has no such option (so the two
  digests could never agree), and a hash of a short study number is easily reversed by trying
  them all, which would put a patient identifier into every shared JSON file.
- The arm, when the output is blinded. There are only two arms, so a digest that covered the
  arm would unblind anyone who recomputed it for both; blinded output must be identical for
  both arms, footer included.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from ivig_dose.core.amounts import amount
from ivig_dose.core.model import Plan
from ivig_dose.core.terms import Term

#: bumped when what goes into the digest changes, so old and new digests never collide silently.
DIGEST_SCHEME = 4
DIGEST_LENGTH = 12
#: hex digits of a content fingerprint: 64 bits inside the text that is hashed again.
FINGERPRINT_LENGTH = 16
#: fingerprints already worked out, by the identity of the (frozen) value and holding it, so that
#: the id is never reused while it is kept: a batch plans every row with the same protocol object.
_FINGERPRINTS: dict[int, tuple[object, str]] = {}
_KEPT = 32


def canonical_inputs(plan: Plan, blinded: bool) -> dict[str, object]:
    """The inputs as one plain dict with a single spelling for each value."""
    request = plan.request
    return {
        "scheme": DIGEST_SCHEME,
        "protocol": plan.protocol_id,
        "protocol_version": plan.protocol_version,
        "protocol_content": plan.protocol_content,
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
        "product_content": None if check is None else check.content,
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


def content_fingerprint(value: object) -> str:
    """The first 16 hex digits of the SHA-256 of every value in a parsed protocol or catalogue
    product, written one way (a number as its amount: ``2`` and ``2.0`` are one value)."""
    kept = _FINGERPRINTS.get(id(value))
    if kept is not None and kept[0] is value:
        return kept[1]
    text = json.dumps(_plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    fingerprint = hashlib.sha256(text.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]
    if len(_FINGERPRINTS) >= _KEPT:
        _FINGERPRINTS.clear()
    _FINGERPRINTS[id(value)] = (value, fingerprint)
    return fingerprint


def _plain(value: object) -> object:
    """A frozen value as JSON can hold it: a dataclass as its type and fields, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"type": type(value).__name__, **fields}
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return amount(value) if value.is_finite() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Term) and value.names:
        return {"name": str(value), "names": {key: str(name) for key, name in value.names.items()}}
    if value is None or isinstance(value, str | bool | int):
        return value if not isinstance(value, str) else str(value)
    raise TypeError(f"cannot fingerprint {type(value).__name__}")  # a new kind of field: decide how it is written
