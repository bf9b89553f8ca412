"""Dosing weight (R1): Devine ideal weight, adjusted weight, and the guards that keep doses from growing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivig_dose.core.dosing import build_plan
from ivig_dose.core.dosing_weight import ADJUSTED, IDEAL, Body, dosing_weight
from ivig_dose.core.errors import InputError
from ivig_dose.core.model import PlanRequest
from ivig_dose.files.protocols import load_protocol, parse_protocol
from ivig_dose.parse.height import parse_height
from ivig_dose.render.plan_json import plan_document
from tests.helpers import START, g
from tests.protocol_text import replaced, with_extra

TIM = load_protocol("timeismuscle")
FORMULA = TIM.weight_rules.formula
POLICY = TIM.weight_policy  # basis actual, factor 0.4
INCH = Decimal("2.54")


def cm(inches: str) -> Decimal:
    return Decimal(inches) * INCH


def tim_plan(weight, **kwargs):
    return build_plan(PlanRequest(weight_kg=Decimal(weight), start=START, **kwargs), TIM)


def adjusted_protocol(extra: str = ""):
    """A protocol that doses on the adjusted weight from a BMI of 30, with caps like TIMEISMUSCLE's."""
    basis = "[options.dosing_weight_basis]\nvalue = "
    text = replaced(basis + '"actual"', basis + '"adjusted"')
    return parse_protocol(with_extra(
        '[params.bmi_threshold]\nvalue = "30"\nunit = "kg/m2"\nrule = "R1"\nsource = "t"\n' + extra, text), "t")


# --- published examples ---------------------------------------------------------------------------

def test_ideal_weight_of_a_70_inch_man_is_73_kg():
    # 50 + 2.3 × (70 − 60) = 50 + 23 = 73 kg
    assert FORMULA.ideal_kg(cm("70"), "male") == g("73")


def test_ideal_weight_of_a_65_inch_woman_is_57_kg():
    # 45.5 + 2.3 × (65 − 60) = 45.5 + 11.5 = 57 kg
    assert FORMULA.ideal_kg(cm("65"), "female") == g("57")


@pytest.mark.parametrize("inches", ["60", "59.9", "48"])
def test_no_ideal_weight_at_or_below_60_inches(inches):
    assert FORMULA.ideal_kg(cm(inches), "male") is None


def test_just_over_60_inches_has_an_ideal_weight():
    # 152.5 cm = 60.039... in; 50 + 2.3 × 0.039... ≈ 50.09 kg
    ideal = FORMULA.ideal_kg(Decimal("152.5"), "male")
    assert ideal is not None and g("50.09") < ideal < g("50.10")


@pytest.mark.parametrize(("text", "expected_cm"), [
    ("70 in", "177.8"), ("5 ft 10 in", "177.8"), ("5'10\"", "177.8"), ("1.778 m", "177.8"),
    ("177.8", "177.8"), ("177.8 cm", "177.8"), ("6 ft", "182.88"),
])
def test_heights_in_any_unit_are_exact(text, expected_cm):
    # 70 in × 2.54 = 177.8 cm; 6 ft = 72 in × 2.54 = 182.88 cm
    assert parse_height(text) == Decimal(expected_cm)


@pytest.mark.parametrize("text", ["70 kg", "5 ft 12 in", "-170", "tall"])
def test_bad_heights_are_input_errors(text):
    with pytest.raises(InputError, match="height"):
        parse_height(text)


# --- the basis and its guards ---------------------------------------------------------------------

