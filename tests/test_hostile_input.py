"""Issue 16: hostile and careless input. Nothing destroyed, nothing read wrong, nothing injected.

Each class of the issue has its examples and a few variants; every refusal is one line, exit 2.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import unicodedata
from datetime import UTC, date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ivig_dose.cli.main import app
from ivig_dose.core.errors import InputError
from ivig_dose.core.vials import pick_vials
from ivig_dose.parse.dates import parse_date

runner = CliRunner()
START = ["--start", "2027-01-04"]
HEADER = "patient_id,weight,start"
BUILT_IN = Path(__file__).parent.parent / "src" / "ivig_dose" / "data"


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def one_line_exit_2(result, *named: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    lines = result.stderr.splitlines()
    assert lines and lines[-1].startswith("ivig-dose: error:"), result.stderr
    assert "Traceback" not in result.stderr
    for word in named:
        assert word in lines[-1], lines[-1]


def command(*args: str, env: dict[str, str] | None = None, shell_redirect: str = "",
            stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """The real command in a shell, for what a CliRunner cannot show (closed or full streams)."""
    line = " ".join([f'"{sys.executable}"', "-m", "ivig_dose", *(f"'{a}'" for a in args), shell_redirect])
    return subprocess.run(["sh", "-c", line], capture_output=True, input=stdin, timeout=60,
                          env={**os.environ, **(env or {})})


# --- dates ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["2027-1-4", "2027/01/04", "2027.01.04", "on 2027-01-04", "2027 1 4",
                                  "2027/1/4"])
@pytest.mark.parametrize("day_first", [True, False, None])
def test_year_first_dates_are_year_month_day_whatever_the_field_order_option(text, day_first):
    assert parse_date(text, day_first) == date(2027, 1, 4)


@pytest.mark.parametrize("text", ["3 4 2027", "04 01 2027", "3/4/2027", "13/04/2027", "04.01.2027", "4-1-2027"])
def test_other_all_numeric_dates_need_the_field_order(text):
    with pytest.raises(InputError, match="--day-first or --month-first"):
        parse_date(text)


@pytest.mark.parametrize(("text", "day_first", "expected"), [
    ("3 4 2027", True, date(2027, 4, 3)),
    ("3 4 2027", False, date(2027, 3, 4)),
    ("04 01 2027", True, date(2027, 1, 4)),
    ("13/04/2027", True, date(2027, 4, 13)),
    ("on 03/04/2027", True, date(2027, 4, 3)),  # words around the date change nothing
    ("3rd/4/2027", True, date(2027, 4, 3)),
    ("4/3rd/2027", False, date(2027, 4, 3)),
    ("the 3rd of April 2027", None, date(2027, 4, 3)),
])
def test_all_numeric_dates_follow_the_order_given(text, day_first, expected):
    assert parse_date(text, day_first) == expected


@pytest.mark.parametrize(("text", "named"), [
    ("4 Jan 99", "two-digit year"),
    ("Jan 4 27", "two-digit year"),
    ("Tuesday 4 Jan 2027", "is a monday, not a tuesday"),  # 1 Jan 2027 is a Friday, so the 4th a Monday
    ("Sun, 4 January 2027", "not a sunday"),
    ("9999-12-20", "out of range"),
    ("1899-12-31", "out of range"),
    ("2027-01-04T08:00", "has a time"),
    ("2027-13-01", "no month 13"),
])
def test_dates_that_could_be_misread_are_refused(text, named):
    with pytest.raises(InputError, match=named):
        parse_date(text, True)


def test_a_weekday_that_agrees_is_accepted():
    assert parse_date("Monday 4 Jan 2027") == date(2027, 1, 4)


def test_day_first_no_longer_moves_a_batch_three_months(tmp_path):
    source = tmp_path / "p.csv"
    source.write_text(f"{HEADER}\nP1,70,2027-1-4\n")
    result = run("batch", str(source), "--day-first", "-f", "jsonl")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["courses"][0]["start"] == "2027-01-04"


def test_answers_files_read_dates_the_same_way(tmp_path):
    answers = tmp_path / "a.toml"
    answers.write_text('birth_date = "04 01 1990"\n')
    one_line_exit_2(run("screen", "--answers", str(answers), "--screening-date", "2027-01-04"),
                    "--day-first or --month-first")


# --- one bad row never stops a batch ------------------------------------------------------------

def test_bad_rows_are_reported_and_the_rest_planned(tmp_path):
    source = tmp_path / "p.csv"
    source.write_text("patient_id,weight,start,days\n"
                      "FAR,70,9999-12-20,\n"
                      f"BIG,{'7' * 29},2027-01-04,\n"
                      "SUP,70,2027-01-04,\u00b2\n"
                      "CIR,70,2027-01-04,\u2460\n"
                      "OK,70,2027-01-04,\n")
    result = run("batch", str(source), "-f", "jsonl")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert [json.loads(line)["patient_id"] for line in result.stdout.splitlines()] == ["OK"]
    assert "4 row(s) could not be planned" in result.stderr


@pytest.mark.parametrize("end", ["\r", "\r\n", "\n"])
def test_any_line_end_is_read_even_across_read_chunks(tmp_path, end):
    # 5,000 rows of about 25 bytes: well past one 64 KiB chunk, so a line end falls on a boundary
    rows = [f"P{i:05},70,2027-01-04" for i in range(5000)]
    source = tmp_path / "p.csv"
    source.write_bytes((end.join([HEADER, *rows]) + end).encode())
    result = run("batch", str(source), "-f", "jsonl")
    assert result.exit_code == 0, result.stderr[-300:]
    ids = [json.loads(line)["patient_id"] for line in result.stdout.splitlines()]
    assert ids == [f"P{i:05}" for i in range(5000)]


@pytest.mark.parametrize(("order", "named"), [
    ('{"weight_kg": 1e400, "courses": []}', "out of range"),
    ('{"weight_kg": ' + "9" * 4300 + ', "courses": []}', "characters long"),
    ('{"weight_kg": ' + "9" * 5000 + ', "courses": []}', "characters long"),
    ('{"patient_id": "A", "courses": [{"name": "baseline", "start": "9999-12-31", "days": []}]}', "out of range"),
    ('{"courses": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
    ('{"a": ' * 30 + "1" + "}" * 30, "nested too deeply"),
])
def test_batch_verify_reports_each_hostile_order_and_goes_on(tmp_path, order, named):
    good = run("plan", "-w", "70", *START, "-f", "json").stdout
    source = tmp_path / "orders.jsonl"
    source.write_text(order + "\n" + json.dumps(json.loads(good)) + "\n")
    result = run("batch", "--verify", str(source), "-f", "jsonl")
    assert result.exit_code == 1, result.stderr[-500:]
    assert "Traceback" not in result.stderr
    assert named in result.stderr
    assert "1 order(s) match" in result.stderr


def test_a_plan_past_the_calendar_is_one_line():
    one_line_exit_2(run("plan", "-w", "70", "--start", "9999-12-20"), "out of range")


# --- injection ---------------------------------------------------------------------------------

@pytest.mark.parametrize("patient_id", ["=HYPERLINK(\"http://x\")", "+1", "-001", "@SUM(A1)"])
def test_csv_cells_cannot_become_formulas(tmp_path, patient_id):
    source = tmp_path / "p.csv"
    source.write_text(f'{HEADER}\n"{patient_id.replace(chr(34), chr(34) * 2)}",70,2027-01-04\n'
                      f'"{patient_id.replace(chr(34), chr(34) * 2)}x",seventy,2027-01-04\n')
    errors = tmp_path / "errors.csv"
    result = run("batch", str(source), "--errors", str(errors))
    assert result.exit_code == 1
    cells = next(csv.DictReader(io.StringIO(result.stdout)))
    assert cells["patient_id"] == "'" + patient_id  # OWASP: a single quote in front
    logged = next(csv.DictReader(errors.open()))
    assert logged["patient_id"] == "'" + patient_id + "x"


def test_plan_csv_escapes_a_catalogue_name_that_is_a_formula(tmp_path):
    catalogue = tmp_path / "site.toml"
    catalogue.write_text((BUILT_IN / "products.toml").read_text().replace('name = "Nanogam"', 'name = "=cmd()"', 1))
    result = run("plan", "-w", "70", *START, "-f", "csv", "--products", str(catalogue), "--product", "nanogam")
    assert result.exit_code == 0, result.stderr
    products = {row["product"] for row in csv.DictReader(io.StringIO(result.stdout))}
    assert products and all(p.startswith("'=cmd()") for p in products), products


@pytest.mark.parametrize("bad", ["\r", "\x1b[31m", "\x85", "\u2028", "\n", "\t", "\u202e"])
def test_calendar_refuses_control_characters_in_the_patient_id(tmp_path, bad):
    out = tmp_path / "a.ics"
    one_line_exit_2(run("calendar", "-w", "70", *START, "--patient-id", f"TIM{bad}001", "-o", str(out)),
                    "control character")
    assert not out.exists()


@pytest.mark.parametrize("bad", ["\n", "\x1b[2J", "\r"])
def test_batch_ids_cannot_forge_or_colour_stderr_lines(tmp_path, bad):
    source = tmp_path / "p.csv"
    source.write_text(f'{HEADER}\n"P1{bad}ivig-dose: 0 row(s) could not be planned",70,2027-01-04\n', newline="")
    result = run("batch", str(source))
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr
    error_lines = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(error_lines) == 1 and "control character" in error_lines[0]
    assert result.stderr.splitlines()[-1] == "ivig-dose: 0 patient(s) planned, 1 row(s) could not be planned"


def test_rates_prints_catalogue_names_as_text_not_markup(tmp_path):
    catalogue = tmp_path / "site.toml"
    catalogue.write_text((BUILT_IN / "products.toml").read_text().replace(
        'name = "Nanogam"', 'name = "Nano[/]gam [bold]x"', 1))
    result = run("rates", "-w", "70", "--volume", "700 mL", "--products", str(catalogue), "--product", "nanogam")
    assert result.exit_code == 0, result.stderr
    assert "Nano[/]gam [bold]x" in result.stdout


def test_protocol_show_refuses_an_escape_in_the_version(tmp_path):
    protocol = tmp_path / "p.toml"
    text = (BUILT_IN / "protocols" / "timeismuscle.toml").read_text()
    protocol.write_text(text.replace('version = "', 'version = "\\u001b[2J', 1))
    result = run("protocol", "show", str(protocol))
    one_line_exit_2(result, "control character")
    assert "\x1b" not in result.stdout + result.stderr


# --- files: nothing destroyed -------------------------------------------------------------------

def test_an_output_that_is_an_input_is_refused_before_any_work(tmp_path):
    source = tmp_path / "patients.csv"
    source.write_text(f"{HEADER}\nP1,70,2027-01-04\n")
    before = source.read_bytes()
    link = tmp_path / "link.csv"
    link.symlink_to(source)
    for args in (["-o", str(source)], ["--errors", str(source)], ["-o", str(link)],
                 ["-o", str(tmp_path / "." / "patients.csv")]):
        one_line_exit_2(run("batch", str(source), *args), "would destroy")
        assert source.read_bytes() == before
    out = tmp_path / "out.csv"
    one_line_exit_2(run("batch", str(source), "-o", str(out), "--errors", str(out)), "--errors", "-o")
    assert not out.exists()


def test_an_output_that_is_the_protocol_or_the_order_is_refused(tmp_path):
    protocol = tmp_path / "proto.toml"
    protocol.write_text((BUILT_IN / "protocols" / "timeismuscle.toml").read_text())
    before = protocol.read_bytes()
    one_line_exit_2(run("order", "-w", "70", *START, "--protocol", str(protocol), "-o", str(protocol)),
                    "--protocol")
    assert protocol.read_bytes() == before
    order = tmp_path / "order.json"
    order.write_text(run("plan", "-w", "70", *START, "-f", "json").stdout)
    kept = order.read_bytes()
    one_line_exit_2(run("batch", "--verify", str(order), "-o", str(order)), "FILE")
    assert order.read_bytes() == kept


def test_a_symlink_stays_a_link_and_its_target_gets_the_content(tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    source = tmp_path / "p.csv"
    source.write_text(f"{HEADER}\nP1,70,2027-01-04\n")
    assert run("batch", str(source), "-o", str(link)).exit_code == 0
    assert link.is_symlink()
    assert target.read_text().startswith("patient_id,course")


def test_a_device_is_written_into_not_replaced(tmp_path):
    source = tmp_path / "p.csv"
    source.write_text(f"{HEADER}\nP1,70,2027-01-04\n")
    assert run("batch", str(source), "-o", "/dev/null", "-f", "csv").exit_code == 0
    assert Path("/dev/null").is_char_device()
    one_line_exit_2(run("batch", str(source), "-o", "/dev/full", "-f", "csv"), "no space left")


def test_a_trailing_slash_or_a_long_name_writes_nothing(tmp_path):
    one_line_exit_2(run("order", "-w", "70", *START, "-o", f"{tmp_path}/x.pdf/"), "folder")
    assert not (tmp_path / "x.pdf").exists()
    one_line_exit_2(run("order", "-w", "70", *START, "-o", f"{tmp_path}/{'a' * 300}.pdf"), "255 bytes")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP])
def test_a_stopped_batch_leaves_no_temporary_file(tmp_path, stop):
    out = tmp_path / "out.csv"
    process = subprocess.Popen([sys.executable, "-m", "ivig_dose", "batch", "-", "-o", str(out)],
                               stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdin is not None
    process.stdin.write(f"{HEADER}\nP1,70,2027-01-04\n".encode())
    process.stdin.flush()  # stdin stays open: the batch waits for more rows with its .part file open
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob(".out.csv.*.part")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(tmp_path.glob(".out.csv.*.part"))
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 128 + stop
    assert f"terminated by {stop.name}" in stderr.decode()
    assert list(tmp_path.iterdir()) == []


# --- sizes: a documented bound, checked before work ----------------------------------------------

@pytest.mark.parametrize(("option", "value"), [
    ("--weight", "7" * 29), ("--weight", "70 " + "k" * 100_000), ("--height", "1" * 30),
    ("--round", "1" * 29 + " g"), ("--max-rate", "3" * 29), ("--course-weight", "week4=" + "6" * 29),
])
def test_huge_numbers_and_units_are_one_line_and_quick(option, value):
    started = time.monotonic()
    args = ["plan", *START, option, value] if option == "--weight" else ["plan", "-w", "70", *START, option, value]
    one_line_exit_2(run(*args))
    assert time.monotonic() - started < 5


def test_a_hex_number_is_named_as_such():
    result = run("plan", "-w", "0x46", *START)
    one_line_exit_2(result, "'0x46'", "not a decimal number")
    assert "above 0" not in result.stderr


@pytest.mark.parametrize(("old", "new", "named"), [
    ("[[courses]]", "[courses]\ncount = 1000000000\nevery_weeks = 4\nsource = \"x\"\n[[nothing]]", "count"),
    ('[params.max_days]\nvalue = "5"', '[params.max_days]\nvalue = "1000000000"', "max_days"),
])
def test_protocol_counts_are_bounded(tmp_path, old, new, named):
    protocol = tmp_path / "p.toml"
    text = (BUILT_IN / "protocols" / "timeismuscle.toml").read_text()
    assert old in text
    protocol.write_text(text.replace(old, new, 1))
    started = time.monotonic()
    result = run("plan", "-w", "70", *START, "--protocol", str(protocol))
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert named in result.stderr
    assert time.monotonic() - started < 5


def test_a_huge_or_endless_protocol_file_is_not_read_whole(tmp_path):
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as handle:
        handle.truncate(2 << 30)  # 2 GB, sparse: nothing is written to disk
    for path in (str(huge), "/dev/zero"):
        one_line_exit_2(run("plan", "-w", "70", *START, "--protocol", path), "larger than")


def test_deep_nesting_in_toml_is_one_line(tmp_path):
    protocol = tmp_path / "p.toml"
    protocol.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    one_line_exit_2(run("plan", "-w", "70", *START, "--protocol", str(protocol)))


def test_a_huge_vial_does_not_size_the_search():
    # one 10,000,000 g vial (10**8 units of 0.1 g) for a 70 g dose: that vial, found at once
    started = time.monotonic()
    assert pick_vials(700, (100_000_000,)).counts == ((100_000_000, 1),)
    # 2.5 g from 2 g and 5 g vials and a huge one: 2 + 2 = 4 g wastes 1.5 g, 5 g wastes 2.5 g
    assert pick_vials(25, (20, 50, 100_000_000)).counts == ((20, 2),)
    assert time.monotonic() - started < 1


def test_blinded_arms_do_the_same_work_with_huge_site_vials(tmp_path):
    text = (BUILT_IN / "products.toml").read_text()
    sizes = text.split('[products.nanogam]')[1].split("presentations = ")[1].split("\n")[0]
    catalogue = tmp_path / "site.toml"
    catalogue.write_text(text.replace(f"presentations = {sizes}", 'presentations = ["10000000 g"]', 1))
    # the catalogue refuses a vial that size at once; the largest it takes must cost both arms alike
    one_line_exit_2(run("plan", "-w", "70", *START, "--products", str(catalogue), "--product", "nanogam"))
    catalogue.write_text(text.replace(f"presentations = {sizes}", 'presentations = ["0.1 g", "200 g"]', 1))
    outputs, times = [], []
    for arm in ("ivig", "placebo"):
        started = time.monotonic()
        result = run("plan", "-w", "70", *START, "--blinded", "--arm", arm, "-f", "json",
                     "--products", str(catalogue), "--product", "nanogam")
        times.append(time.monotonic() - started)
        assert result.exit_code == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert max(times) < 2


def test_source_date_epoch_out_of_range_is_one_line(tmp_path, monkeypatch):
    for value in ("99999999999999", "-1", "1e9"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
        one_line_exit_2(run("order", "-w", "70", *START, "-o", str(tmp_path / "o.pdf")), "SOURCE_DATE_EPOCH")


def test_a_long_time_zone_is_one_line(tmp_path):
    one_line_exit_2(run("calendar", "-w", "70", *START, "--patient-id", "T1", "--tz", "A" * 5000,
                        "-o", str(tmp_path / "a.ics")), "--tz")


def test_closed_full_and_narrow_standard_streams_are_one_line():
    closed = command("plan", "-w", "70", *START, shell_redirect=">&-")
    assert closed.returncode == 2 and b"standard output is closed" in closed.stderr
    full = command("plan", "-w", "70", *START, shell_redirect="> /dev/full")
    assert full.returncode == 2 and b"No space left on device" in full.stderr
    narrow = command("plan", "-w", "70", *START, env={"PYTHONIOENCODING": "ascii"})
    assert narrow.returncode == 0 and b"Traceback" not in narrow.stderr
    assert b"\\xb7" in narrow.stdout  # the week strip's middle dot, written as an escape
    no_input = command("batch", "-", shell_redirect="<&-")
    assert no_input.returncode == 2 and b"standard input is closed" in no_input.stderr
    for result in (closed, full, narrow, no_input):
        assert b"Traceback" not in result.stderr


# --- wrong answers ------------------------------------------------------------------------------

def test_calendar_times_are_real_elapsed_time_across_the_clock_change(tmp_path):
    from icalendar import Calendar

    out = tmp_path / "a.ics"
    # clocks go forward in Europe/Amsterdam at 02:00 on 2027-03-28: a bag from 01:00 runs across it
    result = run("calendar", "-w", "70", "--start", "2027-03-28", "--time", "01:00", "--tz", "Europe/Amsterdam",
                 "--patient-id", "T1", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    first = next(e for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    start, end = first.decoded("dtstart"), first.decoded("dtend")
    said = str(first["description"]).split("Duration: ")[1].split("\n")[0]  # e.g. "3 h 1 min"
    hours, _, minutes, _ = said.split()
    elapsed = end.astimezone(UTC) - start.astimezone(UTC)
    assert elapsed == timedelta(hours=int(hours), minutes=int(minutes))
    assert start.utcoffset() == timedelta(hours=1) and end.utcoffset() == timedelta(hours=2)


def test_decimal_feet_are_refused_feet_and_inches_read_exactly():
    one_line_exit_2(run("plan", "-w", "100", *START, "--height", "5.10 ft", "--sex", "male",
                        "--dosing-weight", "ideal"), "ambiguous", "5 ft 10 in")
    result = run("plan", "-w", "100", *START, "--height", "5 ft 10 in", "--sex", "male",
                 "--dosing-weight", "ideal", "-f", "json")
    assert result.exit_code == 0, result.stderr
    # 5 ft 10 in = 70 in = 177.8 cm; Devine, male: 50 + 2.3 × (70 − 60) = 73 kg
    assert json.loads(result.stdout)["dosing_weight_kg"] == 73


def test_an_empty_product_is_refused():
    one_line_exit_2(run("plan", "-w", "70", *START, "--product", ""), "--product is empty")


def test_protocol_check_fails_what_plan_cannot_use(tmp_path):
    text = (BUILT_IN / "protocols" / "timeismuscle.toml").read_text()
    unknown = tmp_path / "unknown.toml"
    unknown.write_text(text.replace('catalogue_id = "nanogam"', 'catalogue_id = "nosuch"'))
    result = run("protocol", "check", str(unknown))
    assert result.exit_code == 2 and "nosuch" in result.stdout
    rounding = tmp_path / "rounding.toml"
    rounding.write_text(text.replace('catalogue_id = "nanogam"', 'catalogue_id = "nanogam"\n\n[options.rounding]\n'
                                     'value = "90 g"\nrule = "R3"\nsource = "a site rule"'))
    result = run("protocol", "check", str(rounding))
    assert result.exit_code == 2 and "90 g" in result.stdout
    assert run("protocol", "check", "timeismuscle").exit_code == 0


# === The same classes one step to the side, held by generated variants ===============================

#: digits as other scripts write them: ASCII, fullwidth, Arabic-Indic, Devanagari, Bengali.
DIGIT_ZEROS = (0x30, 0xFF10, 0x660, 0x966, 0x9E6)
#: spaces a keyboard or a spreadsheet can put between fields: plain, no-break, thin, ideographic, tab.
SPACES = (" ", "\u00a0", "\u2009", "\u3000", "\t")


def in_script(number: str, zero: int) -> str:
    return "".join(chr(zero + int(d)) if d.isdigit() else d for d in number)


dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31))


@st.composite
def numeric_date(draw: st.DrawFn, value: date, day_first: bool) -> str:
    """``value`` written in numbers, day or month first, as people (and spreadsheets) write it."""
    pad = draw(st.booleans())
    day, month = (f"{value.day:02}", f"{value.month:02}") if pad else (str(value.day), str(value.month))
    if draw(st.booleans()):
        day += draw(st.sampled_from(["st", "nd", "rd", "th", "TH"]))  # an ordinal marks the day
    separator = draw(st.sampled_from(["/", "-", ".", ", ", *SPACES]))
    fields = (day, month) if day_first else (month, day)
    text = separator.join((*fields, f"{value.year}"))
    text = in_script(text, draw(st.sampled_from(DIGIT_ZEROS)))
    before = draw(st.sampled_from(["", "on ", "the ", value.strftime("%A "), value.strftime("%a, ")]))
    return before + text


@given(value=dates, day_first=st.booleans(), data=st.data())
@settings(max_examples=300)
def test_a_numeric_date_is_read_in_the_order_given_whatever_surrounds_it(value, day_first, data):
    text = data.draw(numeric_date(value, day_first), label="text")
    assert parse_date(text, day_first) == value
    with pytest.raises(InputError, match="day or month first"):
        parse_date(text, None)
    # the other order gives the swapped date where one exists, and never any other
    try:
        swapped = parse_date(text, not day_first)
    except InputError:
        return
    assert swapped == date(value.year, value.day, value.month)


@given(value=dates, day_first=st.sampled_from([True, False, None]), data=st.data())
@settings(max_examples=200)
def test_a_date_with_a_time_is_refused_in_every_form(value, day_first, data):
    written = data.draw(st.one_of(numeric_date(value, bool(day_first)), st.just(value.isoformat()),
                                  st.just(value.strftime("%d %b %Y"))), label="date")
    time_part = data.draw(st.sampled_from(["00:00", "0:00", "T00:00", "T00:00:00", "00:00:00", "9 am", "9pm",
                                           "T08", "12 noon", "midnight", "08:30 +01:00", "0:00 uur"]), label="time")
    joined = data.draw(st.sampled_from(["", " ", "\u00a0"]), label="joint") if not time_part.startswith("T") else ""
    text = f"{written}{joined}{time_part}"
    if len(text) <= 40:
        with pytest.raises(InputError, match="has a time"):
            parse_date(text, day_first)


@given(value=dates, data=st.data())
@settings(max_examples=200)
def test_a_month_in_words_places_the_day_whatever_the_order_option(value, data):
    month = data.draw(st.sampled_from([value.strftime("%B"), value.strftime("%b"), value.strftime("%b."),
                                       value.strftime("%B").upper()]), label="month")
    day = str(value.day) + data.draw(st.sampled_from(["", "st", "nd", "rd", "th"]), label="ordinal")
    text = data.draw(st.sampled_from([f"{day} {month} {value.year}", f"{month} {day}, {value.year}",
                                      f"the {day} of {month} {value.year}", f"{value.year} {month} {day}"]))
    for day_first in (True, False, None):
        assert parse_date(text, day_first) == value


@pytest.mark.parametrize(("text", "day_first", "expected"), [
    ("03/04/2027 00:00", True, "has a time"),          # read as 4 March before, whatever --day-first said
    ("03/04/2027T00:00", True, "has a time"),
    ("03-04-2027 0:00", True, "has a time"),
    ("on 03/04/2027", None, "day or month first"),    # a CSV order dated so MATCHed as 4 January... of 3 April
    ("3rd/4/2027", False, "ordinal day"),              # month first puts the month where the ordinal stands
    ("2027-01-04T00:00:00", None, "has a time"),
    ("3\u200b/4/2027", True, "not a date"),            # an invisible character is not a separator
    ("3/4/2027 5", True, "not a date"),
])
def test_the_issues_dates_are_refused(text, day_first, expected):
    with pytest.raises(InputError, match=expected):
        parse_date(text, day_first)


def test_every_command_reads_dates_alike(tmp_path):
    # plan --start: 3 April with --day-first, not 4 March
    result = run("plan", "-w", "70", "--start", "on 03/04/2027", "--day-first", "-f", "json")
    assert json.loads(result.stdout)["courses"][0]["start"] == "2027-04-03"
    one_line_exit_2(run("plan", "-w", "70", "--start", "03/04/2027 00:00", "--day-first"), "has a time")
    # a patient list
    source = tmp_path / "p.csv"
    source.write_text(f"{HEADER}\nP1,70,on 03/04/2027\n")
    listed = run("batch", str(source), "--day-first", "-f", "jsonl")
    assert json.loads(listed.stdout)["courses"][0]["start"] == "2027-04-03"
    # screen: a birth date with a time is refused, not moved by months (it made a patient 17)
    answers = tmp_path / "a.toml"
    answers.write_text('birth_date = "09/01/2009 00:00"\n')
    one_line_exit_2(run("screen", "-a", str(answers), "--screening-date", "2027-01-04", "--day-first"),
                    "has a time")
    # verify: a CSV order whose dates need a field order is refused, never matched as another date
    order = tmp_path / "order.csv"
    planned = run("plan", "-w", "70", *START, "-f", "csv").stdout
    assert "2027-01-04" in planned
    order.write_text(planned.replace("2027-01-04", "on 01/04/2027"))
    verified = run("verify", str(order))
    assert verified.exit_code == 2 and "day or month first" in verified.stderr


# --- heights: decimal feet in any spelling ----------------------------------------------------------

@st.composite
def decimal_feet(draw: st.DrawFn) -> str:
    feet = draw(st.integers(1, 7))
    tenths = draw(st.sampled_from(["1", "5", "10", "11", "25"]))
    point = draw(st.sampled_from([".", ","]))
    number = in_script(f"{feet}{point}{tenths}", draw(st.sampled_from([0x30, 0xFF10])))
    unit = draw(st.sampled_from(["ft", "ft.", "ft**1", "ft^1", "feet", "foot", "(ft)", "ft*in/in", "ft**2/ft",
                                 "ft ft/ft"]))
    return number + draw(st.sampled_from(["", *SPACES[:3]])) + unit


@given(text=decimal_feet())
@settings(max_examples=200)
def test_decimal_feet_are_refused_in_every_spelling(text):
    from ivig_dose.parse.height import parse_height

    with pytest.raises(InputError, match="height"):
        parse_height(text)


@given(feet=st.integers(1, 8), unit=st.sampled_from(["mft", "kft", "dft", "cft", "ft²"]),
       scale=st.sampled_from(["1", "1000", "0.001", "5100", "0.0051"]))
def test_units_made_of_feet_are_refused(feet, unit, scale):
    from ivig_dose.parse.height import parse_height

    with pytest.raises(InputError, match="height"):
        parse_height(f"{scale} {unit}")


@given(feet=st.integers(4, 7), spelling=st.sampled_from(["ft", "feet", "foot", "ft.", "(ft)"]),
       space=st.sampled_from(["", *SPACES[:3]]))
def test_whole_feet_are_read_exactly_in_any_spelling(feet, spelling, space):
    from decimal import Decimal

    from ivig_dose.parse.height import parse_height

    assert parse_height(f"{feet}{space}{spelling}") == feet * Decimal("30.48")  # 1 ft = 12 × 2.54 cm


def test_the_issues_feet_change_no_dosing_weight():
    for height in ("5,10 ft", "5.10 ft.", "5.10 ft**1"):
        one_line_exit_2(run("plan", "-w", "100", *START, "--height", height, "--sex", "male",
                            "--dosing-weight", "adjusted"), "height")


# --- patient ids: one check, every command --------------------------------------------------------

INVISIBLE = ["\u200b", "\ufeff", "\u2060", "\u00ad", "\u200d", "\u180e", "\u2061", "\U000e0001"]


@given(place=st.integers(0, 7), invisible=st.sampled_from(INVISIBLE))
def test_an_invisible_character_in_a_patient_id_is_refused_naming_its_position(place, invisible):
    from ivig_dose.parse.text import check_id

    text = "TIM-001"[:place] + invisible + "TIM-001"[place:]
    with pytest.raises(InputError, match=f"U\\+{ord(invisible):04X} at position {place + 1}"):
        check_id(text)


@pytest.mark.parametrize(("text", "said"), [
    # a byte of a command line that is not UTF-8, as Python keeps it: named as the byte
    ("TIM\udcff", "holds a byte that is not UTF-8 (\\xff) at position 4"),
    # a lone surrogate stands for no byte (a Windows command line, a caller in Python): named as itself
    ("\ud800TIM", "holds the control character \\ud800 at position 1"),
    ("\ud800TIM\udcff", "holds the control character \\ud800 at position 1"),
    ("TIM\udcff\ud800", "TIM\\xff\\ud800' holds a byte that is not UTF-8 (\\xff) at position 4"),
])
def test_a_surrogate_in_a_text_is_refused_in_one_line(text, said):
    from ivig_dose.parse.text import check_id

    with pytest.raises(InputError) as refused:
        check_id(text)
    assert said in str(refused.value)


ID_COMMANDS = [
    ["plan", "-w", "70", *START, "-f", "fhir"],
    ["calendar", "-w", "70", *START, "-o", "OUT.ics"],
    ["order", "-w", "70", *START, "-o", "OUT.pdf"],
    ["labels", "-w", "70", *START, "-o", "OUT.pdf"],
]


@pytest.mark.parametrize("args", ID_COMMANDS, ids=lambda a: a[0])
@pytest.mark.parametrize("bad", [b"TIM\xff", b"\xe9TIM", b"TIM\xed\xa0\x80"], ids=["ff", "e9", "surrogate"])
def test_a_patient_id_that_is_not_utf8_is_one_line_in_every_command(tmp_path, args, bad):
    # argv as the shell passes $'TIM\xff': bytes, which Python keeps as lone surrogates
    argv = [a.replace("OUT", str(tmp_path / "out")) for a in args]
    line = [sys.executable, "-m", "ivig_dose", *argv]
    result = subprocess.run([os.fsencode(a) for a in line] + [b"--patient-id", bad], capture_output=True,
                            timeout=60)
    assert result.returncode == 2, result.stderr
    assert b"Traceback" not in result.stderr
    said = result.stderr.decode().splitlines()
    assert len(said) == 1 and "not UTF-8" in said[0] and "position" in said[0], said
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", ID_COMMANDS, ids=lambda a: a[0])
@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u2060"])
def test_an_invisible_patient_id_is_one_line_in_every_command(tmp_path, args, invisible):
    argv = [a.replace("OUT", str(tmp_path / "out")) for a in args]
    one_line_exit_2(run(*argv, "--patient-id", f"{invisible}TIM-001"), "position 1")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u2060"])
def test_a_patient_list_refuses_an_invisible_id(tmp_path, invisible):
    source = tmp_path / "p.csv"
    source.write_text(f"{HEADER}\nTIM-001,70,2027-01-04\n{invisible}TIM-001,70,2027-01-04\n")
    result = run("batch", str(source), "-f", "jsonl")
    assert result.exit_code == 1
    assert [json.loads(line)["patient_id"] for line in result.stdout.splitlines()] == ["TIM-001"]
    assert f"U+{ord(invisible):04X} at position 1" in result.stderr


# --- answers files: numbers that are not numbers, dates past the calendar -------------------------

NOT_NUMBERS = ["nan", "+nan", "-nan", "inf", "+inf", "-inf"]
FAR_DATES = ["9999-12-31", "9999-01-01", "3000-01-01", "0001-01-01", "1899-12-31"]


@pytest.mark.parametrize("key", ["mmt_loss_percent", "abnormal_core_set_measures"])
@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_an_answer_that_is_nan_or_infinite_is_one_line(tmp_path, key, value):
    answers = tmp_path / "a.toml"
    answers.write_text(f"{key} = {value}\n")
    result = run("screen", "-a", str(answers), "--screening-date", "2027-01-04")
    one_line_exit_2(result, key, "nan" if "nan" in value else value.lstrip("+"), "not a number")
    assert "Decimal(" not in result.stderr


@pytest.mark.parametrize("key", ["screening_date", "birth_date", "symptom_onset", "last_thrombosis",
                                 "last_immunosuppressant"])
@pytest.mark.parametrize("value", FAR_DATES)
@pytest.mark.parametrize("quoted", [False, True])
def test_a_far_date_in_an_answers_file_is_one_line(tmp_path, key, value, quoted):
    answers = tmp_path / "a.toml"
    answers.write_text(f'{key} = {json.dumps(value) if quoted else value}\n')
    for screening_date in ([], ["--screening-date", "2027-01-04"]):
        one_line_exit_2(run("screen", "-a", str(answers), *screening_date), key, "out of range")


# --- protocol values that are not numbers -------------------------------------------------------

PROTOCOL_TEXT = (BUILT_IN / "protocols" / "timeismuscle.toml").read_text()
PARAM_KEYS = re.findall(r'\[params\.(\w+)\]\nvalue = "', PROTOCOL_TEXT)


#: the waits of the nurse's day, in minutes, where 0 is a real value (no wait); every other parameter
#: is a dose, a cap or a count, where 0 is refused.
ZERO_IS_A_VALUE = frozenset({"observation_after_first", "home_gap"})


@pytest.mark.parametrize("key", PARAM_KEYS)
@pytest.mark.parametrize("value", ['"0"', '"-2"', '"NaN"', '""', "true", '"inf"', '"1e400"', "[]", '"2 g"'])
def test_a_protocol_value_that_is_no_number_is_one_line_naming_it(tmp_path, key, value):
    if value == '"0"' and key in ZERO_IS_A_VALUE:
        pytest.skip(f"{key} = 0 means no wait")
    protocol = tmp_path / "p.toml"
    protocol.write_text(re.sub(rf'(\[params\.{key}\]\nvalue = )"[^"]*"', lambda m: m[1] + value, PROTOCOL_TEXT))
    checked = run("protocol", "check", str(protocol))
    assert checked.exit_code == 2, checked.stdout
    assert "Traceback" not in checked.stderr and f"params.{key}" in checked.stdout + checked.stderr
    one_line_exit_2(run("plan", "-w", "70", *START, "--protocol", str(protocol)), key)


# --- a closed standard output is never a verdict ----------------------------------------------------

EXAMPLES = Path(__file__).parent.parent / "examples"


def into_a_closed_pipe(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """The command with its standard output a pipe nobody reads any more (``| head`` that has stopped)."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return subprocess.run([sys.executable, "-m", "ivig_dose", *args], stdout=writer, stderr=subprocess.PIPE,
                              timeout=60, cwd=cwd)
    finally:
        os.close(writer)


