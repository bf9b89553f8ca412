"""Times ``ivig-dose`` as a user meets it: whole processes, start-up included.

A bedside check is one short process, so what counts is the time from ``exec`` to exit, not
the time inside a function. Each case runs as a child process, repeated after a warm-up, and
is reported as the median wall time, the median CPU time (user + system, which a busy machine
disturbs less) and the ratio to ``python -c pass`` measured in the same run on the same
interpreter, so figures from different machines can be compared by their ratios.

Runs are interleaved (one of each case per round) so a burst of load elsewhere hits every case
alike. Peak memory is the child's own ``ru_maxrss`` from ``os.wait4``.

Standard library only, so it runs in any environment that has ``ivig-dose`` installed::

    python benchmarks/bench_cli.py            # full: 20 runs, batch of 10,000 patients
    python benchmarks/bench_cli.py --quick    # smoke test: 3 runs, batch of 1,000 patients
    python benchmarks/bench_cli.py --check    # exit status 1 if a median is over its budget
    python benchmarks/bench_cli.py --instructions   # each case once under callgrind: instruction ratios

Every budget is a ratio taken in the same rounds, so it carries from one machine to another: a
command's median wall time to ``python -c pass``'s, ``batch``'s patients a second, and ``batch -f
fhir``'s time to JSON Lines' (their median ratio round by round). On a machine shared with other
jobs, ``--instructions`` counts instructions instead (``valgrind --tool=callgrind``), which load
does not disturb; instruction ratios run higher than wall ratios (the interpreter's own start is
more system time than instructions), so they compare builds, not budgets.

No test asserts a time: timings on a shared machine are not a pass/fail signal.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

#: Budgets, as ratios to ``python -c pass`` in the same rounds (None: reported, not judged).
PLAN_TABLE_RATIO = 9
ONE_PATIENT_RATIO = 12
PDF_RATIO = 25
#: batch: at least this many patients a second, and FHIR at most this many times JSON Lines' time.
BATCH_PATIENTS_PER_S = 10_000
FHIR_TO_JSONL = 2
BATCH_ROWS = 10_000
#: One bedside write of ``ivig-dose record`` (a reaction), as a ratio to ``python -c pass``.
RECORD_WRITE_BUDGET_RATIO = 12


@dataclass(frozen=True)
class Case:
    """One command line to time; ``budget_ratio`` is the most its median may be of ``python -c
    pass``'s, ``rows`` the patients of a batch (judged by patients a second)."""

    name: str
    argv: tuple[str, ...]
    budget_ratio: float | None = None
    rows: int | None = None


@dataclass
class Samples:
    wall_s: list[float] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)
    max_rss_kib: int = 0


@dataclass(frozen=True)
class Run:
    wall_s: float
    cpu_s: float
    max_rss_kib: int


