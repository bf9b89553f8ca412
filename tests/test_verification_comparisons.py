"""What ``verify`` says about each discrepancy, whole: field, both values, unit, rule, note and row.

A pharmacist acts on the rule and the note ("over the 180 g course cap", "missing from the order"),
so each kind of discrepancy is checked as the whole record the table and the JSON show, for an order
of the spec's 70 kg case (2 × 70 = 140 g a course over 2 days of 70 g; day 1 = 30 g in hospital and
40 g at home; 10 mL/g) changed by hand.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import UTC, date
from decimal import Decimal
from pathlib import Path

import pytest

from ivig_dose.app.plan import setup
from ivig_dose.core.errors import InputError
from ivig_dose.core.order_facts import Fact, OrderFacts
from ivig_dose.core.tolerance import Tolerance
from ivig_dose.core.verification import Comparison, Verification
from ivig_dose.parse.order_json import order_from_document
from ivig_dose.parse.tolerance import parse_tolerance
from ivig_dose.render.plan_json import plan_document

from .helpers import PROTOCOL, Typed, order_for, verified
from .helpers import given as Given

DATA = Path(__file__).parent.parent / "src" / "ivig_dose" / "data"
EXACT = Tolerance()
W70 = Given(weight_kg=Decimal(70))


def check(order: OrderFacts, typed: Typed = W70, tolerance: Tolerance = EXACT, complete: bool = True) -> Verification:
    return verified(order, typed, tolerance=tolerance, complete=complete)


def document(weight: str = "70", **kwargs) -> dict:
    return copy.deepcopy(plan_document(order_for(weight, **kwargs)))


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
        "week 8 volume_ml", None, Decimal(1400), "mL", "R7", False, "missing from the order",
        absent_ordered="no course week 8 in the order", key="volume_ml", label="week 8 volume")
    assert found(result, "week 4 day 2 volume_ml") == Comparison(
        "week 4 day 2 volume_ml", None, Decimal(700), "mL", "R3", False, "missing from the order",
        absent_ordered="no day 2 in the order", key="volume_ml", label="week 4 day 2 volume")
    assert found(result, "baseline day 1 home volume_ml") == Comparison(
        "baseline day 1 home volume_ml", None, Decimal(400), "mL", "R6", False, "missing from the order",
        absent_ordered="no home bag that day in the order", key="volume_ml", label="baseline day 1 home volume")


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
        "week 12 volume_ml", Decimal(1400), None, "mL", "R7", False, "not in the protocol's plan",
        absent_expected="no course week 12 in the plan", key="volume_ml", label="week 12 volume")
    assert found(result, "week 4 day 3 volume_ml") == Comparison(
        "week 4 day 3 volume_ml", Decimal(100), None, "mL", "R3", False, "not in the protocol's plan",
        absent_expected="no day 3 in the plan", key="volume_ml", label="week 4 day 3 volume")
    assert found(result, "week 8 day 1 hospital volume_ml") == Comparison(
        "week 8 day 1 hospital volume_ml", Decimal(50), None, "mL", "R6", False, "not in the protocol's plan",
        absent_expected="no hospital bag that day in the plan", key="volume_ml",
        label="week 8 day 1 hospital volume")


def partial_order(*facts: Fact) -> OrderFacts:
    nodes = tuple(dict.fromkeys(f.node[:depth] for f in facts for depth in range(1, len(f.node) + 1)))
    return OrderFacts(facts, tuple((node, 7) for node in nodes))


def test_an_extra_course_is_shown_by_its_volume_else_its_first_volume_else_its_dose():
    # a bedside check of a course the protocol does not have: the order states what it states
    given = Given(weight_kg=Decimal(70), start=date(2027, 1, 4))
    only_a_day = check(partial_order(Fact(("week 12", 1), "volume_ml", Decimal(700))), given, complete=False)
    assert only_a_day.comparisons == (Comparison(
        "week 12 volume_ml", Decimal(700), None, "mL", "R7", False, "not in the protocol's plan", 7,
        absent_expected="no course week 12 in the plan", key="volume_ml", label="week 12 volume"),)
    only_a_dose = check(partial_order(Fact(("week 12", 1), "dose_g", Decimal(70))), given, complete=False)
    assert only_a_dose.comparisons == (Comparison(
        "week 12 dose_g", Decimal(70), None, "g", "R7", False, "not in the protocol's plan", 7,
        absent_expected="no course week 12 in the plan", key="dose_g", label="week 12 dose"),)
    nothing = check(partial_order(Fact(("week 12", 1), "date", date(2027, 3, 29))), given, complete=False)
    assert nothing.comparisons == (Comparison(
        "week 12 volume_ml", None, None, "mL", "R7", False, "not in the protocol's plan", 7,
        absent_expected="no course week 12 in the plan", key="volume_ml", label="week 12 volume"),)


def test_a_wrong_course_dose_under_the_cap_is_explained_by_the_plans_own_why():
    # 180 g is the cap itself, not over it: the note is how 140 g comes from 70 kg (R2)
    doc = document()
    doc["course_dose_g"] = 180
    doc["courses"][1]["dose_g"] = 150
    result = check(json_order(doc))
    assert found(result, "course_dose_g") == Comparison(
        "course_dose_g", Decimal(180), Decimal(140), "g", "R2", False, "each course: 2 g/kg × 70 kg = 140 g",
        key="course_dose_g", label="dose per course")
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
        "the order's own dose × 10 mL/g, exactly: no tolerance applies", key="volume_ml",
        label="baseline day 1 home volume = dose × 10 mL/g")
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
        "summed from the order's lines; the first 30 g of a course given in hospital, the rest at home",
        key="hospital_dose_g", label="week 4 hospital dose")
    assert found(result, "baseline days").matches


# --- the rule of every kind of fact, from the protocol's own rule names ------------------------------

def labelled(name: str, tmp_path: Path, change=lambda text: text) -> Path:
    """A built-in protocol whose every rule is named after its own table ([params.course_cap] -> rule
    "params.course_cap"), so that a comparison's rule shows which table it was read from."""
    section = ""
    lines = []
    text = change((DATA / "protocols" / f"{name}.toml").read_text(encoding="utf-8"))
    for line in text.splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        if line.startswith("rule = "):
            line = f'rule = "{section}"'
        lines.append(line)
    path = tmp_path / f"{name}-labelled.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def changed(value):
    """Another value of the same kind: an amount or count one more, a date a day later, other words."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | Decimal):
        return value + 1
    if isinstance(value, date):
        return date.fromordinal(value.toordinal() + 1)
    return f"{value} (changed)"


def every_fact_changed(protocol_path: Path, arm: str = "ivig", **inputs):
    """Each kind of fact of a plan's own order changed alone, with the comparison verify makes of it."""
    import ivig_dose
    from ivig_dose.core.order_facts import plan_facts
    from ivig_dose.core.verification import compare
    from ivig_dose.files.protocols import load_protocol

    plan = ivig_dose.plan("100", start="2027-01-04", protocol=str(protocol_path), arm=arm, **inputs)
    protocol = load_protocol(str(protocol_path))
    order = plan_facts(plan)
    kinds = {}
    for index, fact in enumerate(order.facts):
        kinds.setdefault((len(fact.node), fact.attr), index)
    for (level, attr), index in sorted(kinds.items()):
        fact = order.facts[index]
        facts = list(order.facts)
        facts[index] = replace(fact, value=changed(fact.value))
        found = [c for c in compare(plan, replace(order, facts=tuple(facts)), protocol, EXACT, complete=False)
                 if not c.matches]
        yield level, attr, found


