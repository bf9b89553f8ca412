"""The double check as pure functions: round trips match, and every kind of wrong number is named.

Expected values come from the spec's worked cases, with the arithmetic beside them.
"""

from __future__ import annotations

import copy
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivig_dose.app.plan import setup
from ivig_dose.app.verify import planner, roundings
from ivig_dose.core.errors import InputError
from ivig_dose.core.model import Plan
from ivig_dose.core.order_facts import OrderFacts
from ivig_dose.core.tolerance import Tolerance
from ivig_dose.core.verification import Given, Verification, verify_order
from ivig_dose.parse.csv_table import CsvTable
from ivig_dose.parse.order_csv import read_csv_order
from ivig_dose.parse.order_json import order_from_document
from ivig_dose.parse.tolerance import parse_tolerance
from ivig_dose.render.plan_csv import render_csv
from ivig_dose.render.plan_json import plan_document
from tests.helpers import PROTOCOL, plan_for

PLANNER = planner(setup())  # the run `verify` makes: the protocol's catalogue product, so pumps and vials are compared
EXACT = Tolerance()


def check(order: OrderFacts, given: Given | None = None, tolerance: Tolerance = EXACT,
          complete: bool = True) -> Verification:
    return verify_order(order, given or Given(), PROTOCOL, PLANNER, tolerance, complete)


def json_order(document: dict) -> OrderFacts:
    return order_from_document(document, "order.json")


def csv_order(text: str) -> OrderFacts:
    return read_csv_order(CsvTable(io.StringIO(text), "order.csv"))


def doc_70() -> dict:
    return plan_document(plan_for("70"))


def discrepancy(result: Verification, field: str):
    found = [d for d in result.discrepancies if d.field == field]
    assert found, f"{field} not among {[d.field for d in result.discrepancies]}"
    return found[0]


# --- round trips -------------------------------------------------------------------------

plans = st.builds(
    lambda weight, days, arm, w4: (weight, days, arm, w4),
    st.decimals(min_value=Decimal("20"), max_value=Decimal("300"), places=2),
    st.sampled_from([None, 2, 3, 4, 5]),
    st.sampled_from(["ivig", "placebo"]),
    st.one_of(st.none(), st.decimals(min_value=Decimal("20"), max_value=Decimal("300"), places=1)),
)


def planned(case) -> Plan | None:
    weight, days, arm, w4 = case
    try:
        return plan_for(weight, days, arm, (("week4", w4),) if w4 is not None else ())
    except InputError:
        return None  # a day count the weight does not allow: nothing to round-trip


def as_json_order(plan: Plan, blinded: bool) -> OrderFacts:
    return json_order(plan_document(plan, blinded))


def as_csv_order(plan: Plan, blinded: bool) -> OrderFacts:
    return csv_order(render_csv(plan, blinded))


@pytest.mark.parametrize("as_order", [as_json_order, as_csv_order])
@given(case=plans, blinded=st.booleans())
def test_any_plan_as_an_order_file_verifies_as_a_match(as_order, case, blinded):
    plan = planned(case)
    if plan is not None:
        result = check(as_order(plan, blinded))
        assert result.matches, result.discrepancies


def test_a_4_day_order_is_accepted_and_said_to_use_4_days():
    # 2 × 80.3 = 160.6 g; the default is 3 days, but 4 days (40.2, 40.2, 40.1, 40.1 g) is allowed (R3).
    result = check(json_order(plan_document(plan_for("80.3", days=4))))
    assert result.matches
    assert any("--days 4" in note for note in result.notes)


def test_with_days_given_the_order_is_held_to_them():
    # --days 3 for 80.3 kg gives 53.6, 53.5, 53.5 g; an order of 4 days then has a day too many.
    result = check(json_order(plan_document(plan_for("80.3", days=4))), Given(days=3))
    assert discrepancy(result, "baseline days").expected == 3
    assert discrepancy(result, "baseline day 4 volume_ml").expected is None


def test_inputs_taken_from_the_order_are_reported_for_confirmation():
    result = check(json_order(doc_70()))
    sources = {i.name: i.source for i in result.inputs}
    assert sources["weight"].startswith("from the order")
    result = check(json_order(doc_70()), Given(weight_kg=Decimal("70")))
    assert {i.name: i.source for i in result.inputs}["weight"] == "given"


# --- one changed number: the check fails and names it ------------------------------------

def set_path(document: dict, path: tuple, value) -> dict:
    changed = copy.deepcopy(document)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


