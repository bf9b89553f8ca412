"""A weight typed in pounds is named in the core's refusals and warnings as it was typed, with its kg beside it.

The nurse who typed ``350 lb`` reads the chart in pounds: a warning that says only ``158.7573295
kg`` cannot be matched with it. This holds for the baseline weight and for a later
course's own weight (R9), in the refusal of a weight no adult has and in the warning of an unusual
one. Made in-process through the library API, so that the mutation run (which leaves out the
whole-program tests for a core mutant) meets them. 1 lb = 0.45359237 kg exactly; the kg beside the
typed weight is rounded half up to 0.01 kg.
"""

from __future__ import annotations

import pytest

import ivig_dose
from ivig_dose.core.errors import InputError

from .helpers import NANOGAM_UNVERIFIED

START = "2027-01-04"


def test_a_later_course_weight_no_adult_has_is_refused_as_typed():
    # 700 lb × 0.45359237 = 317.514659 kg, above timeismuscle's 300 kg max_weight
    with pytest.raises(InputError) as raised:
        ivig_dose.plan("70", start=START, course_weights={"week4": "700 lb"})
    assert raised.value.message == ("week 4 weight 700 lb (317.51 kg) is outside the plausible adult range; "
                                    "accepted: 20 to 300 kg")


def test_an_unusual_later_course_weight_is_warned_of_as_typed():
    # 350 lb × 0.45359237 = 158.7573295 kg, above the 150 kg warn_above_weight; the baseline 70 kg is usual
    plan = ivig_dose.plan("70", start=START, course_weights={"week4": "350 lb"})
    assert plan.warnings == ("week 4 weight 350 lb (158.76 kg) is above 150 kg: unusual; check it", NANOGAM_UNVERIFIED)


@pytest.mark.parametrize(("weight", "warning"), [
    # 350 lb = 158.7573295 kg, above 150 kg
    ("350 lb", "weight 350 lb (158.76 kg) is above 150 kg: unusual; check it"),
    # 80 lb × 0.45359237 = 36.2873896 kg, below the 40 kg warn_below_weight
    ("80 lb", "weight 80 lb (36.29 kg) is below 40 kg: unusual for an adult; check it"),
])
def test_an_unusual_baseline_weight_is_warned_of_as_typed(weight, warning):
    assert ivig_dose.plan(weight, start=START).warnings == (warning, NANOGAM_UNVERIFIED)
