"""The answers file of ``ivig-dose screen``: TOML whose keys are exactly the checklist's answer keys
plus ``screening_date``.

A key that is absent is a question not answered; a key the checklist does not know is refused,
because a misspelt ``loop_diuretic = "yes"`` silently ignored would leave E6 unanswered at best.
The text this module writes (``--save``) reads back to the same answers; unanswered questions
are written as comments so the file shows what is still open.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from ivig_dose.core.amounts import amount
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.core.screening import SCREENING_DATE_KEY, Answer, Checklist
from ivig_dose.parse.answers import parse_answer, parse_date_value
from ivig_dose.parse.dates import ACCEPTED as DATE_ACCEPTED


def read_answers_text(
    text: str, checklist: Checklist, day_first: bool | None = None
) -> tuple[dict[str, Answer], date | None]:
    """The typed answers and the file's screening date (None when it gives none)."""
    from ivig_dose.files.package_data import load_toml
    from ivig_dose.parse.text import check_strings

    raw = load_toml(text, message(N_("answers")))
    check_strings(raw, message(N_("answer")))
    return read_answers(raw, checklist, day_first)


def read_answers(
    raw: Mapping[str, object], checklist: Checklist, day_first: bool | None = None
) -> tuple[dict[str, Answer], date | None]:
    unknown = sorted(set(raw) - {SCREENING_DATE_KEY, *checklist.keys})
    if unknown:
        accepted = ", ".join((SCREENING_DATE_KEY, *checklist.keys))
        raise InputError(message(N_("unknown key(s) {keys}; accepted: {accepted}"), keys=", ".join(unknown),
                                 accepted=accepted))
    screening_date = None
    if SCREENING_DATE_KEY in raw:
        screening_date = parse_date_value(raw[SCREENING_DATE_KEY], SCREENING_DATE_KEY, DATE_ACCEPTED, day_first)
    answers = {c.key: parse_answer(c, raw[c.key], day_first) for c in checklist.criteria if c.key in raw}
    return answers, screening_date


def answers_text(checklist: Checklist, answers: Mapping[str, Answer], screening_date: date) -> str:
    """A TOML answers file that :func:`read_answers_text` reads back to the same answers."""
    lines = [
        f"# Answers for the {checklist.name}, read by: ivig-dose screen --answers FILE",
        "# A commented-out key is a question not answered yet; the screen counts it neither yes nor no.",
        f"{SCREENING_DATE_KEY} = {screening_date.isoformat()}",
    ]
    for criterion in checklist.criteria:
        answer = answers.get(criterion.key)
        if answer is None:
            lines.append(f"# {criterion.key} =   ({criterion.id}: not answered)")
        else:
            lines.append(f"{criterion.key} = {_toml_value(answer)}  # {criterion.id}")
    return "\n".join(lines) + "\n"


def _toml_value(answer: Answer) -> str:
    if isinstance(answer, date):
        return answer.isoformat()
    if isinstance(answer, Decimal):
        return amount(answer)
    return json.dumps(answer)