SEG = ("courses", 0, "days", 0, "segments")


@pytest.mark.parametrize(("path", "value", "field", "expected", "rule"), [
    # 70 kg: day 1 = 30 g hospital (300 mL) + 40 g home (400 mL); day 2 = 70 g (R6, R5).
    ((*SEG, 0, "dose_g"), 31, "baseline day 1 hospital dose_g", Decimal(30), "R6"),
    ((*SEG, 0, "volume_ml"), 310, "baseline day 1 hospital volume_ml", Decimal(300), "R5"),
    ((*SEG, 1, "dose_g"), 41, "baseline day 1 home dose_g", Decimal(40), "R6"),
    # each day 140 / 2 = 70 g (R4), 700 mL (R5)
    (("courses", 0, "days", 1, "dose_g"), 71, "baseline day 2 dose_g", Decimal(70), "R4"),
    (("courses", 0, "days", 1, "volume_ml"), 690, "baseline day 2 volume_ml", Decimal(700), "R5"),
    # day 2 of baseline is 2027-01-05; week 4 starts 28 days after 2027-01-04 (R7)
    (("courses", 0, "days", 1, "date"), "2027-01-06", "baseline day 2 date", "2027-01-05", "R7"),
    (("courses", 1, "start"), "2027-02-02", "week 4 start", "2027-02-01", "R7"),
    (("courses", 1, "week"), 5, "week 4 week", 4, "R7"),
    # course 2 × 70 = 140 g (R2), 1400 mL (R5); 3 courses = 420 g, 4200 mL
    (("courses", 1, "dose_g"), 150, "week 4 dose_g", Decimal(140), "R2"),
    (("courses", 2, "volume_ml"), 1300, "week 8 volume_ml", Decimal(1400), "R5"),
    (("total_dose_g",), 430, "total_dose_g", Decimal(420), "R2"),
    (("total_volume_ml",), 4300, "total_volume_ml", Decimal(4200), "R5"),
    (("course_dose_g",), 141, "course_dose_g", Decimal(140), "R2"),
    (("days_per_course",), 3, "days_per_course", 2, "R3"),
    (("product", "concentration_mg_per_ml"), 50, "concentration_mg_per_ml", Decimal(100), "R5"),
    (("product", "name"), "Octagam", "product", "Nanogam", "R5"),
])
def test_one_changed_value_is_named(path, value, field, expected, rule):
    result = check(json_order(set_path(doc_70(), path, value)), Given(weight_kg=Decimal(70)))
    assert not result.matches
    found = discrepancy(result, field)
    shown = found.expected.isoformat() if hasattr(found.expected, "isoformat") else found.expected
    assert (shown, found.rule) == (expected, rule)


def test_a_course_dose_over_the_cap_says_so():
    # 100 kg: 2 × 100 = 200 g, capped at 180 g (R2); an order of 200 g is over the cap.
    document = set_path(plan_document(plan_for("100")), ("course_dose_g",), 200)
    found = discrepancy(check(json_order(document)), "course_dose_g")
    assert (found.expected, found.rule) == (Decimal(180), "R2")
    assert "over the 180 g course cap" in found.note


def test_a_day_over_the_daily_cap_names_r3():
    # 100 kg: 180 g over 3 days of 60 g; a bag of 90 g on day 1 breaks the 80 g/day cap (R3).
    order = bedside("baseline", 1, None, dose="90")
    found = discrepancy(check(order, Given(weight_kg=Decimal(100)), complete=False), "baseline day 1 dose_g")
    assert (found.expected, found.rule, found.note) == (Decimal(60), "R3", "over the 80 g/day cap")


def test_a_moved_hospital_portion_is_named():
    # 70 kg day 1: 35 g in hospital and 35 g at home adds up to the right day, but the first
    # 30 g belong in hospital (R6): the hospital portion is 35 g instead of 30 g.
    document = set_path(doc_70(), (*SEG, 0, "dose_g"), 35)
    document = set_path(document, (*SEG, 1, "dose_g"), 35)
    result = check(json_order(document))
    found = discrepancy(result, "baseline hospital_dose_g")
    assert (found.ordered, found.expected, found.rule) == (Decimal(35), Decimal(30), "R6")


