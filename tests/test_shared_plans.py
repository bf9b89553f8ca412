"""batch renders a plan once for every patient who shares all inputs but the start date, and
fills in their id, dates and digest. These tests hold that shortcut to rendering every patient
afresh, byte for byte, in every format, blinded or not."""

from __future__ import annotations

import io
import multiprocessing
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivig_dose.app import shared_plans
from ivig_dose.app.shared_plans import SharedIvigPlans, SharedPlans, shape_of, wanted
from ivig_dose.cli.batch import batch_settings
from ivig_dose.cli.plan import plan_from_request
from ivig_dose.core.digest import canonical_text
from ivig_dose.core.model import PlanRequest
from ivig_dose.render.batch_writers import PlanWriter
from ivig_dose.render.plan_template import PATIENT_ID, REFERENCE_START, cut

FORMATS = ("csv", "jsonl", "json")


def run_settings(round_to: str | None = None, blinded: bool = False, protocol: str = "timeismuscle"):
    return batch_settings({"protocol": protocol, "day_first": False, "month_first": False, "products": None,
                           "product": None, "max_rate": None, "round_to": round_to, "blinded": blinded}, None)


def both_ways(requests: list[tuple[str, PlanRequest]], fmt: str, run) -> tuple[str, str]:
    """The text batch writes through SharedPlans, and the text of each plan rendered on its own."""
    def planner(request: PlanRequest):
        return plan_from_request(request, run.protocol, run.dispensing)

    ivig = SharedIvigPlans(run.protocol)
    shared_out, alone_out = io.BytesIO(), io.BytesIO()
    shared_writer = PlanWriter(fmt, shared_out, run.blinded)
    alone_writer = PlanWriter(fmt, alone_out, run.blinded)
    plans = SharedPlans(lambda request: plan_from_request(request, run.protocol, run.dispensing, ivig), shared_writer)
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
    named = [(f"P,{index}\"" if index % 3 == 0 else f"P{index}", replace_rounding(r, run.rounding))
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
        return plan_from_request(request, run.protocol, run.dispensing)

    plans = SharedPlans(planner, PlanWriter("jsonl", io.BytesIO(), False))
    for offset in range(5):
        plans.text("P", wanted(PlanRequest(weight_kg=Decimal(70), start=date(2027, 1, 4) + timedelta(days=offset))))
    # five patients of one shape: one plan, made at the reference start
    assert calls == [REFERENCE_START]


def test_the_two_arms_of_the_same_inputs_share_one_ivig_plan(monkeypatch):
    from ivig_dose.core import dosing

    run = run_settings()
    made = []

    def counted(request, protocol):
        made.append(request.arm)
        return real(request, protocol)

    real = dosing.ivig_plan
    monkeypatch.setattr(dosing, "ivig_plan", counted)
    ivig = SharedIvigPlans(run.protocol)
    start = date(2027, 1, 4)
    placebo = plan_from_request(PlanRequest(Decimal(70), start, arm="placebo"), run.protocol, run.dispensing, ivig)
    active = plan_from_request(PlanRequest(Decimal(70), start, arm="ivig"), run.protocol, run.dispensing, ivig)
    assert made == ["placebo"]  # the IVIg plan was made once, for the first of the two
    assert (placebo.arm, active.arm) == ("placebo", "ivig")
    # R8: the same volumes; IgG only in the IVIg arm (70 kg x 2 g/kg = 140 g a course, 3 courses)
    assert placebo.total_volume_ml == active.total_volume_ml == 3 * 1400
    assert (placebo.total_dose_g, active.total_dose_g) == (0, 3 * 140)
    # 70 and 70.0 kg could print differently, so they do not share
    plan_from_request(PlanRequest(Decimal("70.0"), start), run.protocol, run.dispensing, ivig)
    assert made == ["placebo", "ivig"]


def test_equal_weights_written_differently_are_two_shapes():
    # 70 and 70.0 kg are equal numbers but could print differently; they never share a text
    a = PlanRequest(weight_kg=Decimal("70"), start=date(2027, 1, 4))
    b = PlanRequest(weight_kg=Decimal("70.0"), start=date(2028, 5, 1))
    assert shape_of(a) != shape_of(b)
    assert shape_of(a) == shape_of(PlanRequest(weight_kg=Decimal("70"), start=date(2030, 1, 1)))


def test_templates_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(shared_plans, "MAX_SHARED", 4)
    run = run_settings()
    plans = SharedPlans(lambda r: plan_from_request(r, run.protocol, run.dispensing),
                        PlanWriter("csv", io.BytesIO(), False))
    for tenth in range(20):
        request = PlanRequest(weight_kg=Decimal(f"60.{tenth % 10}") + tenth // 10, start=date(2027, 1, 4))
        plans.text("P", wanted(request))
        assert len(plans.templates) <= 4


def test_a_date_the_cut_cannot_place_falls_back_to_rendering_each_patient():
    run = run_settings()
    plan = plan_from_request(PlanRequest(weight_kg=Decimal(70), start=REFERENCE_START), run.protocol, run.dispensing)
    # a renderer that printed the day before the start (a date the plan does not hold) cannot be cut
    day_before = (REFERENCE_START - timedelta(days=1)).isoformat()
    canonical = canonical_text(plan)
    assert cut(["{", PATIENT_ID, f' "{day_before}"'], plan, canonical) is None
    assert cut(["{", PATIENT_ID, f' "{REFERENCE_START.isoformat()}"'], plan, canonical) is not None


def test_a_template_is_cut_only_from_a_plan_at_the_reference_start():
    run = run_settings()
    plan = plan_from_request(PlanRequest(weight_kg=Decimal(70), start=date(2027, 1, 4)), run.protocol, run.dispensing)
    with pytest.raises(ValueError):
        cut(["x"], plan, canonical_text(plan))


def test_no_data_file_holds_a_date_near_the_reference_start():
    # the cut would take such a date for one of the plan's own; the built-in data must never hold one
    data = Path(shared_plans.__file__).parents[1]
    years = [f"{year:04d}-" for year in range(REFERENCE_START.year - 5, REFERENCE_START.year + 6)]
    for path in [*data.rglob("*.toml"), *data.rglob("*.txt")]:
        text = path.read_text(encoding="utf-8")
        assert not any(year in text for year in years), path


# --- worker processes -------------------------------------------------------------------------

def patient_lines(rows: int) -> list[str]:
    """A list that spans several chunks, repeats shapes across them, and has bad rows of both kinds."""
    lines = ["patient_id,weight,start,arm,days\n"]
    for i in range(rows):
        weight = f"{45 + i % 23}.{i % 7}"
        days = "9" if i % 97 == 5 else ""  # outside 2 to 5: refused when the plan is made
        if i % 101 == 7:
            weight = "heavy"  # refused when the row is read
        start = date(2027, 1, 1) + timedelta(days=i % 400)
        lines.append(f"P{i},{weight},{start.isoformat()},{'placebo' if i % 3 == 0 else 'ivig'},{days}\n")
    return lines


def opened(lines: list[str], size: int | None):
    from ivig_dose.files.inputs import OpenedInput

    return OpenedInput(iter(lines), "patients.csv", size, io.BytesIO())


def run_batch(lines: list[str], fmt: str, pooled: bool, capsys, blinded: bool = False):
    import csv

    from ivig_dose.cli.batch import BatchFormat, RowReport, plan_patients

    settings = run_settings("vials", blinded)
    out, errors = io.BytesIO(), io.StringIO()
    report = RowReport(csv.writer(errors, lineterminator="\n"))
    size = shared_plans.POOL_FROM_BYTES if pooled else None
    with shared_plans.template_pool(opened(lines, size), settings, fmt) as pool:
        assert (pool is not None) == pooled
        plan_patients(opened(lines, size), out, BatchFormat(fmt), report, settings, lambda: None, pool)
    return out.getvalue().decode(), errors.getvalue(), capsys.readouterr().err, (report.done, report.bad)


@pytest.mark.skipif(shared_plans.usable_cores() < 2, reason="worker processes need a second core")
@pytest.mark.parametrize(("fmt", "blinded"), [("jsonl", False), ("csv", False), ("json", True)])
def test_worker_processes_write_what_one_process_writes(fmt, blinded, capsys):
    lines = patient_lines(1300)
    alone = run_batch(lines, fmt, False, capsys, blinded)
    pooled = run_batch(lines, fmt, True, capsys, blinded)
    assert pooled == alone
    done, bad = alone[3]
    # 13 rows with an unreadable weight (i % 101 == 7) and 14 with 9 days (i % 97 == 5), none both
    assert (done, bad) == (1300 - 27, 27)
    reported = alone[1].splitlines()
    assert len(reported) == 27
    assert sum("'heavy'" in line for line in reported) == 13


def _stop_the_worker(requests):
    """What the out-of-memory killer does to a worker process."""
    import os

    os._exit(9)


@pytest.mark.skipif(shared_plans.usable_cores() < 2 or "fork" not in multiprocessing.get_all_start_methods(),
                    reason="a second core, and workers forked with this test's stand-in")
def test_a_worker_that_stops_leaves_its_work_to_the_main_process(monkeypatch, capsys):
    lines = patient_lines(1300)
    alone = run_batch(lines, "jsonl", False, capsys)
    # the workers are forked after this, so they run it when sent their first work
    monkeypatch.setattr(shared_plans, "_make_in_worker", _stop_the_worker)
    text, errors, stderr, counts = run_batch(lines, "jsonl", True, capsys)
    assert (text, errors, counts) == alone[:2] + alone[3:]
    warned = [line for line in stderr.splitlines() if "worker process stopped" in line]
    assert warned == ["ivig-dose: warning: a worker process stopped before its work was done; "
                      "the rest of the list is planned in the main process"]
    assert [line for line in stderr.splitlines() if line not in warned] == alone[2].splitlines()


def test_a_pool_is_started_only_for_a_large_list_on_several_cores():
    run = run_settings()
    small, unknown = opened([], shared_plans.POOL_FROM_BYTES - 1), opened([], None)
    for source in (small, unknown):  # under 64 kB, or stdin (size unknown): no processes to start
        with shared_plans.template_pool(source, run, "csv") as pool:
            assert pool is None
    with shared_plans.template_pool(opened([], shared_plans.POOL_FROM_BYTES), run, "csv") as pool:
        assert (pool is not None) == (shared_plans.usable_cores() >= 2)