def test_adjusted_weight_of_a_100_kg_70_inch_man():
    # ideal 73 kg; adjusted = 73 + 0.4 × (100 − 73) = 73 + 10.8 = 83.8 kg;
    # TIMEISMUSCLE: 2 × 83.8 = 167.6 g; 167.6 / 80 -> 3 days; 1676 tenths = 558 × 3 + 2 -> 55.9, 55.9, 55.8 g
    p = tim_plan("100", height_cm=cm("70"), sex="male", dosing_weight=ADJUSTED)
    assert p.dosing_weight_kg == g("83.8")
    assert p.dosing_weight_basis == ADJUSTED
    assert p.course_dose_g == g("167.6")
    assert [d.dose_g for d in p.courses[0].days] == [g("55.9"), g("55.9"), g("55.8")]
    assert p.courses[0].weight_kg == g("100")


def test_ideal_weight_dosing():
    # 65-in woman of 80 kg on her ideal 57 kg: 2 × 57 = 114 g over 2 days of 57 g.
    p = tim_plan("80", height_cm=cm("65"), sex="female", dosing_weight=IDEAL)
    assert p.course_dose_g == g("114")
    assert p.dosing_weight_basis == IDEAL


def test_175_cm_100_kg_man_adjusted():
    # 175 / 2.54 = 68.897637... in; ideal = 50 + 2.3 × 8.897637... = 70.464566... kg;
    # adjusted = 70.464566... + 0.4 × 29.535433... = 82.278740... kg; 2 × that = 164.557... -> 164.5 g
    # (calculators that round the weights first get 164.4 g; we never round a weight up or down before dosing).
    p = tim_plan("100", height_cm=Decimal("175"), sex="male", dosing_weight=ADJUSTED)
    assert g("82.2787") < p.dosing_weight_kg < g("82.2788")
    assert p.course_dose_g == g("164.5")


def test_never_above_actual_weight():
    # a 70-in man of 60 kg: ideal 73 kg is above 60 kg -> actual 60 kg; 2 × 60 = 120 g.
    p = tim_plan("60", height_cm=cm("70"), sex="male", dosing_weight=IDEAL)
    assert p.dosing_weight_kg == g("60")
    assert p.dosing_weight_basis == "actual"
    assert p.course_dose_g == g("120")
    assert any("never above the actual weight" in r.text for r in p.reasons if r.rule == "R1")


def test_short_patient_keeps_actual_weight():
    p = tim_plan("90", height_cm=Decimal("150"), sex="female", dosing_weight=ADJUSTED)
    assert (p.dosing_weight_kg, p.dosing_weight_basis) == (g("90"), "actual")
    assert any("at or below 60 in" in r.text for r in p.reasons)


def test_pregnancy_keeps_actual_weight():
    p = tim_plan("90", height_cm=cm("65"), sex="female", pregnant=True, dosing_weight=ADJUSTED)
    assert (p.dosing_weight_kg, p.dosing_weight_basis) == (g("90"), "actual")
    assert any("pregnant" in r.text for r in p.reasons)


def test_ideal_or_adjusted_without_height_is_an_input_error():
    with pytest.raises(InputError, match="needs the height and sex; accepted: --height"):
        tim_plan("90", dosing_weight=ADJUSTED)
    with pytest.raises(InputError, match="needs the height and sex"):
        tim_plan("90", height_cm=cm("65"), dosing_weight=ADJUSTED)


def test_implausible_height_and_contradictions_are_refused():
    with pytest.raises(InputError, match=r"height 70 cm is outside the plausible adult range; accepted: 100 to 250"):
        tim_plan("90", height_cm=Decimal("70"), sex="male")
    with pytest.raises(InputError, match="--pregnant contradicts --sex male"):
        tim_plan("90", height_cm=cm("70"), sex="male", pregnant=True)


def test_timeismuscle_default_is_actual_even_with_height():
    p = tim_plan("100", height_cm=cm("70"), sex="male")
    assert (p.dosing_weight_kg, p.dosing_weight_basis, p.dosing_weight_override) == (g("100"), "actual", False)
    assert p.course_dose_g == g("180")