TIM_RULES = {
    # the plan: R1's weight and basis, the product (R5), the arm (R8), the course dose (R2), the days (R3)
    (0, "weight_kg"): "params.min_weight", (0, "dosing_weight_kg"): "options.dosing_weight_basis",
    (0, "dosing_weight_basis"): "options.dosing_weight_basis",
    (0, "dosing_weight_override"): "options.dosing_weight_basis", (0, "arm"): "placebo",
    (0, "dosing_weight_override_basis"): "options.dosing_weight_basis",
    # the kg a weight typed in another unit stands for: the weight's own rule (R1, R9)
    (0, "weight_as_typed_kg"): "params.min_weight", (1, "weight_as_typed_kg"): "R9", (3, "weight_as_typed_kg"): "R9",
    (0, "product"): "product", (0, "concentration_mg_per_ml"): "product", (0, "course_dose_g"): "params.course_cap",
    (0, "days_per_course"): "params.daily_cap", (0, "total_dose_g"): "params.course_cap",
    (0, "total_volume_ml"): "product", (0, "protocol"): "protocol", (0, "protocol_version"): "protocol",
    # a course: when (R7), on which weight (R9), its dose (R2), volume (R5), days (R3), hospital part (R6)
    (1, "week"): "R7", (1, "start"): "R7", (1, "weight_kg"): "R9", (1, "dose_g"): "params.course_cap",
    (1, "dosing_weight_kg"): "options.dosing_weight_basis", (1, "dosing_weight_basis"): "options.dosing_weight_basis",
    (1, "volume_ml"): "product", (1, "days"): "params.daily_cap", (1, "hospital_dose_g"): "params.hospital_portion",
    (1, "hospital_volume_ml"): "params.hospital_portion",
    # a day: its date (R7), its share of the course (R4), its volume (R5)
    (2, "date"): "R7", (2, "dose_g"): "R4", (2, "volume_ml"): "product",
    # a bag, as a CSV row states it: its setting's dose (R6), and the course's date, week and weights
    (3, "date"): "R7", (3, "week"): "R7", (3, "weight_kg"): "R9", (3, "dose_g"): "params.hospital_portion",
    (3, "dosing_weight_kg"): "options.dosing_weight_basis", (3, "volume_ml"): "product", (3, "product"): "product",
    (3, "vials"): "vials",
}


