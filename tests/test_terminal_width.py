"""Text output at the width it is read at: COLUMNS honoured also when piped, a stacked
layout instead of dropped columns, no number parted from its unit, nothing cut."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivig_dose.render.terminal import FALLBACK_WIDTH, width_for, wrap

IVIG_DOSE = [sys.executable, "-m", "ivig_dose"]


def piped(*args: str, columns: int | None, cwd: Path | None = None) -> str:
    """What the command prints into a pipe with COLUMNS set (or not): no terminal anywhere."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"}
    if columns is not None:
        env["COLUMNS"] = str(columns)
    result = subprocess.run([*IVIG_DOSE, *args], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
                            cwd=cwd, check=False)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout


def test_columns_is_honoured_when_piped(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()  # not a terminal
    monkeypatch.setenv("COLUMNS", "57")
    assert width_for(out) == 57
    monkeypatch.setenv("COLUMNS", "wide")
    assert width_for(out) == FALLBACK_WIDTH  # no terminal on the test's streams either


#: phrases a wrapped line must never split (the issue's "200.1 mL/h for 6" / "7.5 min").
PUMP_LINE = ("300 mL at 83.4 kg: 50 mL/h for 30 min → 100 mL/h for 30 min → 200.1 mL/h for 67.5 min; "
             "total 2 h 8 min")
PHRASES = ("300 mL", "83.4 kg", "50 mL/h", "30 min", "200.1 mL/h", "67.5 min", "2 h 8 min")


@given(width=st.integers(min_value=20, max_value=120))
def test_wrapping_never_parts_a_number_from_its_unit(width: int) -> None:
    lines = wrap(PUMP_LINE, width, "  ", "    ")
    assert " ".join(line.strip() for line in lines) == PUMP_LINE  # nothing lost or changed
    for phrase in PHRASES:
        count = PUMP_LINE.count(phrase)
        assert sum(line.count(phrase) for line in lines) == count, (phrase, lines)
    assert all(len(line) <= width for line in lines)
    assert "\u00a0" not in "".join(lines)  # no hidden no-break space in what is printed


@pytest.mark.parametrize("columns", [50, 80, 200])
def test_the_plan_fits_every_width_and_keeps_every_value(columns: int) -> None:
    text = piped("plan", "--weight", "83.4", "--start", "2027-01-04", columns=columns)
    lines = text.splitlines()
    assert max(map(len, lines)) <= columns
    # 83.4 kg: 2 g/kg × 83.4 = 166.8 g a course over 3 days (R3, 80 g/day); baseline day 1:
    # 30 g in hospital (R6) and 55.6 - 30 = 25.6 g at home; every other day 55.6 g, 556 mL.
    if columns < 87:  # narrower than the table (widest cells plus gaps): one block per bag
        assert "│" not in text
        assert "baseline · day 1 · Mon 2027-01-04 · hospital" in lines
        assert "  Dose 30 g · Volume 300 mL · Vials 2 · Pump 2 h 8 min" in text.replace("·\n  Pump", "· Pump")
        assert text.count("Dose 55.6 g · Volume 556 mL") == 8
    else:
        header = next(line for line in lines if "┃" in line)
        assert [cell.strip() for cell in header.split("┃")] == [
            "Course", "Date", "Day", "Setting", "Dose", "Volume", "Vials", "Pump"]
        # every date with its weekday: 2027-01-04 is a Monday, week 8 starts on Monday 2027-03-01
        assert "│ Mon 2027-01-04 │" in text and "│ Wed 2027-03-03 │" in text
    # the pump step that once broke as "200.1 mL/h for 6" / "7.5 min" is whole on one line
    assert any("200.1 mL/h for 67.5 min" in line for line in lines)
    assert not any(re.search(r"\d$", line) for line in lines if "mL/h" in line)  # no "... for 6"


@pytest.mark.parametrize("columns", [50, 80, 200])
def test_verify_never_cuts_a_value(columns: int, tmp_path: Path) -> None:
    order = tmp_path / "order.json"
    order.write_text(piped("plan", "--weight", "83.4", "--start", "2027-01-04", "-f", "json", columns=None))
    text = piped("verify", str(order), "--weight", "38.4", "--all", columns=columns)
    assert "…" not in text
    assert max(map(len, text.splitlines())) <= columns
    assert "DIFFERS" in text
    # 38.4 kg: 2 × 38.4 = 76.8 g a course; the order's 166.8 g is 90 g over (+117.2 %)
    assert "+90 g (+117.2%)" in text


@pytest.mark.parametrize("columns", [50, 80, 200])
def test_screen_and_rates_fit_the_width(columns: int) -> None:
    root = Path(__file__).parents[1]
    screen = piped("screen", "--answers", "examples/screen_patient.toml", columns=columns, cwd=root)
    rates = piped("rates", "--weight", "70", "--dose", "70g", "--product", "octagam-10", columns=columns)
    for text in (screen, rates):
        assert "…" not in text
        assert max(map(len, text.splitlines())) <= columns
    # 70 kg, Octagam 10 % steps 0.6/1.2/2.4/4.8/7.2 mL/kg/h: 42, 84, 168, 336 mL/h for 30 min
    # (315 mL), then 504 mL/h for the other 385 mL
    assert all(rate in rates for rate in ("42 mL/h", "84 mL/h", "168 mL/h", "336 mL/h", "504 mL/h"))
    assert "Verdict: ELIGIBLE" in screen


def test_json_is_never_wrapped() -> None:
    text = piped("plan", "--weight", "83.4", "--start", "2027-01-04", "-f", "json", columns=20)
    assert json.loads(text)["weight_kg"] == 83.4
