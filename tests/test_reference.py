"""docs/reference.md is what typer's own generator writes from the command line now, never a text
written by hand: a new command, option or help text makes this fail until it is written again with
the command the README gives."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

#: the generator runs in a new process, on the installed package, which no mutant reaches.
pytestmark = pytest.mark.skipif(bool(os.environ.get("MUTANT_UNDER_TEST")),
                                reason="under mutation testing: the generator cannot kill a mutant")
ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "reference.md"


def command_in(document: str) -> list[str]:
    """The README's (or a guide's) line that writes the reference, as words."""
    lines = [line for line in (ROOT / document).read_text(encoding="utf-8").splitlines()
             if line.startswith("typer ivig_dose.cli.main utils docs ")]
    assert len(lines) == 1, document
    return shlex.split(lines[0])


def test_the_readme_and_the_development_guide_give_the_same_command():
    assert command_in("README.md") == command_in("docs/development.md")
    words = command_in("README.md")
    assert words[words.index("--output") + 1] == "docs/reference.md"


def test_the_reference_is_what_the_generator_writes_now(tmp_path: Path):
    words = command_in("README.md")
    written = tmp_path / "reference.md"
    words[words.index("--output") + 1] = str(written)
    # English help, whatever the locale of the machine that runs the tests
    environment = {key: value for key, value in os.environ.items() if key not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    environment["PATH"] = str(Path(sys.executable).parent) + os.pathsep + environment.get("PATH", "")
    done = subprocess.run(words, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert written.read_text(encoding="utf-8") == REFERENCE.read_text(encoding="utf-8"), (
        "docs/reference.md is stale: write it again with the README's command (docs/development.md)")


def test_the_reference_names_every_command_and_its_options():
    text = REFERENCE.read_text(encoding="utf-8")
    for heading in ("## `ivig-dose plan`", "## `ivig-dose verify`", "### `ivig-dose protocol check`"):
        assert heading in text
    assert "* `-w, --weight <str>`:" in text