SUMMED = "summed from the order's lines; "
# 100 kg, 5 ft 10 in, adjusted: 73 + 0.4 × 27 = 83.8 kg, 2 × 83.8 = 167.6 g a course (R1, R2)
TIM_NOTES = {
    (0, "course_dose_g"): "each course: 2 g/kg × 83.8 kg = 167.6 g",
    (1, "dose_g"): "each course: 2 g/kg × 83.8 kg = 167.6 g",
    (0, "protocol"): "the order was made with protocol timeismuscle (changed), this check with timeismuscle version "
                     "2026-11-25; check it with --protocol",
    (0, "protocol_version"): "the order was made with protocol version 2026-11-25 (changed), this check with "
                             "timeismuscle version 2026-11-25; check it with --protocol",
    (1, "days"): SUMMED + "2 to 5 days, each within 80 g/day",
    (1, "hospital_dose_g"): SUMMED + "the first 30 g of a course given in hospital, the rest at home",
    (1, "hospital_volume_ml"): SUMMED + "dose × 10 mL/g",
    (0, "total_volume_ml"): "dose × 10 mL/g", (1, "volume_ml"): "dose × 10 mL/g", (2, "volume_ml"): "dose × 10 mL/g",
    (3, "volume_ml"): "dose × 10 mL/g",
    (2, "dose_g"): "days as equal as 0.1 g steps allow, larger days first",
    (3, "vials"): "least waste, then fewest vials, of the catalogue's vial sizes",
    **{(level, "weight_as_typed_kg"): "the weight the order shows as typed, in kg: it must be the weight it is dosed on"
       for level in (0, 1, 3)},
}
PUMP_NOTE = ("the rate steps of catalogue entry 'nanogam' × the course's dosing weight, rounded down to 0.1 mL/h; an "
             "order made with --max-rate or --risk is checked with the same")


