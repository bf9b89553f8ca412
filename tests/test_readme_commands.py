"""Every command of the README runs as written (issue 17), and every output it shows is what the
command prints.

The README's ``sh`` blocks are run line by line, in README order, by ``bash`` in a temporary copy
of the repository root with the installed ``ivig-dose`` first on PATH, so a file one line writes
(``> order.json``) is there for the next. Each line must exit 0, or the status its comment gives
(``# ...: exit 1``, the first ``exit N`` of the comment), and print no traceback. The only lines
not run are those :data:`NOT_RUN` names, each with its reason.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

#: every test here runs the installed command in new processes, which no mutant reaches.
pytestmark = pytest.mark.skipif(bool(os.environ.get("MUTANT_UNDER_TEST")),
                                reason="under mutation testing: the installed command cannot kill a mutant")
ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
#: the comment of a command line: after the first `` # ``.
COMMENT = re.compile(r"\s#\s(.*)$")
EXIT = re.compile(r"\bexit (\d)\b")

#: lines not run here, by how they start, and why; keep this short.
NOT_RUN = {
    "pip install": "installs the package: .ci/run runs the README's install lines itself, in a fresh venv",
    "python -m pytest": "runs this very test suite: .ci/run runs it",
    "ruff check": ".ci/run runs it as its own step",
    "mypy": ".ci/run runs it as its own step",
    "lint-imports": ".ci/run runs it as its own step",
    "python benchmarks/bench_cli.py": "a benchmark takes minutes on a shared machine (--quick: .ci/run runs it)",
    "python -m venv": "makes a second install of another commit, to time against: minutes, and a package index",
    "/tmp/venv-073ea33/bin/pip install": "installs that other commit (see the line above)",
    "scripts/mutation-score": "mutation testing takes many minutes",
    "JOBS=1 scripts/mutation-score": "mutation testing takes many minutes",
}
#: what an interactive line reads on stdin: the answers of examples/screen_patient.toml, in the
#: order the screen asks (the checklist's order, as the file lists them).
SCREEN_ANSWERS = tomllib.loads((ROOT / "examples" / "screen_patient.toml").read_text(encoding="utf-8"))
STDIN = {
    "ivig-dose screen --screening-date 2027-01-15 --save patient.toml": "".join(
        f"{value}\n" for key, value in SCREEN_ANSWERS.items() if key != "screening_date"),
}
#: what a comment says the command prints.
CLAIMS = {
    '--height "5 ft 10 in" --sex male --dosing-weight adjusted': ["Dosing weight: 83.8 kg"],
    "--product octagam-10-dm --risk thrombosis": ["126 mL/h"],
    "--product privigen --indication itp": ["168 mL/h"],
    "--volume 700mL --product octagam-10 --risk renal": ["42 mL/h", "84 mL/h", "126 mL/h (capped)"],
}
#: the README's sample outputs were drawn at this width and this generation time.
ENV = {"COLUMNS": "100", "SOURCE_DATE_EPOCH": "1798848000"}


@dataclass(frozen=True)
class Line:
    command: str
    expected: int
    #: the README line it starts on, to find it.
    at: int

    @property
    def skipped(self) -> str | None:
        return next((why for start, why in NOT_RUN.items() if self.command.startswith(start)), None)


def blocks(language: str) -> list[tuple[int, str]]:
    """(line, body) of every fenced block in ``language``."""
    return [(README[:m.start()].count("\n") + 2, m[2]) for m in BLOCK.finditer(README) if m[1] == language]


def command_lines() -> list[Line]:
    lines = []
    for start, body in blocks("sh"):
        joined = body.replace("\\\n", " ")
        for offset, text in enumerate(joined.splitlines()):
            if not text.strip():
                continue
            comment = COMMENT.search(text)
            status = EXIT.search(comment[1]) if comment else None
            lines.append(Line(text[:comment.start()].strip() if comment else text.strip(),
                              int(status[1]) if status else 0, start + offset))
    return lines


LINES = command_lines()


def line_of(heading: str) -> int:
    return README[:README.index(f"\n{heading}\n")].count("\n") + 2


def test_every_command_a_user_runs_is_run():
    # only the install lines at the top, and the benchmark and developer lines at the end, are not run
    assert len(LINES) > 50
    first, last = line_of("## What it is for"), line_of("## Performance")
    assert [line.command for line in LINES if line.skipped is not None and first < line.at < last] == []


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    """The repository root without its caches, where every line runs in turn."""
    root = tmp_path_factory.mktemp("readme") / "ivig-dose"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(
        ".git", ".*_cache", ".hypothesis", "__pycache__", "*.egg-info", "build", "dist", "mutants*"))
    return root


@pytest.fixture(scope="module")
def environment() -> dict[str, str]:
    installed = str(Path(sys.executable).parent)
    return {**os.environ, **ENV, "PATH": installed + os.pathsep + os.environ.get("PATH", "")}


@pytest.fixture(scope="module")
def results(copy: Path, environment: dict[str, str]) -> dict[int, subprocess.CompletedProcess[str]]:
    """Every line that is run, in README order, so files made by one are there for the next."""
    done = {}
    for line in LINES:
        if line.skipped is None:
            done[line.at] = subprocess.run(["bash", "-c", line.command], cwd=copy, env=environment,
                                           input=STDIN.get(line.command, ""), capture_output=True, text=True,
                                           timeout=300, check=False)
    return done


@pytest.mark.parametrize("line", LINES, ids=lambda line: f"README:{line.at}")
def test_the_command_runs_as_written(line: Line, results):
    if line.skipped is not None:
        pytest.skip(line.skipped)
    done = results[line.at]
    said = f"{line.command}\nstdout:\n{done.stdout[-2000:]}\nstderr:\n{done.stderr[-2000:]}"
    assert done.returncode == line.expected, said
    assert "Traceback" not in done.stdout + done.stderr, said
    for part, claims in CLAIMS.items():
        if part in line.command:
            for claim in claims:
                assert claim in done.stdout, said


def test_what_the_readme_claims_is_checked():
    for part in CLAIMS:
        assert sum(part in line.command for line in LINES) == 1, part


def test_the_screen_saved_the_answers_it_was_given(copy: Path, results):
    saved = tomllib.loads((copy / "patient.toml").read_text(encoding="utf-8"))
    assert saved == SCREEN_ANSWERS


def sample_after(text: str, document: str = README) -> str:
    """The ``text`` block that follows a sentence of the README (or of ``document``)."""
    start = document.index(text)
    found = BLOCK.search(document, start)
    assert found is not None and found[1] == "text", text
    return found[2]


def printed(*args: str) -> str:
    environment = {**os.environ, **ENV, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]}
    done = subprocess.run(["ivig-dose", *args], capture_output=True, text=True, env=environment, check=False)
    return "\n".join(line.rstrip() for line in done.stdout.splitlines()) + "\n"


def test_the_verify_sample_is_what_verify_prints():
    guide = (ROOT / "docs" / "verify.md").read_text(encoding="utf-8")
    sample = sample_after("What the bedside check of a 424 mL bag prints at 100 columns", guide)
    assert printed("verify", "--weight", "72kg", "--course", "baseline", "--day", "1", "--setting", "home",
                   "--volume", "424mL") == sample


def test_the_week_strip_is_what_plan_prints():
    sample = sample_after("Under the table, a strip of the whole protocol")
    assert sample in printed("plan", "--weight", "70", "--start", "2027-01-04")


@pytest.mark.parametrize(("sentence", "name"), [
    ("`examples/patients.csv`:", "patients.csv"),
    ("`examples/patients-adjusted.csv`, for an adjusted dosing weight:", "patients-adjusted.csv"),
])
def test_the_patient_lists_shown_are_the_files_shipped(sentence, name):
    assert sample_after(sentence) == (ROOT / "examples" / name).read_text(encoding="utf-8")


def scalars(value: object) -> set[tuple[str, object]]:
    """Every key with a plain value (text, number, true/false) anywhere in a JSON document."""
    found: set[tuple[str, object]] = set()
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    for key, item in items:
        if isinstance(item, dict | list):
            found |= scalars(item)
        elif isinstance(key, str):
            found.add((key, item))
    return found


def test_every_value_of_the_fhir_sample_is_in_the_bundle():
    start = README.index("The bundle of the first command above")
    sample = BLOCK.search(README, start)
    assert sample is not None and sample[1] == "json"
    bundle = json.loads(printed("plan", "--weight", "70", "--start", "2027-01-04", "-f", "fhir",
                                "--patient-id", "TIM-001"))
    made = scalars(bundle)
    pairs = re.findall(r'"(\w+)":\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false)', sample[2])
    shown = {(key, json.loads(value)) for key, value in pairs if "…" not in value}
    assert len(shown) > 40
    assert shown - made == set()


@pytest.mark.parametrize("body", [body for _, body in blocks("python")])
def test_the_python_examples_run(body: str, copy: Path, environment: dict[str, str]):
    done = subprocess.run([sys.executable, "-c", body], cwd=copy, env=environment, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