@pytest.fixture(scope="module")
def orders(tmp_path_factory):
    folder = tmp_path_factory.mktemp("orders")
    good = run("plan", "-w", "70", *START, "-f", "json").stdout
    (folder / "match.json").write_text(good)
    document = json.loads(good)
    document["courses"][0]["days"][1]["dose_g"] = 72
    (folder / "differs.json").write_text(json.dumps(document))
    (folder / "ineligible.toml").write_text((EXAMPLES / "screen_patient.toml").read_text().replace(
        'informed_consent = "yes"', 'informed_consent = "no"'))
    (folder / "undecided.toml").write_text('screening_date = 2027-01-15\nloop_diuretics = "no"\n')
    (folder / "bad-rows.csv").write_text(f"{HEADER}\nP1,70,2027-01-04\nP2,seventy,2027-01-04\n")
    return folder


VERDICT_COMMANDS = {
    "verify match": ["verify", "match.json"],
    "verify differs": ["verify", "differs.json"],
    "verify json": ["verify", "match.json", "-f", "json"],
    "screen eligible": ["screen", "-a", str(EXAMPLES / "screen_patient.toml")],
    "screen not eligible": ["screen", "-a", "ineligible.toml"],
    "screen undecided": ["screen", "-a", "undecided.toml", "--ivig-only", "-f", "json"],
    "batch bad rows": ["batch", "bad-rows.csv"],
    "plan": ["plan", "-w", "70", *START],
    "plan json": ["plan", "-w", "70", *START, "-f", "json"],
    "rates": ["rates", "-w", "70", "--volume", "700 mL"],
    "protocol list": ["protocol", "list"],
    "help": ["plan", "--help"],
}