def test_every_kind_of_fact_names_its_rule_and_why(tmp_path):
    path = labelled("timeismuscle", tmp_path)
    seen = set()
    for level, attr, found in every_fact_changed(path, height="5 ft 10 in", sex="male", dosing_weight="adjusted"):
        pump = attr.startswith("pump")
        wanted = ("pump", PUMP_NOTE) if pump else (TIM_RULES[(level, attr)], TIM_NOTES.get((level, attr), ""))
        assert found and (found[0].rule, found[0].note) == wanted, (level, attr, found)
        seen.add((level, attr))
    assert seen >= set(TIM_RULES)


def test_a_placebo_orders_volumes_follow_the_ivig_plan(tmp_path):
    path = labelled("timeismuscle", tmp_path)
    rules = {(level, attr): found[0] for level, attr, found in every_fact_changed(path, arm="placebo") if found}
    for key in ((0, "total_volume_ml"), (1, "volume_ml"), (2, "volume_ml"), (3, "volume_ml")):
        assert rules[key].rule == "placebo", key
    assert rules[(3, "volume_ml")].note == "the IVIg plan's volume for the same weight"


def test_a_protocol_without_caps_or_hospital_portion_names_its_options(tmp_path):
    # octagam-dermatomyositis: no course or daily cap, no hospital portion, every course in hospital,
    # no placebo arm: the dose is dose_per_kg's, the days default_days', the settings rest_setting's
    path = labelled("octagam-dermatomyositis", tmp_path)
    rules = {(level, attr): found[0].rule for level, attr, found in every_fact_changed(path) if found}
    assert rules[(0, "course_dose_g")] == rules[(1, "dose_g")] == "params.dose_per_kg"
    assert rules[(0, "days_per_course")] == rules[(1, "days")] == "options.default_days"
    assert rules[(3, "dose_g")] == "options.rest_setting"
    assert rules[(0, "arm")] == "R8"
    notes = {(level, attr): found[0].note for level, attr, found in every_fact_changed(path) if found}
    # no daily cap: the day count's note names no cap
    assert notes[(1, "days")] == "summed from the order's lines; 2 to 5 days"


# --- what the check was given: each input with where it came from, and the notes -------------------

CONFIRM = "from the order: confirm it"


def test_inputs_read_from_the_order_are_to_be_confirmed():
    from ivig_dose.core.verification_request import Input

    result = check(json_order(document(course_weights=(("week 4", Decimal(68)),))), Given())
    assert result.inputs == (Input("weight", "70 kg", CONFIRM), Input("start", date(2027, 1, 4), CONFIRM),
                             Input("arm", "ivig", CONFIRM, "arm"), Input("week 4 weight", "68 kg", CONFIRM))
    assert (result.notes, result.options, result.matches) == ((), "", True)


def test_inputs_the_checker_gave_are_said_to_be_given():
    from ivig_dose.core.verification_request import Input

    given = Given(weight_kg=Decimal(72), start=date(2027, 1, 4), arm="ivig", height_cm=Decimal("177.8"), sex="male",
                  age_years=Decimal(45), dosing_weight="actual")
    assert check(json_order(document()), given).inputs == (
        Input("weight", "72 kg", "given"), Input("start", date(2027, 1, 4), "given"),
        Input("arm", "ivig", "given", "arm"),
        # --weight holds every later course to it
        Input("week 4 weight", "72 kg", "given: --weight"), Input("week 8 weight", "72 kg", "given: --weight"),
        Input("dosing weight", "actual", "given", "dosing_weight"), Input("height", "177.8 cm", "given"),
        Input("age", "45 years", "given"))
    # a course weight the checker gives is given, and --weight no longer speaks for that course
    named = check(json_order(document()), Given(weight_kg=Decimal(70), course_weights=(("week 4", Decimal(66)),)))
    assert [i for i in named.inputs if i.name.endswith("weight")] == [
        Input("weight", "70 kg", "given"), Input("week 4 weight", "66 kg", "given"),
        Input("week 8 weight", "70 kg", "given: --weight")]


def test_an_order_that_names_no_arm_is_checked_as_ivig_by_default():
    from ivig_dose.core.verification_request import Input

    doc = document()
    del doc["arm"]
    doc["product"] = {}
    assert check(json_order(doc), Given()).inputs[2] == Input("arm", "ivig", "default", "arm")


