"""Screening answers as typed (at a prompt or in an answers file) into typed values.

What a criterion accepts is said in the same words by error messages and prompts.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ivig_dose.core.amounts import amount
from ivig_dose.core.errors import InputError
from ivig_dose.core.screening import NEVER, NO, YES, Answer, Criterion
from ivig_dose.parse.dates import ACCEPTED as DATE_ACCEPTED
from ivig_dose.parse.dates import parse_date
from ivig_dose.parse.units import split_number


def accepted(criterion: Criterion) -> str:
    """What the criterion accepts, in the words both error messages and prompts use."""
    if criterion.answer_type == "yes_no":
        return "yes or no"
    if criterion.answer_type == "date":
        return DATE_ACCEPTED
    if criterion.answer_type == "date_or_never":
        return f"{DATE_ACCEPTED}, or never"
    if criterion.answer_type == "choice":
        return "one of " + ", ".join(criterion.choices)
    kind = "a whole number" if criterion.whole else "a number"
    low = "" if criterion.minimum is None else f" from {amount(criterion.minimum)}"
    high = "" if criterion.maximum is None else f" to {amount(criterion.maximum)}"
    return f"{kind}{low}{high}{' ' + criterion.unit if criterion.unit else ''}"


def parse_answer(criterion: Criterion, value: object, day_first: bool | None = None) -> Answer:
    """One answer, typed, from what a TOML file holds (str, bool, int, Decimal, date) or a typed line.

    ``day_first`` is the user's --day-first/--month-first for numeric dates such as 03/04/1990.
    """
    if isinstance(value, str):
        value = value.strip()
    shown = f"{criterion.key} {value if isinstance(value, date) else repr(value)}"
    if criterion.answer_type == "yes_no":
        return _yes_no(value, shown, criterion)
    if criterion.answer_type == "choice":
        if isinstance(value, str) and value.lower() in criterion.choices:
            return value.lower()
        raise InputError(f"{shown} is not a choice; accepted: {accepted(criterion)}")
    if criterion.answer_type == "number":
        return _number(value, shown, criterion)
    if criterion.answer_type == "date_or_never" and isinstance(value, str) and value.lower() == NEVER:
        return NEVER
    return parse_date_value(value, criterion.key, accepted(criterion), day_first)


def _yes_no(value: object, shown: str, criterion: Criterion) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, str) and value.lower() in ("yes", "y", "no", "n"):
        return YES if value.lower().startswith("y") else NO
    raise InputError(f"{shown} is not a yes/no answer; accepted: {accepted(criterion)}")


def _number(value: object, shown: str, criterion: Criterion) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise InputError(f"{shown} is not a number; accepted: {accepted(criterion)}")
    if isinstance(value, str):
        number, unit = split_number(value, criterion.key, accepted(criterion))
        if unit not in ("", criterion.unit):
            raise InputError(f"{shown} has the unit {unit!r}; accepted: {accepted(criterion)}")
    else:
        number = Decimal(value)
    too_low = criterion.minimum is not None and number < criterion.minimum
    too_high = criterion.maximum is not None and number > criterion.maximum
    if not number.is_finite() or too_low or too_high:
        raise InputError(f"{shown} is out of range; accepted: {accepted(criterion)}")
    if criterion.whole and number != number.to_integral_value():
        raise InputError(f"{shown} is not a whole number; accepted: {accepted(criterion)}")
    return number


def parse_date_value(value: object, key: str, accepted_text: str, day_first: bool | None = None) -> date:
    """A date from a TOML date or a typed string; a date with a time is refused, not truncated."""
    from datetime import datetime

    if isinstance(value, datetime):
        raise InputError(f"{key} {value.isoformat()} has a time; give the date only; accepted: {accepted_text}")
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise InputError(f"{key} {value!r} is not a date; accepted: {accepted_text}")
    try:
        return parse_date(value, day_first)
    except InputError as exc:
        raise InputError(f"{key}: {exc.message}") from exc