def run_once(argv: Sequence[str]) -> Run:
    """Runs one child to completion and reads its own resource usage (not the sum of all children)."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    with child.stderr:
        errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        last = errors.decode(errors="replace").strip().splitlines()[-1:]
        raise SystemExit(f"bench_cli: {' '.join(argv)} exited {child.returncode}: {''.join(last)}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def find_command(given: str | None) -> list[str]:
    """The installed console script beside this interpreter, else on PATH."""
    if given:
        return [given]
    beside = Path(sys.executable).with_name("ivig-dose")
    found = str(beside) if beside.exists() else shutil.which("ivig-dose")
    if found is None:
        raise SystemExit("bench_cli: no ivig-dose command found; install the package or pass --command")
    return [found]


def has_batch(command: Sequence[str]) -> bool:
    """Whether this build has a ``batch`` command: asked of the program itself, never assumed."""
    result = subprocess.run([*command, "batch", "--help"], capture_output=True, check=False)
    return result.returncode == 0


def write_patients(path: Path, rows: int, seed: int = 6, distinct: bool = False) -> None:
    """A deterministic patient list in the columns ``batch`` reads: adult weights, some with "kg".

    Weights are to 0.1 kg as a ward writes them, so patients share weights (and batch shares
    their plans); ``distinct`` gives every patient a weight of their own, to 0.001 kg: the worst case.
    """
    rng = random.Random(seed)
    first = date(2027, 1, 4)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["patient_id", "weight", "start", "arm"])
        for index in range(rows):
            tenths = rng.randint(400, 1500)  # 40.0 to 150.0 kg: no range warnings
            weight = f"{tenths // 10}.{tenths % 10}" + (" kg" if index % 3 == 0 else "")
            if distinct:
                weight = f"{40 + index * 0.011:.3f}"  # 40.000 kg up, a step of 0.011 kg a patient
            start = first + timedelta(days=rng.randint(0, 365))
            writer.writerow([f"P{index:06d}", weight, start.isoformat(), ("ivig", "placebo")[index % 2]])


def interpreter_of(command: Sequence[str]) -> str:
    """The Python a console script runs on (its #! line), so ``python -m`` times the same install."""
    try:
        with open(command[0], encoding="utf-8", errors="replace") as script:
            first = script.readline()
    except OSError:
        return sys.executable
    found = first.removeprefix("#!").strip()
    return found if first.startswith("#!") and "python" in Path(found).name else sys.executable


def record_cases(command: list[str], out_dir: Path, label: str = "") -> list[Case]:
    """A bedside write (a reaction, which may be written again and again) and the time left, on a
    record holding one registered order with its first bag started; none for a build without
    ``record``."""
    if subprocess.run([*command, "record", "--help"], capture_output=True, check=False).returncode != 0:
        return []
    record = out_dir / f"{'baseline-' if label else ''}record.sqlite3"
    order = out_dir / "record-order.json"
    plan = subprocess.run([*command, "plan", "--weight", "70", "--start", "2026-11-02", "-f", "json"],
                          capture_output=True, check=True)
    order.write_bytes(plan.stdout)
    bag = ("--patient-id", "B1", "--bag", "1", "--db", str(record))
    for args in (("order", str(order), "--patient-id", "B1", "--by", "PH", "--at", "2026-11-01 16:00",
                  "--db", str(record)), ("start", *bag, "--by", "AB", "--at", "2026-11-02 09:05")):
        subprocess.run([*command, "record", *args], capture_output=True, check=True)
    return [
        Case(f"{label}record reaction (a bedside write)",
             (*command, "record", "reaction", *bag, "--by", "AB", "--grade", "1", "--symptoms", "flush",
              "--action", "none", "--at", "2026-11-02 10:00"), budget_ratio=RECORD_WRITE_BUDGET_RATIO),
        Case(f"{label}record remaining", (*command, "record", "remaining", *bag, "--at", "2026-11-02 11:00")),
    ]


def one_patient_inputs(command: list[str], work: Path) -> tuple[Path, Path | None]:
    """An order to verify (this build's own plan of 70 kg, as JSON) and a screening answers file
    (the repository's example, when the benchmark runs from a checkout)."""
    work.mkdir(exist_ok=True)
    order = work / "order.json"
    with order.open("wb") as out:
        subprocess.run([*command, "plan", "--weight", "70", "--start", "2027-01-04", "--format", "json"],
                       stdout=out, stderr=subprocess.DEVNULL, check=True)
    answers = Path(__file__).resolve().parent.parent / "examples" / "screen_patient.toml"
    return order, answers if answers.exists() else None


def cases(command: list[str], batch_input: Path | None, out_dir: Path, rows: int, label: str = "") -> list[Case]:
    """The cases for one install; ``label`` names a second install timed beside the first."""
    python = interpreter_of(command)
    plan = (*command, "plan", "--weight", "70", "--start", "2027-01-04")
    prefix = "baseline-" if label else ""
    order, answers = one_patient_inputs(command, out_dir / f"{prefix}inputs" if label else out_dir)
    found = [] if label else [Case("python -c pass", (sys.executable, "-c", "pass"))]
    found += [
        Case(f"{label}plan --weight 70 (table)", plan, PLAN_TABLE_RATIO),
        Case(f"{label}plan --weight 70 --format json", (*plan, "--format", "json")),
        Case(f"{label}plan --weight 70 --format csv", (*plan, "--format", "csv")),
        Case(f"{label}python -m ivig_dose plan --weight 70", (python, "-m", "ivig_dose", *plan[1:])),
        Case(f"{label}--help", (*command, "--help")),
        Case(f"{label}verify order.json (a whole order)", (*command, "verify", str(order)), ONE_PATIENT_RATIO),
        Case(f"{label}rates --weight 70 --dose 70g", (*command, "rates", "--weight", "70", "--dose", "70g"),
             ONE_PATIENT_RATIO),
        *record_cases(command, out_dir, label),
    ]
    if answers is not None:
        found.append(Case(f"{label}screen --answers screen_patient.toml",
                          (*command, "screen", "--answers", str(answers)), ONE_PATIENT_RATIO))
    for paper in ("order", "labels"):
        output = str(out_dir / f"{prefix}{paper}.pdf")
        found.append(Case(f"{label}{paper} --weight 70 (PDF)",
                          (*command, paper, "--weight", "70", "--start", "2027-01-04", "-o", output), PDF_RATIO))
    if batch_input is not None:
        # patients a second are judged for the full list only (--quick reports them)
        for fmt in ("jsonl", "csv", "fhir"):
            output = out_dir / f"{prefix}plans.{fmt}"
            found.append(Case(f"{label}batch to {fmt.upper()}",
                              (*command, "batch", str(batch_input), "-f", fmt, "-o", str(output)),
                              rows=rows if rows == BATCH_ROWS else None))
    return found


def measure(all_cases: list[Case], runs: int, warmup: int) -> dict[str, Samples]:
    """Interleaved rounds: warm-up rounds are run and dropped, then ``runs`` rounds are kept."""
    samples = {case.name: Samples() for case in all_cases}
    for round_number in range(warmup + runs):
        for case in all_cases:
            run = run_once(case.argv)
            if round_number < warmup:
                continue
            kept = samples[case.name]
            kept.wall_s.append(run.wall_s)
            kept.cpu_s.append(run.cpu_s)
            kept.max_rss_kib = max(kept.max_rss_kib, run.max_rss_kib)
    return samples


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} CPUs ({model}); Python {platform.python_version()} "
            f"({platform.python_implementation()}); {platform.system()} {platform.release()}")


