"""``--round``: days to whole vials or multiples, nearest with ties down, within every cap."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivig_dose.core.dosing import build_plan
from ivig_dose.core.errors import InputError
from ivig_dose.core.model import PlanRequest
from ivig_dose.core.rounding import DayLimits, Rounding, round_days
from ivig_dose.core.vials import UNREACHABLE, fewest_vials
from tests.helpers import PROTOCOL, START, g

NANOGAM = Rounding("whole vials", (g("1"), g("2.5"), g("5"), g("10"), g("20")))


def every(grams: str) -> Rounding:
    return Rounding(f"multiples of {grams} g", (g(grams),))


def plan_rounded(weight: str, rounding: Rounding, days: int | None = None, arm: str = "ivig"):
    request = PlanRequest(weight_kg=Decimal(weight), start=START, days=days, arm=arm, rounding=rounding)
    return build_plan(request, PROTOCOL)


def daily(plan, course=0):
    return [d.dose_g for d in plan.courses[course].days]


def test_80_3_kg_to_5_g():
    # days 53.6, 53.5, 53.5 g (spec). Multiples of 5: 53.6 -> 55 (1.4 up) not 50 (3.6 down); 53.5 -> 55
    # (1.5 up) not 50 (3.5 down). 55 <= 53.5 × 1.1 = 58.85 and <= 80; course 165 <= 180.
    plan = plan_rounded("80.3", every("5"))
    assert daily(plan) == [g("55")] * 3
    assert plan.courses[0].dose_g == g("165")
    # volumes and R6 follow the rounded days: 550 mL; day 1 = 30 g hospital + 25 g home.
    assert [d.volume_ml for d in plan.courses[0].days] == [g("550")] * 3
    assert [(s.setting, s.dose_g) for s in plan.courses[0].days[0].segments] == [
        ("hospital", g("30")), ("home", g("25"))]
    assert plan.total_dose_g == g("495")


def test_ties_go_down():
    # 72.5 kg: 145 g over 2 days = 72.5 g; 70 and 75 are both 2.5 g away -> 70.
    assert daily(plan_rounded("72.5", every("5"))) == [g("70"), g("70")]


def test_never_more_than_10_percent_over_the_rules_dose():
    # 45 kg over 5 days: 18 g a day. Nearest multiple of 5 is 20 (2 up) but 20 > 18 × 1.1 = 19.8,
    # so 15 (3 down).
    assert daily(plan_rounded("45", every("5"), days=5)) == [g("15")] * 5


def test_never_above_the_daily_cap():
    # 77 kg over 2 days: 154 g = 77 g a day. Multiples of 9: 81 is nearer (4 up) than 72 (5 down) and
    # within 77 × 1.1 = 84.7, but above 80 g/day -> 72.
    assert daily(plan_rounded("77", every("9"), days=2)) == [g("72"), g("72")]


def test_course_cap_lowers_the_day_rounded_up_most():
    # 89.9 kg: 179.8 g over 3 days = 60, 59.9, 59.9. Multiples of 7: 60 -> 63 (3 up, not 56: 4 down);
    # 59.9 -> 63 (3.1 up, not 56: 3.9 down); all within +10 % (65.89) and 80 g. 63 × 3 = 189 > 180:
    # lower the day rounded up most (day 2 or 3, +3.1; the later one first): day 3 -> 56, sum 182 > 180;
    # then day 2 (+3.1) -> 56: 63 + 56 + 56 = 175 <= 180.
    assert daily(plan_rounded("89.9", every("7"))) == [g("63"), g("56"), g("56")]


def test_round_vials_80_3_kg():
    # Nanogam sizes 1, 2.5, 5, 10, 20 g make every multiple of 0.5 g from 2 g. 53.6 -> 53.5 (0.1 down,
    # 54 is 0.4 up); 53.5 stays. Course 160.5 g.
    plan = plan_rounded("80.3", NANOGAM)
    assert daily(plan) == [g("53.5")] * 3
    round_reasons = [r for r in plan.reasons if r.rule == "round"]
    assert len(round_reasons) == 1
    # the change is reported in g and %: -0.1 g of 53.6 g = -0.19 % -> -0.2 %.
    assert "day 1 53.6 g to 53.5 g (-0.1 g, -0.2 %)" in round_reasons[0].text
    assert "day 1 536 mL to 535 mL (-1 mL, -0.2 %)" in round_reasons[0].blinded_text


def test_placebo_follows_the_rounded_ivig_volumes():
    ivig, placebo = plan_rounded("80.3", every("5")), plan_rounded("80.3", every("5"), arm="placebo")
    assert [d.volume_ml for d in placebo.courses[0].days] == [d.volume_ml for d in ivig.courses[0].days]
    assert placebo.total_dose_g == 0


def test_impossible_rounding_is_an_input_error():
    # 18 g a day, multiples of 20: 20 > 19.8 (+10 %) and 0 is no dose.
    with pytest.raises(InputError, match=r"--round: day 1 cannot be rounded to multiples of 20 g"):
        plan_rounded("45", every("20"), days=5)


def test_a_size_that_is_not_whole_dose_steps_is_refused():
    with pytest.raises(InputError, match=r"not a whole number of 0.1 g steps"):
        plan_rounded("70", every("2.55"))


@given(
    days=st.lists(st.integers(50, 800), min_size=2, max_size=5),
    sizes=st.lists(st.integers(5, 250), min_size=1, max_size=4, unique=True).map(tuple),
)
def test_rounded_days_keep_every_cap(days, sizes):
    limits = DayLimits(daily_cap=800, course_cap=1800)
    days = sorted(days, reverse=True)
    try:
        rounded = round_days(days, sizes, limits, "test")
    except InputError:
        return
    table = fewest_vials(sizes, 1000)
    assert sum(rounded) <= limits.course_cap
    for before, after in zip(days, rounded, strict=True):
        assert 0 < after <= min(limits.daily_cap, before * 11 // 10)
        assert table[after] < UNREACHABLE
    if sum(_nearest_by_brute_force(d, sizes, limits) for d in days) <= limits.course_cap:
        assert rounded == [_nearest_by_brute_force(d, sizes, limits) for d in days]


def _nearest_by_brute_force(day: int, sizes: tuple[int, ...], limits: DayLimits) -> int:
    table = fewest_vials(sizes, 1000)
    allowed = [t for t in range(1, min(limits.daily_cap, day * 11 // 10) + 1) if table[t] < UNREACHABLE]
    return min(allowed, key=lambda t: (abs(t - day), t))


def test_a_day_below_the_smallest_amount_goes_up_to_it_when_within_10_percent():
    # 9.1 g rounded to multiples of 10 g: nothing lies at or below 9.1 g but 0, and 10 g is 9.9 % over,
    # within the rules' dose + 10 % (9.1 × 1.1 = 10.01 g, 100 steps when rounded down)
    from ivig_dose.core.rounding import NO_CAP, DayLimits, round_days

    assert round_days([91], (100,), DayLimits(NO_CAP, NO_CAP), "multiples of 10 g") == [100]


def test_a_course_exactly_at_its_cap_is_kept():
    # 100 kg: 180 g, the course cap itself, as 3 days of 60 g: already multiples of 5 g
    from ivig_dose.core.rounding import DayLimits, round_days

    assert round_days([600, 600, 600], (50,), DayLimits(800, 1800), "multiples of 5 g") == [600, 600, 600]


def test_a_course_over_its_cap_lowers_the_later_day_to_its_next_amount():
    # two days of 0.2 g with a 0.3 g course cap and 0.1 g steps: the later day goes down to 0.1 g
    from ivig_dose.core.rounding import NO_CAP, DayLimits, round_days

    assert round_days([2, 2], (1,), DayLimits(NO_CAP, 3), "multiples of 0.1 g") == [2, 1]


def test_days_that_cannot_be_lowered_within_the_course_cap_are_refused():
    # days of 10 g with vials of 10 g only, and a 15 g course cap: no smaller amount exists
    from ivig_dose.core.errors import InputError
    from ivig_dose.core.rounding import NO_CAP, DayLimits, round_days

    with pytest.raises(InputError) as raised:
        round_days([100, 100], (100,), DayLimits(NO_CAP, 150), "whole vials")
    assert raised.value.message == ("--round: days rounded to whole vials cannot be kept within the course cap; "
                                    "accepted: smaller sizes, or no --round")


def test_a_protocol_without_caps_rounds_within_10_percent_alone():
    # standard-5-day has no daily or course cap: 0.4 × 70 = 28 g a day; to multiples of 5 g, 30 g (2 g up,
    # within 28 × 1.1 = 30.8 g) is nearer than 25 g (3 g down); 5 days of 30 g = 150 g
    import ivig_dose

    plan = ivig_dose.plan("70", start="2027-01-04", protocol="standard-5-day", round_to="5g")
    assert [d.dose_g for d in plan.courses[0].days] == [Decimal(30)] * 5
    assert plan.total_dose_g == Decimal(150)