def test_a_missing_day_and_an_extra_bag_are_named():
    document = doc_70()
    del document["courses"][2]["days"][1]
    document["courses"][1]["days"][0]["segments"].insert(0, {"setting": "hospital", "dose_g": 5, "volume_ml": 50})
    result = check(json_order(document))
    missing = discrepancy(result, "week 8 day 2 volume_ml")
    assert (missing.ordered, missing.expected, missing.note) == (None, Decimal(700), "missing from the order")
    extra = discrepancy(result, "week 4 day 1 hospital volume_ml")
    assert (extra.ordered, extra.expected) == (Decimal(50), None)
    # weeks 4 and 8 are given entirely at home (R6)
    assert discrepancy(result, "week 4 hospital_dose_g").expected == Decimal(0)


def test_a_weight_other_than_the_patients_is_named():
    # the order was made for 70 kg; the patient weighs 72 kg: 2 × 72 = 144 g a course.
    result = check(json_order(doc_70()), Given(weight_kg=Decimal(72)))
    assert discrepancy(result, "weight_kg").expected == Decimal(72)
    assert discrepancy(result, "baseline dose_g").expected == Decimal(144)


def test_a_later_course_weight_is_used_and_checked():
    # week 4 weighed 68 kg: 2 × 68 = 136 g; the order's week 4 weight is 68 kg.
    document = plan_document(plan_for("70", course_weights=(("week4", Decimal(68)),)))
    assert check(json_order(document)).matches
    result = check(json_order(document), Given(course_weights=(("week4", Decimal(66)),)))
    assert discrepancy(result, "week 4 weight_kg").expected == Decimal(66)
    # 2 × 66 = 132 g
    assert discrepancy(result, "week 4 dose_g").expected == Decimal(132)


def test_an_arm_that_does_not_fit_the_doses_is_named():
    document = set_path(doc_70(), ("arm",), "placebo")
    result = check(json_order(document))
    assert discrepancy(result, "baseline dose_g").expected == Decimal(0)


def test_csv_names_the_row_of_the_changed_cell():
    lines = render_csv(plan_for("70")).splitlines()
    # row 3 of the file (line 1 is the header) is baseline day 1 home: 40 g, 400 mL
    cells = lines[2].split(",")
    assert cells[:6] == ["baseline", "0", "2027-01-04", "1", "home", "70"]
    cells[7] = "410"
    lines[2] = ",".join(cells)
    result = check(csv_order("\n".join(lines) + "\n"))
    found = discrepancy(result, "baseline day 1 home volume_ml")
    assert (found.row, found.expected) == (3, Decimal(400))
    # the sums the CSV implies are checked too: day 1 = 710 mL instead of 700 mL
    assert discrepancy(result, "baseline day 1 volume_ml").expected == Decimal(700)


@given(st.data())
def test_any_single_changed_amount_fails_and_is_named(data):
    document = doc_70()
    places = [(*SEG, 0, "dose_g"), (*SEG, 0, "volume_ml"), (*SEG, 1, "dose_g"), (*SEG, 1, "volume_ml")]
    places += [("courses", c, "days", d, key) for c in range(3) for d in range(2) for key in ("dose_g", "volume_ml")]
    places += [("courses", c, key) for c in range(3) for key in ("dose_g", "volume_ml", "weight_kg")]
    place = data.draw(st.sampled_from(places))
    target = document
    for key in place[:-1]:
        target = target[key]
    change = data.draw(st.sampled_from([Decimal("-1"), Decimal("0.1"), Decimal("5")]))
    changed = set_path(document, place, target[place[-1]] + change)
    result = check(json_order(changed), Given(weight_kg=Decimal(70)))
    assert not result.matches
    course = document["courses"][place[1]]["name"]
    # --weight 70 holds every course to 70 kg, so a changed later weight is named itself
    named = place[-1]
    assert any(d.field.startswith(course) and d.field.endswith(named) for d in result.discrepancies)


# --- bedside and tolerance ---------------------------------------------------------------

def bedside(course: str, day: int, setting: str | None, volume: str | None = None, dose: str | None = None):
    from ivig_dose.app.verify import bedside_order

    return bedside_order(course, day, setting, volume, dose, PROTOCOL)


def test_the_issue_example_bedside_bag():
    # 72 kg: 2 × 72 = 144 g over 2 days of 72 g; day 1 = 30 g hospital + 42 g home -> 420 mL home.
    result = check(bedside("baseline", 1, "home", volume="424"), Given(weight_kg=Decimal(72)), complete=False)
    found = discrepancy(result, "baseline day 1 home volume_ml")
    assert (found.ordered, found.expected, found.difference, found.rule) == (
        Decimal(424), Decimal(420), Decimal(4), "R5")
    assert check(bedside("week4", 2, None, volume="720", dose="72"), Given(weight_kg=Decimal(72)),
                 complete=False).matches