def test_an_adjusted_order_without_its_override_asks_for_height_and_sex():
    import ivig_dose
    from ivig_dose.render.plan_json import plan_document

    doc = plan_document(ivig_dose.plan("100", start="2027-01-04", height="5 ft 10 in", sex="male",
                                       dosing_weight="adjusted"))
    del doc["dosing_weight_override"]
    result = check(json_order(doc), Given())
    assert result.notes == ("the order doses on the adjusted weight: give --height and --sex (and --pregnant if so) "
                            "to check it",)
    assert not result.matches


def test_a_blinded_order_is_said_to_be_blinded_and_its_basis_confirmed():
    import ivig_dose
    from ivig_dose.core.verification_request import Input
    from ivig_dose.render.plan_json import plan_document

    plan = ivig_dose.plan("100", start="2027-01-04", height="5 ft 10 in", sex="male", dosing_weight="adjusted")
    result = check(json_order(plan_document(plan, True)), Given(height_cm=Decimal("177.8"), sex="male"))
    assert result.inputs == (Input("weight", "100 kg", CONFIRM), Input("start", date(2027, 1, 4), CONFIRM),
                             Input("dosing weight", "adjusted", CONFIRM, "dosing_weight"),
                             Input("height", "177.8 cm", "given"))
    assert result.notes == ("blinded order: doses and arm are not compared; volumes, days, dates and settings are "
                            "(they are the same in both arms)",)
    assert result.matches


def test_the_plan_options_an_order_was_made_with_are_named():
    from ivig_dose.app.verify import roundings

    # 80.3 kg over 4 days (allowed, R3) rather than the default 3
    four = json_order(document("80.3", days=4))
    assert check(four, Given()).notes == ("expected plan made with --days 4 (as the order has it)",)
    assert check(four, Given(days=4)).notes == ("expected plan made with --days 4",)
    # an order of whole vials is found among the ways plan rounds
    import ivig_dose
    from ivig_dose.render.plan_json import plan_document

    vials = json_order(plan_document(ivig_dose.plan("72.35", start="2027-01-04", round_to="vials")))
    result = check(vials, Given(roundings=roundings(None, setup())))
    assert (result.matches, result.options, result.notes) == (True, "--round vials",
                                                              ("expected plan made with --round vials",))


def test_course_names_are_read_as_the_protocol_spells_them():
    doc = document()
    doc["courses"][1]["name"] = "Week4"
    doc["courses"][2]["name"] = "WEEK 8"
    result = check(json_order(doc))
    assert result.matches
    fields = [c.field for c in result.comparisons]
    assert any(f.startswith("week 4 day 1") for f in fields) and any(f.startswith("week 8 day 2") for f in fields)
    assert not any("Week4" in f or "WEEK 8" in f for f in fields)


def test_an_order_without_weight_or_start_asks_for_it():
    doc = document()
    del doc["weight_kg"]
    for course in doc["courses"]:
        del course["weight_kg"]
    with pytest.raises(InputError) as raised:
        check(json_order(doc), Given())
    assert raised.value.message == "the order states no weight; give the patient's weight with --weight"
    # an order of one day's bag, with no date: complete, it needs a start; a bedside check does not
    bag = partial_order(Fact(("baseline", 1, "home"), "volume_ml", Decimal(400)))
    with pytest.raises(InputError) as raised:
        check(bag, W70)
    assert raised.value.message == "the order states no start date; give it with --start"
    assert check(bag, W70, complete=False).matches


# --- where the expected plan's inputs are read from, when the order is not what plan writes --------

def test_the_start_and_weight_are_the_first_courses_however_the_courses_are_listed():
    # week 4 weighed 68 kg, listed first; the order states no plan-level weight
    doc = document(course_weights=(("week 4", Decimal(68)),))
    del doc["weight_kg"]
    doc["courses"] = [doc["courses"][1], doc["courses"][0], doc["courses"][2]]
    result = check(json_order(doc), Given())
    assert [(i.name, i.value) for i in result.inputs[:2]] == [("weight", "70 kg"), ("start", date(2027, 1, 4))]
    assert result.matches


