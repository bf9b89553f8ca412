"""What ``verify`` says about each discrepancy, whole: field, both values, unit, rule, note and row.

A pharmacist acts on the rule and the note ("over the 180 g course cap", "missing from the order"),
so each kind of discrepancy is checked as the whole record the table and the JSON show, for an order
of the spec's 70 kg case (2 × 70 = 140 g a course over 2 days of 70 g; day 1 = 30 g in hospital and
40 g at home; 10 mL/g) changed by hand.
"""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

from ivig_dose.app.plan import setup
from ivig_dose.app.verify import planner
from ivig_dose.core.order_facts import Fact, OrderFacts
from ivig_dose.core.tolerance import Tolerance
from ivig_dose.core.verification import Comparison, Given, Verification, verify_order
from ivig_dose.parse.order_json import order_from_document
from ivig_dose.parse.tolerance import parse_tolerance
from ivig_dose.render.plan_json import plan_document

from .helpers import PROTOCOL, plan_for

PLANNER = planner(setup())
EXACT = Tolerance()
W70 = Given(weight_kg=Decimal(70))


def check(order: OrderFacts, given: Given = W70, tolerance: Tolerance = EXACT, complete: bool = True) -> Verification:
    return verify_order(order, given, PROTOCOL, PLANNER, tolerance, complete)


def document(weight: str = "70", **kwargs) -> dict:
    return copy.deepcopy(plan_document(plan_for(weight, **kwargs)))


def json_order(doc: dict) -> OrderFacts:
    return order_from_document(doc, "order.json")


def found(result: Verification, field: str) -> Comparison:
    matching = [c for c in result.comparisons if c.field == field]
    assert len(matching) == 1, (field, [c.field for c in result.comparisons])
    return matching[0]


def test_a_missing_course_day_and_bag_each_name_their_rule():
    doc = document()
    del doc["courses"][2]                                   # week 8: R7 sets the courses
    del doc["courses"][1]["days"][1]                        # week 4 day 2: the day count, R3
    del doc["courses"][0]["days"][0]["segments"][1]         # baseline day 1 home: the settings, R6
    result = check(json_order(doc))
    assert found(result, "week 8 volume_ml") == Comparison(
        "week 8 volume_ml", None, Decimal(1400), "mL", "R7", False, "missing from the order")
    assert found(result, "week 4 day 2 volume_ml") == Comparison(
        "week 4 day 2 volume_ml", None, Decimal(700), "mL", "R3", False, "missing from the order")
    assert found(result, "baseline day 1 home volume_ml") == Comparison(
        "baseline day 1 home volume_ml", None, Decimal(400), "mL", "R6", False, "missing from the order")


def test_an_extra_course_day_and_bag_each_name_their_rule():
    doc = document()
    doc["courses"].append({"name": "week 12", "week": 12, "start": "2027-03-29", "dose_g": 140, "volume_ml": 1400,
                           "days": [{"day": 1, "date": "2027-03-29", "dose_g": 140, "volume_ml": 1400,
                                     "segments": [{"setting": "home", "dose_g": 140, "volume_ml": 1400}]}]})
    doc["courses"][1]["days"].append({"day": 3, "date": "2027-02-03", "dose_g": 10, "volume_ml": 100,
                                      "segments": [{"setting": "home", "dose_g": 10, "volume_ml": 100}]})
    doc["courses"][2]["days"][0]["segments"].insert(0, {"setting": "hospital", "dose_g": 5, "volume_ml": 50})
    result = check(json_order(doc))
    assert found(result, "week 12 volume_ml") == Comparison(
        "week 12 volume_ml", Decimal(1400), None, "mL", "R7", False, "not in the protocol's plan")
    assert found(result, "week 4 day 3 volume_ml") == Comparison(
        "week 4 day 3 volume_ml", Decimal(100), None, "mL", "R3", False, "not in the protocol's plan")
    assert found(result, "week 8 day 1 hospital volume_ml") == Comparison(
        "week 8 day 1 hospital volume_ml", Decimal(50), None, "mL", "R6", False, "not in the protocol's plan")


def partial_order(*facts: Fact) -> OrderFacts:
    nodes = tuple(dict.fromkeys(f.node[:depth] for f in facts for depth in range(1, len(f.node) + 1)))
    return OrderFacts(facts, tuple((node, 7) for node in nodes))


