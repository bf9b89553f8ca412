"""Screening answers as typed: what each kind of criterion accepts, said alike in prompts and
errors, and each refusal as the one line a person reads."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from ivig_dose.core.errors import InputError
from ivig_dose.core.screening import NEVER, NO, YES, AnswerIn, Below, Criterion
from ivig_dose.parse.answers import accepted, parse_answer, parse_date_value

D = Decimal
DATE = "an ISO date such as 2027-01-04, or an unambiguous one such as '4 Jan 2027'"


def criterion(answer_type: str, **extra: object) -> Criterion:
    rule = Below(D(10)) if answer_type == "number" else AnswerIn(("yes",))
    return Criterion("X1", "key", "inclusion", "r", "q?", answer_type, rule, "s", **extra)  # type: ignore[arg-type]


def refusal(found: Criterion, value: object) -> str:
    with pytest.raises(InputError) as caught:
        parse_answer(found, value)
    return str(caught.value)


@pytest.mark.parametrize(("found", "said"), [
    (criterion("yes_no"), "yes or no"),
    (criterion("date"), DATE),
    (criterion("date_or_never"), f"{DATE}, or never"),
    (criterion("choice", choices=("iv", "sc")), "one of iv, sc"),
    (criterion("number"), "a number"),
    (criterion("number", whole=True), "a whole number"),
    (criterion("number", minimum=D(1)), "a number from 1"),
    (criterion("number", maximum=D(100), unit="%"), "a number to 100 %"),
    (criterion("number", whole=True, minimum=D(0), maximum=D(12), unit="months"), "a whole number from 0 to 12 months"),
])
def test_what_each_kind_of_criterion_accepts_is_said_in_words(found, said):
    assert accepted(found) == said


@pytest.mark.parametrize(("found", "value", "answer"), [
    (criterion("yes_no"), True, YES), (criterion("yes_no"), " Nee ", NO), (criterion("yes_no"), "j", YES),
    (criterion("choice", choices=("iv", "sc")), " SC ", "sc"),
    (criterion("number", unit="%"), "12.5 %", D("12.5")), (criterion("number"), 7, D(7)),
    (criterion("date_or_never"), "Nooit", NEVER), (criterion("date"), "2027-01-04", date(2027, 1, 4)),
])
def test_an_answer_is_read_as_typed(found, value, answer):
    assert parse_answer(found, value) == answer


@pytest.mark.parametrize(("found", "value", "said"), [
    (criterion("yes_no"), "maybe", "key 'maybe' is not a yes/no answer; accepted: yes or no"),
    (criterion("choice", choices=("iv", "sc")), "im", "key 'im' is not a choice; accepted: one of iv, sc"),
    (criterion("number"), True, "key true is not a number; accepted: a number"),
    (criterion("number"), False, "key false is not a number; accepted: a number"),
    (criterion("number"), D("NaN"), "key nan is not a number; accepted: a number"),
    (criterion("number"), D("-Infinity"), "key -inf is not a number; accepted: a number"),
    (criterion("number"), D("Infinity"), "key inf is not a number; accepted: a number"),
    (criterion("number", unit="%"), "12 kg", "key '12 kg' has the unit 'kg'; accepted: a number %"),
    (criterion("number", minimum=D(1), maximum=D(5)), "6", "key '6' is out of range; accepted: a number from 1 to 5"),
    (criterion("number", whole=True), "2.5", "key '2.5' is not a whole number; accepted: a whole number"),
])
def test_a_wrong_answer_is_one_line_naming_it_as_written(found, value, said):
    assert refusal(found, value) == said


@pytest.mark.parametrize(("value", "said"), [
    (datetime(2027, 1, 4, 9, 30), "last 2027-01-04T09:30:00 has a time; give the date only; accepted: A"),
    (D(12), "last 12 is not a date; accepted: A"),
    (True, "last true is not a date; accepted: A"),
])
def test_a_date_answer_that_is_no_date_is_refused(value, said):
    with pytest.raises(InputError) as caught:
        parse_date_value(value, "last", "A")
    assert str(caught.value) == said


def test_a_date_out_of_bounds_is_refused_naming_its_key():
    with pytest.raises(InputError) as caught:
        parse_date_value(date(1, 1, 1), "birth", "A")
    assert str(caught.value).startswith("birth: ")