def test_protocol_default_applies_from_its_bmi_threshold():
    protocol = adjusted_protocol()
    height = cm("70")  # 1.778 m; 1.778² = 3.161284 m²

    def dosed(weight, **kwargs):
        return build_plan(PlanRequest(weight_kg=Decimal(weight), start=START, height_cm=height, sex="male",
                                      **kwargs), protocol)

    # 90 kg / 3.161284 = 28.47 < 30 -> actual 90 kg
    assert (dosed("90").dosing_weight_kg, dosed("90").dosing_weight_basis) == (g("90"), "actual")
    # 100 kg / 3.161284 = 31.63 ≥ 30 -> adjusted 83.8 kg; MINIMAL doses 1 g/kg: 83.8 g
    assert dosed("100").dosing_weight_kg == g("83.8")
    assert dosed("100").course_dose_g == g("83.8")
    # an explicit --dosing-weight is applied whatever the BMI: 73 + 0.4 × 17 = 79.8 kg
    assert dosed("90", dosing_weight=ADJUSTED).dosing_weight_kg == g("79.8")


def test_protocol_factor_is_used():
    # factor 0.5: 73 + 0.5 × (100 − 73) = 86.5 kg
    protocol = adjusted_protocol('[params.adjusted_weight_factor]\nvalue = "0.5"\nunit = "fraction"\n'
                                 'rule = "R1"\nsource = "t"\n')
    p = build_plan(PlanRequest(weight_kg=g("100"), start=START, height_cm=cm("70"), sex="male"), protocol)
    assert p.dosing_weight_kg == g("86.5")


def test_override_is_said_in_the_reasons_and_json():
    p = tim_plan("100", height_cm=cm("70"), sex="male", dosing_weight=ADJUSTED)
    assert p.dosing_weight_override
    assert any("overriding the protocol's actual" in r.text for r in p.reasons if r.rule == "R1")
    doc = plan_document(p)
    assert (doc["dosing_weight_kg"], doc["dosing_weight_basis"], doc["dosing_weight_override"]) == (
        83.8, "adjusted", True)
    assert [c["dosing_weight_kg"] for c in doc["courses"]] == [83.8, 83.8, 83.8]


def test_course_weights_get_their_own_dosing_weight():
    # week 4 weighed 90 kg: adjusted 73 + 0.4 × 17 = 79.8 kg -> 159.6 g; baseline 83.8 kg -> 167.6 g.
    p = tim_plan("100", height_cm=cm("70"), sex="male", dosing_weight=ADJUSTED,
                 course_weights=(("week 4", g("90")),))
    assert [c.dosed_on_kg for c in p.courses] == [g("83.8"), g("79.8"), g("83.8")]
    assert [c.dose_g for c in p.courses] == [g("167.6"), g("159.6"), g("167.6")]
    doc = plan_document(p)
    assert [c["dosing_weight_kg"] for c in doc["courses"]] == [83.8, 79.8, 83.8]
    assert [c["weight_kg"] for c in doc["courses"]] == [100, 90, 100]


def test_default_json_reports_actual_basis():
    doc = plan_document(tim_plan("70"))
    assert (doc["dosing_weight_kg"], doc["dosing_weight_basis"], doc["dosing_weight_override"]) == (70, "actual", False)


# --- properties -----------------------------------------------------------------------------------

weights = st.decimals(min_value=20, max_value=300, places=2)
heights = st.decimals(min_value=100, max_value=250, places=1)
sexes = st.sampled_from(["female", "male"])
bases = st.sampled_from(["actual", "ideal", "adjusted"])


@given(weights, heights, sexes, bases, st.booleans())
def test_dosing_weight_never_above_actual(weight, height, sex, basis, pregnant):
    result = dosing_weight(weight, Body(height, sex, pregnant), POLICY, basis)
    assert result.kg <= weight
    if pregnant or basis == "actual" or height <= cm("60"):
        assert result.kg == weight


@given(st.decimals(min_value="152.5", max_value=250, places=1), sexes,
       st.decimals(min_value="0.01", max_value=200, places=2))
