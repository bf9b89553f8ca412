"""The R1 line and the dosing-weight refusal, word for word, where a number has more than two places.

A pharmacist checks the dosing weight against the line that explains it, so every number in it
must be readable: a height, age, weight or protocol number with more than two decimal places is
written to two places and marked ``≈`` (the exact value is the one computed with), never as the
long decimal it came from. These tests call the core (``dosing_weight``, ``build_plan``) in the
process, so that a change to the text is caught by the core's own tests (the mutation run's
mutants of ``core/dosing_weight.py``). Expected texts are the sentences a user reads, with the arithmetic
beside them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ivig_dose.core.dosing import build_plan
from ivig_dose.core.dosing_weight import (
    ADJUSTED,
    IDEAL,
    Body,
    DosingWeight,
    IdealWeightFormula,
    WeightPolicy,
    dosing_weight,
)
from ivig_dose.core.errors import InputError
from ivig_dose.core.model import Plan, PlanRequest
from ivig_dose.core.protocol import Param, Protocol
from ivig_dose.files.protocols import load_protocol, parse_protocol
from tests.helpers import START
from tests.protocol_text import replaced, with_extra

TIM = load_protocol("timeismuscle")
POLICY = TIM.weight_policy  # basis actual, factor 0.4, Devine 50 / 45.5 + 2.3 kg/in over 60 in
OVERRIDDEN = "(--dosing-weight adjusted, overriding the protocol's actual)"


def r1(plan: Plan) -> list[str]:
    return [r.text for r in plan.reasons if r.rule == "R1"]


def plan(protocol: Protocol, weight: str, **kwargs: Any) -> Plan:
    return build_plan(PlanRequest(weight_kg=Decimal(weight), start=START, **kwargs), protocol)


def adjusted_protocol(extra: str) -> Protocol:
    """The minimal test protocol, dosed on the adjusted weight by default, with ``extra`` params added."""
    basis = "[options.dosing_weight_basis]\nvalue = "
    return parse_protocol(with_extra(extra, replaced(basis + '"actual"', basis + '"adjusted"')), "t")


def param(key: str, value: str, unit: str) -> str:
    return f'[params.{key}]\nvalue = "{value}"\nunit = "{unit}"\nrule = "R1"\nsource = "t"\n'


# --- the actual weight named in kg when no text for it is given -------------------------------------

def test_the_actual_weight_is_named_in_kg_when_the_caller_gives_no_text_for_it() -> None:
    assert dosing_weight(Decimal(90), Body(), POLICY) == DosingWeight(
        Decimal(90), "actual", "actual body weight 90 kg (the protocol's default)")
    pregnant = dosing_weight(Decimal("72.5"), Body(pregnant=True), POLICY, ADJUSTED)
    assert pregnant.why == f"pregnant: actual body weight 72.5 kg, not the adjusted weight {OVERRIDDEN}"


# --- the refusal without height or sex --------------------------------------------------------------

@pytest.mark.parametrize("body", [Body(), Body(height_cm=Decimal(170)), Body(sex="female")])
def test_ideal_or_adjusted_without_height_and_sex_is_refused_with_every_way_out(body: Body) -> None:
    with pytest.raises(InputError) as raised:
        dosing_weight(Decimal(90), body, POLICY, ADJUSTED)
    assert raised.value.message == (
        "the adjusted body weight (--dosing-weight adjusted, overriding the protocol's actual) needs the height and "
        "sex; accepted: --height (e.g. 178 cm, 5 ft 10 in) with --sex female|male, or --dosing-weight actual")


def test_the_refusal_names_the_protocols_own_basis() -> None:
    with pytest.raises(InputError) as raised:
        dosing_weight(Decimal(90), Body(sex="male"), POLICY, IDEAL)
    assert raised.value.message == (
        "the ideal body weight (--dosing-weight ideal, overriding the protocol's actual) needs the height and sex; "
        "accepted: --height (e.g. 178 cm, 5 ft 10 in) with --sex female|male, or --dosing-weight actual")


# --- numbers the patient brings: height, age, weight ------------------------------------------------

def test_a_height_typed_in_inches_below_60_in_is_shown_to_two_places() -> None:
    # 59.9 in × 2.54 = 152.146 cm (≈152.15), at or below 60 in = 152.4 cm: Devine says nothing there
    assert r1(plan(TIM, "90", height_cm=Decimal("152.146"), sex="female", dosing_weight=ADJUSTED)) == [
        "dosing weight: height ≈152.15 cm is at or below 60 in (152.4 cm), where the ideal-weight formula does not "
        f"apply: actual body weight 90 kg {OVERRIDDEN}"]


def test_an_age_with_three_decimals_is_shown_to_two_places() -> None:
    # 17.875 years (≈17.88) is under 18: the actual weight, whatever the basis
    source = TIM.weight_rules.params["adult_age"].source
    assert r1(plan(TIM, "90", height_cm=Decimal("177.8"), sex="male", dosing_weight=ADJUSTED,
                   age_years=Decimal("17.875"))) == [
        "dosing weight: age ≈17.88 years is under 18: actual body weight 90 kg, not the adjusted weight; source: "
        f"{source} {OVERRIDDEN}"]


def test_an_actual_weight_from_pounds_is_shown_to_two_places_in_the_adjusted_arithmetic() -> None:
    # 230 lb × 0.45359237 = 104.3262451 kg (≈104.33); 177.8 cm = 70 in: ideal 50 + 2.3 × 10 = 73 kg;
    # adjusted 73 + 0.4 × (104.3262451 − 73) = 73 + 12.53049804 = 85.53049804 kg (≈85.53)
    assert r1(plan(TIM, "104.3262451", height_cm=Decimal("177.8"), sex="male", dosing_weight=ADJUSTED,
                   weight_as_typed="230 lb")) == [
        "dosing weight: adjusted body weight ≈85.53 kg: ideal (Devine, male, 70 in) = 50 + 2.3 × 10 = 73 kg; "
        f"adjusted = 73 + 0.4 × (≈104.33 − 73) = ≈85.53 kg {OVERRIDDEN}"]


# --- numbers a protocol gives -----------------------------------------------------------------------

def test_a_bmi_threshold_with_three_decimals_is_shown_to_two_places() -> None:
    # 90 kg / 1.778² m² = 90 / 3.161284 = 28.47 (≈28.5), below 30.125 (≈30.13)
    protocol = adjusted_protocol(param("bmi_threshold", "30.125", "kg/m2"))
    assert r1(plan(protocol, "90", height_cm=Decimal("177.8"), sex="male")) == [
        "dosing weight: BMI ≈28.5 kg/m² is below the ≈30.13 kg/m² at which the protocol uses the adjusted weight: "
        "actual body weight 90 kg (the protocol's default)"]


def test_an_adjusted_weight_factor_with_three_decimals_is_shown_to_two_places() -> None:
    # 177.8 cm = 70 in: ideal 73 kg; adjusted 73 + 0.375 × (100 − 73) = 73 + 10.125 = 83.125 kg (≈83.13)
    protocol = adjusted_protocol(param("adjusted_weight_factor", "0.375", "fraction"))
    assert r1(plan(protocol, "100", height_cm=Decimal("177.8"), sex="male")) == [
        "dosing weight: adjusted body weight ≈83.13 kg: ideal (Devine, male, 70 in) = 50 + 2.3 × 10 = 73 kg; "
        "adjusted = 73 + ≈0.38 × (100 − 73) = ≈83.13 kg (the protocol's default)"]


# --- the formula's own numbers ----------------------------------------------------------------------
# data/dosing_weight.toml holds Devine's numbers, none with more than two places. Should it ever hold
# more precise ones (BloodSTAR's per-cm figures are roundings), the line must stay readable: these
# tests give dosing_weight such a formula and an adult age of 18.125 years.

PRECISE = IdealWeightFormula(male_base_kg=Decimal("50.125"), female_base_kg=Decimal("45.5"),
                             kg_per_inch=Decimal("2.305"), base_height_in=Decimal("60.125"),
                             cm_per_inch=Decimal("2.54"))
ADULT = Param(key="adult_age", value=Decimal("18.125"), unit="years", rule="R1", source="t")
PRECISE_POLICY = WeightPolicy(basis=IDEAL, bmi_threshold=None, adjusted_factor=Decimal("0.4"), formula=PRECISE,
                              adult_age=ADULT)


def test_the_formulas_numbers_are_shown_to_two_places_in_the_ideal_arithmetic() -> None:
    # 177.8 cm = 70 in; over = 70 − 60.125 = 9.875 (≈9.88); 2.305 × 9.875 = 22.761875;
    # ideal 50.125 + 22.761875 = 72.886875 kg (≈72.89), below 100 kg; 50.125 ≈50.13, 2.305 ≈2.31
    result = dosing_weight(Decimal(100), Body(Decimal("177.8"), "male"), PRECISE_POLICY)
    assert (result.kg, result.basis) == (Decimal("72.886875"), IDEAL)
    assert result.why == ("ideal body weight ≈72.89 kg: ideal (Devine, male, 70 in) = ≈50.13 + ≈2.31 × ≈9.88 = "
                          "≈72.89 kg (the protocol's default)")


def test_the_formulas_base_height_is_shown_to_two_places() -> None:
    # 150 cm = 59.05... in, at or below 60.125 in (≈60.13); 60.125 × 2.54 = 152.7175 cm (≈152.72)
    result = dosing_weight(Decimal(90), Body(Decimal(150), "female"), PRECISE_POLICY)
    assert result.why == ("height 150 cm is at or below ≈60.13 in (≈152.72 cm), where the ideal-weight formula "
                          "does not apply: actual body weight 90 kg (the protocol's default)")


def test_an_adult_age_with_three_decimals_is_shown_to_two_places() -> None:
    # 18 years is under 18.125 (≈18.13)
    result = dosing_weight(Decimal(90), Body(Decimal("177.8"), "male", age_years=Decimal(18)), PRECISE_POLICY)
    assert result.why == ("age 18 years is under ≈18.13: actual body weight 90 kg, not the ideal weight; source: t "
                          "(the protocol's default)")
