"""The garbage collector is paused only while ``ivig-dose`` starts, and only when run as the command."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

from ivig_dose.cli.main import COMMANDS, ONE_PATIENT

#: Imports the CLI as the console script does (argv[0] is "ivig-dose"), runs ARGS through
#: main(), and reports the collector's state after the import and after the run.
PROBE = """
import gc, json, sys
sys.argv = ["ivig-dose", *sys.argv[1:]]
import ivig_dose.cli.main as cli
state = {"after_import": gc.isenabled()}
try:
    cli.main()
except SystemExit:
    pass
state.update(after_run=gc.isenabled(), frozen=gc.get_freeze_count())
sys.stderr.write(json.dumps(state))
"""


#: The same, reporting how many times the collector ran between the import and the end of main().
COUNTING_PROBE = """
import gc, sys
sys.argv = ["ivig-dose", *sys.argv[1:]]
import ivig_dose.cli.main as cli
before = sum(generation["collections"] for generation in gc.get_stats())
try:
    cli.main()
except SystemExit:
    pass
sys.stderr.write(str(sum(generation["collections"] for generation in gc.get_stats()) - before))
"""


def gc_state(*args: str) -> dict[str, object]:
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=False)
    found: dict[str, object] = json.loads(result.stderr.splitlines()[-1])
    return found


def test_paused_while_starting_then_resumed_with_start_up_frozen() -> None:
    state = gc_state("plan", "--weight", "70", "--start", "2027-01-04", "--format", "json")
    assert state["after_import"] is False
    assert state["after_run"] is True
    assert isinstance(state["frozen"], int) and state["frozen"] > 1000


def test_resumed_after_help_and_after_a_usage_error() -> None:
    # No command is built for either, so only main() can end the pause.
    assert gc_state("--help")["after_run"] is True
    assert gc_state("plan", "--no-such-option")["after_run"] is True


def test_importing_the_cli_elsewhere_leaves_the_collector_alone() -> None:
    import ivig_dose.cli.main  # noqa: F401  (this process is pytest, not the command)

    assert gc.isenabled()


def collections_while_running(*args: str) -> int:
    result = subprocess.run([sys.executable, "-c", COUNTING_PROBE, *args], capture_output=True, text=True, check=False)
    return int(result.stderr.splitlines()[-1])


def test_a_one_patient_command_keeps_the_pause_to_its_end() -> None:
    # plan imports the core and rich as it runs: resumed when the command is built, the collector
    # would walk those new modules a dozen times before the plan is printed.
    assert collections_while_running("plan", "--weight", "70", "--start", "2027-01-04") == 0


def test_batch_is_collected_while_it_runs(tmp_path: Path) -> None:
    # The counterpart: a batch's work grows with its list, so its collector runs as usual.
    patients = tmp_path / "patients.csv"
    patients.write_text("patient_id,weight,start\nP1,70,2027-01-04\nP2,82.5,2027-01-11\n", encoding="utf-8")
    assert collections_while_running("batch", str(patients), "-o", str(tmp_path / "plans.jsonl")) > 0


def test_only_existing_commands_other_than_batch_keep_the_pause() -> None:
    assert ONE_PATIENT.issubset(COMMANDS)
    assert "batch" not in ONE_PATIENT