def test_adjusted_lies_between_ideal_and_actual(height, sex, excess):
    ideal = FORMULA.ideal_kg(height, sex)
    assert ideal is not None
    weight = ideal + excess
    adjusted = dosing_weight(weight, Body(height, sex), POLICY, ADJUSTED).kg
    assert ideal <= adjusted <= weight
    # within rounding of the exact 0.6 × ideal + 0.4 × actual
    assert abs(adjusted - (ideal + Decimal("0.4") * (weight - ideal))) < Decimal("1e-20")


@given(weights, weights, heights, sexes, bases)
def test_heavier_never_gets_a_smaller_dosing_weight(a, b, height, sex, basis):
    low, high = sorted((a, b))
    body = Body(height, sex)
    assert dosing_weight(low, body, POLICY, basis).kg <= dosing_weight(high, body, POLICY, basis).kg


@given(weights, heights, sexes, bases)
def test_dose_never_above_dose_per_kg_times_dosing_weight(weight, height, sex, basis):
    p = tim_plan(weight, height_cm=height, sex=sex, dosing_weight=basis)
    for course in p.courses:
        assert course.dose_g <= 2 * course.dosed_on_kg
        assert course.dosed_on_kg <= course.weight_kg


# --- the R1 line, word for word: the basis, who chose it, and the arithmetic ----------------------

def r1(plan) -> list[str]:
    return [r.text for r in plan.reasons if r.rule == "R1"]


def test_the_r1_line_says_why_the_actual_weight_was_kept():
    # 150 cm is under 60 in = 152.4 cm (60 × 2.54): Devine says nothing there
    assert r1(tim_plan("90", height_cm=Decimal("150"), sex="female", dosing_weight=ADJUSTED)) == [
        "dosing weight: height 150 cm is at or below 60 in (152.4 cm), where the ideal-weight formula does not "
        "apply: actual body weight 90 kg (--dosing-weight adjusted, overriding the protocol's actual)"]
    # a 70-in man: ideal 50 + 2.3 × 10 = 73 kg, above his 60 kg
    assert r1(tim_plan("60", height_cm=cm("70"), sex="male", dosing_weight=IDEAL)) == [
        "dosing weight: the ideal weight, 73 kg, is not below the actual weight; the dosing weight is never above "
        "the actual weight: actual body weight 60 kg (--dosing-weight ideal, overriding the protocol's actual)"]
    assert r1(tim_plan("90", height_cm=cm("70"), sex="male", dosing_weight="actual")) == [
        "dosing weight: actual body weight 90 kg (--dosing-weight actual, as the protocol's default)"]


def test_under_18_the_actual_weight_is_used_and_the_source_quoted():
    source = TIM.weight_rules.params["adult_age"].source
    assert r1(tim_plan("90", height_cm=cm("70"), sex="male", dosing_weight=ADJUSTED, age_years=Decimal(17))) == [
        f"dosing weight: age 17 years is under 18: actual body weight 90 kg, not the adjusted weight; source: "
        f"{source} (--dosing-weight adjusted, overriding the protocol's actual)"]
    # 18 is not under 18: 73 + 0.4 × (90 − 73) = 79.8 kg
    assert tim_plan("90", height_cm=cm("70"), sex="male", dosing_weight=ADJUSTED,
                    age_years=Decimal(18)).dosing_weight_kg == g("79.8")