def test_the_plan_level_weight_comes_before_the_first_courses():
    doc = document()
    doc["weight_kg"] = 72
    result = check(json_order(doc), Given())
    assert result.inputs[0].value == "72 kg"
    # 2 × 72 = 144 g a course where the order has 140 g
    assert found(result, "baseline dose_g").expected == Decimal(144)


def test_a_course_whose_start_is_not_its_first_days_date():
    # the baseline course states 2027-01-04, its days 2027-01-05 and -06: the course's start is the start
    doc = document()
    for number, day in enumerate(doc["courses"][0]["days"]):
        day["date"] = f"2027-01-0{5 + number}"
    result = check(json_order(doc), Given())
    assert result.inputs[1].value == date(2027, 1, 4)
    assert found(result, "baseline day 1 date").expected == date(2027, 1, 4)


def test_an_order_with_every_course_renamed_is_read_as_the_protocol_spells_them():
    doc = document()
    for course, name in zip(doc["courses"], ("Baseline", "Week4", "WEEK 8"), strict=True):
        course["name"] = name
    assert check(json_order(doc)).matches


def test_a_renamed_course_without_days_is_still_that_course():
    doc = document()
    doc["courses"][1]["name"] = "Week4"
    doc["courses"][1]["days"] = []
    result = check(json_order(doc))
    assert found(result, "week 4 day 1 volume_ml").note == "missing from the order"
    assert not any(c.field.startswith("Week4") for c in result.comparisons)


def test_a_missing_or_extra_day_is_named_once_not_again_for_its_bags():
    doc = document()
    del doc["courses"][1]["days"][1]
    doc["courses"][2]["days"].append({"day": 3, "date": "2027-03-03", "dose_g": 10, "volume_ml": 100,
                                      "segments": [{"setting": "home", "dose_g": 10, "volume_ml": 100}]})
    fields = [c.field for c in check(json_order(doc)).discrepancies]
    assert "week 4 day 2 volume_ml" in fields and "week 4 day 2 home volume_ml" not in fields
    assert "week 8 day 3 volume_ml" in fields and "week 8 day 3 home volume_ml" not in fields


def test_an_extra_course_shows_its_own_volume_not_another_parts():
    doc = document()
    doc["courses"].append({"name": "week 12", "week": 12, "start": "2027-03-29", "dose_g": 140, "volume_ml": 1400,
                           "days": [{"day": d, "date": f"2027-03-{28 + d}", "dose_g": 70, "volume_ml": 700,
                                     "segments": [{"setting": "home", "dose_g": 70, "volume_ml": 700}]}
                                    for d in (1, 2)]})
    assert found(check(json_order(doc)), "week 12 volume_ml").ordered == Decimal(1400)
    # a bedside check: the order's first volume or dose below the extra course, not the baseline's
    given = Given(weight_kg=Decimal(70), start=date(2027, 1, 4))
    bags = partial_order(Fact(("baseline", 1, "home"), "volume_ml", Decimal(400)),
                         Fact(("baseline", 1, "home"), "dose_g", Decimal(40)),
                         Fact(("week 12", 1), "volume_ml", Decimal(700)))
    assert found(check(bags, given, complete=False), "week 12 volume_ml").ordered == Decimal(700)
    doses = partial_order(Fact(("baseline", 1, "home"), "dose_g", Decimal(40)), Fact(("week 12", 1), "dose_g",
                                                                                      Decimal(70)))
    assert found(check(doses, given, complete=False), "week 12 dose_g").ordered == Decimal(70)


def test_a_matching_value_carries_no_note():
    result = check(json_order(document()))
    assert {c.note for c in result.comparisons} == {"", "summed from the order's lines"}