def verdict(case: Case, ratio: float, per_s: float | None) -> str:
    if case.rows is not None and per_s is not None:
        met = per_s >= BATCH_PATIENTS_PER_S
        return f"{'ok' if met else 'OVER'} (>= {BATCH_PATIENTS_PER_S:,} patients/s)"
    if case.budget_ratio is None:
        return ""
    return f"{'ok' if ratio <= case.budget_ratio else 'OVER'} (<= x{case.budget_ratio:g})"


BASELINE = "baseline: "


def paired_ratio(kept: Samples, baseline: Samples | None) -> str:
    """The median of this case's wall time over the baseline's, run by run (both ran in the same
    rounds, so a drift in the machine's speed touches both alike); blank without a baseline."""
    if baseline is None:
        return ""
    return f"{statistics.median(a / b for a, b in zip(kept.wall_s, baseline.wall_s, strict=True)):.2f}"


def report(all_cases: list[Case], samples: dict[str, Samples], rows: int) -> list[str]:
    """Prints the table and returns the names of the cases over budget. ``ratio`` is to
    ``python -c pass``; ``/ base`` to the same case of the baseline, when one was given."""
    base = statistics.median(samples[all_cases[0].name].wall_s)
    print(f"{'case':<50} {'wall ms':>8} {'cpu ms':>8} {'ratio':>6} {'/ base':>6} {'peak RSS':>9}  budget")
    over = []
    for case in all_cases:
        kept = samples[case.name]
        wall = statistics.median(kept.wall_s)
        ratio = wall / base
        per_s = rows / wall if case.name.startswith(("batch", BASELINE + "batch")) else None
        judged = verdict(case, ratio, per_s)
        if judged.startswith("OVER"):
            over.append(case.name)
        rss = f"{kept.max_rss_kib / 1024:.1f} MiB"
        to_base = paired_ratio(kept, samples.get(BASELINE + case.name))
        print(f"{case.name:<50} {wall * 1000:8.1f} {statistics.median(kept.cpu_s) * 1000:8.1f} {ratio:6.1f} "
              f"{to_base:>6} {rss:>9}  {judged}")
        if per_s is not None:
            print(f"{'':<50} {per_s:8.0f} patients/s ({rows} rows)")
    fhir, jsonl = samples.get("batch to FHIR"), samples.get("batch to JSONL")
    if fhir is not None and jsonl is not None:
        to_jsonl = statistics.median(a / b for a, b in zip(fhir.wall_s, jsonl.wall_s, strict=True))
        met = to_jsonl <= FHIR_TO_JSONL
        print(f"batch to FHIR / batch to JSONL, round by round: {to_jsonl:.2f}  "
              f"{'ok' if met else 'OVER'} (<= {FHIR_TO_JSONL:g})")
        if not met:
            over.append("batch to FHIR / JSONL")
    return over


