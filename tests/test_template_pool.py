"""batch's worker processes (app.template_pool): the same bytes, messages and errors as one process,
rows handed on in order, a bounded read-ahead, a stopped worker's work done here, and SIGTERM or
SIGHUP leaving neither a file nor a process behind."""

from __future__ import annotations

import io
import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from typer.testing import CliRunner

from ivig_dose.app import template_pool as pool
from ivig_dose.app.batch import RowReport, batch_run, plan_patients
from ivig_dose.app.plan import plan_request
from ivig_dose.app.shared_plans import SharedPlans, wanted
from ivig_dose.app.template_pool import (
    POOL_FROM_BYTES,
    Workers,
    made_ahead,
    template_pool,
    usable_cores,
    workers_for,
)
from ivig_dose.cli.main import app
from ivig_dose.core.errors import InputError
from ivig_dose.core.model import PlanRequest
from ivig_dose.files.inputs import OpenedInput
from ivig_dose.render.batch_writers import PlanWriter
from ivig_dose.render.formats import Format
from ivig_dose.render.plan_template import REFERENCE_START, PlanTemplate

HEADER = "patient_id,weight,start,arm,days"
needs_cores = pytest.mark.skipif(usable_cores() < 2, reason="worker processes need a second core")


def patient_lines(count: int) -> list[str]:
    """Shapes that repeat and ones that do not, a refused weight (5 kg, below 20: refused by the
    plan, in the worker), an unreadable one (refused by the reader, here), a light weight planned
    with a warning (35 kg, below 40), placebo rows, and ids a CSV must quote."""
    lines = []
    for i in range(count):
        weight = ("5", "abc", "35")[i % 3] if i % 97 == 13 else f"{40 + i % 61}.{i % 7}"
        start = date(2027, 1, 4) + timedelta(days=i % 400)
        patient = f'"P,{i}"' if i % 11 == 0 else f"P{i}"
        lines.append(f"{patient},{weight},{start.isoformat()},{('ivig', 'placebo')[i % 2]},{'' if i % 5 else 3}")
    return lines


def opened(lines: list[str], size: int | None) -> OpenedInput:
    return OpenedInput(iter([HEADER + "\n", *(line + "\n" for line in lines)]), "list.csv", size, io.BytesIO())


def planned(lines: list[str], fmt: str, pooled: bool, capsys: pytest.CaptureFixture[str],
            blinded: bool = False, lang: str = "en") -> tuple[bytes, str, str]:
    """What plan_patients writes, says and lists as errors, with worker processes or without."""
    import csv

    from ivig_dose.render.translations import translator

    run = batch_run("timeismuscle", None, None, None, None, blinded, None, None)
    out, errors = io.BytesIO(), io.StringIO()
    report = RowReport(csv.writer(errors, lineterminator="\n"), tr=translator(lang))
    size = POOL_FROM_BYTES if pooled else None
    with template_pool(size, run.setup, fmt, blinded) as workers:
        assert (workers is not None) == pooled
        plan_patients(opened(lines, size), out, Format(fmt), report, run, lambda: None, workers)
    return out.getvalue(), capsys.readouterr().err, errors.getvalue()


# --- the same output as one process -----------------------------------------------------------

@needs_cores
@pytest.mark.parametrize(("fmt", "blinded"), [("csv", False), ("jsonl", False), ("json", True)])
def test_worker_processes_write_what_one_process_writes(fmt, blinded, capsys):
    lines = patient_lines(400)
    alone = planned(lines, fmt, False, capsys, blinded)
    assert b'"P,0"' in alone[0] or fmt != "csv"
    assert "row 112, patient_id P,110: weight 35 kg is below 40 kg" in alone[1]  # planned, with a warning
    assert "209,P207,weight 5 kg is outside" in alone[2] and "15,P13,\"weight 'abc'" in alone[2]
    assert planned(lines, fmt, True, capsys, blinded) == alone


@needs_cores
def test_worker_processes_say_in_dutch_what_one_process_says(capsys):
    # a worker brings its warnings and errors back as messages, translated here as the row's turn comes
    lines = patient_lines(400)
    alone = planned(lines, "jsonl", False, capsys, lang="nl")
    assert "rij 112, patient_id P,110: gewicht 35 kg is onder 40 kg" in alone[1]
    assert "209,P207,weight 5 kg is outside" in alone[2]  # the --errors file stays English
    assert planned(lines, "jsonl", True, capsys, lang="nl") == alone


@needs_cores
def test_a_short_read_ahead_and_small_groups_write_the_same(monkeypatch, capsys):
    # every row waits for its worker, and groups end at every boundary: the order still holds
    monkeypatch.setattr(pool, "AHEAD", 3)
    monkeypatch.setattr(pool, "GROUP", 2)
    lines = patient_lines(150)
    assert planned(lines, "jsonl", True, capsys) == planned(lines, "jsonl", False, capsys)


