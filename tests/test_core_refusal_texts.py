"""Refusals of the dosing core, word for word: the arm, the height, a --round that cannot be met, a
weight that is no number.

A refusal is all a pharmacist gets instead of a plan, so it must name the value that was refused
exactly as it can be checked against the chart (a height to two places, marked ≈ when rounded)
and say what is accepted. These are made in-process (the library API and the core itself), so that
the mutation run, which leaves out the whole-program tests for a core mutant, sees them too.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import ivig_dose
from ivig_dose.core.dosing import build_plan, check_weight
from ivig_dose.core.errors import InputError
from ivig_dose.core.model import PlanRequest
from ivig_dose.files.protocols import load_protocol

from .helpers import PROTOCOL

START = "2027-01-04"


def refusal(**options: object) -> str:
    """The message of the InputError that ivig_dose.plan raises for these options (70 kg unless given)."""
    weight = str(options.pop("weight", "70"))
    with pytest.raises(InputError) as raised:
        ivig_dose.plan(weight, start=START, **options)  # type: ignore[arg-type]
    return raised.value.message


def test_the_placebo_arm_of_a_protocol_without_one_is_refused_by_name():
    # standard-5-day has no [placebo] table: a blinded order cannot be made from it
    request = PlanRequest(weight_kg=Decimal(70), start=date(2027, 1, 4), arm="placebo")
    with pytest.raises(InputError) as raised:
        build_plan(request, load_protocol("standard-5-day"))
    assert raised.value.message == "--arm placebo: protocol 'standard-5-day' has no placebo arm; accepted: ivig"


@pytest.mark.parametrize(("height", "said"), [
    # 3 ft 3.33 in = 39.33 in × 2.54 = 99.8982 cm, below the 100 cm floor (dosing_weight.toml);
    # to two places, half up: 99.90, written without its trailing zero and marked ≈ as rounded
    ("3 ft 3.33 in", "≈99.9 cm"),
    # 8 ft 2.45 in = 98.45 in × 2.54 = 250.063 cm, above the 250 cm ceiling: ≈250.06 cm
    ("8 ft 2.45 in", "≈250.06 cm"),
    # 251.46 cm (99 in × 2.54) has two places already: shown as it is, with no ≈
    ("99 in", "251.46 cm"),
])
def test_a_height_no_adult_has_is_named_to_two_places(height, said):
    assert refusal(height=height, sex="female") == (
        f"height {said} is outside the plausible adult range; accepted: 100 to 250 cm")


def test_a_day_no_amount_of_the_sizes_can_round_is_refused_with_the_10_percent_limit():
    # standard-5-day, 20 kg: 0.4 g/kg/day × 20 kg = 8 g a day. Multiples of 10 g: none lies in
    # 0 < x ≤ 8 g, and the nearest above, 10 g, is beyond 8 g + 10 % = 8.8 g (no daily cap).
    assert refusal(weight="20", protocol="standard-5-day", round_to="10g") == (
        "--round: day 1 cannot be rounded to multiples of 10 g: no such amount lies above 0 and within both the "
        "daily cap and the rules' dose + 10%; accepted: smaller sizes, or no --round")


def test_a_weight_that_is_no_number_is_refused_as_such():
    # no reader makes a NaN weight, but the core is called directly too (library users, the verifier):
    # it refuses it in kg, as the number it is (20 to 300 kg: timeismuscle's min_weight and max_weight)
    with pytest.raises(InputError) as raised:
        check_weight(Decimal("NaN"), PROTOCOL)
    assert raised.value.message == "weight NaN kg is outside the plausible adult range; accepted: 20 to 300 kg"


def test_a_weight_that_is_no_number_is_not_said_in_the_unit_it_was_typed_in():
    # "NaN lb (NaN kg)" would read as if a conversion had been made; a weight that is no number has
    # no kg to show beside the typed one, so it is named in kg alone
    with pytest.raises(InputError) as raised:
        check_weight(Decimal("NaN"), PROTOCOL, typed="NaN lb")
    assert raised.value.message == "weight NaN kg is outside the plausible adult range; accepted: 20 to 300 kg"


@pytest.mark.parametrize("weight", ["Infinity", "-Infinity"])
def test_an_infinite_weight_is_refused_not_a_traceback(weight):
    with pytest.raises(InputError) as raised:
        check_weight(Decimal(weight), PROTOCOL)
    assert raised.value.message == f"weight {weight} kg is outside the plausible adult range; accepted: 20 to 300 kg"