def instructions(argv: Sequence[str]) -> int:
    """The instructions one run of ``argv`` executes, counted by callgrind."""
    with tempfile.TemporaryDirectory(prefix="ivig-bench-cg-") as tmp:
        result = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/out", *argv],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True, check=False, env={**os.environ, "PYTHONHASHSEED": "0"})
    for line in result.stderr.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1].replace(",", ""))
    raise SystemExit(f"bench_cli: callgrind counted nothing for {' '.join(argv)}: {result.stderr[-300:]}")


def report_instructions(all_cases: list[Case]) -> None:
    """Each case once under callgrind, and its instructions as a ratio to ``python -c pass``'s."""
    if shutil.which("valgrind") is None:
        raise SystemExit("bench_cli: --instructions needs valgrind")
    base = instructions(all_cases[0].argv)
    print(f"{'case':<50} {'instructions':>14} {'ratio':>6}")
    for case in all_cases:
        count = base if case is all_cases[0] else instructions(case.argv)
        print(f"{case.name:<50} {count:14,d} {count / base:6.2f}")


def batch_memory_growth(command: list[str], work: Path, rows: int) -> None:
    """Peak memory for all of the rows and for ten times as many (one run each).

    Rows stream, but batch keeps a bounded number of shared plans, so memory grows with the
    distinct plans until that bound and then stays; the second run shows whether anything still
    grows with the rows themselves (issue 6: memory that does not grow with the number of rows).
    """
    peaks = []
    for count in (rows, rows * 10):
        patients = work / f"growth-{count}.csv"
        write_patients(patients, count)
        run = run_once([*command, "batch", str(patients), "-o", str(work / "growth.jsonl")])
        peaks.append((count, run.max_rss_kib / 1024))
    (small, small_mib), (large, large_mib) = peaks
    print(f"batch peak RSS: {small_mib:.1f} MiB for {small} rows, {large_mib:.1f} MiB for {large} rows "
          f"(growth {large_mib - small_mib:+.1f} MiB)")


def batch_all_distinct(command: list[str], work: Path, rows: int, baseline: list[str] | None = None) -> None:
    """One run where no two patients share a weight, so no plan is shared: batch's worst case
    (and one of the baseline's, just after, with the ratio of the two)."""
    patients = work / "distinct.csv"
    write_patients(patients, rows, distinct=True)
    run = run_once([*command, "batch", str(patients), "-o", str(work / "distinct.jsonl")])
    print(f"batch to JSONL, every weight distinct: {run.wall_s * 1000:.0f} ms, {rows / run.wall_s:.0f} patients/s, "
          f"peak RSS {run.max_rss_kib / 1024:.1f} MiB (one run)")
    if baseline is not None and has_batch(baseline):
        then = run_once([*baseline, "batch", str(patients), "-o", str(work / "distinct-baseline.jsonl")])
        print(f"{BASELINE}batch to JSONL, every weight distinct: {then.wall_s * 1000:.0f} ms (one run); "
              f"/ base {run.wall_s / then.wall_s:.2f}")


#: Runs inside the installed interpreter: the per-patient work a batch does after start-up
#: (parse the weight and date, build the plan, render it), timed without process start-up.
CORE_LOOP = """
import csv, io, json, sys, time
import ivig_dose
from ivig_dose.render.plan_csv import COLUMNS, plan_rows
from ivig_dose.render.plan_json import plan_document

with open(sys.argv[1], newline="", encoding="utf-8") as source:
    patients = list(csv.DictReader(source))

def plans():
    # What `plan` does for one patient: parse, plan, and add vials and pump programs.
    for row in patients:
        yield row["patient_id"], ivig_dose.plan(row["weight"], row["start"], arm=row["arm"])

def jsonl(out):
    for patient_id, plan in plans():
        out.write(json.dumps({"patient_id": patient_id, **plan_document(plan)}, ensure_ascii=False) + "\\n")

def csv_rows(out):
    writer = csv.writer(out, lineterminator="\\n")
    writer.writerow(("patient_id", *COLUMNS))
    for patient_id, plan in plans():
        writer.writerows((patient_id, *row.values()) for row in plan_rows(plan))

for name, write in (("JSONL", jsonl), ("CSV", csv_rows)):
    best = float("inf")
    for _ in range(int(sys.argv[2])):
        start = time.perf_counter()
        write(io.StringIO())
        best = min(best, time.perf_counter() - start)
    print(f"{name} {best}")
"""