@pytest.mark.parametrize("args", VERDICT_COMMANDS.values(), ids=VERDICT_COMMANDS.keys())
def test_a_closed_standard_output_gives_its_own_status_never_a_verdict(orders, args):
    result = into_a_closed_pipe(*args, cwd=orders)
    assert result.returncode == 141, (result.returncode, result.stderr[-300:])
    assert b"Traceback" not in result.stderr and b"error" not in result.stderr


@pytest.mark.parametrize("args", [VERDICT_COMMANDS["verify match"], VERDICT_COMMANDS["screen eligible"]],
                         ids=["verify", "screen"])
def test_head_after_a_yes_is_a_yes_or_the_cut_short_status(orders, args):
    # as the issue ran it: | head -c 10. The whole answer may fit in the pipe before head stops (0), or not (141)
    line = " ".join([f'"{sys.executable}"', "-m", "ivig_dose", *(f"'{a}'" for a in args), "| head -c 10"])
    result = subprocess.run(["bash", "-c", f"set -o pipefail; {line}"], capture_output=True, timeout=60, cwd=orders)
    assert result.returncode in (0, 141), result.stderr
    assert b"Traceback" not in result.stderr


# --- Ctrl-C at any moment: one line, status 130 -----------------------------------------------------

#: Runs the command as its console script does, and presses Ctrl-C (SIGINT to itself) the moment a given
#: module is first imported: in start-up (typer), while the command is built, planned, drawn or written.
CTRL_C_PROBE = """
import os, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)  # as a shell starts a command, whatever ran the test
when = sys.argv[1]

class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == when:
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, CtrlC())
sys.argv = ["ivig-dose", *sys.argv[2:]]
from ivig_dose.cli.main import main
main()
"""


