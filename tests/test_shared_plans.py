"""batch renders a plan once for every patient who shares all inputs but the start date, and
fills in their id, dates and digest. These tests hold that shortcut to rendering every patient
afresh, byte for byte, in every format, blinded or not."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
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

FORMATS = ("csv", "jsonl", "json", "fhir")
#: one generation time for both ways of a run, as a batch has one (FHIR's authoredOn).
AUTHORED = datetime(2027, 1, 2, 8, 30, tzinfo=UTC)


def run_settings(round_to: str | None = None, blinded: bool = False, protocol: str = "timeismuscle"):
    return batch_run(protocol, None, None, round_to, None, blinded, None, None)


def both_ways(requests: list[tuple[str, PlanRequest]], fmt: str, run) -> tuple[str, str]:
    """The text batch writes through SharedPlans, and the text of each plan rendered on its own."""
    def planner(request: PlanRequest):
        return plan_request(request, run.setup)

    shared_out, alone_out = io.BytesIO(), io.BytesIO()
    shared_writer = PlanWriter(fmt, shared_out, run.blinded, AUTHORED)
    alone_writer = PlanWriter(fmt, alone_out, run.blinded, AUTHORED)
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


def counting(fmt: str, record=lambda request: request.start) -> tuple[SharedPlans, list]:
    """SharedPlans over the default run's planner, and the list of what each plan it made was made for."""
    run = run_settings()
    made: list = []

    def planner(request):
        made.append(record(request))
        return plan_request(request, run.setup)

    return SharedPlans(planner, PlanWriter(fmt, io.BytesIO(), False)), made