@needs_cores
def test_an_error_raised_while_planning_is_said_as_one_process_says_it(monkeypatch, capsys):
    def overflowing(request: PlanRequest, setup: Any):
        if request.weight_kg == Decimal("41.1"):
            raise OverflowError("a safety net's case")
        return plan_request(request, setup)

    # set before the workers are forked, so they plan with it too
    monkeypatch.setattr("ivig_dose.app.plan.plan_request", overflowing)
    lines = patient_lines(200)
    pooled = planned(lines, "csv", True, capsys)
    assert pooled == planned(lines, "csv", False, capsys)
    assert "row 3, patient_id P1: a value of this row is out of range" in pooled[1]  # 41.1 kg: the second row


def _stop_the_worker(requests: list[PlanRequest]) -> dict[int, Any]:
    """What the out-of-memory killer does to a worker process."""
    os.kill(os.getpid(), signal.SIGKILL)
    return {}


@needs_cores
def test_a_worker_that_stops_leaves_its_work_to_the_main_process(monkeypatch, capsys):
    lines = patient_lines(120)
    alone = planned(lines, "csv", False, capsys)
    # the workers are forked after this, so they run it when sent their first work
    monkeypatch.setattr(pool, "_make_in_worker", _stop_the_worker)
    out, stderr, errors = planned(lines, "csv", True, capsys)
    warned = [line for line in stderr.splitlines() if "worker process stopped" in line]
    assert warned == ["ivig-dose: warning: a worker process stopped before its work was done; "
                      "the rest of the list is planned in the main process"]
    assert (out, stderr.replace(warned[0] + "\n", ""), errors) == alone


# --- when there are workers -------------------------------------------------------------------

def test_workers_only_for_a_large_list_on_several_cores_in_a_shared_format():
    run = batch_run("timeismuscle", None, None, None, None, False, None, None)
    for size in (None, POOL_FROM_BYTES - 1):  # stdin, or a small file
        with workers_for(size, Format.csv, run.setup, False, False) as workers:
            assert workers is None
    for fmt, verify in ((Format.fhir, False), (Format.jsonl, True)):  # nothing shared
        with workers_for(POOL_FROM_BYTES, fmt, run.setup, False, verify) as workers:
            assert workers is None
    with workers_for(POOL_FROM_BYTES, Format.jsonl, run.setup, False, False) as workers:
        assert (workers is not None) == (usable_cores() >= 2)
        if workers is not None:
            assert workers.executor is not None
            assert workers.executor._max_workers == min(usable_cores(), pool.MAX_WORKERS)


@needs_cores
@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_the_command_plans_a_large_file_with_workers_and_stdin_without(monkeypatch, tmp_path, suffix):
    used, made_here = [], []
    make = SharedPlans.make

    def spy(items, plans, workers):
        used.append(workers)
        return made_ahead(items, plans, workers)

    def counted_make(plans: SharedPlans, request: PlanRequest):
        made_here.append(os.getpid())  # the workers are forked with it, and count in their own copy
        return make(plans, request)

    monkeypatch.setattr(pool, "made_ahead", spy)
    monkeypatch.setattr(SharedPlans, "make", counted_make)
    text = "\n".join([HEADER, *patient_lines(2400)]) + "\n"
    assert len(text.encode()) >= POOL_FROM_BYTES
    source = tmp_path / "list.csv"
    source.write_text(text, encoding="utf-8")
    runner = CliRunner()
    outputs, made = [], []
    for args, stdin in (([str(source)], None), (["-"], text)):
        out, errors = tmp_path / f"plans.{suffix}", tmp_path / "errors.csv"
        result = runner.invoke(app, ["batch", *args, "-o", str(out), "--errors", str(errors)], input=stdin)
        assert result.exit_code == 1, result.stderr  # the bad rows
        outputs.append((out.read_bytes(), errors.read_text().replace("stdin", "list")))
        made.append(len(made_here))
        made_here.clear()
    assert len(used) == 1 and used[0] is not None  # the file, not stdin
    assert outputs[0] == outputs[1]
    # every plan of the file was made by a worker; from stdin, all of them here
    assert made[0] == 0 and made[1] > 1000


# --- the read-ahead, with a stand-in for the processes -----------------------------------------