@pytest.mark.parametrize(("when", "args"), [
    ("typer", ["plan", "-w", "70", *START]),                        # start-up, before any handler of typer's
    ("typer.main", ["plan", "-w", "70", *START]),
    ("ivig_dose.cli.language", ["plan", "-w", "70", *START]),
    ("ivig_dose.cli.plan", ["plan", "-w", "70", *START]),            # the command being built
    ("ivig_dose.core.dosing", ["plan", "-w", "70", *START]),         # planning
    ("ivig_dose.render.plan_table", ["plan", "-w", "70", *START]),   # drawing
    ("ivig_dose.render.verification_json", ["verify", "ORDER", "-f", "json"]),
    ("ivig_dose.render.screen_table", ["screen", "-a", str(EXAMPLES / "screen_patient.toml")]),
    ("fpdf", ["order", "-w", "70", *START, "-o", "OUT/order.pdf"]),  # writing a file: none is left behind
    ("icalendar", ["calendar", "-w", "70", *START, "--patient-id", "T1", "-o", "OUT/plan.ics"]),
    ("ivig_dose.app.batch", ["batch", "LIST", "-o", "OUT/plans.csv"]),
])
def test_ctrl_c_at_any_moment_is_one_line_and_status_130(tmp_path, when, args):
    out = tmp_path / "out"
    out.mkdir()
    order = tmp_path / "order.json"
    order.write_text(run("plan", "-w", "70", *START, "-f", "json").stdout)
    patients = tmp_path / "p.csv"
    patients.write_text(f"{HEADER}\nP1,70,2027-01-04\n")
    argv = [a.replace("OUT", str(out)).replace("ORDER", str(order)).replace("LIST", str(patients)) for a in args]
    result = subprocess.run([sys.executable, "-c", CTRL_C_PROBE, when, *argv], capture_output=True, timeout=60)
    said = result.stderr.decode().splitlines()
    assert result.returncode == 130, (result.returncode, said[-5:])
    assert said[-1:] == ["ivig-dose: error: interrupted: no output file was written or replaced"], said
    assert all(line.startswith("ivig-dose: warning:") for line in said[:-1]), said  # warnings said before it
    assert list(out.iterdir()) == []