def test_the_bmi_threshold_line_and_the_ideal_arithmetic_of_a_height_in_cm():
    protocol = adjusted_protocol()

    def plan(weight, height, sex, **kwargs):
        return build_plan(PlanRequest(weight_kg=Decimal(weight), start=START, height_cm=height, sex=sex, **kwargs),
                          protocol)

    # 90 kg over 1.778² = 3.161284 m² is a BMI of 28.47, shown as ≈28.5
    assert r1(plan("90", cm("70"), "male")) == [
        "dosing weight: BMI ≈28.5 kg/m² is below the 30 kg/m² at which the protocol uses the adjusted weight: actual "
        "body weight 90 kg (the protocol's default)"]
    # 178 cm = 70.0787... in (≈70.08); 45.5 + 2.3 × 10.0787... = 68.681... kg (≈68.68)
    assert r1(plan("100", Decimal(178), "female", dosing_weight=IDEAL)) == [
        "dosing weight: ideal body weight ≈68.68 kg: ideal (Devine, female, ≈70.08 in) = 45.5 + 2.3 × ≈10.08 = "
        "≈68.68 kg (--dosing-weight ideal, overriding the protocol's adjusted)"]


def test_bmi_and_the_base_height():
    from ivig_dose.core.dosing_weight import bmi

    # 100 kg / (2 m)² = 25; 72 kg / 1.8² = 22.2...
    assert bmi(Decimal(100), Decimal(200)) == 25
    assert bmi(Decimal(81), Decimal(180)) == 25
    # 60 in × 2.54 cm
    assert FORMULA.base_height_cm() == Decimal("152.4")


def test_an_unknown_basis_is_refused():
    with pytest.raises(InputError) as raised:
        dosing_weight(Decimal(90), Body(), POLICY, "lean")
    assert raised.value.message == "dosing weight 'lean' is not known; accepted: actual, ideal, adjusted"


def test_an_ideal_weight_from_a_height_in_cm_is_shown_to_two_places():
    # 170 cm = 66.929... in; ideal 50 + 2.3 × 6.929... = 65.937 kg (≈65.94); adjusted 65.937 + 0.4 × 34.062
    # = 79.562 kg (≈79.56); 2 × 79.562 = 159.12 g, rounded down to 159.1 g
    plan = tim_plan("100", height_cm=Decimal(170), sex="male", dosing_weight=ADJUSTED)
    assert r1(plan) == [
        "dosing weight: adjusted body weight ≈79.56 kg: ideal (Devine, male, ≈66.93 in) = 50 + 2.3 × ≈6.93 = "
        "≈65.94 kg; adjusted = ≈65.94 + 0.4 × (100 − ≈65.94) = ≈79.56 kg (--dosing-weight adjusted, overriding "
        "the protocol's actual)"]
    assert plan.course_dose_g == g("159.1")
    assert r1(tim_plan("60", height_cm=Decimal(170), sex="male", dosing_weight=IDEAL)) == [
        "dosing weight: the ideal weight, ≈65.94 kg, is not below the actual weight; the dosing weight is never above "
        "the actual weight: actual body weight 60 kg (--dosing-weight ideal, overriding the protocol's actual)"]


def test_an_ideal_weight_equal_to_the_actual_one_keeps_the_actual():
    # a 70-in man: ideal 73 kg; weighing 73 kg, the ideal is not below it
    plan = tim_plan("73", height_cm=cm("70"), sex="male", dosing_weight=IDEAL)
    assert (plan.dosing_weight_kg, plan.dosing_weight_basis) == (g("73"), "actual")


def test_a_bmi_exactly_at_the_threshold_takes_the_protocols_basis():
    # 2 m tall: 120 kg is a BMI of 120 / 4 = 30, the threshold itself: the adjusted weight applies
    # (Devine, male, 200 cm = 78.74 in: 50 + 2.3 × 18.74 = 93.1 kg; 93.1 + 0.4 × 26.9 = 103.86 kg)
    protocol = adjusted_protocol()
    plan = build_plan(PlanRequest(weight_kg=g("120"), start=START, height_cm=Decimal(200), sex="male"), protocol)
    assert plan.dosing_weight_basis == "adjusted"
    below = build_plan(PlanRequest(weight_kg=g("119.9"), start=START, height_cm=Decimal(200), sex="male"), protocol)
    assert below.dosing_weight_basis == "actual"
