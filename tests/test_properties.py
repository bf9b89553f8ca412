"""Hypothesis properties of the dosing invariants, over every adult weight and every allowed day count.

Expected values are computed here with :class:`fractions.Fraction`, independently of the core's
integer-step arithmetic, straight from the rules' wording.
"""

from __future__ import annotations

import itertools
import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from ivig_dose.core.errors import InputError
from ivig_dose.parse.weight import parse_weight
from tests.helpers import plan_for

# R1/R2/R3/R6 numbers, restated from the spec rather than read from the protocol file.
PER_KG, COURSE_CAP, DAILY_CAP, HOSPITAL = Fraction(2), Fraction(180), Fraction(80), Fraction(30)
LB = Fraction("0.45359237")

kilograms = st.decimals(min_value=Decimal(20), max_value=Decimal(300), places=3)
# 45-660 lb is 20.4-299.4 kg; parsed exactly as a user's "158.7 lb" would be.
pounds = st.decimals(min_value=Decimal(45), max_value=Decimal(660), places=1).map(lambda lb: parse_weight(f"{lb} lb"))
weights_kg = st.one_of(kilograms, pounds)
day_counts = st.one_of(st.none(), st.integers(min_value=2, max_value=5))


def expected_course(weight: Decimal) -> Fraction:
    """R2 in fractions: min(2 g/kg × weight, 180 g), rounded down to a tenth of a gram."""
    return min(Fraction(math.floor(PER_KG * Fraction(weight) * 10), 10), COURSE_CAP)


def planned(weight: Decimal, days: int | None, arm: str = "ivig"):
    """The plan, or None where the requested day count would break the daily cap (an input error)."""
    try:
        return plan_for(weight, days=days, arm=arm)
    except InputError:
        assert days is not None and expected_course(weight) / days > DAILY_CAP
        return None


@given(weights_kg, day_counts)
def test_caps_never_exceeded_and_sums_exact(weight, days):
    plan = planned(weight, days)
    if plan is None:
        return
    for course in plan.courses:
        assert Fraction(course.dose_g) == expected_course(weight)
        assert Fraction(course.dose_g) <= COURSE_CAP
        assert all(Fraction(d.dose_g) <= DAILY_CAP for d in course.days)
        assert sum(d.dose_g for d in course.days) == course.dose_g
        assert all(sum(s.dose_g for s in d.segments) == d.dose_g for d in course.days)
    assert sum(c.dose_g for c in plan.courses) == plan.total_dose_g
    assert plan.total_volume_ml == sum(c.volume_ml for c in plan.courses)


@given(weights_kg, day_counts)
def test_day_count_in_range_and_default_is_smallest(weight, days):
    plan = planned(weight, days)
    if plan is None:
        return
    n = len(plan.courses[0].days)
    assert 2 <= n <= 5
    smallest = max(2, math.ceil(expected_course(weight) / DAILY_CAP))
    assert n == (days if days is not None else smallest)


@given(weights_kg, day_counts)
def test_days_as_equal_as_possible_larger_first(weight, days):
    plan = planned(weight, days)
    if plan is None:
        return
    doses = [d.dose_g for d in plan.courses[0].days]
    assert max(doses) - min(doses) <= Decimal("0.1")
    assert doses == sorted(doses, reverse=True)
    assert all(d == d.quantize(Decimal("0.1")) for d in doses)


@given(weights_kg, day_counts)
def test_volume_is_ten_times_dose(weight, days):
    plan = planned(weight, days)
    if plan is None:
        return
    for course in plan.courses:
        for day in course.days:
            for segment in day.segments:
                # Nanogam 100 mg/mL: 1 g = 10 mL, and 0.1 g = 1 mL, so volumes are whole mL.
                assert segment.volume_ml == segment.dose_g * 10
                assert segment.volume_ml == segment.volume_ml.to_integral_value()


@given(weights_kg, day_counts)
def test_hospital_portion_first_30_g_of_baseline_only(weight, days):
    plan = planned(weight, days)
    if plan is None:
        return
    baseline, *later = plan.courses
    in_hospital = [s.dose_g for d in baseline.days for s in d.segments if s.setting == "hospital"]
    assert Fraction(sum(in_hospital)) == min(HOSPITAL, Fraction(baseline.dose_g))
    # hospital parts come first: no home segment precedes a hospital one.
    settings = [s.setting for d in baseline.days for s in d.segments]
    assert settings == sorted(settings, key=lambda s: s != "hospital")
    assert all(s.setting == "home" for c in later for d in c.days for s in d.segments)


@given(weights_kg, day_counts)
def test_placebo_matches_ivig_volumes_and_gives_no_igg(weight, days):
    ivig, placebo = planned(weight, days), planned(weight, days, arm="placebo")
    if ivig is None:
        return
    assert placebo is not None

    def bags(plan):
        return [(c.name, d.date, s.setting, s.volume_ml) for c in plan.courses for d in c.days for s in d.segments]

    assert bags(placebo) == bags(ivig)
    assert all(s.dose_g == 0 for c in placebo.courses for d in c.days for s in d.segments)


@given(weights_kg, day_counts)
def test_infusion_days_are_consecutive(weight, days):
    plan = planned(weight, days)
    if plan is None:
        return
    for course in plan.courses:
        dates = [d.date for d in course.days]
        assert all((b - a).days == 1 for a, b in itertools.pairwise(dates))


@given(st.decimals(min_value=Decimal(45), max_value=Decimal(660), places=1))
def test_pounds_convert_exactly(pounds):
    # R1: 1 lb = 0.45359237 kg exactly, so the kg value has no rounding at all.
    assert Fraction(parse_weight(f"{pounds} lb")) == Fraction(pounds) * LB
    assert Fraction(parse_weight(f"{pounds}lb")) == Fraction(pounds) * LB


@given(kilograms)
def test_grams_kilograms_and_bare_numbers_agree(weight):
    assert parse_weight(str(weight)) == weight
    assert parse_weight(f"{weight} kg") == weight
    assert Fraction(parse_weight(f"{weight * 1000} g")) == Fraction(weight)