def test_ctrl_c_in_dutch_is_said_in_dutch():
    result = subprocess.run([sys.executable, "-c", CTRL_C_PROBE, "typer", "plan", "-w", "70", *START, "--lang", "nl"],
                            capture_output=True, timeout=60)
    assert result.returncode == 130
    said = result.stderr.decode().splitlines()
    assert len(said) == 1 and "interrupted" not in said[0] and "ivig-dose" in said[0], said


# --- sizes: refused by their size, before they are read -------------------------------------------

MIB = 1 << 20


def padded(text: str, comment: str = "") -> str:
    """``text`` made one byte larger than 1 MiB with what changes nothing it says (spaces, a comment)."""
    pad = MIB + 1 - len(text.encode())
    return text + (f"\n{comment}" + " " * pad if comment else " " * pad)


@pytest.fixture(scope="module")
def a_good_order() -> str:
    return run("plan", "-w", "70", *START, "-f", "fhir", "--patient-id", "TIM-001").stdout


@pytest.mark.parametrize("form", ["json", "csv", "fhir"])
def test_an_order_larger_than_its_bound_is_refused_though_it_would_match(tmp_path, form):
    # before, a file of any size was read whole and then matched: a 153 MB bundle took 5 s and 678 MiB
    text = run("plan", "-w", "70", *START, "-f", form, *(["--patient-id", "T1"] if form == "fhir" else [])).stdout
    order = tmp_path / f"order.{form}"
    order.write_text(text)
    assert run("verify", str(order)).exit_code == 0
    order.write_text(padded(text))
    one_line_exit_2(run("verify", str(order)), "larger than 1024 KiB")
    one_line_exit_2(run("verify", "-", input=padded(text)), "stdin", "larger than 1024 KiB")


