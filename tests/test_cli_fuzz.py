"""A fuzzer over every command's argv (issue 15): whatever is typed, the answer is an exit status
of 0, 1, 2 or 3 with at most a few lines on stderr, in bounded time, and never a traceback.

A short run is part of the suite. The long one is the same test with more examples:

    FUZZ_EXAMPLES=2000 python -m pytest tests/test_cli_fuzz.py -p no:cacheprovider
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ivig_dose.cli.main import app

runner = CliRunner()
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
#: generous: a command answers in well under a second; this only catches work out of all bounds.
SECONDS = 10
STDERR_LINES = 6

# Values a careless or hostile user types: plausible ones, near misses, unicode, huge and tiny numbers,
# far dates, empty and blank strings, control characters, markup.
plausible = st.sampled_from([
    "70", "72.35kg", "158.7 lb", "72000 g", "0.5", "2027-01-04", "4 Jan 2027", "03/04/2027", "3", "5g",
    "vials", "none", "300 mL/h", "4.8 mL/kg/h", "3.3 mg/kg/min", "week4=68kg", "5 ft 10 in", "178 cm",
    "1%", "0.5 g", "5 mL", "baseline", "week 4", "home", "hospital", "424mL", "42.4g", "nanogam",
    "octagam-10", "timeismuscle", "standard-5-day", "female", "male", "adjusted", "ideal", "actual",
    "nl", "en", "NL", "de", "nl_NL.UTF-8",
])
hostile = st.sampled_from([
    "", " ", "-1", "0", "1e400", "9" * 40, "1" + "0" * 4300, "NaN", "inf", "-inf", "0x46", "72,5", "1,450",
    "9999-12-20", "0001-01-01", "10000-01-01", "2027-02-30", "99", "Tuesday 4 Jan 2027", "²", "①", "٣",
    "[/]", "[bold]x", "\x1b[31mred", "a\nb", "a\rb", "\u2028", "\x85", "患者-001", "kg" * 500, "=1+1",
    "week4=", "=68kg", "week99=70", "-", "--weight", "1" * 300, "5.10 ft", "12 in", "0 g",
])
values = st.one_of(plausible, hostile, st.text(max_size=40), st.integers().map(str),
                   st.decimals(allow_nan=False, allow_infinity=False).map(str))

PLAN_OPTIONS = ["--weight", "--start", "--days", "--arm", "--course-weight", "--height", "--sex",
                "--dosing-weight", "--round", "--max-rate", "--product", "--protocol", "--products", "--lang"]
FLAGS = ["--blinded", "--day-first", "--month-first", "--pregnant"]
COMMAND_OPTIONS = {
    "plan": [*PLAN_OPTIONS, "-f"],
    "order": [*PLAN_OPTIONS, "--patient-id"],
    "labels": [*PLAN_OPTIONS, "--patient-id"],
    "calendar": [*PLAN_OPTIONS, "--patient-id", "--time", "--tz"],
    "rates": ["--weight", "--dose", "--volume", "--max-rate", "--product", "--protocol", "-f", "--lang"],
    "verify": ["--weight", "--course", "--day", "--setting", "--volume", "--dose", "--start", "--days", "--arm",
               "--tolerance", "--round", "--protocol", "-f", "--lang"],
    "screen": ["--screening-date", "--protocol", "-f", "--lang"],
    "batch": ["--round", "--max-rate", "--product", "--protocol", "-f", "--tolerance", "--lang"],
    "protocol show": ["--lang"],
    "protocol check": ["--lang"],
}


@st.composite
def argv(draw: st.DrawFn, command: str) -> list[str]:
    args = command.split()
    if command.startswith("protocol"):
        return [*args, draw(values), *(["--lang", draw(values)] if draw(st.booleans()) else [])]
    options = COMMAND_OPTIONS[command]
    chosen = draw(st.lists(st.sampled_from(options), max_size=6))
    if command in ("plan", "order", "labels", "calendar") and draw(st.booleans()):
        chosen.insert(0, "--weight")
    for option in chosen:
        args += [option, draw(values)]
    args += draw(st.lists(st.sampled_from(FLAGS), max_size=2, unique=True)) if command != "rates" else []
    return args


FILE_TEXT = st.one_of(
    st.text(max_size=200),
    st.sampled_from([
        "patient_id,weight,start\nP1,70,2027-01-04\n",
        "patient_id,weight,start\r=cmd,9999999999999999999999999999,9999-12-20\r",
        "patient_id,weight,start,days\nP1,70,2027-01-04,²\nP2,abc,x,①\n",
        '{"schema": "ivig-dose/plan/v1", "weight_kg": 1e999}',
        "[" * 5000,
        '{"courses": [{"days": [{"dose_g": ' + "9" * 4300 + "}]}]}",
        'screening_date = 2027-01-04\nbirth_date = 1990-02-30\n',
        "id = 'x'\nname = 'y'\nversion = '\x1b[2J'\nsource = 's'\n",
    ]),
)


@pytest.mark.parametrize("command", list(COMMAND_OPTIONS))
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_input_gives_a_traceback(tmp_path: Path, command: str, data: st.DataObject):
    args = data.draw(argv(command), label="argv")
    if command in ("batch", "verify", "screen", "protocol check") and data.draw(st.booleans(), label="file"):
        given_file = tmp_path / "given.txt"
        given_file.write_text(data.draw(FILE_TEXT, label="file text"), encoding="utf-8")
        if command == "screen":
            args += ["--answers", str(given_file)]
        elif command == "protocol check":
            args[-1] = str(given_file)
        else:
            args.insert(1, str(given_file))
    elif command == "batch":
        args.insert(1, "-")
    if command in ("order", "labels", "calendar"):
        args += ["-o", str(tmp_path / "out.file")]
    started = time.monotonic()
    result = runner.invoke(app, args, input="")
    elapsed = time.monotonic() - started
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
    assert result.exit_code in (0, 1, 2, 3), (args, result.exit_code)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, args
    if command not in ("batch",):  # a batch reports each bad row
        assert len(result.stderr.splitlines()) <= STDERR_LINES, (args, result.stderr)
    assert elapsed < SECONDS, (args, elapsed)
