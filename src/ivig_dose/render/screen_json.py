"""The screen as JSON: ``{"eligible": true|false|null, "failed": [...], "missing": [...], "criteria": [...]}``.

``eligible`` is null when the screen is undecided, so a script never reads a missing answer
as a pass. Each criterion keeps its answer as typed (a date as ISO text, a number as a JSON
number, yes/no and choices as words, null when not answered).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from ivig_dose.core.amounts import json_number
from ivig_dose.core.screening import Answer, CriterionResult, Screen


def answer_value(answer: Answer | None) -> str | int | float | None:
    if isinstance(answer, date):
        return answer.isoformat()
    if isinstance(answer, Decimal):
        return json_number(answer)
    return answer


def criterion_entry(result: CriterionResult) -> dict[str, Any]:
    criterion = result.criterion
    return {
        "id": criterion.id,
        "kind": criterion.kind,
        "key": criterion.key,
        "requirement": criterion.requirement,
        "answer": answer_value(result.answer),
        "status": str(result.status),
        "reason": result.reason,
    }


def screen_document(screen: Screen) -> dict[str, Any]:
    return {
        "eligible": screen.eligible,
        "failed": list(screen.failed),
        "missing": list(screen.missing),
        "criteria": [criterion_entry(r) for r in screen.results],
    }


def render_json(screen: Screen) -> str:
    return json.dumps(screen_document(screen), indent=2, ensure_ascii=False) + "\n"
