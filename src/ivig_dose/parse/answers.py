"""Screening answers as typed (at a prompt or in an answers file) into typed values.

What a criterion accepts is said in the same words by error messages and prompts.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.core.screening import NEVER, NO, YES, Answer, Criterion
from ivig_dose.parse.dates import ACCEPTED as DATE_ACCEPTED
from ivig_dose.parse.dates import in_range, parse_date
from ivig_dose.parse.units import split_number

#: a yes/no answer as typed, in English or Dutch (the prompt asks in the user's language).
YES_WORDS = ("yes", "y", "ja", "j")
NO_WORDS = ("no", "n", "nee")
#: "never" as the answer to a date of the last ..., in English or Dutch.
NEVER_WORDS = (NEVER, "nooit")


def accepted(criterion: Criterion) -> str:
    """What the criterion accepts, in the words both error messages and prompts use."""
    if criterion.answer_type == "yes_no":
        return message(N_("yes or no"))
    if criterion.answer_type == "date":
        return DATE_ACCEPTED
    if criterion.answer_type == "date_or_never":
        return message(N_("{date}, or never"), date=DATE_ACCEPTED)
    if criterion.answer_type == "choice":
        return message(N_("one of {choices}"), choices=", ".join(criterion.choices))
    kind = message(N_("a whole number")) if criterion.whole else message(N_("a number"))
    low = "" if criterion.minimum is None else message(N_(" from {low}"), low=criterion.minimum)
    high = "" if criterion.maximum is None else message(N_(" to {high}"), high=criterion.maximum)
    return message(N_("{kind}{low}{high}{unit}"), kind=kind, low=low, high=high,
                   unit=f" {criterion.unit}" if criterion.unit else "")


def parse_answer(criterion: Criterion, value: object, day_first: bool | None = None) -> Answer:
    """One answer, typed, from what a TOML file holds (str, bool, int, Decimal, date) or a typed line.

    ``day_first`` is the user's --day-first/--month-first for numeric dates such as 03/04/1990.
    """
    if isinstance(value, str):
        value = value.strip()
    shown = f"{criterion.key} {repr(value) if isinstance(value, str) else _as_written(value)}"
    if criterion.answer_type == "yes_no":
        return _yes_no(value, shown, criterion)
    if criterion.answer_type == "choice":
        if isinstance(value, str) and value.lower() in criterion.choices:
            return value.lower()
        raise InputError(message(N_("{answer} is not a choice; accepted: {accepted}"), answer=shown,
                                 accepted=accepted(criterion)))
    if criterion.answer_type == "number":
        return _number(value, shown, criterion)
    if criterion.answer_type == "date_or_never" and isinstance(value, str) and value.lower() in NEVER_WORDS:
        return NEVER
    return parse_date_value(value, criterion.key, accepted(criterion), day_first)


def _as_written(value: object) -> str:
    """A TOML value as the file writes it: ``nan``, ``inf``, ``true``, ``1990-01-04``, not a Python repr."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal) and not value.is_finite():
        return "nan" if value.is_nan() else f"{'-' if value < 0 else ''}inf"
    return str(value)


def _yes_no(value: object, shown: str, criterion: Criterion) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, str) and value.lower() in YES_WORDS + NO_WORDS:
        return YES if value.lower() in YES_WORDS else NO
    raise InputError(message(N_("{answer} is not a yes/no answer; accepted: {accepted}"), answer=shown,
                             accepted=accepted(criterion)))


def _number(value: object, shown: str, criterion: Criterion) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise InputError(message(N_("{answer} is not a number; accepted: {accepted}"), answer=shown,
                                 accepted=accepted(criterion)))
    if isinstance(value, str):
        number, unit = split_number(value, criterion.key, accepted(criterion))
        if unit not in ("", criterion.unit):
            raise InputError(message(N_("{answer} has the unit {unit!r}; accepted: {accepted}"), answer=shown,
                                     unit=unit, accepted=accepted(criterion)))
    else:
        number = Decimal(value)
    if not number.is_finite():  # TOML's nan and inf: compared with a bound, NaN raises instead of answering
        raise InputError(message(N_("{answer} is not a number; accepted: {accepted}"), answer=shown,
                                 accepted=accepted(criterion)))
    too_low = criterion.minimum is not None and number < criterion.minimum
    too_high = criterion.maximum is not None and number > criterion.maximum
    if too_low or too_high:
        raise InputError(message(N_("{answer} is out of range; accepted: {accepted}"), answer=shown,
                                 accepted=accepted(criterion)))
    if criterion.whole and number != number.to_integral_value():
        raise InputError(message(N_("{answer} is not a whole number; accepted: {accepted}"), answer=shown,
                                 accepted=accepted(criterion)))
    return number


def parse_date_value(value: object, key: str, accepted_text: str, day_first: bool | None = None) -> date:
    """A date from a TOML date or a typed string; a date with a time is refused, not truncated, and
    a year outside the bounds every date has (parse.dates) is refused, as far dates cannot be counted from."""
    from datetime import datetime

    if isinstance(value, datetime):
        raise InputError(message(N_("{key} {value} has a time; give the date only; accepted: {accepted}"), key=key,
                                 value=value.isoformat(), accepted=accepted_text))
    if not isinstance(value, str | date):
        raise InputError(message(N_("{key} {value} is not a date; accepted: {accepted}"), key=key,
                                 value=_as_written(value), accepted=accepted_text))
    try:
        return in_range(value, value.isoformat()) if isinstance(value, date) else parse_date(value, day_first)
    except InputError as exc:
        raise InputError(message(N_("{key}: {problem}"), key=key, problem=exc.said)) from exc
