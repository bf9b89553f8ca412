"""What ``verify`` lists as the inputs of its expected plan, read from the order or given by the
checker, each as a person must read it (core.verification, in process).

The inputs are what the checker confirms against the chart: the weight as the chart has it (typed in
lb or g, with its kg), the dosing-weight basis the prescriber chose, the height and age given. A
wrong one there sends the checker to confirm the wrong number, so each is checked whole.

Hand arithmetic (1 lb = 0.45359237 kg exactly):
- 183.9 lb × 0.45359237 = 83.415636843 kg, shown 83.42 kg; 200 lb = 90.718474 kg, shown 90.72 kg;
  184.9 lb = 83.869229213 kg.
- 100 kg, 5 ft 10 in (70 in, 177.8 cm), male, adjusted (README "Dosing weight"): Devine ideal
  50 + 2.3 × 10 = 73 kg, adjusted 73 + 0.4 × (100 − 73) = 83.8 kg, a course 2 × 83.8 = 167.6 g;
  on the actual 100 kg it would be 200 g, capped at 180 g (R2).
- 5 ft 10.25 in = 70.25 × 2.54 = 178.435 cm, shown to 0.01 cm: ≈178.44 cm (half up).
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest

import ivig_dose
from ivig_dose.core.errors import InputError
from ivig_dose.core.verification import Verification
from ivig_dose.core.verification_request import Input
from ivig_dose.parse.order_json import order_from_document
from ivig_dose.render.plan_json import plan_document

from .helpers import Typed, order_for, verified
from .helpers import given as Given

FROM_ORDER = "from the order: confirm it"
START = "2027-01-04"


def check(document: dict, typed: Typed | None = None) -> Verification:
    order = order_from_document(document, "order.json")
    return verified(order, typed)


def shown(result: Verification) -> dict[str, Input]:
    return {i.name: i for i in result.inputs}


def without_typed_weights(document: dict, keep: tuple[str, ...] = ()) -> dict:
    """The order as a system that writes no ``weight_as_typed`` but for the courses in ``keep``."""
    changed = copy.deepcopy(document)
    changed.pop("weight_as_typed", None)
    for course in changed["courses"]:
        if course["name"] not in keep:
            course.pop("weight_as_typed", None)
    return changed


def lb_order(**courses: str) -> dict:
    return plan_document(ivig_dose.plan("183.9 lb", start=START, course_weights=courses or None))


# --- the weight as the order shows it -------------------------------------------------------------

def test_the_plans_own_weight_as_typed_is_shown_when_no_course_repeats_it():
    # the plan states 183.9 lb; its courses state no typed weight of their own
    result = check(without_typed_weights(lb_order()) | {"weight_as_typed": "183.9 lb"})
    assert result.matches
    assert shown(result)["weight"] == Input("weight", "183.9 lb (83.42 kg)", FROM_ORDER)


def test_a_later_courses_typed_weight_is_not_taken_for_the_plans():
    # 70 kg typed in kg; week 4 weighed again as 70000 g (= 70 kg), the only typed weight the order shows
    document = plan_document(ivig_dose.plan("70", start=START, course_weights={"week4": "70000 g"}))
    result = check(without_typed_weights(document, keep=("week 4",)))
    assert result.matches
    assert shown(result)["weight"] == Input("weight", "70 kg", FROM_ORDER)


def test_a_typed_weight_that_is_not_the_dosed_weight_is_not_shown_as_it():
    # every typed weight says 184.9 lb (83.869229213 kg), but the order is dosed on 83.415636843 kg:
    # the checker is shown the kg it is dosed on, never 184.9 lb beside 83.42 kg
    document = json.loads(json.dumps(lb_order()).replace('"183.9 lb"', '"184.9 lb"'))
    result = check(document)
    assert shown(result)["weight"] == Input("weight", "83.415636843 kg", FROM_ORDER)
    found = [(d.field, d.ordered, d.expected) for d in result.discrepancies]
    assert [(field, ordered, expected) for field, ordered, expected in found if field.endswith("_kg")] == [
        (f"{where}weight_as_typed_kg", Decimal("83.869229213"), Decimal("83.415636843"))
        for where in ("", "baseline ", "week 4 ", "week 8 ")]
    # and each text as written, against the kg the plan shows for a weight it was not typed as
    assert [(field, ordered, expected) for field, ordered, expected in found if field.endswith("as_typed")] == [
        (f"{where}weight_as_typed", "184.9 lb", "83.415636843 kg") for where in ("", "baseline ", "week 4 ", "week 8 ")]


def test_a_later_courses_weight_is_shown_as_the_order_typed_it():
    result = check(lb_order(week4="200 lb"))
    assert result.matches
    assert shown(result)["week 4 weight"] == Input("week 4 weight", "200 lb (90.72 kg)", FROM_ORDER)


def test_the_checkers_weights_are_shown_as_the_checker_typed_them():
    # the order was written in kg (83.415636843 kg, week 4 90.718474 kg); the checker typed the same
    # weights in lb: --weight "183.9 lb" --course-weight "week4=200 lb"
    document = plan_document(order_for("83.415636843", course_weights=(("week4", Decimal("90.718474")),)))
    given = Given(weight_kg=Decimal("83.415636843"), weight_as_typed="183.9 lb",
                  course_weights=(("week4", Decimal("90.718474")),), course_weights_as_typed=(("week4", "200 lb"),))
    result = check(document, given)
    assert result.matches
    assert shown(result)["weight"] == Input("weight", "183.9 lb (83.42 kg)", "given")
    assert shown(result)["week 4 weight"] == Input("week 4 weight", "200 lb (90.72 kg)", "given")
    assert shown(result)["week 8 weight"] == Input("week 8 weight", "183.9 lb (83.42 kg)", "given: --weight")


# --- an implausible weight is refused, named as the order shows it -----------------------------------

def test_an_order_for_an_implausible_weight_is_refused_naming_it_as_typed():
    # 700 lb × 0.45359237 = 317.514659 kg, over the protocol's 300 kg (R1), shown 317.51 kg
    document = json.loads(json.dumps(lb_order()).replace('"183.9 lb"', '"700 lb"')
                          .replace("83.415636843", "317.514659"))
    with pytest.raises(InputError) as refused:
        check(document)
    assert str(refused.value) == ("weight 700 lb (317.51 kg) is outside the plausible adult range; accepted: "
                                  "20 to 300 kg")


def test_an_order_for_an_implausible_later_weight_is_refused_naming_it_as_typed():
    document = json.loads(json.dumps(lb_order(week4="200 lb")).replace('"200 lb"', '"700 lb"')
                          .replace("90.718474", "317.514659"))
    with pytest.raises(InputError) as refused:
        check(document)
    assert str(refused.value) == ("week 4 weight 700 lb (317.51 kg) is outside the plausible adult range; "
                                  "accepted: 20 to 300 kg")


# --- the dosing-weight basis the prescriber chose -----------------------------------------------------

ADJUSTED = {"height": "5 ft 10 in", "sex": "male", "dosing_weight": "adjusted"}


def test_an_order_from_before_the_override_basis_was_named_is_checked_on_its_stated_basis():
    document = plan_document(ivig_dose.plan("100", start=START, **ADJUSTED))
    assert document["courses"][0]["dose_g"] == 167.6  # 2 × 83.8 kg (R1, R2)
    del document["dosing_weight_override_basis"]  # such an order says only "overridden" and its basis
    result = check(document, Given(height_cm=Decimal("177.8"), sex="male"))
    assert result.matches, result.discrepancies
    assert shown(result)["dosing weight"] == Input("dosing weight", "adjusted", FROM_ORDER, "dosing_weight")


def test_an_order_on_a_chosen_basis_asks_for_the_facts_that_decide_it():
    document = plan_document(ivig_dose.plan("100", start=START, **ADJUSTED))
    with pytest.raises(InputError) as refused:
        check(document)
    assert str(refused.value) == (
        "the order was made with --dosing-weight adjusted, which needs facts an order does not hold; accepted: "
        "verify with --height and --sex (or --pregnant, or --age, if that is why a course used the actual weight)")


# --- height and age as given -----------------------------------------------------------------------

def test_a_given_height_and_age_are_shown_to_two_places():
    # 70 kg on its actual weight (the protocol's basis): height and age change no dose here
    given = Given(height_cm=Decimal("178.435"), sex="male", age_years=Decimal("17.125"))
    # the order made from the same inputs: its input digest covers them
    result = check(plan_document(ivig_dose.plan("70", start=START, height="178.435 cm", sex="male", age="17.125")),
                   given)
    assert result.matches
    assert shown(result)["height"] == Input("height", "≈178.44 cm", "given")
    assert shown(result)["age"] == Input("age", "≈17.13 years", "given")