def test_a_huge_order_is_refused_by_its_size_without_reading_it(tmp_path):
    huge = tmp_path / "bundle.json"
    with huge.open("wb") as handle:
        handle.write(b'{"resourceType": "Bundle", "entry": [')
        handle.truncate(153 * MIB)  # sparse: read whole, this was 153 MB of NULs to decode
    one_line_exit_2(run("verify", str(huge)), "larger than 1024 KiB")


def test_an_endless_stdin_is_read_no_further_than_the_bound():
    endless = subprocess.run([sys.executable, "-m", "ivig_dose", "verify", "-"], stdin=open("/dev/zero", "rb"),  # noqa: SIM115
                             capture_output=True, timeout=60)
    assert endless.returncode == 2 and b"Traceback" not in endless.stderr
    spaces = subprocess.run(["sh", "-c", f'yes " " | "{sys.executable}" -m ivig_dose verify -'], capture_output=True,
                            timeout=60)
    assert spaces.returncode == 2 and b"larger than 1024 KiB" in spaces.stderr


@pytest.mark.parametrize(("option", "path", "comment"), [
    ("--protocol", BUILT_IN / "protocols" / "timeismuscle.toml", "#"),
    ("--products", BUILT_IN / "products.toml", "#"),
    ("--answers", EXAMPLES / "screen_patient.toml", "#"),
    ("screen --protocol", BUILT_IN / "protocols" / "screening" / "timeismuscle.toml", "#"),
])
def test_every_data_file_larger_than_its_bound_is_refused(tmp_path, option, path, comment):
    big = tmp_path / path.name
    big.write_text(padded(path.read_text(), comment))
    if option in ("--answers", "screen --protocol"):
        args = ["screen", option.split()[-1], str(big), "--screening-date", "2027-01-04"]
    else:
        product = ["--product", "nanogam"] if option == "--products" else []
        args = ["plan", "-w", "70", *START, option, str(big), *product]
    one_line_exit_2(run(*args), "larger than 1024 KiB")