def test_an_extra_course_is_shown_by_its_volume_else_its_first_volume_else_its_dose():
    # a bedside check of a course the protocol does not have: the order states what it states
    given = Given(weight_kg=Decimal(70), start=date(2027, 1, 4))
    only_a_day = check(partial_order(Fact(("week 12", 1), "volume_ml", Decimal(700))), given, complete=False)
    assert only_a_day.comparisons == (Comparison(
        "week 12 volume_ml", Decimal(700), None, "mL", "R7", False, "not in the protocol's plan", 7),)
    only_a_dose = check(partial_order(Fact(("week 12", 1), "dose_g", Decimal(70))), given, complete=False)
    assert only_a_dose.comparisons == (Comparison(
        "week 12 dose_g", Decimal(70), None, "g", "R7", False, "not in the protocol's plan", 7),)
    nothing = check(partial_order(Fact(("week 12", 1), "date", date(2027, 3, 29))), given, complete=False)
    assert nothing.comparisons == (Comparison(
        "week 12 volume_ml", None, None, "mL", "R7", False, "not in the protocol's plan", 7),)


def test_a_wrong_course_dose_under_the_cap_is_explained_by_the_plans_own_why():
    # 180 g is the cap itself, not over it: the note is how 140 g comes from 70 kg (R2)
    doc = document()
    doc["course_dose_g"] = 180
    doc["courses"][1]["dose_g"] = 150
    result = check(json_order(doc))
    assert found(result, "course_dose_g") == Comparison(
        "course_dose_g", Decimal(180), Decimal(140), "g", "R2", False, "each course: 2 g/kg × 70 kg = 140 g")
    assert found(result, "week 4 dose_g").note == "each course: 2 g/kg × 70 kg = 140 g"
    # over the cap, the cap is the note
    doc["course_dose_g"] = Decimal("180.1")
    assert found(check(json_order(doc)), "course_dose_g").note == "over the 180 g course cap"


def test_a_course_weighed_again_is_explained_by_its_own_course():
    # week 4 weighed 68 kg: 2 × 68 = 136 g; the baseline stays 140 g
    doc = document(course_weights=(("week 4", Decimal(68)),))
    doc["courses"][1]["dose_g"] = 137
    doc["courses"][0]["dose_g"] = 141
    result = check(json_order(doc), Given())
    assert found(result, "week 4 dose_g").note == "week 4: 2 g/kg × 68 kg = 136 g"
    assert found(result, "baseline dose_g").note == "baseline: 2 g/kg × 70 kg = 140 g"


def test_a_bag_whose_volume_is_not_its_dose_at_10_ml_per_g():
    # within 1 % a dose of 40 g and a volume of 403 mL each pass, but 403 mL is not 40 g at 10 mL/g
    doc = document()
    doc["courses"][0]["days"][0]["segments"][1]["volume_ml"] = 403
    result = check(json_order(doc), tolerance=parse_tolerance("1%", PROTOCOL.product.ml_per_g))
    assert found(result, "baseline day 1 home volume_ml = dose × 10 mL/g") == Comparison(
        "baseline day 1 home volume_ml = dose × 10 mL/g", Decimal(403), Decimal(400), "mL", "R5", False,
        "the order's own dose × 10 mL/g, exactly: no tolerance applies")
    assert found(result, "baseline day 1 home volume_ml").matches


def test_the_notes_of_days_settings_splits_and_volumes():
    doc = document("80.3")
    # 80.3 kg: 160.6 g over 3 days of 53.6, 53.5, 53.5 g; day 1 = 30 g hospital + 23.6 g home
    doc["courses"][0]["days"][1]["dose_g"] = Decimal("53.6")
    doc["courses"][0]["days"][0]["segments"][0]["volume_ml"] = 310
    doc["courses"][1]["days"][0]["segments"][0]["dose_g"] = 31
    doc["courses"][1]["days"][0]["segments"].insert(0, {"setting": "hospital", "dose_g": Decimal("22.6"),
                                                        "volume_ml": 226})
    result = check(json_order(doc), Given(weight_kg=Decimal("80.3")))
    assert found(result, "baseline day 2 dose_g").note == "days as equal as 0.1 g steps allow, larger days first"
    assert found(result, "baseline day 1 hospital volume_ml").note == "dose × 10 mL/g"
    assert found(result, "baseline day 1 hospital volume_ml").rule == "R5"
    # week 4 is given entirely at home (R6): 22.6 g of it in hospital is summed and named
    assert found(result, "week 4 hospital_dose_g") == Comparison(
        "week 4 hospital_dose_g", Decimal("22.6"), Decimal(0), "g", "R6", False,
        "summed from the order's lines; the first 30 g of a course given in hospital, the rest at home")
    assert found(result, "baseline days").matches
