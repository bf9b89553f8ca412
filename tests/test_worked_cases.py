"""The worked cases of the spec (shared/spec/timeismuscle-rules.md), arithmetic written beside each."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ivig_dose.core.errors import InputError
from tests.helpers import g, plan_for


def daily_doses(plan, course=0):
    return [d.dose_g for d in plan.courses[course].days]


def segments(plan, course=0):
    return [[(s.setting, s.dose_g) for s in d.segments] for d in plan.courses[course].days]


def test_70_kg():
    # 2 g/kg × 70 kg = 140 g; 140 / 80 -> ceil 2 days (also the minimum); 140 / 2 = 70 g a day.
    plan = plan_for("70")
    assert plan.course_dose_g == g("140")
    assert daily_doses(plan) == [g("70"), g("70")]
    # 70 g × 10 mL/g = 700 mL a day.
    assert [d.volume_ml for d in plan.courses[0].days] == [g("700"), g("700")]
    # first 30 g in hospital: day 1 = 30 hospital + 40 home; day 2 all home.
    assert segments(plan) == [[("hospital", g("30")), ("home", g("40"))], [("home", g("70"))]]


def test_100_kg_is_capped_at_180_g():
    # 2 × 100 = 200 g > 180 g cap -> 180 g; 180 / 80 = 2.25 -> 3 days of 60 g.
    plan = plan_for("100")
    assert plan.course_dose_g == g("180")
    assert daily_doses(plan) == [g("60")] * 3
    assert [d.volume_ml for d in plan.courses[0].days] == [g("600")] * 3
    assert segments(plan)[0] == [("hospital", g("30")), ("home", g("30"))]
    assert any(r.rule == "R2" and "capped at the 180 g" in r.text for r in plan.reasons)


def test_80_3_kg_splits_unevenly_larger_day_first():
    # 2 × 80.3 = 160.6 g; 160.6 / 80 = 2.0075 -> 3 days; 1606 tenths = 535 × 3 + 1
    # -> 53.6, 53.5, 53.5 g (536, 535, 535 mL); day 1: 30 hospital + 23.6 home.
    plan = plan_for("80.3")
    assert plan.course_dose_g == g("160.6")
    assert daily_doses(plan) == [g("53.6"), g("53.5"), g("53.5")]
    assert [d.volume_ml for d in plan.courses[0].days] == [g("536"), g("535"), g("535")]
    assert segments(plan)[0] == [("hospital", g("30")), ("home", g("23.6"))]


def test_45_kg_over_5_days_runs_hospital_into_day_2():
    # 2 × 45 = 90 g over 5 days = 18 g a day (180 mL); hospital 30 g = 18 g on day 1 + 12 g on day 2.
    plan = plan_for("45", days=5)
    assert plan.course_dose_g == g("90")
    assert daily_doses(plan) == [g("18")] * 5
    assert [d.volume_ml for d in plan.courses[0].days] == [g("180")] * 5
    assert segments(plan)[:3] == [
        [("hospital", g("18"))],
        [("hospital", g("12")), ("home", g("6"))],
        [("home", g("18"))],
    ]


def test_100_kg_over_2_days_is_refused_naming_3():
    # 180 g / 2 days = 90 g a day > 80 g/day -> input error; the smallest N is ceil(180 / 80) = 3.
    with pytest.raises(InputError, match=r"90 g/day.*80 g/day.*smallest number of days that works is 3"):
        plan_for("100", days=2)


def test_70_kg_course_dates():
    # baseline 2027-01-04; week 4 = +28 days = 2027-02-01; week 8 = +56 days = 2027-03-01.
    plan = plan_for("70")
    assert [[d.date for d in c.days] for c in plan.courses] == [
        [date(2027, 1, 4), date(2027, 1, 5)],
        [date(2027, 2, 1), date(2027, 2, 2)],
        [date(2027, 3, 1), date(2027, 3, 2)],
    ]


def test_later_courses_are_all_home_and_total_is_three_courses():
    # 3 courses × 140 g = 420 g, 4200 mL; only the baseline course has a hospital segment.
    plan = plan_for("70")
    assert plan.total_dose_g == g("420")
    assert plan.total_volume_ml == g("4200")
    for course in plan.courses[1:]:
        assert {s.setting for d in course.days for s in d.segments} == {"home"}


def test_placebo_has_same_volumes_and_no_igg():
    ivig, placebo = plan_for("80.3"), plan_for("80.3", arm="placebo")
    vols = lambda p: [(s.setting, s.volume_ml) for c in p.courses for d in c.days for s in d.segments]  # noqa: E731
    assert vols(placebo) == vols(ivig)
    assert placebo.total_dose_g == Decimal(0)
    assert placebo.product.name == "NaCl 0.9%"


def test_course_weight_doses_that_course_only():
    # week 4 weighed 68 kg: 2 × 68 = 136 g; baseline and week 8 stay at 2 × 70 = 140 g.
    plan = plan_for("70", course_weights=(("week4", Decimal("68")),))
    assert [c.dose_g for c in plan.courses] == [g("140"), g("136"), g("140")]
    assert [c.weight_measured for c in plan.courses] == [False, True, False]


def test_rounding_down_never_gives_more():
    # 2 × 72.35 = 144.7 exactly; 2 × 72.37 = 144.74 -> rounded down to 144.7.
    assert plan_for("72.35").course_dose_g == g("144.7")
    assert plan_for("72.37").course_dose_g == g("144.7")