class Later(Future):  # type: ignore[type-arg]
    """A worker's answer, worked out only when it is asked for: until then it is not done."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work = work

    def result(self, timeout: float | None = None) -> Any:
        if not self.done():
            self.set_result(self.work())
        return super().result(timeout)


class StandIn:
    """An executor that runs what it is sent in this process, when its answer is asked for."""

    def __init__(self) -> None:
        self.groups: list[list[PlanRequest]] = []

    def submit(self, function: Callable[[list[PlanRequest]], Any], requests: list[PlanRequest]) -> Later:
        self.groups.append(list(requests))
        return Later(lambda: function(requests))


@pytest.fixture
def worker(monkeypatch: pytest.MonkeyPatch) -> SharedPlans:
    """The worker's own SharedPlans, in this process."""
    run = batch_run("timeismuscle", None, None, None, None, False, None, None)
    plans = SharedPlans(lambda request: plan_request(request, run.setup), PlanWriter("jsonl", io.BytesIO(), False))
    monkeypatch.setattr(pool, "_worker", plans)
    return plans


def main_plans() -> SharedPlans:
    run = batch_run("timeismuscle", None, None, None, None, False, None, None)
    return SharedPlans(lambda request: plan_request(request, run.setup), PlanWriter("jsonl", io.BytesIO(), False))


def items(weights: list[str]) -> list[tuple[int, Any]]:
    """Rows by number, each with its request (a start a day apart) or, for "bad", a reader's error."""
    start = date(2027, 1, 4)
    return [(number, InputError(f"row {number} unreadable") if weight == "bad" else
             wanted(PlanRequest(Decimal(weight), start + timedelta(days=number))))
            for number, weight in enumerate(weights)]


def counted(rows: list[tuple[int, Any]], read: list[int]) -> Iterator[tuple[int, Any]]:
    for row in rows:
        read.append(row[0])
        yield row


def test_rows_come_in_order_each_shape_made_once_in_groups(worker, monkeypatch):
    monkeypatch.setattr(pool, "GROUP", 3)
    plans, executor = main_plans(), StandIn()
    rows = items(["70", "71", "bad", "70", "72", "73", "74", "71", "75", "76", "77", "70"])
    handed = []
    for row in made_ahead(rows, plans, Workers(executor)):  # type: ignore[arg-type]
        if not isinstance(row[1], Exception):
            assert row[1].shape in plans.templates  # its template is here when its row comes
        handed.append(row)
    assert handed == rows
    sent = [request.weight_kg for group in executor.groups for request in group]
    assert sorted(sent) == [Decimal(w) for w in ("70", "71", "72", "73", "74", "75", "76", "77")]
    assert all(len(group) <= 3 for group in executor.groups)
    assert {request.start for group in executor.groups for request in group} == {REFERENCE_START}
    assert all(isinstance(plans.templates[row[1].shape], PlanTemplate)
               for row in rows if not isinstance(row[1], Exception))


def test_the_first_rows_shape_is_sent_at_once_and_the_read_ahead_is_bounded(worker, monkeypatch):
    monkeypatch.setattr(pool, "AHEAD", 4)
    monkeypatch.setattr(pool, "GROUP", 100)
    plans, executor = main_plans(), StandIn()
    read: list[int] = []
    handed = made_ahead(counted(items(["70", "71", "72", "73", "74", "75", "76"]), read), plans,
                        Workers(executor))  # type: ignore[arg-type]
    assert next(handed)[0] == 0
    # the first row's shape went alone, as soon as it was read; nothing answered (a Later is not done
    # until asked), so rows were read until AHEAD were waiting behind the first
    assert [len(group) for group in executor.groups] == [1]
    assert read == [0, 1, 2, 3, 4]
    assert next(handed)[0] == 1
    # the second row's turn sent the shapes read behind it (71 to 74) as one group
    assert [group[-1].weight_kg for group in executor.groups] == [70, 74]
    assert [row[0] for row in handed] == [2, 3, 4, 5, 6]
    assert [len(group) for group in executor.groups] == [1, 4, 1, 1]


def test_a_known_shape_or_a_bad_row_waits_for_nothing(worker):
    plans, executor = main_plans(), StandIn()
    rows = items(["70", "bad", "70"])
    plans.text("P", rows[0][1])  # already made here
    read: list[int] = []
    handed = made_ahead(counted(rows, read), plans, Workers(executor))  # type: ignore[arg-type]
    assert [next(handed)[0], next(handed)[0]] == [0, 1]
    assert read == [0, 1]  # each handed on as soon as read
    assert list(handed) == rows[2:]
    assert executor.groups == []


def test_a_plan_the_worker_could_not_make_is_made_here(worker, monkeypatch):
    def refusing(request: PlanRequest) -> Any:
        if request.weight_kg == 71:
            raise ZeroDivisionError("a safety net's case")
        return plan_request(request, batch_run("timeismuscle", None, None, None, None, False, None, None).setup)

    monkeypatch.setattr(worker, "planner", refusing)
    plans = main_plans()
    rows = items(["70", "71"])
    assert list(made_ahead(rows, plans, Workers(StandIn()))) == rows  # type: ignore[arg-type]
    assert rows[0][1].shape in plans.templates
    assert rows[1][1].shape not in plans.templates  # left to be made (and raise) here, as alone


