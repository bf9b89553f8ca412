"""batch renders a plan once for every patient who shares all inputs but the start date, and
fills in their id, dates and digest. These tests hold that shortcut to rendering every patient
afresh, byte for byte, in every format, blinded or not."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivig_dose.app import shared_plans
from ivig_dose.app.batch import batch_run
from ivig_dose.app.plan import plan_request
from ivig_dose.app.shared_plans import SharedPlans, shape_of, wanted
from ivig_dose.core.digest import canonical_text
from ivig_dose.core.model import PlanRequest
from ivig_dose.render.batch_writers import PlanWriter
from ivig_dose.render.plan_template import PATIENT_ID, REFERENCE_START, PlanTemplate, cut

FORMATS = ("csv", "jsonl", "json")


def run_settings(round_to: str | None = None, blinded: bool = False, protocol: str = "timeismuscle"):
    return batch_run(protocol, None, None, round_to, None, blinded, None, None)


def both_ways(requests: list[tuple[str, PlanRequest]], fmt: str, run) -> tuple[str, str]:
    """The text batch writes through SharedPlans, and the text of each plan rendered on its own."""
    def planner(request: PlanRequest):
        return plan_request(request, run.setup)

    shared_out, alone_out = io.BytesIO(), io.BytesIO()
    shared_writer = PlanWriter(fmt, shared_out, run.blinded)
    alone_writer = PlanWriter(fmt, alone_out, run.blinded)
    plans = SharedPlans(lambda request: plan_request(request, run.setup), shared_writer)
    for patient_id, request in requests:
        shared_writer.write(plans.text(patient_id, wanted(request))[0])
        alone_writer.write(alone_writer.text(patient_id, planner(request)))
    shared_writer.close()
    alone_writer.close()
    return shared_out.getvalue().decode(), alone_out.getvalue().decode()


# Few weights, so that shapes repeat; starts over leap days and year ends (dates cross them).
weights = st.sampled_from(["52.5", "70", "70.0", "81.3", "96", "123.4"]).map(Decimal)
starts = st.dates(min_value=date(2023, 12, 1), max_value=date(2029, 3, 31))
requests = st.builds(
    PlanRequest,
    weight_kg=weights,
    start=starts,
    arm=st.sampled_from(["ivig", "placebo"]),
    days=st.sampled_from([None, 3, 5]),
    course_weights=st.sampled_from([(), (("week 4", Decimal("66.6")),)]),
)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(requests, min_size=1, max_size=8), fmt=st.sampled_from(FORMATS),
       blinded=st.booleans(), round_to=st.sampled_from([None, "vials"]))
def test_shared_text_is_what_rendering_each_patient_gives(rows, fmt, blinded, round_to):
    run = run_settings(round_to, blinded)
    named = [(f"P,{index}\"" if index % 3 == 0 else f"P{index}", replace_rounding(r, run.setup.rounding))
             for index, r in enumerate(rows)]
    shared, alone = both_ways(named, fmt, run)
    assert shared == alone


def replace_rounding(request: PlanRequest, rounding) -> PlanRequest:
    from dataclasses import replace

    return replace(request, rounding=rounding)


@pytest.mark.parametrize("protocol", ["octagam-dermatomyositis", "standard-5-day"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_other_protocols_share_correctly(protocol, fmt):
    run = run_settings(protocol=protocol)
    first = date(2028, 2, 27)
    rows = [(f"P{i}", PlanRequest(weight_kg=Decimal("64.2"), start=first + timedelta(days=i * 37))) for i in range(4)]
    shared, alone = both_ways(rows, fmt, run)
    assert shared == alone


def test_a_template_is_made_once_per_shape_and_reused():
    run = run_settings()
    calls = []

    def planner(request):
        calls.append(request.start)
        return plan_request(request, run.setup)

    plans = SharedPlans(planner, PlanWriter("jsonl", io.BytesIO(), False))
    for offset in range(5):
        plans.text("P", wanted(PlanRequest(weight_kg=Decimal(70), start=date(2027, 1, 4) + timedelta(days=offset))))
    # five patients of one shape: one plan, made at the reference start
    assert calls == [REFERENCE_START]


def test_the_two_arms_of_the_same_inputs_give_the_same_volumes():
    run = run_settings()
    start = date(2027, 1, 4)
    placebo = plan_request(PlanRequest(Decimal(70), start, arm="placebo"), run.setup)
    active = plan_request(PlanRequest(Decimal(70), start, arm="ivig"), run.setup)
    assert (placebo.arm, active.arm) == ("placebo", "ivig")
    # R8: the same volumes; IgG only in the IVIg arm (70 kg x 2 g/kg = 140 g a course, 3 courses)
    assert placebo.total_volume_ml == active.total_volume_ml == 3 * 1400
    assert (placebo.total_dose_g, active.total_dose_g) == (0, 3 * 140)


def test_equal_weights_written_differently_are_two_shapes():
    # 70 and 70.0 kg are equal numbers but could print differently; they never share a text
    a = PlanRequest(weight_kg=Decimal("70"), start=date(2027, 1, 4))
    b = PlanRequest(weight_kg=Decimal("70.0"), start=date(2028, 5, 1))
    assert shape_of(a) != shape_of(b)
    assert shape_of(a) == shape_of(PlanRequest(weight_kg=Decimal("70"), start=date(2030, 1, 1)))


def test_templates_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(shared_plans, "MAX_SHARED", 4)
    run = run_settings()
    plans = SharedPlans(lambda r: plan_request(r, run.setup),
                        PlanWriter("csv", io.BytesIO(), False))
    for tenth in range(20):
        request = PlanRequest(weight_kg=Decimal(f"60.{tenth % 10}") + tenth // 10, start=date(2027, 1, 4))
        plans.text("P", wanted(request))
        assert len(plans.templates) <= 4


def test_a_date_the_cut_cannot_place_falls_back_to_rendering_each_patient():
    run = run_settings()
    plan = plan_request(PlanRequest(weight_kg=Decimal(70), start=REFERENCE_START), run.setup)
    # a renderer that printed the day before the start (a date the plan does not hold) cannot be cut
    day_before = (REFERENCE_START - timedelta(days=1)).isoformat()
    canonical = canonical_text(plan)
    assert cut(["{", PATIENT_ID, f' "{day_before}"'], plan, canonical) is None
    assert cut(["{", PATIENT_ID, f' "{REFERENCE_START.isoformat()}"'], plan, canonical) is not None


def test_a_template_is_cut_only_from_a_plan_at_the_reference_start():
    run = run_settings()
    plan = plan_request(PlanRequest(weight_kg=Decimal(70), start=date(2027, 1, 4)), run.setup)
    with pytest.raises(ValueError):
        cut(["x"], plan, canonical_text(plan))


def test_no_data_file_holds_a_date_near_the_reference_start():
    # the cut would take such a date for one of the plan's own; the built-in data must never hold one
    data = Path(shared_plans.__file__).parents[1]
    years = [f"{year:04d}-" for year in range(REFERENCE_START.year - 5, REFERENCE_START.year + 6)]
    for path in [*data.rglob("*.toml"), *data.rglob("*.txt")]:
        text = path.read_text(encoding="utf-8")
        assert not any(year in text for year in years), path


def test_the_least_recently_used_template_goes_first_and_exactly_max_shared_are_kept(monkeypatch):
    monkeypatch.setattr(shared_plans, "MAX_SHARED", 3)
    run = run_settings()
    made = []

    def planner(request):
        made.append(request.weight_kg)
        return plan_request(request, run.setup)

    plans = SharedPlans(planner, PlanWriter("csv", io.BytesIO(), False))
    for weight in ("61", "62", "63", "61", "64", "61", "63", "62"):
        plans.text("P", wanted(PlanRequest(weight_kg=Decimal(weight), start=date(2027, 1, 4))))
    # 61, 62, 63 made; 61 used again; 64 pushes out 62 (the least recently used), not 61;
    # 61 and 63 are still kept; 62 is made again (and pushes out 64)
    assert made == [Decimal(w) for w in ("61", "62", "63", "64", "62")]
    assert len(plans.templates) == 3


def test_later_course_weights_are_part_of_the_shape():
    start = date(2027, 1, 4)
    week4 = [PlanRequest(weight_kg=Decimal(70), start=start, course_weights=(("week4", Decimal(w)),))
             for w in ("66", "68", "68.0")]
    assert len({shape_of(request) for request in week4}) == 3  # 68 and 68.0 could print differently


@pytest.mark.parametrize(("fmt", "shows_digest"), [("csv", False), ("jsonl", True), ("json", True)])
def test_a_digest_is_worked_out_per_patient_only_where_the_text_shows_one(fmt, shows_digest):
    run = run_settings()
    plans = SharedPlans(lambda r: plan_request(r, run.setup), PlanWriter(fmt, io.BytesIO(), False))
    template = plans.make(PlanRequest(weight_kg=Decimal(70), start=REFERENCE_START))
    assert isinstance(template, PlanTemplate)
    assert (template.digest_around is not None) == shows_digest
    assert len(template.days) == len(set(template.days))  # each date once a patient
