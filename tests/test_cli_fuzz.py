"""A fuzzer over every command's argv: whatever is typed, the answer is an exit status
of 0, 1, 2 or 3 with at most a few lines on stderr, in bounded time, never a traceback, and never
a control character on the terminal.

Values are drawn as people type them, as hostile users type them, at random, and as *variants* of
those: a plausible value with a suffix (a time after a date, a dot after a unit, an invisible
character), other separators, its digits in another script and its spaces in another width, so
that the next spelling of a known class (``5,10 ft`` after ``5.10 ft``) is met here first.

The commands and their options are read from the command line itself (every entry of
``cli.commands.COMMANDS``, subcommands included), so a new command or option is fuzzed without
being listed here. A short run is part of the suite. The long one is the same test with more
examples:

    FUZZ_EXAMPLES=2000 python -m pytest tests/test_cli_fuzz.py -p no:cacheprovider
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ivig_dose.cli.commands import COMMANDS, PendingCommand
from ivig_dose.cli.main import app
from ivig_dose.parse.text import is_control

runner = CliRunner()
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
#: CPU seconds, generous: a command answers in well under one; this only catches work out of all bounds
#: (CPU time, not wall time, so that a loaded machine cannot fail it).
SECONDS = 10
STDERR_LINES = 6
#: options that name a file the command writes: always a file in the test's folder (or stdout).
OUTPUTS = {"--output", "--errors", "--save"}
#: options and arguments that name a file the command reads: sometimes a file of random text.
INPUTS = {"--answers", "--products", "--protocol", "order", "file", "path"}

# Values a careless or hostile user types: plausible ones, near misses, unicode, huge and tiny numbers,
# far dates, empty and blank strings, control characters, markup.
plausible = st.sampled_from([
    "70", "72.35kg", "158.7 lb", "72000 g", "0.5", "2027-01-04", "4 Jan 2027", "03/04/2027", "3", "5g",
    "vials", "none", "300 mL/h", "4.8 mL/kg/h", "3.3 mg/kg/min", "week4=68kg", "5 ft 10 in", "178 cm",
    "1%", "0.5 g", "5 mL", "baseline", "week 4", "home", "hospital", "424mL", "42.4g", "nanogam",
    "octagam-10", "privigen", "timeismuscle", "standard-5-day", "female", "male", "adjusted", "ideal", "actual",
    "thrombosis", "renal", "pi", "cidp", "itp", "17", "45", "ivig", "placebo", "json", "csv", "jsonl", "fhir",
    "table", "09:00", "23:59", "1d", "2h", "30min", "Europe/Amsterdam", "TIM-001",
    "nl", "en", "NL", "de", "nl_NL.UTF-8",
])
hostile = st.sampled_from([
    "", " ", "-1", "0", "1e400", "9" * 40, "1" + "0" * 4300, "NaN", "inf", "-inf", "0x46", "72,5", "1,450",
    "9999-12-20", "0001-01-01", "10000-01-01", "2027-02-30", "99", "Tuesday 4 Jan 2027", "²", "①", "٣",
    "[/]", "[bold]x", "\x1b[31mred", "a\nb", "a\rb", "\u2028", "\x85", "患者-001", "kg" * 500, "=1+1",
    "week4=", "=68kg", "week99=70", "-", "--weight", "1" * 300, "5.10 ft", "12 in", "0 g", "24:00",
    "99999999d", "Mars/Olympus", "../../etc/passwd", "/dev/zero", "/dev/null", ".",
    # the same classes one step to the side: dates, feet, ids, formulas, numbers
    "03/04/2027 00:00", "03/04/2027T00:00", "03-04-2027 0:00", "on 03/04/2027", "3rd/4/2027", "the 3rd of April 2027",
    "09/01/2009 00:00", "5,10 ft", "5.10 ft.", "5.10 ft**1", "5100 mft", "\u200bTIM-001", "TIM-001\ufeff",
    "TIM\u2060001", "TIM\udcff", "\uff1d1+1", "\uff20SUM(A1)", "\U000e0001", "nan", "Infinity",
])
#: what follows a value in a variant: a time, a dot or exponent after a unit, words, invisible characters.
SUFFIXES = ["", " 00:00", "T00:00", " 0:00", " 9 am", ".", "**1", "^1", " ft.", ",", "\u200b", "\ufeff", "\u00ad",
            " on", "th", "\x1b[0m", "\u202e"]
PREFIXES = ["", "on ", "the ", "\u200b", "\ufeff", "\uff1d", "+", "-"]
#: digits of other scripts (fullwidth, Arabic-Indic, Devanagari) and spaces of other widths.
DIGIT_ZEROS = (0x30, 0xFF10, 0x660, 0x966)
SPACES = (" ", "\u00a0", "\u2009", "\u3000", "\t")


@st.composite
def variants(draw: st.DrawFn) -> str:
    """A plausible or hostile value changed as a careless or hostile hand changes it."""
    text = draw(st.one_of(plausible, hostile))
    zero = draw(st.sampled_from(DIGIT_ZEROS))
    text = "".join(chr(zero + int(c)) if c in "0123456789" else c for c in text)
    text = text.replace(" ", draw(st.sampled_from(SPACES)))
    if draw(st.booleans()):
        text = text.replace("/", draw(st.sampled_from(["-", ".", " ", ",", "/"])))
    return draw(st.sampled_from(PREFIXES)) + text + draw(st.sampled_from(SUFFIXES))


#: any text an argument can hold: everything but NUL, which argv cannot carry (execve takes C strings)
typed = st.text(st.characters(blacklist_characters="\x00"), max_size=40)
values = st.one_of(plausible, hostile, variants(), typed, st.integers().map(str),
                   st.decimals(allow_nan=False, allow_infinity=False).map(str))

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
        "[products.x]\nname = 'X'\nconcentration = '100 mg/mL'\npresentations = ['1e9 g']\n",
        # answers, lists, orders and protocols that are hostile one step to the side
        "mmt_loss_percent = nan\nabnormal_core_set_measures = inf\n",
        "screening_date = 9999-12-31\nbirth_date = 9999-01-01\n",
        'birth_date = "09/01/2009 00:00"\nsymptom_onset = "on 03/04/2026"\n',
        "patient_id,weight,start,height\n\u200bP1,70,03/04/2027 00:00,\"5,10 ft\"\n"
        "\uff1dP2,70,on 03/04/2027,5.10 ft.\n",
        '{"schema": "ivig-dose/plan/v1", "weight_kg": 70, "weight_kg": 99}',
        "id = 'timeismuscle'\nname = 'x'\nversion = '2026-11-25'\nsource = 's'\n[params.dose_per_kg]\nvalue = 'NaN'\n",
        "id = 'x'\nname = '" + "n" * 2000 + "'\nversion = 'v'\nsource = 's'\n",
        "[courses]\ncount = 25\nevery_weeks = 4\nsource = 's'\n",
    ]),
)


def leaf_commands() -> dict[str, Any]:
    """Every command a user can run, by its words ("plan", "protocol show"), as the CLI builds it."""
    found: dict[str, Any] = {}

    def walk(command: Any, words: str) -> None:
        if isinstance(command, PendingCommand):  # a group's subcommand built when named (record)
            command = command.load()
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, f"{words} {name}")
        else:
            found[words] = command

    for name, target in COMMANDS.items():
        walk(PendingCommand(name, target).load(), name)
    return found


COMMANDS_TO_FUZZ = leaf_commands()


def name_of(param: Any) -> str:
    return max(param.opts, key=len)


@st.composite
def argv(draw: st.DrawFn, words: str, folder: Path) -> list[str]:
    command = COMMANDS_TO_FUZZ[words]
    params = [p for p in command.params if name_of(p) != "--help"]

    def value_for(name: str) -> str:
        if name in OUTPUTS:
            return draw(st.sampled_from([str(folder / "out.file"), "-", str(folder / "no-such-folder" / "x")]))
        if name in INPUTS and draw(st.booleans()):
            given = folder / f"given-{name.strip('-')}.txt"
            given.write_text(draw(FILE_TEXT), encoding="utf-8")
            return str(given)
        return draw(values)

    args = words.split()
    options = [p for p in params if p.param_type_name == "option"]
    chosen = draw(st.lists(st.sampled_from(options), max_size=7)) if options else []
    required = [p for p in options if p.required and p not in chosen and draw(st.integers(0, 9)) > 0]
    for param in [*required, *chosen]:
        name = name_of(param)
        args += [name] if getattr(param, "is_flag", False) else [name, value_for(name)]
    for param in params:
        if param.param_type_name == "argument" and (param.required or draw(st.booleans())):
            args.append(value_for(param.name))
    return args


def test_every_command_and_option_is_fuzzed():
    """The fuzzer reaches every command the CLI has, and every option of each."""
    assert set(COMMANDS_TO_FUZZ) == {
        "plan", "screen", "order", "labels", "calendar", "rates", "verify", "batch",
        "protocol show", "protocol list", "protocol check", "products list", "products show", "products check",
        *(f"record {name}" for name in ("order", "prepare", "start", "rate", "pause", "resume", "stop", "reaction",
                                         "remaining", "show", "lot", "amend", "check", "export", "merge"))}
    assert {name_of(p) for p in COMMANDS_TO_FUZZ["plan"].params} >= {
        "--weight", "--start", "--risk", "--indication", "--age", "--patient-id", "--format"}


@pytest.mark.parametrize("words", sorted(COMMANDS_TO_FUZZ))
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_input_gives_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, words: str,
                                    data: st.DataObject):
    monkeypatch.chdir(tmp_path)  # a relative path a value names is the test's own
    monkeypatch.setenv("IVIG_DOSE_DB", str(tmp_path / "record.sqlite3"))  # never the user's own record
    args = data.draw(argv(words, tmp_path), label="argv")
    stdin = data.draw(st.one_of(st.just(""), FILE_TEXT), label="stdin")
    started = time.process_time()
    result = runner.invoke(app, args, input=stdin)
    used = time.process_time() - started
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
    assert result.exit_code in (0, 1, 2, 3), (args, result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, args
    printed = result.stderr + ("" if result.stdout.startswith("%PDF") else result.stdout.replace("\r\n", "\n"))
    assert not [c for c in printed if c not in "\n\t" and is_control(c)], (args, result.stderr)  # a PDF is bytes
    said = result.stderr.splitlines()
    if words == "screen":  # asked on stderr, question by question: count what is said, not what is asked
        said = [line for line in said if line.startswith("ivig-dose:")]
    if words != "batch":  # a batch reports each bad row
        assert len(said) <= STDERR_LINES, (args, result.stderr)
    assert used < SECONDS, (args, used)
