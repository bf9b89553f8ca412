"""The R2 line of a per-day protocol when the day's exact dose has more digits than can be read.

A weight typed in pounds gives a kg with seven places, and 0.4 g/kg/day of it as many: the "why"
block shows the exact day's dose rounded to two places and marked ≈ (as the dosing weight beside
it), then the dose actually given, rounded down to the 0.1 g step (R2). Three or more places, or
every digit, would be a number no one checks a chart against. Made in-process through the library
API, so that the mutation run (which leaves out the whole-program tests for a core mutant) meets it.
"""

from __future__ import annotations

import ivig_dose

START = "2027-01-04"


def test_a_per_day_dose_from_a_weight_in_pounds_is_shown_to_two_places():
    # standard-5-day: 150 lb × 0.45359237 = 68.0388555 kg (≈68.04 kg); × 0.4 g/kg/day = 27.2155422 g,
    # ≈27.22 g to two places (half up; to three it would be 27.216); rounded down to the 0.1 g step:
    # 27.2 g a day; × 5 days (the protocol's default) = 136 g, no cap.
    plan = ivig_dose.plan("150 lb", start=START, protocol="standard-5-day")
    dose = next(r for r in plan.reasons if r.rule == "R2")
    assert dose.text == ("the course: 0.4 g/kg/day × ≈68.04 kg = ≈27.22 g, rounded down to 27.2 g a day × 5 days "
                         "= 136 g")
    assert dose.blinded_text == "the course: 0.4 g/kg/day × ≈68.04 kg a day"
    assert plan.course_dose_g == 136
