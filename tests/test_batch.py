"""`ivig-dose batch`: every format, bad rows, malformed files, atomic output, streaming, --verify."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ivig_dose.cli.main import app

runner = CliRunner()
HEADER = "patient_id,weight,start,arm,days,week4_weight,week8_weight"
# P1 70 kg: 140 g a course over 2 days (R2, R3) = 3 bags in baseline (30 hospital + 40 home, 70) and
# 2 in each later course: 7 rows. P2 80.3 kg: 160.6 g over 3 days: 4 + 3 + 3 = 10 rows.
# P3 100 kg, week 4 weighed 60 kg: 180 g over 3 days (4 rows), week 4 120 g over 2 days (2), week 8 180 g (3).
GOOD = [
    "P1,70,2027-01-04,,,,",
    "P2,80.3 kg,2027-01-05,placebo,,,",
    "P3,100,2027-01-06,ivig,,60,",
]


def patients(tmp_path: Path, lines: list[str], header: str = HEADER, name: str = "patients.csv",
             newline: str = "\n", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes((newline.join([header, *lines]) + newline).encode(encoding))
    return path


def run(*args: str, stdin: str | None = None):
    return runner.invoke(app, ["batch", *args], input=stdin)


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_csv_output_is_the_plan_csv_with_patient_id(tmp_path):
    out = tmp_path / "plans.csv"
    result = run(str(patients(tmp_path, GOOD)), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    rows = rows_of(out)
    assert list(rows[0])[:2] == ["patient_id", "course"]
    assert [sum(r["patient_id"] == p for r in rows) for p in ("P1", "P2", "P3")] == [7, 10, 9]
    first = [(r["setting"], r["dose_g"], r["volume_ml"]) for r in rows[:3]]
    assert first == [("hospital", "30", "300"), ("home", "40", "400"), ("home", "70", "700")]
    # P3 week 4 on 60 kg: 2 × 60 = 120 g over 2 days of 60 g (R9)
    week4 = [r["dose_g"] for r in rows if r["patient_id"] == "P3" and r["course"] == "week 4"]
    assert week4 == ["60", "60"]
    # placebo: 0 g in the IVIg plan's volumes; 80.3 kg day 1 = 53.6 g -> 536 mL (R8)
    p2 = [r for r in rows if r["patient_id"] == "P2"]
    assert {r["dose_g"] for r in p2} == {"0"} and p2[0]["volume_ml"] == "300"
    assert "3 patient(s) planned" in result.stderr


@pytest.mark.parametrize("suffix", ["json", "jsonl"])
def test_json_and_jsonl_hold_the_plan_contract_with_patient_id(tmp_path, suffix):
    out = tmp_path / f"plans.{suffix}"
    assert run(str(patients(tmp_path, GOOD)), "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    documents = json.loads(text) if suffix == "json" else [json.loads(line) for line in text.splitlines()]
    assert [d["patient_id"] for d in documents] == ["P1", "P2", "P3"]
    assert documents[0]["schema"] == "ivig-dose/plan/v1"
    # 70 kg: 3 × 140 g = 420 g
    assert (documents[0]["total_dose_g"], documents[1]["arm"]) == (420, "placebo")


def test_format_option_and_stdout(tmp_path):
    result = run(str(patients(tmp_path, GOOD[:1])), "--format", "jsonl")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["patient_id"] == "P1"


def test_stdin_to_stdout():
    result = run("-", stdin="\n".join([HEADER, *GOOD]) + "\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("patient_id,course,")


def test_bad_rows_are_reported_and_the_rest_planned(tmp_path):
    lines = [GOOD[0], "P4,7O,2027-01-04,,,,", ",70,2027-01-04,,,,", "P6,100,2027-01-04,,2,,",
             "P7,70,,,,,", "P8,70,2027-01-04,,x,,", "P9,70,2027-01-04,,,,,,extra", GOOD[1]]
    out, errors = tmp_path / "plans.csv", tmp_path / "errors.csv"
    result = run(str(patients(tmp_path, lines)), "-o", str(out), "--errors", str(errors))
    assert result.exit_code == 1
    assert {r["patient_id"] for r in rows_of(out)} == {"P1", "P2"}
    reported = rows_of(errors)
    # the header is line 1, so the n-th data row is line n + 1
    assert [(r["row"], r["patient_id"]) for r in reported] == [
        ("3", "P4"), ("4", ""), ("5", "P6"), ("6", "P7"), ("7", "P8"), ("8", "P9")]
    assert "weight '7O'" in reported[0]["error"]
    assert "patient_id is empty" in reported[1]["error"]
    assert "smallest number of days that works is 3" in reported[2]["error"]
    assert "start is empty" in reported[3]["error"]
    assert "days 'x'" in reported[4]["error"]
    assert "cells" in reported[5]["error"]
    assert "ivig-dose: error: row 3, patient_id P4: weight" in result.stderr


def planned_rows(tmp_path: Path, path: Path) -> list[dict[str, str]]:
    out = tmp_path / f"{path.stem}.out.csv"
    result = run(str(path), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    return rows_of(out)


@pytest.mark.parametrize(("variant", "options"), [
    ("bom", {"encoding": "utf-8-sig"}),
    ("crlf", {"newline": "\r\n"}),
    ("semicolon", {}),
    ("tab", {}),
    ("blank lines and spaces", {}),
    ("upper-case header", {}),
])
def test_dialects_give_the_same_plans(tmp_path, variant, options):
    clean = planned_rows(tmp_path, patients(tmp_path, GOOD, name="clean.csv"))
    header, lines = HEADER, list(GOOD)
    if variant in ("semicolon", "tab"):
        sep = ";" if variant == "semicolon" else "\t"
        header, lines = header.replace(",", sep), [line.replace(",", sep) for line in lines]
    if variant == "blank lines and spaces":
        header = " , ".join(header.split(","))
        lines = ["", *(" " + " , ".join(line.split(",")) + " " for line in lines), "", ",,,,,,", ""]
    if variant == "upper-case header":
        header = header.upper()
    path = patients(tmp_path, lines, header=header, name=f"{variant}.csv", **options)
    assert planned_rows(tmp_path, path) == clean


@pytest.mark.parametrize(("content", "words"), [
    (b"", "is empty"),
    (b"patient_id,weight\nP1,70\n", "missing column(s) start"),
    (b"id;kg;date\n1;70;2027-01-04\n", "missing column(s) patient_id, weight, start"),
    (b"PK\x03\x04rest-of-a-workbook", "Excel workbook"),
    (b"\xff\xfep\x00a\x00", "UTF-16"),
    (b"patient_id,weight,start\nP1,70,2027-01-04\nP\xe9,70,2027-01-04\n", "line 3 is not UTF-8"),
    (b"patient_id,weight,start,baseline_weight\nP1,70,2027-01-04,70\n", "is the 'weight' column"),
    (b"patient_id,weight,start,week12_weight\nP1,70,2027-01-04,70\n", "names no course"),
    (b"patient_id,weight,start,weight\nP1,70,2027-01-04,70\n", "appears twice"),
    (b'patient_id,weight,start\nP1,70,"2027-01-04\n', "not valid CSV"),
])
def test_unusable_files_exit_2(tmp_path, content, words):
    path = tmp_path / "patients.csv"
    path.write_bytes(content)
    result = run(str(path), "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 2, result.stderr
    assert words in result.stderr
    assert result.stderr.splitlines()[-1].startswith("ivig-dose: error: ")


def test_dosing_weight_columns(tmp_path):
    # Devine: a 70 in (177.8 cm) man's ideal weight is 50 + 2.3 × 10 = 73 kg; adjusted for 100 kg
    # = 73 + 0.4 × (100 − 73) = 83.8 kg; 2 × 83.8 = 167.6 g over 3 days (55.9, 55.9, 55.8 g).
    header = "patient_id,weight,start,height,sex,dosing_weight,pregnant"
    path = patients(tmp_path, ["A,100,2027-01-04,177.8,male,adjusted,", "B,100,2027-01-04,,,,no",
                               "C,100,2027-01-04,,female,,maybe"], header=header)
    out = tmp_path / "plans.jsonl"
    result = run(str(path), "-o", str(out))
    assert result.exit_code == 1
    a, b = (json.loads(line) for line in out.read_text().splitlines())
    assert (a["dosing_weight_kg"], a["dosing_weight_basis"], a["course_dose_g"]) == (83.8, "adjusted", 167.6)
    assert (b["dosing_weight_kg"], b["course_dose_g"]) == (100, 180)
    assert "row 4, patient_id C: pregnant 'maybe' is not yes or no" in result.stderr


def test_unknown_columns_are_ignored_with_one_warning(tmp_path):
    path = patients(tmp_path, ["P1,70,2027-01-04,ward 3,12"], header="patient_id,weight,start,notes,bed")
    result = run(str(path), "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 0
    assert result.stderr.count("ignored column(s)") == 1
    assert f"ivig-dose: warning: {path}: ignored column(s): notes, bed\n" in result.stderr


def test_output_format_must_be_known(tmp_path):
    result = run(str(patients(tmp_path, GOOD)), "-o", str(tmp_path / "plans.txt"))
    assert result.exit_code == 2 and "--format" in result.stderr


# --- atomic output ---------------------------------------------------------------------------

def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_file_found_unusable_half_way_leaves_the_old_output(tmp_path):
    good = "\n".join([HEADER, *(f"P{i},70,2027-01-04,,,," for i in range(500))]) + "\n"
    path = tmp_path / "patients.csv"
    path.write_bytes(good.encode() + b"P\xe9,70,2027-01-04,,,,\n")
    out, errors = tmp_path / "plans.jsonl", tmp_path / "errors.csv"
    out.write_text("OLD PLANS\n")
    errors.write_text("OLD ERRORS\n")
    result = run(str(path), "-o", str(out), "--errors", str(errors))
    assert result.exit_code == 2
    assert out.read_text() == "OLD PLANS\n" and errors.read_text() == "OLD ERRORS\n"
    assert leftovers(tmp_path) == []


def test_an_interruption_half_way_leaves_the_old_output(tmp_path, monkeypatch):
    from ivig_dose.render import batch_writers

    written = []
    original = batch_writers.PlanWriter.write

    def write_then_stop(self, text):
        if len(written) == 2:
            raise KeyboardInterrupt
        written.append(text.decode().partition(",")[0])  # the CSV text of a patient starts with its id
        original(self, text)

    monkeypatch.setattr(batch_writers.PlanWriter, "write", write_then_stop)
    out = tmp_path / "plans.csv"
    out.write_text("OLD\n")
    result = run(str(patients(tmp_path, GOOD)), "-o", str(out))
    assert written == ["P1", "P2"]
    assert result.exit_code == 130
    assert result.stderr.splitlines()[-1] == "ivig-dose: error: interrupted: no output file was written or replaced"
    assert out.read_text() == "OLD\n"
    assert leftovers(tmp_path) == []


def test_a_replaced_output_keeps_its_permissions(tmp_path):
    out = tmp_path / "plans.csv"
    out.write_text("OLD\n")
    out.chmod(0o640)
    assert run(str(patients(tmp_path, GOOD)), "-o", str(out)).exit_code == 0
    assert out.stat().st_mode & 0o777 == 0o640
    assert out.read_text().startswith("patient_id,")


def test_an_output_in_a_missing_folder_is_refused_before_work(tmp_path):
    result = run(str(patients(tmp_path, GOOD)), "-o", str(tmp_path / "nope" / "plans.csv"))
    assert result.exit_code == 2 and "cannot write output" in result.stderr


# --- streaming ------------------------------------------------------------------------------

class NullText(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


def peak_memory(rows: int, ids: int | None = None) -> int:
    """Peak traced memory while planning ``rows`` generated patients into a sink; ``ids``: as many
    distinct patient ids, used in turn (None: every row its own)."""
    from ivig_dose.app.batch import RowReport, batch_run, plan_patients
    from ivig_dose.files.inputs import OpenedInput
    from ivig_dose.render.formats import Format

    settings = batch_run("timeismuscle", None, None, "vials", None, False, None, None)

    def lines():
        yield HEADER + "\n"
        for i in range(rows):
            arm = "placebo" if i % 2 else ""
            yield f"P{i % (ids or rows)},{50 + i % 70}.{i % 10},2027-01-{1 + i % 28:02d},{arm},,,\n"

    source = OpenedInput(lines(), "generated", None, io.BytesIO())
    report = RowReport(None)
    tracemalloc.start()
    plan_patients(source, NullText(), Format.jsonl, report, settings, lambda: None)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert report.done == rows
    return peak


def test_memory_does_not_grow_with_the_number_of_rows():
    small, large = peak_memory(500, ids=100), peak_memory(10_000, ids=100)
    # twenty times the rows; a batch that kept anything per row would grow about twenty times
    assert large < small * 1.5 + 64_000, (small, large)


def test_memory_grows_only_with_the_distinct_patient_ids():
    # the one thing kept per patient: each distinct id and its first row, to say ids listed twice
    # (about 100 traced bytes an id); the plans themselves are bounded, as above
    small, large = peak_memory(500), peak_memory(10_000)
    assert large < small * 1.5 + 64_000 + 9_500 * 160, (small, large)


# --- batch --verify -------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", ["csv", "jsonl", "json"])
def test_verify_round_trip_of_batch_output(tmp_path, suffix):
    plans = tmp_path / f"plans.{suffix}"
    assert run(str(patients(tmp_path, GOOD)), "-o", str(plans)).exit_code == 0
    report = tmp_path / "report.jsonl"
    result = run("--verify", str(plans), "-o", str(report))
    assert result.exit_code == 0, result.stderr
    checked = [json.loads(line) for line in report.read_text().splitlines()]
    assert [(c["patient_id"], c["match"]) for c in checked] == [("P1", True), ("P2", True), ("P3", True)]


def test_verify_reports_each_mismatch_with_patient_and_row(tmp_path):
    plans = tmp_path / "plans.csv"
    assert run(str(patients(tmp_path, GOOD)), "-o", str(plans)).exit_code == 0
    lines = plans.read_text().splitlines()
    # line 3 is P1 baseline day 1 home: 40 g, 400 mL (70 kg: 30 g hospital + 40 g home)
    assert lines[2].startswith("P1,baseline,0,2027-01-04,1,home,70,40,400,")
    lines[2] = lines[2].replace(",40,400,", ",44,440,")
    lines.insert(8, "P1,week 8,8,2027-03-03,3,home,70,70,700,Nanogam 100 mg/mL,")
    plans.write_text("\n".join(lines) + "\n")
    result = run("--verify", str(plans))
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    found = {(r["patient_id"], r["row"], r["field"]): r for r in rows}
    assert found[("P1", "3", "baseline day 1 home dose_g")]["expected"] == "40 g"
    assert found[("P1", "3", "baseline day 1 home volume_ml")]["ordered"] == "440 mL"
    assert found[("P1", "9", "week 8 day 3 volume_ml")]["expected"] == "no day 3 in the plan"
    assert {r["patient_id"] for r in rows} == {"P1"}
    assert "2 order(s) match, 1 do not" in result.stderr


def test_verify_reports_unreadable_orders_and_goes_on(tmp_path):
    orders = tmp_path / "orders.jsonl"
    good = json.loads(run(str(patients(tmp_path, GOOD[:1])), "-f", "jsonl").stdout)
    orders.write_text("{broken\n" + json.dumps(good) + "\n")
    errors = tmp_path / "errors.csv"
    result = run("--verify", str(orders), "--errors", str(errors))
    assert result.exit_code == 1
    assert [r["row"] for r in rows_of(errors)] == ["1"]
    assert "1 order(s) match, 0 do not, 1 could not be checked" in result.stderr


def test_real_process_with_pipes(tmp_path):
    """stdin and stdout as a shell pipeline gives them, and no progress bar in a pipe."""
    done = subprocess.run([sys.executable, "-m", "ivig_dose", "batch", "-", "-f", "jsonl"],
                          input="\n".join([HEADER, *GOOD]) + "\n", capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 3
    # the unverified product (vial sizes, pump steps) is said once for the run, not per patient
    assert done.stderr.count("NOT verified") == 1
    assert done.stderr.endswith("ivig-dose: 3 patient(s) planned, 0 row(s) could not be planned\n")


def test_a_patient_id_listed_twice_is_said_with_its_rows_and_every_row_is_planned(tmp_path):
    lines = ["P1,70,2027-01-04,,,,", "P2,71,2027-01-04,,,,", "P1,72,2027-01-04,,,,", "p1,73,2027-01-04,,,,",
             "P1,74,2027-01-04,,,,", "P2,abc,2027-01-04,,,,"]
    out, errors = tmp_path / "plans.jsonl", tmp_path / "bad.csv"
    result = run(str(patients(tmp_path, lines)), "-o", str(out), "--errors", str(errors))
    assert result.exit_code == 1  # row 7's weight, not the repeated ids
    planned = [json.loads(line)["patient_id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert planned == ["P1", "P2", "P1", "p1", "P1"]
    said = [line for line in result.stderr.splitlines() if "listed twice" in line]
    # one line per id, rows counted as a spreadsheet does (header row 1); p1 is another id
    assert said == [
        "ivig-dose: warning: patient_id P1 is on 3 rows: 2, 4 and 6; each row is planned on its own: "
        "check that these are different patients, not one patient listed twice",
        "ivig-dose: warning: patient_id P2 is on 2 rows: 3 and 7; each row is planned on its own: "
        "check that these are different patients, not one patient listed twice",
    ]
    logged = rows_of(errors)
    assert [(r["row"], r["patient_id"]) for r in logged] == [("7", "P2"), ("2", "P1"), ("3", "P2")]
    assert logged[1]["error"] == "warning: " + said[0].removeprefix("ivig-dose: warning: ")


def test_distinct_ids_say_nothing_and_exit_0(tmp_path):
    result = run(str(patients(tmp_path, GOOD)), "-f", "jsonl")
    assert result.exit_code == 0
    assert "listed twice" not in result.stderr


def test_verify_says_a_patient_with_two_orders(tmp_path):
    made = run(str(patients(tmp_path, ["P1,70,2027-01-04,,,,", "P2,71,2027-01-04,,,,"])), "-f", "jsonl").stdout
    first = made.splitlines()[0]
    orders = tmp_path / "orders.jsonl"
    orders.write_text("\n".join([*made.splitlines(), first]) + "\n", encoding="utf-8")
    result = run("--verify", str(orders), "-f", "jsonl")
    assert result.exit_code == 0, result.stderr
    assert ("ivig-dose: warning: patient_id P1 is on 2 rows: 1 and 3; each order is checked on its own"
            in result.stderr)


def test_an_id_on_many_rows_names_ten_and_counts_the_rest(tmp_path):
    lines = [f"P1,{60 + n},2027-01-04,,,," for n in range(25)]
    result = run(str(patients(tmp_path, lines)), "-f", "jsonl")
    assert result.exit_code == 0
    assert ("patient_id P1 is on 25 rows: 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 15 more; each row is planned on its "
            "own") in result.stderr
    assert len(result.stdout.splitlines()) == 25


def test_verify_holds_the_orders_to_max_rate(tmp_path):
    # 70 kg, Nanogam: 0.6, 1.2, 2.4 mL/kg/h = 42, 84, 168 mL/h; --max-rate 100 holds the third step to 100 mL/h.
    capped = runner.invoke(app, ["plan", "-w", "70", "--start", "2027-01-04", "-f", "json", "--max-rate", "100"])
    plain = runner.invoke(app, ["plan", "-w", "70", "--start", "2027-01-04", "-f", "json"])
    orders = tmp_path / "orders.jsonl"
    orders.write_text(capped.stdout.replace("\n", "") + "\n" + plain.stdout.replace("\n", "") + "\n")
    result = run("--verify", str(orders), "-f", "jsonl", "--max-rate", "100")
    checked = [json.loads(line) for line in result.stdout.splitlines()]
    # the order made with --max-rate 100 matches; the one that runs the pump at 168 mL/h does not
    assert [c["match"] for c in checked] == [True, False], result.stderr
    assert {d["field"] for d in checked[1]["discrepancies"]} >= {"baseline day 1 hospital pump_step_3_rate_ml_per_h"}


# --- stopped from outside ----------------------------------------------------------------------

def long_list(path: Path, rows: int) -> Path:
    """A list long enough to be stopped half way: ``rows`` patients of many weights."""
    arms = ("ivig", "placebo")
    return patients(path, [f"P{i},{40 + i % 110}.{i % 10},2027-01-{4 + i % 20:02d},{arms[i % 2]},,,"
                           for i in range(rows)])


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("whole_group", [False, True], ids=["main", "group"])
def test_a_stopped_batch_leaves_no_file_and_no_process(tmp_path, stop, whole_group):
    # A closed terminal (SIGHUP) or a scheduler (SIGTERM) stops the command, or every process of its
    # job, while it writes: the status says which signal, the temporary output is gone, nothing is left
    # running. communicate() has a timeout, so a stop that hangs fails the test rather than the suite.
    import os
    import signal
    import time

    number = getattr(signal, stop)
    source = long_list(tmp_path, 30_000)
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "ivig_dose", "batch", str(source), "-o", str(out)],
                               stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob(".out.jsonl.*.part")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert list(tmp_path.glob(".out.jsonl.*.part")), "the batch ended before it could be stopped"
    if whole_group:
        os.killpg(process.pid, number)
    else:
        process.send_signal(number)
    try:
        _, stderr = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"batch did not stop on {stop} within 60 s")
    said = stderr.decode()
    assert process.returncode == 128 + number, said
    assert f"terminated by {stop}" in said and "Traceback" not in said
    assert sorted(path.name for path in tmp_path.iterdir()) == ["patients.csv"]
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        pass
    else:
        pytest.fail("a process of the batch outlived it")


# --- warnings that hold for the whole run --------------------------------------------------------

def test_an_unverified_protocol_and_product_are_said_once_in_every_language(tmp_path):
    source = patients(tmp_path, ["P1,70,2027-01-04", "P2,35,2027-01-04", "P3,80,2027-01-05"],
                      header="patient_id,weight,start")
    for lang, protocol_words, row_words in (("en", "is not verified", "row 3"), ("nl", "is niet getoetst",
                                                                                "rij 3")):
        result = runner.invoke(app, ["--lang", lang, "batch", str(source), "--protocol", "standard-5-day",
                                     "--product", "octagam-10", "-o", str(tmp_path / "out.jsonl")])
        assert result.exit_code == 0, result.stderr
        lines = result.stderr.splitlines()
        assert sum(protocol_words in line for line in lines) == 1
        assert sum("'octagam-10'" in line for line in lines) == 1
        assert sum(row_words in line for line in lines) == 1  # 35 kg: that patient's own warning, with its row


def test_a_run_wide_warning_is_known_by_its_template_not_its_english():
    from ivig_dose.app.batch import for_the_run
    from ivig_dose.app.plan import plan_patient, setup
    from ivig_dose.core.dispensing import UNVERIFIED_PRODUCT
    from ivig_dose.core.dosing import UNVERIFIED_PROTOCOL
    from ivig_dose.parse.plan_inputs import PlanInputs

    plan = plan_patient(PlanInputs(weight="70", start="2027-01-04"), setup("standard-5-day", product="octagam-10"))
    run_wide = [warning for warning in plan.warnings if for_the_run(warning)]
    # the core makes both warnings from the templates batch knows them by: a second wording would drift
    assert sorted(getattr(w, "template", None) for w in run_wide) == sorted([UNVERIFIED_PRODUCT, UNVERIFIED_PROTOCOL])
    assert not any(for_the_run(str(warning)) for warning in run_wide)  # the same English, not a message
    assert not for_the_run("protocol 'standard-5-day' is not verified against a label")
