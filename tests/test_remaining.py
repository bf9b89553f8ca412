"""The time left of a bag after slow-downs and pauses: worked by hand, then held by properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_CEILING, Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ivig_dose.core.errors import InputError
from ivig_dose.core.pump import pump_program
from ivig_dose.core.record_bag import BagState, Event, fold
from ivig_dose.core.record_order import Bag
from ivig_dose.core.remaining import continue_program, infused_by_rates, remaining

D = Decimal
BAG = Bag(1, "baseline", 1, "hospital", date(2027, 1, 4), D(300), D(30), (D(42), D(84), D(168)), 30)


def at(clock: str) -> datetime:
    hours, minutes = clock.split(":")
    return datetime(2027, 1, 4, int(hours), int(minutes), tzinfo=UTC)


def ev(kind: str, clock: str, seq: int, **data: object) -> Event:
    return Event(f"{seq:032x}", seq, kind, at(clock).strftime("%Y-%m-%dT%H:%M:%SZ"), "+00:00", "AB", data)  # type: ignore[arg-type]


#: started 09:05, stepped up on time, paused 10:20 for a reaction, resumed at 84 mL/h at 10:50.
SLOWED = [ev("start", "09:05", 1, rate_ml_per_h="42"), ev("rate", "09:35", 2, rate_ml_per_h="84"),
          ev("rate", "10:05", 3, rate_ml_per_h="168"), ev("pause", "10:20", 4, reason="chills"),
          ev("resume", "10:50", 5, rate_ml_per_h="84")]


def test_the_worked_example_after_a_pause_and_a_slower_resume():
    # infused: 30 min at 42 = 21 mL, 30 min at 84 = 42 mL, 15 min at 168 = 42 mL, paused 30 min,
    # 10 min at 84 = 14 mL: 119 mL; 300 - 119 = 181 mL left.
    # 84 mL/h was set at 10:50, so it runs 20 min more (84 x 20/60 = 28 mL), then 153 mL at 168 mL/h
    # = 54.64 min (54.7 shown); 74.64 min rounded up: 75 min, ends 11:00 + 75 min = 12:15.
    left = remaining(BAG, fold(BAG, SLOWED), at("11:00"))
    assert (left.infused_ml, left.from_pump, left.volume_left_ml) == (D(119), False, D(181))
    assert [(s.rate_ml_per_h, s.minutes, s.volume_ml) for s in left.program.steps] == [
        (D(84), D(20), D(28)), (D(168), D("54.7"), D(153))]
    assert (left.minutes_left, left.ends_at) == (75, at("12:15"))
    # each step's end rounded up as the whole is: 11:00 + 20 min; 11:00 + 74.64 min -> 75 min, 12:15, not 12:14
    assert left.step_ends == (at("11:20"), at("12:15"))


def test_the_pump_figure_wins_over_the_integrated_volume():
    # the pump says 130 mL: 170 mL left; 20 min at 84 = 28 mL, then 142 mL at 168 = 50.71 (50.8) min;
    # 70.71 -> 71 min
    left = remaining(BAG, fold(BAG, SLOWED), at("11:00"), D(130))
    assert (left.infused_ml, left.from_pump, left.volume_left_ml, left.minutes_left) == (D(130), True, D(170), 71)


def test_a_paused_bag_is_counted_as_resumed_now_with_a_whole_step_at_its_rate():
    # paused at 10:20 after 105 mL (21 + 42 + 42); at 10:30: 195 mL left, at 168 mL/h (the top: no step
    # above it) = 69.64 min -> 70 min
    left = remaining(BAG, fold(BAG, SLOWED[:4]), at("10:30"))
    assert (left.status, left.infused_ml, left.rate, left.minutes_left) == ("paused", D(105), D(168), 70)


def test_a_rate_between_the_steps_runs_a_whole_step_then_the_ramp_resumes_above_it():
    # resumed at 60 mL/h at 10:50 (105 mL in): at 10:50, 195 mL left; 30 min at 60 = 30 mL, then 165 mL
    # at 84 would take 30 min for 42 mL, then 123 mL at 168 = 43.93 (44.0) min; total 104 min
    events = [*SLOWED[:4], ev("resume", "10:50", 5, rate_ml_per_h="60")]
    left = remaining(BAG, fold(BAG, events), at("10:50"))
    assert [s.rate_ml_per_h for s in left.program.steps] == [D(60), D(84), D(168)]
    assert [s.volume_ml for s in left.program.steps] == [D(30), D(42), D(123)]
    assert left.minutes_left == 104


def test_an_overdue_step_goes_straight_to_the_next_rate():
    # still at 42 mL/h 45 min after the start: 31.5 mL in, 268.5 left; the 42 step is over, so 84 for 30 min
    # (42 mL) then 226.5 at 168 = 80.89 (80.9) min; 110.89 -> 111
    left = remaining(BAG, fold(BAG, SLOWED[:1]), at("09:50"))
    assert left.infused_ml == D("31.5")
    assert [s.rate_ml_per_h for s in left.program.steps] == [D(84), D(168)] and left.minutes_left == 111


def test_a_bag_not_started_runs_its_whole_program():
    left = remaining(BAG, BagState(), at("08:00"))
    assert left.program == BAG.program() and left.minutes_left == BAG.program().duration_min
    assert left.ends_at == at("08:00") + timedelta(minutes=145)  # the label's 145 min for 300 mL at 70 kg


def test_a_bag_the_rates_have_emptied_is_said_so_and_left_at_nothing():
    left = remaining(BAG, fold(BAG, SLOWED[:1]), at("23:00"))
    assert (left.emptied, left.infused_ml, left.volume_left_ml, left.minutes_left) == (True, D(300), D(0), 0)


def test_what_cannot_be_computed_is_refused():
    stopped = fold(BAG, [SLOWED[0], ev("stop", "12:00", 2, infused_ml="300")])
    with pytest.raises(InputError, match="bag 1 was stopped at 2027-01-04 12:00; nothing is left to run"):
        remaining(BAG, stopped, at("12:30"))
    with pytest.raises(InputError, match=r"300\.5 mL infused is more than bag 1 holds"):
        remaining(BAG, fold(BAG, SLOWED), at("11:00"), D("300.5"))
    with pytest.raises(InputError, match="is before the last entry of bag 1 \\(resume at 2027-01-04 10:50\\)"):
        remaining(BAG, fold(BAG, SLOWED), at("10:40"))


def test_the_integrated_volume_is_rounded_down_to_a_tenth_of_a_millilitre():
    # 42 mL/h for 1 min 1 s: 42 x 61 / 3600 = 0.7116... -> 0.7 mL
    runs = fold(BAG, SLOWED[:1]).runs
    assert infused_by_rates(runs, at("09:06") + timedelta(seconds=1)) == D("0.7")


# ---- properties -------------------------------------------------------------------------------------------

tenths = st.integers(1, 6000).map(lambda n: D(n) / 10)
ramps = st.lists(st.integers(1, 6000), min_size=1, max_size=6, unique=True).map(
    lambda ns: tuple(D(n) / 10 for n in sorted(ns)))
bags = st.builds(lambda volume, rates, minutes: Bag(1, "c", 1, "home", date(2027, 1, 4), volume, None, rates, minutes),
                 st.integers(1, 10000).map(lambda n: D(n) / 10), ramps, st.integers(5, 60))


@st.composite
def situations(draw):
    """A bag, running at some rate set some seconds ago, with some volume infused."""
    bag = draw(bags)
    rate = draw(st.one_of(st.sampled_from(bag.rates), tenths))
    into = draw(st.integers(0, 4 * 3600))
    infused = draw(st.integers(0, int(bag.volume_ml * 10)).map(lambda n: D(n) / 10))
    return bag, rate, into, infused


@given(situations())
def test_what_is_left_is_the_bag_less_what_went_in_and_the_steps_deliver_exactly_that(situation):
    bag, rate, into, infused = situation
    program = continue_program(bag.volume_ml - infused, rate, into, bag.rates, bag.step_minutes)
    assert sum((s.volume_ml for s in program.steps), D(0)) + infused == bag.volume_ml


@given(situations())
def test_the_time_left_is_never_shorter_than_at_the_program_top_rate(situation):
    bag, rate, into, infused = situation
    left = bag.volume_ml - infused
    program = continue_program(left, rate, into, bag.rates, bag.step_minutes)
    assert D(program.duration_min) >= left * 60 / bag.top_rate


@given(situations())
def test_no_step_runs_above_the_top_rate_nor_below_the_rate_it_continues_from(situation):
    bag, rate, into, infused = situation
    program = continue_program(bag.volume_ml - infused, rate, into, bag.rates, bag.step_minutes)
    assert all(min(rate, bag.top_rate) <= s.rate_ml_per_h <= bag.top_rate for s in program.steps)
    rates = [s.rate_ml_per_h for s in program.steps]
    assert rates == sorted(rates)  # the ramp only goes up


@given(situations())
@example((Bag(1, "c", 1, "home", date(2027, 1, 4), D("0.1"), None, (D("0.2"),), 33), D("0.1"), 0, D(0)))
def test_the_time_left_is_never_longer_than_at_the_rate_it_continues_from(situation):
    # every step runs at least at min(rate, top); each step's time is rounded up by less than 0.1 min
    # and the total by less than a minute; each step's volume but the last is rounded down to 0.1 mL,
    # as the pump shows it, so up to 0.1 mL a step is carried to a later step (the example: 33 min at
    # 0.1 mL/h is 0.055 mL, shown 0 mL, so the whole 0.1 mL runs after it at 0.2 mL/h: 33 + 30 min)
    bag, rate, into, infused = situation
    left = bag.volume_ml - infused
    program = continue_program(left, rate, into, bag.rates, bag.step_minutes)
    slowest = min(rate, bag.top_rate)
    carried = D("0.1") * max(len(program.steps) - 1, 0)
    bound = (left + carried) * 60 / slowest + D("0.1") * len(program.steps) + 1
    assert D(program.duration_min) <= bound.to_integral_value(rounding=ROUND_CEILING)


@given(situations(), st.integers(1, 1000).map(lambda n: D(n) / 10))
def test_more_infused_never_means_more_time_left(situation, more):
    bag, rate, into, infused = situation
    later = min(infused + more, bag.volume_ml)
    first = continue_program(bag.volume_ml - infused, rate, into, bag.rates, bag.step_minutes)
    second = continue_program(bag.volume_ml - later, rate, into, bag.rates, bag.step_minutes)
    assert second.duration_min <= first.duration_min


@given(bags)
def test_from_the_first_rate_at_the_start_it_is_the_label_program(bag):
    # the same program plan and labels print for the bag: rates per kg for a 1 kg patient are the rates
    assert continue_program(bag.volume_ml, bag.rates[0], 0, bag.rates, bag.step_minutes) == pump_program(
        bag.volume_ml, D(1), bag.rates, bag.step_minutes)


# ---- the edges, worked by hand ----------------------------------------------------------------------------


def test_what_cannot_be_computed_is_said_word_for_word():
    stopped = fold(BAG, [SLOWED[0], ev("stop", "12:00", 2, infused_ml="300")])
    with pytest.raises(InputError) as caught:
        remaining(BAG, stopped, at("12:30"))
    assert str(caught.value) == "bag 1 was stopped at 2027-01-04 12:00; nothing is left to run"
    with pytest.raises(InputError) as caught:
        remaining(BAG, fold(BAG, SLOWED), at("11:00"), D("300.5"))
    assert str(caught.value) == "300.5 mL infused is more than bag 1 holds (300 mL); accepted: at most 300 mL"
    with pytest.raises(InputError) as caught:
        remaining(BAG, fold(BAG, SLOWED), at("10:40"))
    assert str(caught.value) == ("--at 2027-01-04 10:40 is before the last entry of bag 1 (resume at 2027-01-04 "
                                 "10:50); accepted: a time from then on")


def test_a_pump_showing_the_whole_bag_leaves_nothing():
    left = remaining(BAG, fold(BAG, SLOWED), at("11:00"), D(300))
    assert (left.infused_ml, left.volume_left_ml, left.minutes_left, left.from_pump, left.emptied) == (
        D(300), D(0), 0, True, False)


def test_a_running_bag_names_its_rate_and_since_when_and_the_pump_figure_is_not_an_emptied_bag():
    left = remaining(BAG, fold(BAG, SLOWED), at("11:00"), D(130))
    assert (left.status, left.rate, left.rate_since, left.from_pump, left.emptied) == (
        "running", D(84), at("10:50"), True, False)


def test_rates_that_deliver_exactly_the_bag_have_emptied_it():
    # 120 mL/h from 09:00: at 11:30, 2.5 h x 120 = 300 mL, the whole bag
    left = remaining(BAG, fold(BAG, [ev("start", "09:00", 1, rate_ml_per_h="120")]), at("11:30"))
    assert (left.emptied, left.infused_ml, left.minutes_left) == (True, D(300), 0)


def test_a_bag_not_started_starts_at_the_first_rate_from_what_the_pump_shows():
    left = remaining(BAG, BagState(), at("08:00"))
    assert (left.status, left.rate, left.rate_since, left.from_pump, left.emptied) == (
        "not started", D(42), None, False, False)
    # the pump already shows 100 mL: 200 mL from 42 mL/h: 21 mL in 30 min, 42 mL at 84 in 30 min, then
    # 137 mL at 168 = 48.93 (49.0) min: 109 min
    pumped = remaining(BAG, BagState(), at("08:00"), D(100))
    assert (pumped.infused_ml, pumped.from_pump, pumped.minutes_left) == (D(100), True, 109)


def test_a_bag_paused_below_the_top_resumes_with_a_whole_step_at_its_rate():
    # started 09:05 at 42 mL/h, paused 09:20: 42 x 15/60 = 10.5 mL in. At 09:30, a whole 30-min step at
    # 42 (21 mL), 30 min at 84 (42 mL), then 300 - 10.5 - 21 - 42 = 226.5 mL at 168 = 80.89 (80.9) min;
    # 140.9 -> 141 min
    events = [ev("start", "09:05", 1, rate_ml_per_h="42"), ev("pause", "09:20", 2, reason="chills")]
    left = remaining(BAG, fold(BAG, events), at("09:30"))
    assert [(s.rate_ml_per_h, s.minutes, s.volume_ml) for s in left.program.steps] == [
        (D(42), D(30), D(21)), (D(84), D(30), D(42)), (D(168), D("80.9"), D("226.5"))]
    assert left.minutes_left == 141


def test_continuing_nothing_is_no_step():
    assert continue_program(D(0), D(42), 0, BAG.rates, 30).steps == ()


def test_a_step_just_over_goes_to_the_next_rate_and_one_second_left_still_runs():
    # the 42 mL/h step set exactly 30 min ago is over: 100 mL from 84 mL/h (42 mL in 30 min, then 58 mL
    # at 168 = 20.71 (20.8) min)
    over = continue_program(D(100), D(42), 1800, BAG.rates, 30)
    assert [(s.rate_ml_per_h, s.minutes, s.volume_ml) for s in over.steps] == [
        (D(84), D(30), D(42)), (D(168), D("20.8"), D(58))]
    # one second left at 360 mL/h: 0.1 mL in 0.1 min (1/60 min rounded up), then 99.9 mL at 720 mL/h
    # = 8.325 (8.4) min
    second = continue_program(D(100), D(360), 1799, (D(360), D(720)), 30)
    assert [(s.rate_ml_per_h, s.minutes, s.volume_ml) for s in second.steps] == [
        (D(360), D("0.1"), D("0.1")), (D(720), D("8.4"), D("99.9"))]


def test_what_fits_exactly_in_the_rest_of_the_step_runs_for_its_own_time():
    # 1000 s left of the 42 mL/h step holds 42 x 1000/3600 = 11.67 mL, 11.6 mL in tenths; 11.6 mL left
    # then takes 11.6 x 60/42 = 16.57 (16.6) min, not the 16.7 min of the step's rest
    program = continue_program(D("11.6"), D(42), 800, BAG.rates, 30)
    assert [(s.rate_ml_per_h, s.minutes, s.volume_ml) for s in program.steps] == [(D(42), D("16.6"), D("11.6"))]


def test_a_running_bag_says_where_a_new_lot_restarts_and_a_pump_figure_never_empties_it():
    from ivig_dose.core.preparation import LotStart

    # 119 mL in at 11:00 (the worked example); a lot starting at 200 mL is still ahead
    left = remaining(BAG, fold(BAG, SLOWED), at("11:00"), starts=(LotStart(D(200), "B"),))
    assert [(r.infused_ml, r.lot) for r in left.restarts] == [(D(200), "B")]
    # by the rates the bag ran dry hours ago, but the pump says 250 mL: the pump's figure is what stands
    assert remaining(BAG, fold(BAG, SLOWED[:1]), at("23:00"), D(250)).emptied is False
