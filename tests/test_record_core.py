"""The bedside record's pure rules: entries and their hash chain, a bag's events, an order's bags.

Every expected value is worked by hand beside it; nothing here touches a file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ivig_dose.core.errors import InputError
from ivig_dose.core.order_facts import FactSheet
from ivig_dose.core.record import (
    AMEND,
    GENESIS,
    ChainCheck,
    Entry,
    Stored,
    canonical,
    chain_hash,
    check_chain,
    decimal_text,
    local,
    utc_text,
    zone_text,
)
from ivig_dose.core.record_bag import (
    NOT_STARTED,
    PAUSED,
    RUNNING,
    STOPPED,
    Event,
    admit,
    admit_all,
    effective,
    fold,
    start_day_warning,
)
from ivig_dose.core.record_order import Bag, OrderedProduct, Registered, cap_warning, ordered_bags, registered_of

D = Decimal
#: a 300 mL bag of a 70 kg patient, Nanogam's placeholder steps 0.6, 1.2, 2.4 mL/kg/h: 42, 84, 168 mL/h.
BAG = Bag(1, "baseline", 1, "hospital", date(2027, 1, 4), D(300), D(30), (D(42), D(84), D(168)), 30)
NOW = datetime(2027, 1, 4, 23, 0, tzinfo=UTC)


def entry(kind: str, at: str, seq: int = 1, uid: str | None = None, **data: object) -> Entry:
    return Entry(uid or f"{seq:032x}", "origin", kind, "P1", 1, at, "+01:00", at, "AB", dict(data))  # type: ignore[arg-type]


def ev(kind: str, clock: str, seq: int = 1, **data: object) -> Event:
    """An event at ``clock`` (UTC, 2027-01-04) as the record keeps it."""
    e = entry(kind, f"2027-01-04T{clock}:00Z", seq, **data)
    return Event(e.uuid, seq, kind, e.at, e.zone, e.by, e.data)


# ---- entries, hashes and the chain ------------------------------------------------------------------------


def test_decimals_are_stored_exactly_without_exponent_or_trailing_zero():
    assert [decimal_text(D(x)) for x in ("42.0", "1E+2", "0.50", "-0", "84.7")] == ["42", "100", "0.5", "0", "84.7"]


def test_a_moment_is_kept_in_utc_with_the_clock_offset_and_shown_back_as_read():
    # 09:05 in Amsterdam in winter is 08:05 UTC, offset +01:00; shown again it reads 09:05
    from datetime import timedelta, timezone

    moment = datetime(2027, 1, 4, 9, 5, tzinfo=timezone(timedelta(hours=1)))
    assert (utc_text(moment), zone_text(moment)) == ("2027-01-04T08:05:00Z", "+01:00")
    assert local("2027-01-04T08:05:00Z", "+01:00").strftime("%H:%M") == "09:05"
    assert zone_text(datetime(2027, 1, 4, 9, 5, tzinfo=timezone(-timedelta(hours=3, minutes=30)))) == "-03:30"


def test_the_content_hash_is_sha256_of_the_sorted_compact_json_of_every_field():
    e = entry("start", "2027-01-04T08:05:00Z", rate_ml_per_h="42")
    text = ('{"at":"2027-01-04T08:05:00Z","bag":1,"by":"AB","data":{"rate_ml_per_h":"42"},"kind":"start",'
            '"origin":"origin","patient":"P1","recorded":"2027-01-04T08:05:00Z","uuid":"' + "0" * 31 + '1","v":1,'
            '"zone":"+01:00"}')
    assert canonical(e.content()) == text.encode()
    assert e.content_hash() == hashlib.sha256(text.encode()).hexdigest()
    # the link covers the previous link and this content, in that order
    assert chain_hash(GENESIS, e.content_hash()) == hashlib.sha256((GENESIS + e.content_hash()).encode()).hexdigest()


def chain(*entries: Entry) -> list[Stored]:
    rows, previous = [], GENESIS
    for seq, e in enumerate(entries, 1):
        link = chain_hash(previous, e.content_hash())
        rows.append(Stored(seq, e, e.content_hash(), previous, link))
        previous = link
    return rows


THREE = [entry("start", "2027-01-04T08:05:00Z", 1), entry("rate", "2027-01-04T08:35:00Z", 2, rate_ml_per_h="84"),
         entry("stop", "2027-01-04T09:35:00Z", 3, infused_ml="300")]


def test_an_intact_chain_passes_and_gives_its_last_link():
    rows = chain(*THREE)
    checked = check_chain(rows, 3)
    assert (checked.count, checked.head, checked.problem) == (3, rows[-1].hash, None)


def test_a_changed_entry_is_named():
    rows = chain(*THREE)
    rows[1] = replace(rows[1], entry=replace(rows[1].entry, data={"rate_ml_per_h": "840"}))
    problem = check_chain(rows, 3).problem
    assert problem is not None and problem.seq == 2
    assert "entry 2 (00000000, rate) was changed" in problem.said


def test_a_changed_hash_is_found_at_its_link():
    rows = chain(*THREE)
    rows[1] = replace(rows[1], hash="f" * 64)  # the content still matches; the link does not
    problem = check_chain(rows, 3).problem
    assert problem is not None and problem.seq == 2 and "does not follow" in problem.said


def test_an_entry_removed_from_the_middle_is_found_where_it_was():
    rows = chain(*THREE)
    del rows[1]
    problem = check_chain(rows, 3).problem
    assert problem is not None and problem.seq == 3 and "entries 2 to 2 are missing" in problem.said


def test_entries_removed_from_the_end_are_found_by_the_highest_place_ever_given():
    rows = chain(*THREE)[:1]
    problem = check_chain(rows, 3).problem
    assert problem is not None and problem.seq == 2 and "entries 2 to 3 are missing" in problem.said


def test_two_entries_swapped_break_the_chain():
    rows = chain(*THREE)
    rows[1], rows[2] = replace(rows[2], seq=2), replace(rows[1], seq=3)
    problem = check_chain(rows, 3).problem
    assert problem is not None and problem.seq == 2


def test_each_break_of_the_chain_is_found_at_its_entry_said_whole_with_the_last_good_link():
    from ivig_dose.core.record import Problem

    rows = chain(*THREE)
    changed = [rows[0], replace(rows[1], entry=replace(rows[1].entry, data={"rate_ml_per_h": "840"})), rows[2]]
    assert check_chain(changed, 3) == ChainCheck(2, rows[0].hash, Problem(
        2, "0" * 31 + "2", "entry 2 (00000000, rate) was changed: its content no longer matches its hash"))
    relinked = [rows[0], replace(rows[1], hash="f" * 64), rows[2]]
    assert check_chain(relinked, 3) == ChainCheck(2, rows[0].hash, Problem(
        2, "0" * 31 + "2", "entry 2 (00000000, rate) does not follow the entry before it: the chain was changed there"))
    assert check_chain([rows[0], rows[2]], 3) == ChainCheck(2, rows[0].hash, Problem(
        3, "0" * 31 + "3", "entries 2 to 2 are missing: removed before entry 3 (00000000)"))
    # the last entry removed: the place after the last one read is the highest ever given
    assert check_chain(rows[:2], 3) == ChainCheck(2, rows[1].hash, Problem(
        3, None, "entries 3 to 3 are missing: removed from the end of the record"))
    assert check_chain(rows, 3) == ChainCheck(3, rows[2].hash, None)


def test_a_kind_of_entry_is_said_in_words_and_an_unknown_one_as_it_is():
    from ivig_dose.core.record import kind_word

    assert (kind_word("amend"), kind_word("prepare"), kind_word("flush")) == ("correction", "preparation", "flush")


# ---- a bag's events ----------------------------------------------------------------------------------------


def test_a_whole_infusion_folds_into_its_runs():
    events = [ev("start", "08:05", 1, rate_ml_per_h="42"), ev("rate", "08:35", 2, rate_ml_per_h="84"),
              ev("pause", "09:00", 3, reason="chills"), ev("reaction", "09:00", 4, grade=2),
              ev("resume", "09:30", 5, rate_ml_per_h="42"), ev("stop", "11:00", 6, infused_ml="296")]
    state = fold(BAG, events)
    assert state.problem is None and state.status == STOPPED
    assert [(r.rate, r.begin.seq, r.end.seq if r.end else None) for r in state.runs] == [
        (D(42), 1, 2), (D(84), 2, 3), (D(42), 5, 6)]
    assert state.infused == D(296) and [e.seq for e in state.reactions] == [4]


@pytest.mark.parametrize(("events", "status", "words"), [
    (["start", "start"], RUNNING, "bag 1 was already started at 2027-01-04 09:05 (entry 00000000)"),
    (["rate"], NOT_STARTED, "bag 1 is not started at"),
    (["reaction"], NOT_STARTED, "bag 1 is not started at"),
    (["stop"], NOT_STARTED, "has no start before the stop"),
    (["start", "pause", "rate"], PAUSED, "bag 1 is paused since"),
    (["start", "pause", "pause"], PAUSED, "bag 1 is paused since"),
    (["start", "resume"], RUNNING, "bag 1 is running, not paused"),
    (["start", "stop", "rate"], STOPPED, "after a stop only a reaction"),
    (["start", "stop", "start"], STOPPED, "already started"),
])
def test_an_event_out_of_sequence_is_the_problem_and_left_out(events, status, words):
    made = [ev(kind, f"08:{5 + 10 * n:02d}", n + 1, rate_ml_per_h="42", infused_ml="10", reason="r")
            for n, kind in enumerate(events)]
    state = fold(BAG, made)
    assert state.status == status
    assert state.problem is not None and words in state.problem


def test_a_reaction_after_the_stop_is_in_order():
    # the observation hour after the last bag: a reaction may come after its stop
    state = fold(BAG, [ev("start", "08:05", 1, rate_ml_per_h="42"), ev("stop", "09:00", 2, infused_ml="30"),
                       ev("reaction", "09:30", 3, grade=1)])
    assert state.problem is None and len(state.reactions) == 1


def test_a_rate_above_the_top_of_the_program_needs_an_override():
    too_fast = [ev("start", "08:05", 1, rate_ml_per_h="42"), ev("rate", "08:35", 2, rate_ml_per_h="168.1")]
    problem = fold(BAG, too_fast).problem
    assert problem == ("168.1 mL/h is above the program of bag 1, whose highest rate is 168 mL/h; accepted: at most "
                       "168 mL/h, or --override REASON to record it anyway")
    assert fold(BAG, [*too_fast[:1], ev("rate", "08:35", 2, rate_ml_per_h="168")]).problem is None
    overridden = ev("rate", "08:35", 2, rate_ml_per_h="200", override="prescriber's order")
    assert fold(BAG, [too_fast[0], overridden]).problem is None


def test_a_resume_above_the_program_is_refused_as_a_rate_is():
    events = [ev("start", "08:05", 1, rate_ml_per_h="42"), ev("pause", "08:30", 2, reason="r"),
              ev("resume", "08:40", 3, rate_ml_per_h="300")]
    assert "300 mL/h is above the program" in (fold(BAG, events).problem or "")


def test_more_infused_than_the_bag_holds_is_refused():
    events = [ev("start", "08:05", 1, rate_ml_per_h="42"), ev("stop", "10:00", 2, infused_ml="300.1")]
    assert fold(BAG, events).problem == ("300.1 mL infused is more than bag 1 holds (300 mL); accepted: at most "
                                         "300 mL")
    assert fold(BAG, [events[0], ev("stop", "10:00", 2, infused_ml="300")]).problem is None


def test_admit_refuses_a_time_more_than_a_minute_ahead():
    started = ev("start", "22:59", 1, rate_ml_per_h="42")
    assert admit(BAG, [], started, NOW).status == RUNNING
    ahead = ev("start", "23:01", 1, rate_ml_per_h="42")  # NOW is 23:00 UTC: one minute ahead is still now
    assert admit(BAG, [], ahead, NOW).status == RUNNING
    with pytest.raises(InputError, match=r"--at 2027-01-05 00:02 is in the future \(the clock says 2027-01-05 00:00\)"):
        admit(BAG, [], ev("start", "23:02", 1, rate_ml_per_h="42"), NOW)


def test_admit_refuses_an_entry_before_the_bag_last_and_a_stop_before_its_start():
    events = [ev("start", "08:05", 1, rate_ml_per_h="42"), ev("rate", "08:35", 2, rate_ml_per_h="84")]
    with pytest.raises(InputError, match="is before the last entry of bag 1 \\(rate at 2027-01-04 09:35\\)"):
        admit(BAG, events, ev("pause", "08:20", 3, reason="r"), NOW)
    with pytest.raises(InputError, match="before the start of bag 1 at 2027-01-04 09:05: a stop cannot come"):
        admit(BAG, events, ev("stop", "08:00", 3, infused_ml="1"), NOW)


def test_admit_refuses_any_entry_for_a_bag_whose_record_does_not_add_up():
    # a merge of two nurses' records: two starts of one bag
    events = [ev("start", "08:05", 1, rate_ml_per_h="42"), ev("start", "08:06", 2, rate_ml_per_h="42")]
    with pytest.raises(InputError, match="the record of bag 1 does not add up: bag 1 was already started"):
        admit(BAG, events, ev("rate", "09:00", 3, rate_ml_per_h="84"), NOW)


def correction(target: str, seq: int, **data: object) -> tuple[int, Entry]:
    return seq, Entry(f"c{seq:031x}", "origin", AMEND, "P1", 1, "2027-01-04T20:00:00Z", "+01:00",
                      "2027-01-04T20:00:00Z", "CD", {"corrects": target, "reason": "typo", **data})  # type: ignore[dict-item]


def test_a_correction_replaces_the_fields_it_gives_and_the_latest_wins():
    start = entry("start", "2027-01-04T08:05:00Z", 1, rate_ml_per_h="42")
    rate = entry("rate", "2027-01-04T08:35:00Z", 2, rate_ml_per_h="840")
    events = effective([(1, start), (2, rate), correction(rate.uuid, 3, changes={"rate_ml_per_h": "48"}),
                        correction(rate.uuid, 4, changes={"rate_ml_per_h": "84"})])
    assert [e.rate for e in events.active] == [D(42), D(84)]
    assert [c.uuid[:2] for c in events.active[1].corrections] == ["c0", "c0"] and events.voided == ()


def test_a_corrected_time_reorders_the_events_and_a_void_strikes_one_out():
    start = entry("start", "2027-01-04T08:05:00Z", 1, rate_ml_per_h="42")
    rate = entry("rate", "2027-01-04T08:35:00Z", 2, rate_ml_per_h="84")
    pause = entry("pause", "2027-01-04T09:00:00Z", 3, reason="r")
    moved = effective([(1, start), (2, rate), (3, pause),
                       correction(rate.uuid, 4, changes={"at": "2027-01-04T09:10:00Z", "zone": "+01:00"})])
    assert [e.kind for e in moved.active] == ["start", "pause", "rate"]
    assert "bag 1 is paused since" in (fold(BAG, moved.active).problem or "")
    with pytest.raises(InputError, match="after this correction the record of bag 1 would not add up"):
        admit_all(BAG, moved.active)
    voided = effective([(1, start), (2, rate), (3, pause), correction(rate.uuid, 4, void=True)])
    assert [e.kind for e in voided.active] == ["start", "pause"] and [e.kind for e in voided.voided] == ["rate"]


def test_a_bag_started_on_another_day_than_planned_is_said():
    # 2027-01-04T23:30Z is 00:30 on 5 January in Amsterdam: another day there, where the nurse is
    late = ev("start", "23:30", 1, rate_ml_per_h="42")
    assert start_day_warning(BAG, late) == ["bag 1 was planned for 2027-01-04 and started on 2027-01-05"]
    assert start_day_warning(BAG, ev("start", "22:30", 1, rate_ml_per_h="42")) == []


# ---- an order's bags ---------------------------------------------------------------------------------------


def two_bag_order(blinded: bool = False):
    sheet = FactSheet()
    if blinded:
        sheet.add((), "product", "Study medication (IVIg or placebo)")
    sheet.open(("baseline",))
    sheet.add(("baseline",), "dosing_weight_kg", D(70))
    sheet.open(("baseline", 1))
    sheet.add(("baseline", 1), "date", date(2027, 1, 4))
    sheet.add(("baseline", 1), "volume_ml", D(700))  # the day's volume: never a bag's
    sheet.add(("baseline", 1), "dose_g", D(70))
    for setting, volume in (("hospital", 300), ("home", 400)):
        sheet.open(("baseline", 1, setting))
        sheet.add(("baseline", 1, setting), "volume_ml", D(volume))
        if not blinded:
            sheet.add(("baseline", 1, setting), "dose_g", D(volume) / 10)
    return sheet.build()


def test_bags_are_numbered_in_the_order_listed_with_their_day_date_and_course_weight():
    bags = ordered_bags(two_bag_order(), lambda kg: [kg * D("0.6"), kg * D("1.2")], 30)
    assert [(b.number, b.setting, b.date, b.volume_ml, b.dose_g, b.rates) for b in bags] == [
        (1, "hospital", date(2027, 1, 4), D(300), D(30), (D(42), D(84))),
        (2, "home", date(2027, 1, 4), D(400), D(40), (D(42), D(84)))]


def test_a_blinded_order_keeps_no_dose():
    order = two_bag_order(blinded=True)
    assert [b.dose_g for b in ordered_bags(order, lambda kg: [D(42)], 30)] == [None, None]


def test_an_order_whose_bag_states_no_volume_is_refused():
    sheet = FactSheet()
    sheet.open(("baseline", 1, "home"))
    sheet.add(("baseline", 1, "home"), "date", date(2027, 1, 4))
    with pytest.raises(InputError, match="does not state the date, volume and dosing weight of its bag baseline day 1"):
        ordered_bags(sheet.build(), lambda kg: [D(42)], 30)


def registered(blinded: bool = False) -> Registered:
    bags = ordered_bags(two_bag_order(blinded), lambda kg: [D(42), D(84)], 30)
    product = None if blinded else OrderedProduct("ivig", "Nanogam", D(100))
    return Registered("timeismuscle", "2026-11-25", blinded, product, None if blinded else D(180), D(1800), bags)


def test_an_order_is_stored_and_read_back_whole_and_its_digest_names_its_content():
    for blinded in (False, True):
        order = registered(blinded)
        data = json.loads(canonical(order.data()))
        assert registered_of(data) == order
        assert data["digest"] == hashlib.sha256(canonical(order.identity())).hexdigest()
    assert registered(False).digest != registered(True).digest


def test_a_blinded_order_stores_no_arm_product_or_grams():
    text = canonical(registered(blinded=True).data()).decode()
    for word in ("ivig", "Nanogam", "dose_g", "course_cap_g", "arm", "concentration"):
        assert word not in text


def test_course_totals_against_the_cap_in_grams_and_when_blinded_in_volume():
    # 300 mL of 100 mg/mL is 30 g; the cap of 180 g is 1800 mL
    order = registered()
    (total,) = order.totals({1: D(300)})
    assert (total.ordered_ml, total.ordered_g, total.given_ml, total.given_g, total.bags_given, total.bags) == (
        D(700), D(70), D(300), D(30), 1, 2)
    assert cap_warning(total) == []
    over = replace(order, course_cap_ml=D(650), course_cap_g=D(65))
    assert cap_warning(over.totals({1: D(300), 2: D(400)})[0]) == [
        "course baseline: 700 mL (70 g) given, more than the course cap of 65 g"]
    blind = replace(registered(blinded=True), course_cap_ml=D(650))
    (blind_total,) = blind.totals({1: D(300), 2: D(400)})
    assert blind_total.given_g is None and blind_total.cap_g is None
    assert cap_warning(blind_total) == [
        "course baseline: 700 mL given, more than the volume of the course cap (650 mL)"]


def test_bags_given_are_counted_and_a_placebo_course_is_held_to_the_volume_of_its_cap():
    order = registered()
    (total,) = order.totals({1: D(300), 2: D(400)})
    assert (total.bags_given, total.bags, total.given_ml, total.given_g) == (2, 2, D(700), D(70))
    # the placebo arm gives no IgG: 0 g ordered and given; past 650 mL it is over the cap's volume, which a
    # cap in grams cannot say
    placebo = replace(order, product=OrderedProduct("placebo", "NaCl 0.9%", None), course_cap_ml=D(650),
                      bags=tuple(replace(b, dose_g=D(0)) for b in order.bags))
    (given,) = placebo.totals({1: D(300), 2: D(400)})
    assert (given.ordered_g, given.given_g, given.cap_g) == (D(0), D(0), D(180))
    assert cap_warning(given) == ["course baseline: 700 mL given, more than the volume of the course cap (650 mL)"]


def test_an_order_whose_every_registration_is_voided_still_shows_one():
    from ivig_dose.core.record_order import OrderViews, View

    rows = chain(*THREE[:2])
    views = OrderViews((View(rows[0], registered(), True), View(rows[1], registered(blinded=True), True)))
    assert views.view() is views.views[1] and views.view(unblinded=True) is views.views[0]


def test_a_bag_number_the_order_does_not_have_is_refused():
    with pytest.raises(InputError, match="bag 3 is not in the order of patient P1; accepted: bag 1 to 2"):
        registered().bag(3, "P1")
    with pytest.raises(InputError, match="bag 0 is not in the order"):
        registered().bag(0, "P1")


def test_the_setting_words_are_keyed_by_the_model_settings():
    from ivig_dose.core.model import HOME, HOSPITAL
    from ivig_dose.render.words import SETTING_WORDS

    assert set(SETTING_WORDS) == {HOSPITAL, HOME}


# ---- what a nurse is told when an entry cannot be written, word for word ----------------------------------


@pytest.mark.parametrize(("events", "said"), [
    (["stop"], "bag 1 has no start before the stop at 2027-01-04 09:05: a stop cannot come before the start"),
    (["rate"], "bag 1 is not started at 2027-01-04 09:05; record its start first"),
    (["start", "stop", "pause"], "bag 1 was stopped at 2027-01-04 09:15; after a stop only a reaction can be recorded"),
    (["start", "pause", "rate"], "bag 1 is paused since 2027-01-04 09:15; record resume with its new rate first"),
    (["start", "resume"], "bag 1 is running, not paused; record rate to change its rate"),
])
def test_each_refusal_says_what_to_record_instead(events, said):
    # events 10 minutes apart from 08:05 UTC, shown at the clock of +01:00: 09:05, 09:15, 09:25
    made = [ev(kind, f"08:{5 + 10 * n:02d}", n + 1, rate_ml_per_h="42", infused_ml="10", reason="r")
            for n, kind in enumerate(events)]
    assert fold(BAG, made).problem == said


def test_an_event_after_a_refused_one_is_still_applied():
    # a merged record with two starts: the second is the problem, the rate change after it still counts
    events = [ev("start", "08:05", 1, rate_ml_per_h="42"), ev("start", "08:06", 2, rate_ml_per_h="42"),
              ev("rate", "08:35", 3, rate_ml_per_h="84")]
    state = fold(BAG, events)
    assert state.problem is not None and "already started" in state.problem
    assert [r.rate for r in state.runs] == [D(42), D(84)] and state.last is not None and state.last.seq == 3


def test_a_resume_or_a_stop_ends_the_pause_in_force():
    paused = [ev("start", "08:05", 1, rate_ml_per_h="42"), ev("pause", "08:30", 2, reason="chills")]
    assert fold(BAG, paused).paused is not None
    resumed = fold(BAG, [*paused, ev("resume", "08:45", 3, rate_ml_per_h="42")])
    assert (resumed.status, resumed.paused) == (RUNNING, None)
    stopped = fold(BAG, [*paused, ev("stop", "08:45", 3, infused_ml="20")])
    assert (stopped.status, stopped.paused, stopped.infused) == (STOPPED, None, D(20))


def test_an_event_gives_its_texts_as_written():
    event = ev("pause", "08:30", 2, reason="chills")
    assert (event.text("reason"), event.text("override")) == ("chills", None)


def admit_refusal(events: list[Event], new: Event) -> str:
    with pytest.raises(InputError) as caught:
        admit(BAG, events, new, NOW)
    return str(caught.value)


def test_admit_says_word_for_word_why_an_entry_cannot_be_written():
    started = [ev("start", "08:05", 1, rate_ml_per_h="42")]
    assert admit_refusal([], ev("start", "23:02", 1, rate_ml_per_h="42")) == (
        "--at 2027-01-05 00:02 is in the future (the clock says 2027-01-05 00:00); accepted: a time up to a minute "
        "from now")
    assert admit_refusal([*started, ev("start", "08:06", 2, rate_ml_per_h="42")],
                         ev("rate", "09:00", 3, rate_ml_per_h="84")) == (
        "the record of bag 1 does not add up: bag 1 was already started at 2027-01-04 09:05 (entry 00000000); "
        "accepted: one start a bag; correct or void the entry with record amend first")
    assert admit_refusal(started, ev("stop", "08:00", 2, infused_ml="1")) == (
        "--at 2027-01-04 09:00 is before the start of bag 1 at 2027-01-04 09:05: a stop cannot come before the start")
    assert admit_refusal(started, ev("pause", "08:00", 2, reason="r")) == (
        "--at 2027-01-04 09:00 is before the last entry of bag 1 (start at 2027-01-04 09:05); accepted: the entries "
        "of a bag in the order they happened (record amend corrects an entry's time)")
    assert admit_refusal(started, ev("rate", "08:35", 2, rate_ml_per_h="200")) == (
        "200 mL/h is above the program of bag 1, whose highest rate is 168 mL/h; accepted: at most 168 mL/h, or "
        "--override REASON to record it anyway")


def test_admit_takes_an_entry_in_the_same_minute_as_the_last():
    started = [ev("start", "08:05", 1, rate_ml_per_h="42")]
    assert admit(BAG, started, ev("rate", "08:05", 2, rate_ml_per_h="84"), NOW).rate == D(84)


def test_only_a_stop_before_the_start_is_said_to_be_before_the_start():
    # a start at 09:05 and a rate change at 09:35 (clock): a stop at 09:20 or at 09:05 itself is after the
    # start, only before the last entry; a pause at 09:00 is before both, and a pause is not a stop
    events = [ev("start", "08:05", 1, rate_ml_per_h="42"), ev("rate", "08:35", 2, rate_ml_per_h="84")]
    for made in (ev("stop", "08:20", 3, infused_ml="1"), ev("stop", "08:05", 3, infused_ml="1"),
                 ev("pause", "08:00", 3, reason="r")):
        with pytest.raises(InputError, match=r"is before the last entry of bag 1 \(rate at 2027-01-04 09:35\)"):
            admit(BAG, events, made, NOW)


def test_admit_all_says_the_correction_would_break_the_record():
    events = [ev("start", "08:05", 1, rate_ml_per_h="42"), ev("stop", "08:35", 2, infused_ml="400")]
    with pytest.raises(InputError) as caught:
        admit_all(BAG, events)
    assert str(caught.value) == ("after this correction the record of bag 1 would not add up: 400 mL infused is more "
                                 "than bag 1 holds (300 mL); accepted: at most 300 mL")


def test_a_correction_keeps_who_made_it_when_and_why_and_can_move_the_clock_zone():
    from ivig_dose.core.record_bag import Correction

    start = entry("start", "2027-01-04T08:05:00Z", 1, rate_ml_per_h="42")
    moving = {"at": "2027-01-04T08:10:00Z", "zone": "+02:00"}
    events = effective([(1, start), correction(start.uuid, 2, changes=moving)])
    (moved,) = events.active
    # 08:10 UTC read at +02:00 is 10:10
    assert (moved.at, moved.zone, moved.clock) == ("2027-01-04T08:10:00Z", "+02:00", "2027-01-04 10:10")
    assert moved.corrections == (Correction(f"c{2:031x}", "CD", "2027-01-04T20:00:00Z", "typo", False),)
    voided = effective([(1, start), correction(start.uuid, 2, void=True)])
    assert voided.voided[0].corrections[0].void is True
    unexplained = Entry("c" * 32, "origin", AMEND, "P1", 1, "2027-01-04T20:00:00Z", "+01:00", "2027-01-04T20:00:00Z",
                        "CD", {"corrects": start.uuid, "void": True})
    assert effective([(1, start), (2, unexplained)]).voided[0].corrections[0].reason == ""


def test_a_correction_of_an_entry_not_in_the_bag_is_passed_over_not_the_end():
    start = entry("start", "2027-01-04T08:05:00Z", 1, rate_ml_per_h="42")
    events = effective([(1, start), correction("f" * 32, 2, void=True),
                        correction(start.uuid, 3, changes={"rate_ml_per_h": "48"})])
    assert [e.rate for e in events.active] == [D(48)]


def test_events_in_the_same_minute_keep_their_storage_order():
    start = entry("start", "2027-01-04T08:05:00Z", 1, rate_ml_per_h="42")
    reaction = entry("reaction", "2027-01-04T08:05:00Z", 2, grade=1)
    assert [(e.seq, e.kind) for e in effective([(2, reaction), (1, start)]).active] == [(1, "start"), (2, "reaction")]