def test_a_bag_on_a_day_the_plan_does_not_have():
    # 70 kg: 2 days per course; there is no day 3, and week 4 has no hospital part.
    result = check(bedside("baseline", 3, None, volume="700"), Given(weight_kg=Decimal(70)), complete=False)
    assert discrepancy(result, "baseline day 3 volume_ml").expected is None
    result = check(bedside("week 4", 1, "hospital", volume="300"), Given(weight_kg=Decimal(70)), complete=False)
    assert discrepancy(result, "week 4 day 1 hospital volume_ml").note == "not in the protocol's plan"


@pytest.mark.parametrize(("text", "matches"), [
    # the bag is 424 mL where 420 mL is due: 4 mL = 0.95 % of 420 mL = 0.4 g at 10 mL/g
    ("0", False), ("1%", True), ("0.5%", False), ("5 mL", True), ("4mL", True), ("3 mL", False),
    ("0.5 g", True), ("0.3g", False), ("500 mg", True),
])
def test_tolerance(text, matches):
    tolerance = parse_tolerance(text, PROTOCOL.product.ml_per_g)
    result = check(bedside("baseline", 1, "home", volume="424"), Given(weight_kg=Decimal(72)), tolerance,
                   complete=False)
    assert result.matches is matches


@pytest.mark.parametrize("text", ["abc", "-1%", "100%", "5", "-2 g", "5 m", "1,500%", "10.1%", "1.1 g"])
def test_bad_tolerance_is_refused(text):
    with pytest.raises(InputError, match="tolerance"):
        parse_tolerance(text, PROTOCOL.product.ml_per_g)


@given(st.decimals(min_value=0, max_value=500, places=1), st.decimals(min_value=0, max_value=500, places=1),
       st.decimals(min_value=0, max_value=50, places=1))
def test_a_larger_tolerance_accepts_all_a_smaller_one_does(ordered, expected, percent):
    smaller, larger = Tolerance(percent=percent), Tolerance(percent=percent + 1)
    assert not smaller.allows("g", ordered, expected) or larger.allows("g", ordered, expected)
    # over and under by the same amount are judged alike
    assert smaller.allows("g", ordered, expected) is smaller.allows("g", 2 * expected - ordered, expected)
    assert EXACT.allows("g", ordered, expected) is (ordered == expected)


# --- plan options the order was made with --------------------------------------------------

def made_with(**options) -> dict:
    import ivig_dose

    return plan_document(ivig_dose.plan("72.35", "2027-01-04", **options))


def test_a_vial_rounded_order_is_accepted_as_plan_rounds_it():
    # 2 × 72.35 = 144.7 g: exact days 72.4 + 72.3 g; whole vials round each day (ties down).
    document = made_with(round_to="vials")
    assert [d["dose_g"] for d in document["courses"][0]["days"]] != [72.4, 72.3]
    result = check(json_order(document), Given(roundings=roundings(None, setup())))
    assert result.matches, result.discrepancies
    assert any("--round vials" in note for note in result.notes)
    # held to exact doses (--round none), the rounded days are discrepancies
    exact = check(json_order(document), Given(roundings=roundings("none", setup(round_to="none"))))
    assert discrepancy(exact, "baseline day 1 dose_g").expected == Decimal("72.4")


def test_an_adjusted_weight_order_needs_height_and_sex_to_match():
    # Devine: a 70 in (177.8 cm) man's ideal weight is 50 + 2.3 × 10 = 73 kg; adjusted for 100 kg
    # = 73 + 0.4 × (100 − 73) = 83.8 kg; course 2 × 83.8 = 167.6 g.
    import ivig_dose

    plan = ivig_dose.plan("100", "2027-01-04", height="177.8", sex="male", dosing_weight="adjusted")
    assert (plan.dosing_weight_kg, plan.course_dose_g) == (Decimal("83.8"), Decimal("167.6"))
    order = json_order(plan_document(plan))
    given = Given(height_cm=Decimal("177.8"), sex="male")
    assert check(order, given).matches
    # the prescriber chose the adjusted weight (the order says so); without height and sex it
    # cannot be recomputed, which is bad input, not a mismatch
    with pytest.raises(InputError, match="--dosing-weight adjusted, which needs facts an order does not hold"):
        check(order)
