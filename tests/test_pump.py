"""Pump programs: the worked example by hand, the cap, and the invariants of every program."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivig_dose.core.errors import InputError
from ivig_dose.core.pump import RateLimit, pump_program

D = Decimal
# Octagam 10 % US PI Table 1: 1, 2, 4, 8, 12 mg/kg/min = 0.6, 1.2, 2.4, 4.8, 7.2 mL/kg/h at 100 mg/mL.
OCTAGAM = (D("0.6"), D("1.2"), D("2.4"), D("4.8"), D("7.2"))


def rates(program):
    return [s.rate_ml_per_h for s in program.steps]


def test_70_kg_70_g_octagam_style():
    # 70 kg × 0.6, 1.2, 2.4, 4.8, 7.2 mL/kg/h = 42, 84, 168, 336, 504 mL/h.
    # 30 min each: 21 + 42 + 84 + 168 = 315 mL in 120 min; 700 − 315 = 385 mL at 504 mL/h
    # = 385 × 60 / 504 = 45.83 min (shown rounded up: 45.9); 120 + 45.83 = 165.83 -> 166 min.
    program = pump_program(D(700), D(70), OCTAGAM, 30)
    assert rates(program) == [D(42), D(84), D(168), D(336), D(504)]
    assert [s.minutes for s in program.steps] == [D(30), D(30), D(30), D(30), D("45.9")]
    assert [s.volume_ml for s in program.steps] == [D(21), D(42), D(84), D(168), D(385)]
    assert program.duration_min == 166


def test_a_step_the_volume_cannot_fill_is_shortened_and_ends_the_program():
    # 300 mL at 70 kg: 21 + 42 + 84 = 147 mL in 90 min; 153 mL left < 168 mL that 30 min at 336 mL/h
    # would give, so step 4 runs 153 × 60 / 336 = 27.32 min (27.4 shown); 117.32 -> 118 min.
    program = pump_program(D(300), D(70), OCTAGAM, 30)
    assert rates(program) == [D(42), D(84), D(168), D(336)]
    assert program.steps[-1].minutes == D("27.4")
    assert program.steps[-1].volume_ml == D(153)
    assert program.duration_min == 118


def test_rates_are_rounded_down_to_0_1_ml_per_h():
    # 80.3 kg × 0.6 = 48.18 -> 48.1; × 1.2 = 96.36 -> 96.3; × 2.4 = 192.72 -> 192.7 mL/h.
    program = pump_program(D(535), D("80.3"), OCTAGAM[:3], 30)
    assert rates(program) == [D("48.1"), D("96.3"), D("192.7")]
    # 30 min at 48.1 = 24.05 -> 24.0 mL; at 96.3 = 48.15 -> 48.1 mL; 535 − 72.1 = 462.9 mL at 192.7 mL/h
    # = 144.13 min -> 144.2; 204.13 -> 205 min.
    assert [s.volume_ml for s in program.steps] == [D("24.0"), D("48.1"), D("462.9")]
    assert program.duration_min == 205


def test_max_rate_caps_the_top_step_and_says_so():
    # cap 200 mL/h: 42, 84, 168, then 336 would pass 200 -> 200 until the bag is empty.
    # 700 − 147 = 553 mL at 200 mL/h = 165.9 min; 90 + 165.9 = 255.9 -> 256 min.
    program = pump_program(D(700), D(70), OCTAGAM, 30, RateLimit(ml_per_h=D(200)))
    assert rates(program) == [D(42), D(84), D(168), D(200)]
    assert [s.capped for s in program.steps] == [False, False, False, True]
    assert program.capped
    assert program.duration_min == 256


def test_max_rate_per_kg():
    # 3.3 mg/kg/min = 0.033 mL/kg/min = 1.98 mL/kg/h; × 70 kg = 138.6 mL/h.
    program = pump_program(D(700), D(70), OCTAGAM, 30, RateLimit(ml_per_kg_h=D("1.98")))
    assert rates(program) == [D(42), D(84), D("138.6")]


def test_a_rate_too_small_for_a_pump_is_refused():
    with pytest.raises(InputError, match=r"below 0.1 mL/h"):
        pump_program(D(100), D(50), (D("0.001"),), 30)


def test_an_empty_bag_has_no_program():
    assert pump_program(D(0), D(70), OCTAGAM, 30).steps == ()


rate_tables = st.lists(st.integers(1, 120), min_size=1, max_size=6).map(
    lambda tenths: tuple(D(t) / 10 for t in sorted(tenths))
)


@given(
    volume=st.integers(1, 1600).map(D),
    weight=st.integers(200, 3000).map(lambda tenths: D(tenths) / 10),
    table=rate_tables,
    step_minutes=st.integers(1, 60),
    cap=st.none() | st.integers(1, 9000).map(lambda tenths: D(tenths) / 10),
)
def test_program_invariants(volume, weight, table, step_minutes, cap):
    program = pump_program(volume, weight, table, step_minutes, RateLimit(ml_per_h=cap))
    steps = program.steps
    # the volumes add up to the bag exactly
    assert program.volume_ml == volume
    for index, step in enumerate(steps):
        # never faster than the product's rate × weight, nor than the cap
        assert step.rate_ml_per_h <= table[index] * weight
        assert cap is None or step.rate_ml_per_h <= cap
        # never faster than its own rate over its own time
        assert step.volume_ml * 60 <= step.rate_ml_per_h * step.minutes
        if index < len(steps) - 1:
            assert step.minutes == step_minutes
        else:
            exact = step.volume_ml * 60 / step.rate_ml_per_h
            assert exact <= step.minutes < exact + D("0.1")
    exact_total = sum((s.minutes for s in steps), D(0))
    assert program.duration_min == int(exact_total.to_integral_value(rounding=ROUND_CEILING))


def test_a_limit_is_said_as_typed_and_two_limits_keep_the_lower_of_each_kind():
    from ivig_dose.core.pump import NO_LIMIT, RateLimit

    assert NO_LIMIT.describe() == "none"
    assert RateLimit(ml_per_h=Decimal(300), ml_per_kg_h=Decimal("4.8")).describe() == "300 mL/h and 4.8 mL/kg/h"
    assert RateLimit(ml_per_kg_h=Decimal("1.8")).describe() == "1.8 mL/kg/h"
    # --max-rate 300 mL/h with a label's 1.8 mL/kg/h: both hold
    both = RateLimit(ml_per_h=Decimal(300)).tighter(RateLimit(ml_per_kg_h=Decimal("1.8")))
    assert both == RateLimit(ml_per_h=Decimal(300), ml_per_kg_h=Decimal("1.8"))
    # each kind the lower of the two, whichever side it comes from
    assert RateLimit(Decimal(300), Decimal(2)).tighter(RateLimit(Decimal(200), Decimal("1.8"))) == RateLimit(
        Decimal(200), Decimal("1.8"))
    assert RateLimit(Decimal(100), Decimal("1.5")).tighter(RateLimit(Decimal(200), Decimal("1.8"))) == RateLimit(
        Decimal(100), Decimal("1.5"))
    assert NO_LIMIT.tighter(NO_LIMIT) == NO_LIMIT


def test_a_bag_that_ends_exactly_at_a_steps_end_has_no_empty_step_after_it():
    # 70 kg: 42 mL/h for 30 min (21 mL), 84 mL/h for 30 min (42 mL): a bag of 63 mL is done in 60 min
    program = pump_program(D(63), D(70), OCTAGAM, 30)
    assert [(s.rate_ml_per_h, s.minutes, s.volume_ml) for s in program.steps] == [(D(42), D(30), D(21)),
                                                                                  (D(84), D(30), D(42))]
    assert program.duration_min == 60


def test_the_slowest_rate_a_pump_runs_is_0_1_ml_per_h():
    from ivig_dose.core.pump import pump_rates

    # a limit of 0.1 mL/h is the slowest a pump runs: held to it from the first step
    assert pump_rates(D(70), OCTAGAM, RateLimit(ml_per_h=D("0.1"))) == [(D("0.1"), True)]
    with pytest.raises(InputError) as raised:
        pump_rates(D(70), OCTAGAM, RateLimit(ml_per_h=D("0.09")))
    assert raised.value.message == ("--max-rate 0.09 mL/h is below 0.1 mL/h for this patient; accepted: a rate a pump "
                                    "can run")
    # 0.001 mL/kg/h × 100 kg = 0.1 mL/h runs; 0.0009 × 100 = 0.09 mL/h does not
    assert pump_rates(D(100), (D("0.001"),)) == [(D("0.1"), False)]
    with pytest.raises(InputError) as raised:
        pump_rates(D(100), (D("0.0009"),))
    assert raised.value.message == ("rate step 0.0009 mL/kg/h × 100 kg is below 0.1 mL/h; accepted: a rate a pump "
                                    "can run")
