"""Completion of commands, options and choices in the user's shell: typer's own.

``--install-completion`` writes to the user's shell start-up files, so it is never run here;
``--show-completion`` and the ``_IVIG_DOSE_COMPLETE`` variable (what the installed script sets) only print.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

#: every test here runs the installed command in new processes, which no mutant reaches.
pytestmark = pytest.mark.skipif(bool(os.environ.get("MUTANT_UNDER_TEST")),
                                reason="under mutation testing: the installed command cannot kill a mutant")
BIN = str(Path(sys.executable).parent)


def ivig_dose_run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PATH": BIN + os.pathsep + os.environ["PATH"], **(env or {})}
    return subprocess.run(["ivig-dose", *args], capture_output=True, text=True, env=environment, timeout=60,
                          check=False)



def test_the_bash_completion_script_is_printed_on_request():
    done = ivig_dose_run(env={"_IVIG_DOSE_COMPLETE": "source_bash"})
    assert done.returncode == 0, done.stderr
    assert "_ivig_dose_completion()" in done.stdout
    assert "complete -o default -F _ivig_dose_completion ivig-dose" in done.stdout


def test_show_completion_detects_bash_and_prints_its_script():
    # "; true" keeps bash from replacing itself with the command: it stays the parent typer finds.
    environment = {**os.environ, "PATH": BIN + os.pathsep + os.environ["PATH"]}
    done = subprocess.run(["bash", "-c", "ivig-dose --show-completion; true"], capture_output=True, text=True,
                          env=environment, timeout=60, check=False)
    assert "complete -o default -F _ivig_dose_completion ivig-dose" in done.stdout, done.stderr


@pytest.mark.parametrize(("words", "expected"), [
    ("ivig-dose pl", {"plan"}),
    ("ivig-dose protocol ", {"list", "show", "check"}),
    ("ivig-dose plan --arm ", {"ivig", "placebo"}),
    ("ivig-dose plan --we", {"--weight"}),
])
def test_the_shell_is_offered_commands_options_and_choices(words, expected):
    done = ivig_dose_run(env={"_IVIG_DOSE_COMPLETE": "complete_bash", "COMP_WORDS": words,
                              "COMP_CWORD": str(len(words.split()) - (not words.endswith(" ")))})
    assert done.returncode == 0, done.stderr
    assert set(done.stdout.split()) == expected


def test_help_names_the_completion_options():
    done = ivig_dose_run("--help")
    assert "--install-completion" in done.stdout and "--show-completion" in done.stdout