@pytest.mark.parametrize("protocol", ["octagam-dermatomyositis", "standard-5-day"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_other_protocols_share_correctly(protocol, fmt):
    run = run_settings(protocol=protocol)
    first = date(2028, 2, 27)
    rows = [(f"P{i}", PlanRequest(weight_kg=Decimal("64.2"), start=first + timedelta(days=i * 37))) for i in range(4)]
    shared, alone = both_ways(rows, fmt, run)
    assert shared == alone


def test_a_template_is_made_once_per_shape_and_reused():
    plans, calls = counting("jsonl")
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


def test_the_least_recently_used_template_goes_first_and_is_made_again_when_needed(monkeypatch):
    monkeypatch.setattr(shared_plans, "MAX_SHARED", 3)
    plans, made = counting("jsonl", lambda request: request.weight_kg)

    def patient(kg: str, day: int = 0) -> None:
        plans.text("P", wanted(PlanRequest(weight_kg=Decimal(kg), start=date(2027, 1, 4) + timedelta(days=day))))

    for kg in ("60", "61", "62"):
        patient(kg)
    patient("60", 9)           # 60 kg used again: now the most recent
    patient("63")              # a fourth shape: the least recently used, 61 kg, goes
    assert [shape[0] for shape in plans.templates] == ["62", "60", "63"]  # each weight as it was spelt
    patient("60", 30)          # still kept: not made again
    patient("61", 30)          # gone: made again, and 62 kg goes
    assert made == [Decimal(kg) for kg in ("60", "61", "62", "63", "61")]
    assert [shape[0] for shape in plans.templates] == ["63", "60", "61"]


def test_a_shape_the_protocol_refuses_is_refused_for_each_of_its_patients_and_planned_once():
    from ivig_dose.core.errors import InputError

    plans, made = counting("csv")
    # 100 kg over 2 days: 90 g a day, over the 80 g/day cap (R3)
    said = []
    for day in (0, 7):
        with pytest.raises(InputError) as raised:
            plans.text("P", wanted(PlanRequest(weight_kg=Decimal(100), start=date(2027, 1, 4) + timedelta(days=day),
                                               days=2)))
        said.append(raised.value.message)
    assert said == ["--days 2 would give 90 g/day, over the 80 g/day cap (R3); the smallest number of days that works "
                    "is 3"] * 2
    assert made == [REFERENCE_START]


def test_fhir_is_shared_with_each_patients_own_ids_and_dates():
    plans, made = counting("fhir")
    starts = [date(2027, 1, 4), date(2027, 2, 8)]
    texts = [plans.text(f"P{i}", wanted(PlanRequest(weight_kg=Decimal(70), start=s)))[0]
             for i, s in enumerate(starts)]
    assert made == [REFERENCE_START]  # one plan for both patients
    assert b'"2027-01-04' in texts[0] and b'"2027-02-08' in texts[1] and b"1000-" not in b"".join(texts)
    assert b'"P0"' in texts[0] and b'"P1"' in texts[1] and b'"P1"' not in texts[0]
    assert b'"P0 timeismuscle baseline"' in texts[0]  # the id inside the course's group name
    urls = [set(re.findall(rb"urn:uuid:[0-9a-f-]{36}", text)) for text in texts]
    # 70 kg: a medication, a weight and 7 bags (3 baseline, 2 and 2), each with its own id per patient
    assert len(urls[0]) == len(urls[1]) == 9 and not urls[0] & urls[1]


def test_patients_who_differ_in_a_later_weight_or_a_risk_are_two_shapes():
    start = date(2027, 1, 4)
    week4 = [PlanRequest(weight_kg=Decimal(100), start=start, course_weights=(("week 4", Decimal(kg)),))
             for kg in ("95", "60")]
    assert shape_of(week4[0]) != shape_of(week4[1])
    risks = [PlanRequest(weight_kg=Decimal(70), start=start, risks=(risk,)) for risk in ("thrombosis", "renal")]
    assert shape_of(risks[0]) != shape_of(risks[1])
    # and in batch each gets its own plan: 95 kg is capped at 180 g (R2), 60 kg gives 120 g
    run = run_settings()
    shared, alone = both_ways([(f"P{i}", request) for i, request in enumerate(week4)], "jsonl", run)
    assert shared == alone and '"dose_g":180' in shared.splitlines()[0] and '"dose_g":120' in shared.splitlines()[1]


def test_a_cut_joins_the_text_between_holes_and_fills_each_patient():
    from ivig_dose.render.plan_template import cut

    run = run_settings()
    plan = plan_request(PlanRequest(weight_kg=Decimal(70), start=REFERENCE_START), run.setup)
    start = REFERENCE_START.isoformat()
    template = cut(["[", "id ", PATIENT_ID, f" starts {start}", ", ends ", f"{plan.courses[-1].days[-1].date}]"],
                   plan, canonical_text(plan))
    assert template is not None
    # 70 kg: the last infusion is week 8 day 2, 57 days after the start (R7)
    assert template.holes == (PATIENT_ID,)
    assert template.fill(["P-7"], date(2027, 1, 4)) == b"[id P-7 starts 2027-01-04, ends 2027-03-02]"


def test_a_template_is_cut_only_from_a_plan_at_the_reference_start_and_says_so():
    run = run_settings()
    plan = plan_request(PlanRequest(weight_kg=Decimal(70), start=date(2027, 1, 4)), run.setup)
    with pytest.raises(ValueError) as raised:
        cut(["x"], plan, canonical_text(plan))
    assert str(raised.value) == "a template is cut from a plan that starts on 1000-01-06"


def test_a_plan_that_cannot_be_shared_is_rendered_for_each_patient_with_their_id():
    # a warning quoting the start date cannot be filled, so such a plan is rendered per patient
    from dataclasses import replace as changed

    run = run_settings()

    def planner(request):
        plan = plan_request(request, run.setup)
        return changed(plan, warnings=(*plan.warnings, f"first infusion on {request.start}"))

    plans = SharedPlans(planner, PlanWriter("csv", io.BytesIO(), False))
    text, warnings = plans.text("P-7", wanted(PlanRequest(weight_kg=Decimal(70), start=date(2027, 1, 4))))
    assert text.startswith(b"P-7,baseline,0,2027-01-04,") and b"1000-" not in text
    assert warnings[-1] == "first infusion on 2027-01-04"


def test_every_input_but_the_start_is_in_the_shape():
    # mutant A left the height out of the key; any input left out would share one patient's plan with another
    from dataclasses import fields, replace

    from ivig_dose.core.rounding import Rounding

    base = PlanRequest(weight_kg=Decimal(100), start=date(2027, 1, 4))
    other = {
        "weight_kg": Decimal(101), "arm": "placebo", "days": 4, "course_weights": (("week 4", Decimal(95)),),
        "height_cm": Decimal(193), "sex": "male", "pregnant": True, "dosing_weight": "adjusted",
        "rounding": Rounding("multiples of 5 g", (Decimal(5),)), "risks": ("renal",), "age_years": Decimal(45),
        # 100 kg typed as 100000 g reads "100000 g (100 kg)" in every warning: not the "100 kg" of another
        "weight_as_typed": "100000 g", "course_weights_as_typed": (("week 4", "209.4 lb"),),
    }
    assert set(other) == {f.name for f in fields(PlanRequest)} - {"start"}
    for name, value in other.items():
        assert shape_of(replace(base, **{name: value})) != shape_of(base), name
    assert shape_of(replace(base, start=date(2030, 6, 1))) == shape_of(base)

def test_later_course_weights_are_part_of_the_shape():
    start = date(2027, 1, 4)
    week4 = [PlanRequest(weight_kg=Decimal(70), start=start, course_weights=(("week4", Decimal(w)),))
             for w in ("66", "68", "68.0")]
    assert len({shape_of(request) for request in week4}) == 3  # 68 and 68.0 could print differently


@pytest.mark.parametrize(("fmt", "shows_digest"), [("csv", False), ("jsonl", True), ("json", True), ("fhir", True)])
def test_a_digest_is_worked_out_per_patient_only_where_the_text_shows_one(fmt, shows_digest):
    run = run_settings()
    plans = SharedPlans(lambda r: plan_request(r, run.setup), PlanWriter(fmt, io.BytesIO(), False))
    template = plans.make(PlanRequest(weight_kg=Decimal(70), start=REFERENCE_START))
    assert isinstance(template, PlanTemplate)
    assert (template.digest_around is not None) == shows_digest
    assert len(template.days) == len(set(template.days))  # each date once a patient


def test_a_plan_made_afresh_carries_the_warnings_of_its_own_dates():
    from ivig_dose.core.protocol import Holidays

    run = run_settings()
    # Tuesday 27 April 2027, a listed holiday, before "today" (1 May): both are said
    holidays = Holidays((date(2027, 4, 27),), "site list")
    plans = SharedPlans(lambda r: plan_request(r, run.setup), PlanWriter("csv", io.BytesIO(), False),
                        today=date(2027, 5, 1), holidays=holidays)
    request = PlanRequest(weight_kg=Decimal(70), start=date(2027, 4, 27), rounding=run.setup.rounding)
    _, warnings = plans._afresh("P1", request)
    dated = warnings[len(plan_request(request, run.setup).warnings):]
    assert dated == ("start Tue 2027-04-27 is 4 day(s) in the past: check the date before anything is prepared",
                     "hospital day(s) on a public holiday: Tue 2027-04-27 (holidays listed by the protocol: site "
                     "list); check that the ward gives infusions then, or choose another start")
    undated = SharedPlans(lambda r: plan_request(r, run.setup), PlanWriter("csv", io.BytesIO(), False))
    assert undated._afresh("P1", request)[1] == plan_request(request, run.setup).warnings