def test_a_patient_list_is_streamed_with_no_size_bound(tmp_path):
    from ivig_dose.files.inputs import open_input

    source = tmp_path / "p.csv"
    source.write_text(HEADER + "\n" + "P1,70,2027-01-04\n" * 70_000)  # 1.2 MB
    with open_input(str(source), limit=None) as opened:
        assert sum(1 for _ in opened.lines) == 70_001
    with pytest.raises(InputError, match="larger than"), open_input(str(source)) as opened:
        pass


# --- the documented maxima are what the program can do in about two seconds -----------------------

def protocol_of(courses: int, days: int, name_length: int = 10) -> str:
    """The built-in protocol with ``courses`` courses of ``days`` days, each in hospital, its names
    ``name_length`` characters long and every source 2,000: the documented maxima."""
    head = PROTOCOL_TEXT.split("[[courses]]")[0]
    head = head.replace('[params.max_days]\nvalue = "5"', f'[params.max_days]\nvalue = "{days}"')
    head = head.replace('[params.min_days]\nvalue = "2"', f'[params.min_days]\nvalue = "{min(2, days)}"')
    head = head.replace('[params.daily_cap]\nvalue = "80"', '[params.daily_cap]\nvalue = "180"')
    head = head.replace('[options.default_days]\nvalue = "smallest"', f'[options.default_days]\nvalue = "{days}"')
    head = re.sub(r'^source = "[^"]*"', 'source = "' + "s " * 1000 + '"', head, flags=re.M)
    courses_text = "".join(f'[[courses]]\nname = "{f"course {i} ".ljust(name_length, "x")}"\nweek = {i * 4}\n'
                           f'hospital = true\nsource = "{"s " * 1000}"\n\n' for i in range(courses))
    return head + courses_text


@pytest.mark.parametrize(("courses", "days", "accepted"), [
    (25, 5, True), (5, 25, True), (4, 31, True), (25, 6, False), (26, 4, False), (6, 21, False)])
def test_a_protocol_is_bounded_by_courses_and_infusion_days(tmp_path, courses, days, accepted):
    # 25 courses × 5 days = 125 infusion days, the most; 25 × 6 = 150 and 6 × 21 = 126 are more
    protocol = tmp_path / "p.toml"
    protocol.write_text(protocol_of(courses, days))
    result = run("protocol", "check", str(protocol))
    assert result.exit_code == (0 if accepted else 2), result.stdout
    if not accepted:
        assert "courses" in result.stdout and "at most" in result.stdout


@pytest.mark.parametrize(("length", "accepted"), [(100, True), (101, False)])
def test_names_are_bounded_where_every_bag_prints_them(tmp_path, length, accepted):
    protocol = tmp_path / "p.toml"
    protocol.write_text(protocol_of(3, 5, name_length=length))
    result = run("protocol", "check", str(protocol))
    assert result.exit_code == (0 if accepted else 2), result.stdout
    if not accepted:
        assert "courses[0].name is 101 characters long; accepted: at most 100 characters" in result.stdout