def test_a_course_dose_of_a_course_weighed_again_is_explained_by_the_first_course():
    doc = document(course_weights=(("week 4", Decimal(68)),))
    doc["course_dose_g"] = 141
    assert found(check(json_order(doc), Given()), "course_dose_g").note == "baseline: 2 g/kg × 70 kg = 140 g"


def test_the_order_s_own_day_count_is_tried_only_when_every_course_agrees():
    # 80.3 kg over 4 days, but the order's days_per_course says 3: no one count to try, so the default 3 days
    doc = document("80.3", days=4)
    doc["days_per_course"] = 3
    result = check(json_order(doc), Given())
    assert (result.options, result.notes) == ("", ())
    assert not result.matches


def test_the_order_s_own_day_count_may_be_the_protocols_minimum(tmp_path):
    # a protocol whose default is 3 days of 1 to 3: an order of 1 day is one it allows

    from .protocol_text import replaced

    path = tmp_path / "three.toml"
    path.write_text(replaced('[options.default_days]\nvalue = "smallest"', '[options.default_days]\nvalue = "3"'),
                    encoding="utf-8")
    import ivig_dose
    from ivig_dose.render.plan_json import plan_document

    order = json_order(plan_document(ivig_dose.plan("70", start="2027-01-04", protocol=str(path), days=1)))
    result = verified(order, Given(), setup(str(path)))
    assert (result.matches, result.options) == (True, "--days 1 (as the order has it)")


def test_both_a_day_count_and_a_rounding_are_named_when_both_were_needed():
    import ivig_dose
    from ivig_dose.app.verify import roundings
    from ivig_dose.render.plan_json import plan_document

    order = json_order(plan_document(ivig_dose.plan("80.3", start="2027-01-04", days=4, round_to="vials")))
    result = check(order, Given(roundings=roundings(None, setup())))
    assert (result.matches, result.options) == (True, "--days 4 (as the order has it) --round vials")


def test_pregnancy_and_risks_given_by_the_checker_are_planned_with():
    import ivig_dose
    from ivig_dose.render.plan_json import plan_document

    pregnant = plan_document(ivig_dose.plan("100", start="2027-01-04", height="5 ft 10 in", sex="female",
                                            dosing_weight="adjusted", pregnant=True))
    assert check(json_order(pregnant), Given(height_cm=Decimal("177.8"), sex="female", pregnant=True)).matches
    run = setup(product="octagam-10")
    at_risk = plan_document(ivig_dose.plan("70", start="2027-01-04", product="octagam-10", risk=["thrombosis"]))
    checked = verified(json_order(at_risk), Given(risks=("thrombosis",)), run)
    assert checked.matches
    # without the risk, the pump is not held to 1.8 mL/kg/h and the check says so
    assert not verified(json_order(at_risk), Given(), run).matches


def test_a_whole_order_is_checked_whole_unless_said_otherwise():
    doc = document()
    del doc["courses"][2]
    result = verified(json_order(doc), W70)
    assert found(result, "week 8 volume_ml").note == "missing from the order"


def test_a_pump_in_an_order_for_a_protocol_without_a_product_is_not_in_its_plan(tmp_path):

    from .protocol_text import MINIMAL

    path = tmp_path / "bare.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    order = partial_order(Fact(("baseline", 1), "volume_ml", Decimal(700)), Fact(("baseline", 1), "pump_steps", 3))
    result = verified(order, Given(weight_kg=Decimal(70), start=date(2027, 1, 4)), setup(str(path)), complete=False)
    assert found(result, "baseline day 1 pump_steps").note == (
        "the rate steps × the course's dosing weight, rounded down to 0.1 mL/h; an order made with --max-rate or "
        "--risk is checked with the same")


def test_tolerances_to_the_edge():
    # 1 % of 400 mL is 4 mL: 404 mL passes, 404.1 mL does not
    one_percent = Tolerance(percent=Decimal(1))
    assert one_percent.allows("mL", Decimal(404), Decimal(400))
    assert not one_percent.allows("mL", Decimal("404.1"), Decimal(400))
    # 50 mL on a 400 mL bag is held to a tenth of it, 40 mL: 440 passes, 440.1 does not
    fifty = Tolerance(millilitres=Decimal(50))
    assert fifty.allows("mL", Decimal(440), Decimal(400))
    assert not fifty.allows("mL", Decimal("440.1"), Decimal(400))


