"""A verification as JSON: ``{"match": ..., "discrepancies": [...]}`` plus what it was computed from.

Amounts are JSON numbers in the unit the entry names (``g``, ``mL``, ``kg``); dates are ISO
strings; a value the order or the plan does not have is null.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from ivig_dose.core.amounts import json_number
from ivig_dose.core.verification import Comparison, Verification

SCHEMA = "ivig-dose/verify/v1"


def json_value(value: object) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal) or (isinstance(value, int) and not isinstance(value, bool)):
        return json_number(value)
    return value


def comparison_entry(comparison: Comparison) -> dict[str, Any]:
    entry = {
        "field": comparison.field,
        "ordered": json_value(comparison.ordered),
        "expected": json_value(comparison.expected),
        "difference": json_value(comparison.difference),
        "unit": "days" if comparison.unit == "date" else comparison.unit,
        "rule": comparison.rule,
        "note": comparison.note,
    }
    if comparison.row is not None:
        entry["row"] = comparison.row
    return entry


def verification_document(verification: Verification) -> dict[str, Any]:
    """``checked`` is how many values were compared; ``largest_difference`` the matching one a
    tolerance let furthest from the plan (null when every value is exact)."""
    largest = verification.largest_difference
    return {
        "schema": SCHEMA,
        "match": verification.matches,
        "checked": len(verification.comparisons),
        "discrepancies": [comparison_entry(c) for c in verification.discrepancies],
        "largest_difference": None if largest is None else comparison_entry(largest),
        "not_checked": [{"field": n.field, "value": n.value, "why": n.why} for n in verification.not_checked],
        "inputs": [{"name": i.name, "value": json_value(i.value), "source": i.source} for i in verification.inputs],
        "notes": list(verification.notes),
    }


def render_verification_json(verification: Verification) -> str:
    return json.dumps(verification_document(verification), indent=2, ensure_ascii=False) + "\n"
