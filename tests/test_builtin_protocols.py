"""The two regimens beside TIMEISMUSCLE, pinned to hand arithmetic written beside each number."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivig_dose.core.dosing import build_plan
from ivig_dose.core.errors import InputError
from ivig_dose.core.model import PlanRequest
from ivig_dose.files.protocols import load_protocol
from tests.helpers import START, g

DM = load_protocol("octagam-dermatomyositis")
FIVE_DAY = load_protocol("standard-5-day")


def plan(protocol, weight, **kwargs):
    return build_plan(PlanRequest(weight_kg=Decimal(weight), start=START, **kwargs), protocol)


def doses(p, course=0):
    return [d.dose_g for d in p.courses[course].days]


# --- standard-5-day: 0.4 g/kg a day for 5 days, one course -------------------------------------

def test_five_day_70_kg():
    # 0.4 × 70 = 28 g a day exactly; × 5 days = 140 g; 28 g × 10 mL/g = 280 mL a day.
    p = plan(FIVE_DAY, "70")
    assert doses(p) == [g("28")] * 5
    assert [d.volume_ml for d in p.courses[0].days] == [g("280")] * 5
    assert p.total_dose_g == g("140")
    assert len(p.courses) == 1


def test_five_day_rounds_each_day_down():
    # 0.4 × 72.35 = 28.94 g -> 28.9 g a day (never above 0.4 g/kg on any day); 5 × 28.9 = 144.5 g.
    # A per-course split of 0.4 × 5 × 72.35 = 144.7 g would put 29.0 g on day 1: not allowed here.
    p = plan(FIVE_DAY, "72.35")
    assert doses(p) == [g("28.9")] * 5
    assert p.total_dose_g == g("144.5")


def test_five_day_has_no_cap():
    # 0.4 × 140 = 56 g a day, no daily or course cap; 5 × 56 = 280 g.
    assert plan(FIVE_DAY, "140").total_dose_g == g("280")


def test_five_day_in_hospital_on_consecutive_days():
    p = plan(FIVE_DAY, "70")
    assert {s.setting for d in p.courses[0].days for s in d.segments} == {"hospital"}
    assert [d.date for d in p.courses[0].days] == [START + timedelta(days=i) for i in range(5)]


def test_five_day_refuses_other_day_counts():
    with pytest.raises(InputError, match=r"--days 4 is outside the protocol's range; accepted: 5 to 5"):
        plan(FIVE_DAY, "70", days=4)


@given(st.decimals(min_value=20, max_value=300, places=2))
def test_five_day_no_day_above_0_4_g_per_kg(weight):
    p = plan(FIVE_DAY, weight)
    for day in p.courses[0].days:
        assert day.dose_g <= Decimal("0.4") * weight
        assert Decimal("0.4") * weight - day.dose_g < Decimal("0.1")
    assert len(set(doses(p))) == 1


# --- octagam-dermatomyositis: 2 g/kg over 2-5 days every 4 weeks, 10 courses --------------------

def test_dm_72_35_kg_two_days_ten_courses():
    # 2 × 72.35 = 144.7 g; no daily cap -> the fewest days, 2; 1447 tenths / 2 = 723 r 1
    # -> 72.4 + 72.3 g (724 + 723 mL). 10 courses × 144.7 g = 1447 g.
    p = plan(DM, "72.35")
    assert doses(p) == [g("72.4"), g("72.3")]
    assert [d.volume_ml for d in p.courses[0].days] == [g("724"), g("723")]
    assert len(p.courses) == 10
    assert p.total_dose_g == g("1447")


def test_dm_course_dates_every_4_weeks():
    # weeks 0, 4, ..., 36; week 36 = 252 days after 2027-01-04 = 2027-09-13.
    p = plan(DM, "70")
    assert [c.week for c in p.courses] == list(range(0, 40, 4))
    assert p.courses[-1].start == date(2027, 9, 13)
    assert [c.name for c in p.courses[:3]] == ["baseline", "week 4", "week 8"]


def test_dm_has_no_course_or_daily_cap():
    # 2 × 120 = 240 g, not capped; 2 days of 120 g; with --days 5, 48 g a day.
    assert doses(plan(DM, "120")) == [g("120"), g("120")]
    assert doses(plan(DM, "120", days=5)) == [g("48")] * 5


def test_dm_all_in_hospital_and_no_placebo():
    p = plan(DM, "70")
    assert {s.setting for c in p.courses for d in c.days for s in d.segments} == {"hospital"}
    with pytest.raises(InputError, match="has no placebo arm"):
        plan(DM, "70", arm="placebo")


def test_new_built_ins_warn_they_are_unverified():
    for protocol in (DM, FIVE_DAY):
        assert not protocol.verified
        assert any("not verified against a label" in w for w in plan(protocol, "70").warnings)
    assert load_protocol("timeismuscle").verified


def test_dm_course_weight_for_a_later_course():
    # week 12 weighed 65 kg: 2 × 65 = 130 g; the others stay at 2 × 70 = 140 g.
    p = plan(DM, "70", course_weights=(("week 12", Decimal("65")),))
    assert [c.dose_g for c in p.courses[:4]] == [g("140"), g("140"), g("140"), g("130")]
