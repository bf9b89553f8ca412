"""The garbage collector is paused only while ``ivig-dose`` starts, and only when run as the command."""

from __future__ import annotations

import gc
import json
import subprocess
import sys

#: Imports the CLI as the console script does (argv[0] is "ivig-dose"), runs ARGS through
#: main(), and reports the collector's state after the import and after the run.
PROBE = """
import gc, json, sys
sys.argv = ["ivig-dose", *sys.argv[1:]]
import ivig_dose.cli as cli
state = {"after_import": gc.isenabled()}
try:
    cli.main()
except SystemExit:
    pass
state.update(after_run=gc.isenabled(), frozen=gc.get_freeze_count())
sys.stderr.write(json.dumps(state))
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
    import ivig_dose.cli  # noqa: F401  (this process is pytest, not the command)

    assert gc.isenabled()
