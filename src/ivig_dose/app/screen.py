"""The screen: a patient's answers in, one result per criterion and a verdict out.

Asking the questions is the shell's (``cli.screen``); reading an answers file, refusing dates
that cannot be true and evaluating are here, so a file and a typed interview are judged alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message

if TYPE_CHECKING:
    from ivig_dose.core.screening import Answer, Checklist, Screen


def read_answers_file(
    path: str, checklist: Checklist, day_first: bool | None
) -> tuple[dict[str, Answer], date | None]:
    """The file's typed answers and screening date; every problem names the file."""
    from ivig_dose.files.answers import read_answers_text
    from ivig_dose.files.inputs import read_text_file

    text = read_text_file(path, message(N_("answers file")))
    try:
        return read_answers_text(text, checklist, day_first)
    except InputError as exc:
        raise in_answers_file(path, exc) from exc


def in_answers_file(path: str, exc: InputError) -> InputError:
    """A problem of an answers file, naming the file."""
    return InputError(message(N_("answers file {path}: {problem}"), path=path, problem=exc.said))


def checked_answers(
    path: str, checklist: Checklist, values: dict[str, Answer], screening_date: date
) -> dict[str, Answer]:
    """The file's answers once no date among them can be false; a refusal names the file."""
    from ivig_dose.core.screening import check_dates

    try:
        check_dates(checklist, values, screening_date)
    except InputError as exc:
        raise in_answers_file(path, exc) from exc
    return values


def screen_result(checklist: Checklist, answers: Mapping[str, Answer], screening_date: date,
                  ivig_only: bool) -> Screen:
    """Every selected criterion judged on the answers, and the verdict."""
    from ivig_dose.core.screening import evaluate

    return evaluate(checklist, answers, screening_date, ivig_only)
