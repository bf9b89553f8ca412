"""Every command is documented in the README or a guide of docs/, and every example in examples/ still runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from ivig_dose.cli.main import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
#: the README and the guides written by hand (the generated reference names every command anyway).
WRITTEN = README + "".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").glob("*.md"))
                           if path.name != "reference.md")


def command_paths() -> list[str]:
    group = typer.main.get_command(app)
    paths = []

    def walk(command, prefix):
        for name, sub in getattr(command, "commands", {}).items():
            if getattr(sub, "commands", None):
                walk(sub, f"{prefix} {name}")
            else:
                paths.append(f"{prefix} {name}")

    walk(group, "ivig-dose")
    return paths


@pytest.mark.parametrize("path", command_paths())
def test_every_command_is_documented(path):
    assert f"`{path}" in WRITTEN, f"{path} is documented neither in README.md nor in a guide of docs/"


def test_readme_opens_with_the_two_commands():
    blocks = [b.split("```", 1)[0].strip() for b in README.split("```sh\n")[1:3]]
    assert blocks[0].startswith("pip install . && ivig-dose plan --weight")
    assert blocks[1] == "pip install '.[test]' && python -m pytest"


@pytest.mark.parametrize("script", sorted((ROOT / "examples").glob("*.py")), ids=lambda p: p.name)
def test_python_examples_run(script):
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


@pytest.mark.parametrize("script", sorted((ROOT / "examples").glob("*.sh")), ids=lambda p: p.name)
def test_shell_examples_run(script):
    installed = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": installed + os.pathsep + os.environ.get("PATH", "")}
    done = subprocess.run(["sh", str(script)], capture_output=True, text=True, check=False, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.strip()