def test_an_extra_course_without_its_own_volume_is_shown_by_the_sum_of_its_days():
    doc = document()
    doc["courses"].append({"name": "week 12", "week": 12, "start": "2027-03-29",
                           "days": [{"day": d, "date": f"2027-03-{28 + d}",
                                     "segments": [{"setting": "home", "dose_g": 70, "volume_ml": 700}]}
                                    for d in (1, 2)]})
    extra = found(check(json_order(doc)), "week 12 volume_ml")
    assert (extra.ordered, extra.note) == (Decimal(1400), "not in the protocol's plan")


def test_pregnancy_keeps_the_actual_weight_whatever_basis_the_checker_gives():
    import ivig_dose
    from ivig_dose.render.plan_json import plan_document

    order = json_order(plan_document(ivig_dose.plan("100", start="2027-01-04", height="5 ft 10 in", sex="female",
                                                    dosing_weight="adjusted", pregnant=True)))
    given = Given(height_cm=Decimal("177.8"), sex="female", dosing_weight="adjusted", pregnant=True)
    assert check(order, given).matches
    # not pregnant, the adjusted weight is planned: 45.5 + 2.3 × 10 = 68.5 kg ideal, 68.5 + 0.4 × 31.5 = 81.1 kg
    assert not check(order, Given(height_cm=Decimal("177.8"), sex="female", dosing_weight="adjusted")).matches


def test_a_rounding_the_plan_cannot_make_is_skipped_for_the_next_way_the_order_may_have_been_made(tmp_path):
    # a site's product of 100 g vials only: 70 kg's days of 70 g cannot be rounded to whole vials (100 g is
    # more than 70 g + 10 %), so that way is refused; the order was made over 3 days, which the next way finds
    import ivig_dose
    from ivig_dose.app.verify import roundings
    from ivig_dose.render.plan_json import plan_document

    site = tmp_path / "site.toml"
    site.write_text('[products.big]\nname = "Big"\nconcentration = "100 mg/mL"\npresentations = ["100 g"]\n'
                    'rate_steps = ["1 mL/kg/h"]\nstep_minutes = 30\nsource = "t"\nverified = true\n', encoding="utf-8")
    order = json_order(plan_document(ivig_dose.plan("70", start="2027-01-04", products=str(site), product="big",
                                                    days=3)))
    run = setup(products=str(site), product="big")
    result = verified(order, Given(roundings=roundings(None, run)), run)
    assert (result.matches, result.options) == (True, "--days 3 (as the order has it)")


def test_every_fact_an_order_file_states_has_a_rule():
    import io
    from datetime import datetime

    import ivig_dose
    from ivig_dose.parse.csv_table import CsvTable
    from ivig_dose.parse.order_csv import read_csv_order
    from ivig_dose.parse.order_fhir import order_from_bundle
    from ivig_dose.render.plan_csv import render_csv
    from ivig_dose.render.plan_fhir import plan_bundle
    from ivig_dose.render.plan_json import plan_document

    AUTHORED = datetime(2027, 1, 2, tzinfo=UTC)

    plan = ivig_dose.plan("100", start="2027-01-04", course_weights={"week4": "95"})
    orders = (json_order(plan_document(plan)).facts,
              read_csv_order(CsvTable(io.StringIO(render_csv(plan)), "o.csv")).facts,
              order_from_bundle(json.loads(json.dumps(plan_bundle(plan, False, "P1", AUTHORED), default=str)),
                                "b").facts)
    for facts in orders:
        attrs = {(len(f.node), f.attr) for f in facts}
        # each is in the rule table, or a pump fact, whose rule is "pump" whatever its level
        assert attrs - set(TIM_RULES) == {(3, a) for _, a in attrs if a.startswith("pump")}