def test_the_largest_protocol_makes_every_document(tmp_path):
    # the documented maxima at once: every command that draws a plan still draws it (its time is in docs/limits.md)
    protocol = tmp_path / "p.toml"
    protocol.write_text(protocol_of(25, 5, name_length=100))
    for args in (["order", "-o", str(tmp_path / "o.pdf")], ["labels", "-o", str(tmp_path / "l.pdf")],
                 ["calendar", "--patient-id", "T1", "-o", str(tmp_path / "c.ics")], ["plan", "-f", "json"]):
        result = run(*args, "-w", "70", *START, "--protocol", str(protocol))
        assert result.exit_code == 0, (args, result.stderr)
    document = json.loads(result.stdout)
    assert len(document["courses"]) == 25 and {len(c["days"]) for c in document["courses"]} == {5}


# --- interactive questions end -------------------------------------------------------------------

def test_interactive_questions_stop_after_three_bad_answers_in_a_row_keeping_those_given(tmp_path):
    saved = tmp_path / "answers.toml"
    # I1 answered, then I2 gets three answers it cannot take; the rest are never asked
    replies = "1968-09-04\n" + "banana\n" * 3 + "dermatomyositis\n" * 5
    result = run("screen", "--screening-date", "2027-01-15", "--save", str(saved), "-f", "json", input=replies)
    assert result.exit_code == 3, result.stderr
    assert "I2: 3 answers in a row were not accepted" in result.stderr
    assert "the 1 answer(s) given are kept" in result.stderr
    document = json.loads(result.stdout)
    assert [c["answer"] for c in document["criteria"][:2]] == ["1968-09-04", None]
    assert "birth_date = 1968-09-04" in saved.read_text()


def test_an_endless_stream_of_bad_answers_ends():
    endless = subprocess.run(["sh", "-c", f'yes banana | "{sys.executable}" -m ivig_dose screen --screening-date '
                              '2027-01-15'], capture_output=True, timeout=60)
    assert endless.returncode == 3 and b"3 answers in a row were not accepted" in endless.stderr


# --- CSV cells: formula signs in every width ------------------------------------------------------

FORMULA_SIGNS = "=+-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b\u207c\u207a"


@given(sign=st.sampled_from(FORMULA_SIGNS), rest=st.text(max_size=20))
def test_a_cell_starting_with_any_width_of_formula_sign_is_quoted(sign, rest):
    from ivig_dose.render.csv_cells import safe_cell

    assert safe_cell(sign + rest) == "'" + sign + rest


def could_run(text: str) -> bool:
    return bool(text) and (text[0] in "\t\r" or unicodedata.normalize("NFKC", text[0])[:1] in ("=", "+", "-", "@"))


@given(text=st.text(max_size=20).filter(lambda t: not could_run(t)))
def test_other_cells_are_left_as_they_are(text):
    from ivig_dose.render.csv_cells import safe_cell

    assert safe_cell(text) == text


@pytest.mark.parametrize("sign", ["\uff1d", "\uff0b", "\uff0d", "\uff20"])
def test_fullwidth_formula_signs_are_quoted_in_a_batch_and_its_errors(tmp_path, sign):
    source = tmp_path / "p.csv"
    source.write_text(f"{HEADER}\n{sign}SUM(A1),70,2027-01-04\n{sign}x,seventy,2027-01-04\n")
    errors = tmp_path / "errors.csv"
    result = run("batch", str(source), "--errors", str(errors))
    assert next(csv.DictReader(io.StringIO(result.stdout)))["patient_id"] == f"'{sign}SUM(A1)"
    assert next(csv.DictReader(errors.open()))["patient_id"] == f"'{sign}x"


# --- no control character from a file reaches the terminal ----------------------------------------

#: what can drive a terminal or hide text: C0 and C1 controls, DEL, line separators, bidi and invisible
#: format characters, a tag character.
CONTROLS = ["\x1b[2J", "\x1b]0;owned\x07", "\x9b31m", "\x7f", "\r", "\x08", "\u2028", "\u202e", "\u200b",
            "\ufeff", "\u2066", "\U000e0001", "\x85"]
SCREEN_ANSWERS = EXAMPLES / "screen_patient.toml"
DATA_FILES = {
    "protocol": (BUILT_IN / "protocols" / "timeismuscle.toml",
                 [["protocol", "show", "FILE"], ["plan", "-w", "70", *START, "--protocol", "FILE"]]),
    "catalogue": (BUILT_IN / "products.toml",
                  [["products", "show", "nanogam", "--products", "FILE"],
                   ["rates", "-w", "70", "--volume", "700 mL", "--products", "FILE", "--product", "nanogam"]]),
    "checklist": (BUILT_IN / "protocols" / "screening" / "timeismuscle.toml",
                  [["screen", "--protocol", "FILE", "-a", str(SCREEN_ANSWERS)]]),
    "answers": (SCREEN_ANSWERS, [["screen", "-a", "FILE"]]),
}


def leaked(text: str) -> list[str]:
    from ivig_dose.parse.text import is_control

    return [c for c in text if c != "\n" and is_control(c)]


@given(kind=st.sampled_from(sorted(DATA_FILES)), place=st.integers(0, 200), control=st.sampled_from(CONTROLS),
       data=st.data())
@settings(max_examples=60, deadline=None)
def test_no_control_character_in_a_data_file_reaches_the_terminal(tmp_path_factory, kind, place, control, data):
    path, commands = DATA_FILES[kind]
    text = path.read_text()
    strings = [m.end() for m in re.finditer(r'^[^#"\n]*= "(?!")', text, flags=re.M)]  # every one-line string value
    at = strings[place % len(strings)]
    escaped = "".join(f"\\U{ord(c):08x}" for c in control)  # as TOML writes it: the file stays valid TOML
    hostile = tmp_path_factory.mktemp("files") / path.name
    hostile.write_text(text[:at] + escaped + text[at:])
    args = [a.replace("FILE", str(hostile)) for a in data.draw(st.sampled_from(commands), label="command")]
    result = run(*args)
    assert result.exit_code == 2, (args, result.stdout[-300:], result.stderr)
    assert "Traceback" not in result.stderr
    assert leaked(result.stdout + result.stderr) == [], (args, result.stdout[-300:], result.stderr)


@given(column=st.integers(0, 5), control=st.sampled_from(CONTROLS))
@settings(max_examples=40, deadline=None)
def test_no_control_character_in_a_patient_list_reaches_the_terminal(tmp_path_factory, column, control):
    cells = ["P1", "70", "2027-01-04", "ivig", "male", "178"]
    cells[column] = cells[column][:1] + control + cells[column][1:]
    source = tmp_path_factory.mktemp("lists") / "p.csv"
    with source.open("w", newline="") as handle:
        csv.writer(handle).writerows([["patient_id", "weight", "start", "arm", "sex", "height"], cells])
    errors = source.with_name("errors.csv")
    result = run("batch", str(source), "--errors", str(errors))
    assert result.exit_code == 1, result.stderr
    assert leaked(result.stdout + result.stderr) == [], result.stderr
    assert leaked(errors.read_text().replace("\r\n", "\n")) == []
