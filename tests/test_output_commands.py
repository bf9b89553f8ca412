"""order, labels and calendar through the real command line, with real plans."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from tests.documents import pdf_text
from tests.helpers import NANOGAM_UNVERIFIED

EPOCH = "1798848000"  # 2027-01-02 00:00:00 UTC
START = ["--start", "2027-01-04"]


def run(*args: str, epoch: str | None = EPOCH) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    return subprocess.run([sys.executable, "-m", "ivig_dose", *args], capture_output=True, text=True, env=env,
                          check=False)


def words(text: str) -> str:
    return " ".join(text.split())


def test_order_sheet_for_72_35_kg(tmp_path):
    out = tmp_path / "order.pdf"
    result = run("order", "--weight", "72.35", *START, "--patient-id", "TIM-001", "-o", str(out))
    assert result.returncode == 0, result.stderr
    # the default product's vials and rates are not label-verified, and every output says so
    assert result.stderr == f"ivig-dose: warning: {NANOGAM_UNVERIFIED}\nivig-dose: wrote {out}\n"
    text = words(pdf_text(out.read_bytes()))
    # 2 × 72.35 = 144.7 g over 2 days: 72.4 + 72.3 g; day 1 = 30 g hospital + 42.4 g home.
    assert "2027-01-04 1 of 2 hospital 30 g 300 mL" in text
    assert "2027-01-04 1 of 2 home 42.4 g 424 mL" in text
    assert "2027-01-05 2 of 2 home 72.3 g 723 mL" in text
    assert "Protocol total over 3 courses: 434.1 g in 4341 mL" in text  # 3 × 144.7
    assert "generated 2027-01-02 00:00 +0000" in text


def test_order_footer_digest_matches_plan_json(tmp_path):
    out = tmp_path / "order.pdf"
    inputs = ["--weight", "158.7 lb", *START, "--course-weight", "week4=70kg"]
    assert run("order", *inputs, "-o", str(out)).returncode == 0
    digest = json.loads(run("plan", *inputs, "-f", "json").stdout)["input_digest"]
    assert f"input digest {digest}" in words(pdf_text(out.read_bytes()))


def test_blinded_order_is_identical_for_both_arms(tmp_path):
    sheets = []
    for arm in ("ivig", "placebo"):
        out = tmp_path / f"{arm}.pdf"
        assert run("order", "-w", "80.3", *START, "--arm", arm, "--blinded", "-o", str(out)).returncode == 0
        sheets.append(out.read_bytes())
    assert sheets[0] == sheets[1]


def test_blinded_order_text_is_identical_without_a_fixed_time(tmp_path):
    texts = []
    for arm in ("ivig", "placebo"):
        out = tmp_path / f"{arm}.pdf"
        assert run("order", "-w", "70", *START, "--arm", arm, "--blinded", "-o", str(out), epoch=None).returncode == 0
        texts.append(re.sub(r"generated [^·]*·", "generated …·", pdf_text(out.read_bytes())))
    assert texts[0] == texts[1]


def test_labels_one_per_bag(tmp_path):
    out = tmp_path / "labels.pdf"
    assert run("labels", "-w", "100", *START, "--patient-id", "TIM-001", "-o", str(out)).returncode == 0
    # 100 kg: 3 days of 60 g; baseline day 1 = 30 g hospital + 30 g home -> 4 + 3 + 3 = 10 bags, 8 a page.
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) == 2
    text = words(pdf_text(out.read_bytes()))
    assert "bag 10 of 10" in text
    assert text.count("300 mL (30 g)") == 2 and text.count("600 mL (60 g)") == 8


def test_blinded_labels_are_identical_for_both_arms(tmp_path):
    files = []
    for arm in ("ivig", "placebo"):
        out = tmp_path / f"{arm}.pdf"
        assert run("labels", "-w", "45", "--days", "5", *START, "--arm", arm, "--blinded",
                   "-o", str(out)).returncode == 0
        files.append(out.read_bytes())
    assert files[0] == files[1]


def test_calendar_events(tmp_path):
    out = tmp_path / "plan.ics"
    result = run("calendar", "-w", "70", *START, "--patient-id", "TIM-001", "--time", "8:15",
                 "--tz", "America/New_York", "-o", str(out))
    assert result.returncode == 0, result.stderr
    events = list(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    assert len(events) == 7
    zone = ZoneInfo("America/New_York")
    first = events[0].decoded("dtstart")
    assert first == datetime(2027, 1, 4, 8, 15, tzinfo=zone)
    assert str(events[0]["summary"]) == "TIM-001: Nanogam baseline day 1/2, Monday · hospital · 30 g in 300 mL"
    # the hospital bag's pump ends at 10:40: 300 mL at 70 kg with Nanogam's steps 42, 84, 168 mL/h:
    # 21 + 42 mL in 60 min, 237 mL at 168 mL/h = 84.6 min; 144.6 -> 145 min; 8:15 + 2:25. The home bag
    # waits for the protocol's 60 min of observation after a first infusion and 120 min to go home: 13:40.
    assert events[0].decoded("dtend") == datetime(2027, 1, 4, 10, 40, tzinfo=zone)
    assert events[1].decoded("dtstart") == datetime(2027, 1, 4, 13, 40, tzinfo=zone)
    assert events[-1].decoded("dtstart") == datetime(2027, 3, 2, 8, 15, tzinfo=zone)
    assert [str(e["location"]) for e in events] == ["Hospital"] + ["Home"] * 6


def test_calendar_default_time_and_zone(tmp_path):
    out = tmp_path / "plan.ics"
    assert run("calendar", "-w", "70", *START, "--patient-id", "TIM-001", "-o", str(out)).returncode == 0
    first = next(iter(Calendar.from_ical(out.read_bytes()).walk("VEVENT")))
    assert first.decoded("dtstart") == datetime.combine(date(2027, 1, 4), time(9), ZoneInfo("Europe/Amsterdam"))


def test_blinded_calendars_are_identical(tmp_path):
    files = []
    for arm in ("ivig", "placebo"):
        out = tmp_path / f"{arm}.ics"
        assert run("calendar", "-w", "70", *START, "--arm", arm, "--blinded", "--patient-id", "T1",
                   "-o", str(out)).returncode == 0
        files.append(out.read_bytes())
    assert files[0] == files[1]


@pytest.mark.parametrize(("args", "message"), [
    (["calendar", "-w", "70"], "calendar needs --patient-id"),
    (["calendar", "-w", "70", "--patient-id", "T1", "--time", "9am"], "--time '9am' is not a time of day"),
    (["calendar", "-w", "70", "--patient-id", "T1", "--time", "24:00"], "--time '24:00' is not a time of day"),
    (["calendar", "-w", "70", "--patient-id", "T1", "--tz", "Europe/Amsterdm"], "--tz 'Europe/Amsterdm' is not"),
    (["order", "-w", "70kgg"], "weight '70kgg'"),
    (["labels", "-w", "100", "--days", "2"], "smallest number of days that works is 3"),
])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, args, message):
    out = tmp_path / "out.file"
    result = run(*args, "-o", str(out))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("ivig-dose: error: ")
    assert message in result.stderr
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("command", ["order", "labels", "calendar"])
def test_missing_output_folder_is_one_line(tmp_path, command):
    out = tmp_path / "missing" / "out"
    result = run(command, "-w", "70", "--patient-id", "T1", "-o", str(out))
    assert result.returncode == 2
    assert result.stderr == (f"ivig-dose: error: cannot write output '{out}': folder '{out.parent}' does not exist; "
                             "accepted: a file path in an existing folder you may write to\n")
    assert os.listdir(tmp_path) == []


def test_output_is_required():
    result = run("order", "-w", "70")
    assert result.returncode == 2
    assert "Missing option '--output'" in result.stderr


def test_plan_table_shows_the_week_strip():
    result = run("plan", "-w", "70", *START)
    assert "Weeks 0–8 at a glance (from Mon 2027-01-04):" in result.stdout
    assert "Bh····· ······· ······· ······· hh····· ······· ······· ······· hh·····" in result.stdout


def test_plan_does_not_load_the_output_libraries():
    code = ("import sys; from ivig_dose.cli.main import app; "
            "app(['plan', '-w', '70', '--start', '2027-01-04', '-f', 'json'], standalone_mode=False); "
            "print(sorted(m for m in ('fpdf', 'icalendar', 'pypdf', 'pint') if m in sys.modules), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.stderr.strip().endswith("[]"), result.stderr


def test_a_bad_output_path_is_refused_before_the_pdf_library_loads(tmp_path):
    code = ("import sys; from ivig_dose.cli.main import app; "
            f"app(['order', '-w', '70', '-o', {str(tmp_path / 'missing' / 'x.pdf')!r}], standalone_mode=False); "
            "print('fpdf' in sys.modules, file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert "does not exist" in result.stderr
    assert result.stderr.strip().endswith("False"), result.stderr


def test_long_protocol_strip_wraps_inside_80_columns():
    from datetime import date
    from decimal import Decimal

    from ivig_dose.core.dosing import build_plan
    from ivig_dose.core.model import PlanRequest
    from ivig_dose.files.protocols import load_protocol
    from ivig_dose.render.week_strip import week_strip

    plan = build_plan(PlanRequest(weight_kg=Decimal(70), start=date(2027, 1, 4)),
                      load_protocol("octagam-dermatomyositis"))
    lines = week_strip(plan)
    # 10 courses every 4 weeks: the last starts in week 36, so weeks 0-36 = 37 weeks;
    # nine a line -> 5 lines of week numbers (0-8, 9-17, 18-26, 27-35, 36).
    assert lines[0].startswith("Weeks 0–36")
    assert [line.split()[1] for line in lines if line.startswith("Week ")] == ["0", "9", "18", "27", "36"]
    assert max(len(line) for line in lines[:-1]) <= 80
    # every course start (weeks 0, 4, ..., 36) is marked "H" on its first day: 2 days × 10 courses.
    assert sum(line.count("H") for line in lines[1:-1] if not line.startswith("Week ")) == 20


def test_calendar_remind_option_and_midnight_warning(tmp_path):
    from icalendar import Calendar
    from typer.testing import CliRunner

    from ivig_dose.cli.main import app

    target = tmp_path / "plan.ics"
    result = CliRunner().invoke(app, ["calendar", "--weight", "70", "--start", "2027-01-04", "--patient-id",
                                      "TIM-001", "--time", "23:00", "--remind", "1d", "--remind", "30min",
                                      "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "the hospital bag of the baseline course, day 1 of 2 (2027-01-04), would end 2027-01-05" in result.output
    event = next(iter(Calendar.from_ical(target.read_bytes()).walk("VEVENT")))
    assert len(event.walk("VALARM")) == 2
    bad = CliRunner().invoke(app, ["calendar", "--weight", "70", "--patient-id", "TIM-001", "--remind", "soon",
                                   "-o", str(tmp_path / "x.ics")])
    assert bad.exit_code == 2 and "--remind 'soon' is not a reminder time" in bad.output


def test_order_and_labels_refuse_a_forged_or_undrawable_patient_id(tmp_path):
    from typer.testing import CliRunner

    from ivig_dose.cli.main import app

    for command in ("order", "labels"):
        for patient_id in ("TIM-001\nArm placebo", "患者-001"):
            target = tmp_path / f"{command}.pdf"
            result = CliRunner().invoke(app, [command, "--weight", "70", "--start", "2027-01-04", "--patient-id",
                                              patient_id, "-o", str(target)])
            assert result.exit_code == 2, result.output
            assert "--patient-id" in result.output and not target.exists()