def test_a_worker_makes_the_rest_of_its_group_after_one_it_could_not_make(worker, monkeypatch):
    planner = worker.planner
    monkeypatch.setattr(worker, "planner", lambda request: 1 / 0 if request.weight_kg == 71 else planner(request))
    made = pool._make_in_worker([PlanRequest(Decimal(w), REFERENCE_START) for w in ("71", "70", "72")])
    assert sorted(made) == [1, 2]
    assert all(isinstance(template, PlanTemplate) for template in made.values())


def test_a_worker_starts_with_the_runs_setup_and_format_and_leaves_stops_to_the_main_process(monkeypatch):
    run = batch_run("timeismuscle", None, None, "vials", None, True, None, None)
    here = SharedPlans(lambda request: plan_request(request, run.setup), PlanWriter("csv", io.BytesIO(), True))
    stops = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    before = {number: signal.getsignal(number) for number in stops}
    monkeypatch.setattr(pool, "_worker", None)
    try:
        for number in stops:
            signal.signal(number, lambda *_: None)
        pool._start_worker(run.setup, "csv", True)
        assert [signal.getsignal(number) for number in stops] == [signal.SIG_IGN, signal.SIG_DFL, signal.SIG_DFL]
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
    request = PlanRequest(Decimal("80.3"), REFERENCE_START, rounding=run.setup.rounding)
    made = pool._make_in_worker([request])[0]
    assert made == here.make(request)  # rounded to vials, blinded, in CSV: as this process makes it
    assert isinstance(made, PlanTemplate)
    assert b",Study medication (IVIg or placebo),R1;R2;R3;R4;R5;R6;R7;R9;round," in made.pieces[-1]


def test_usable_cores_without_affinity(monkeypatch):
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert usable_cores() == 6
    monkeypatch.setattr(os, "cpu_count", lambda: None)  # cannot be told
    assert usable_cores() == 1


def test_a_refused_plan_comes_back_as_a_plain_input_error(worker, monkeypatch):
    class Refusal(InputError):
        def __init__(self, where: str, problem: str) -> None:
            super().__init__(f"{where}: {problem}")

    def refusing(request: PlanRequest) -> Any:
        raise Refusal("here", "refused")

    monkeypatch.setattr(worker, "planner", refusing)
    made = pool._make_in_worker([PlanRequest(Decimal(70), REFERENCE_START)])
    assert type(made[0]) is InputError and made[0].message == "here: refused"
    assert pickle.loads(pickle.dumps(made))[0].message == "here: refused"


class Broken:
    """An executor whose process has stopped, at once or after taking the work."""

    def __init__(self, when: str) -> None:
        self.when = when

    def submit(self, function: Callable[..., Any], requests: list[PlanRequest]) -> Future:  # type: ignore[type-arg]
        if self.when == "sending":
            raise BrokenProcessPool("gone")
        future: Future = Future()  # type: ignore[type-arg]
        future.set_exception(BrokenProcessPool("gone"))
        return future


@pytest.mark.parametrize("when", ["sending", "answering"])
def test_a_stopped_worker_is_said_once_and_everything_is_made_here(when, capsys):
    plans = main_plans()
    workers = Workers(Broken(when))  # type: ignore[arg-type]
    rows = items(["70", "71", "bad", "72"])
    assert list(made_ahead(rows, plans, workers)) == rows
    assert workers.executor is None and plans.templates == {}
    assert capsys.readouterr().err.count("a worker process stopped") == 1


# --- stopped from outside ----------------------------------------------------------------------

@needs_cores
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP])
@pytest.mark.parametrize("whole_group", [False, True], ids=["main", "group"])
def test_a_stopped_pooled_batch_leaves_no_file_and_no_process(tmp_path, stop, whole_group):
    source = tmp_path / "list.csv"
    source.write_text("\n".join([HEADER, *patient_lines(60_000)]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "ivig_dose", "batch", str(source), "-o", str(out)],
                               stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob(".out.jsonl.*.part")) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert list(tmp_path.glob(".out.jsonl.*.part")), "the batch ended before it could be stopped"
    if whole_group:  # a closed terminal or a scheduler stops every process of the job
        os.killpg(process.pid, stop)
    else:
        process.send_signal(stop)
    _, stderr = process.communicate(timeout=60)
    said = stderr.decode()
    assert process.returncode == 128 + stop, said
    assert f"terminated by {stop.name}" in said and "Traceback" not in said
    assert sorted(path.name for path in tmp_path.iterdir()) == ["list.csv"]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the workers are gone with it
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("a worker process outlived the batch")