def core_times(python: str, patients: Path, repeats: int) -> dict[str, float] | None:
    """Seconds for every patient of ``patients`` through parse, plan and render, by format, in one
    process of ``python``; None when it cannot import ivig_dose."""
    found = subprocess.run([python, "-c", "import ivig_dose"], capture_output=True, check=False)
    if found.returncode != 0:
        return None
    result = subprocess.run([python, "-c", CORE_LOOP, str(patients), str(repeats)],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"bench_cli: core loop failed: {result.stderr.strip().splitlines()[-1:]}")
    return {name: float(seconds) for name, seconds in (line.split() for line in result.stdout.splitlines())}


def core_throughput(work: Path, rows: int, repeats: int, baseline: list[str] | None = None) -> None:
    """Patients per second through parse, plan and render, in one process: what batch's rows cost
    (and the baseline's, in its own interpreter, with the ratio of the two)."""
    patients = work / "core-patients.csv"
    write_patients(patients, rows)
    times = core_times(sys.executable, patients, repeats)
    if times is None:
        print(f"core throughput: skipped: {sys.executable} cannot import ivig_dose")
        return
    then = core_times(interpreter_of(baseline), patients, repeats) if baseline is not None else None
    for name, seconds in times.items():
        per_row_us = seconds / rows * 1e6
        compared = f"; / base {seconds / then[name]:.2f}" if then and name in then else ""
        print(f"core, in process, to {name:<5} {rows / seconds:8.0f} patients/s "
              f"({per_row_us:.0f} us a patient, best of {repeats}; every patient planned afresh, "
              f"no start-up, no file I/O{compared})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="3 runs and 1,000 batch rows: a smoke test for CI")
    parser.add_argument("--runs", type=int, help="timed runs per case (default 20; 3 with --quick)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed rounds first (default 2)")
    parser.add_argument("--rows", type=int, help=f"batch patients (default {BATCH_ROWS}; 1000 with --quick)")
    parser.add_argument("--command", help="path of the ivig-dose executable (default: beside this Python)")
    parser.add_argument("--check", action="store_true", help="exit status 1 when a median is over its budget")
    parser.add_argument("--no-batch", action="store_true", help="start-up cases only: leave out batch and the core")
    parser.add_argument("--baseline", metavar="COMMAND",
                        help="another install's ivig-dose (e.g. main's), timed in the same rounds")
    parser.add_argument("--instructions", action="store_true",
                        help="count each start-up case's instructions once under callgrind instead of timing")
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 20)
    warmup = 1 if args.quick and args.warmup == 2 else args.warmup
    rows = args.rows or (1000 if args.quick else BATCH_ROWS)
    command = find_command(args.command)
    baseline = find_command(args.baseline) if args.baseline else None

    print(f"machine: {machine()}")
    print(f"command: {' '.join(command)}; {runs} runs after {warmup} warm-up round(s); medians")
    if baseline:
        print(f"baseline: {' '.join(baseline)}, timed in the same rounds")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is set: an editable install then compiles its sources on every run")
    with tempfile.TemporaryDirectory(prefix="ivig-bench-") as tmp:
        work = Path(tmp)
        patients = work / "patients.csv"
        write_patients(patients, rows)
        with_batch = not args.no_batch and not args.instructions
        batch_input = patients if with_batch and has_batch(command) else None
        if args.instructions:
            report_instructions(cases(command, None, work, rows))
            return 0
        all_cases = cases(command, batch_input, work, rows)
        if baseline:
            base_input = patients if with_batch and has_batch(baseline) else None
            all_cases += cases(baseline, base_input, work, rows, BASELINE)
        over = report(all_cases, measure(all_cases, runs, warmup), rows)
        if not with_batch:
            print("batch and core: left out (--no-batch)")
        else:
            if batch_input is None:
                print("batch to JSONL / CSV: skipped: no batch command")
            else:
                batch_memory_growth(command, work, rows)
                batch_all_distinct(command, work, rows, baseline)
            core_throughput(work, rows, 1 if args.quick else 3, baseline)
    if args.check and over:
        print(f"over budget: {', '.join(over)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
