"""Every command of the README and of the guides in docs/ runs as written, every output they show
is what the command prints, and running them all leaves the repository as it was.

Each document's ``sh`` blocks are run line by line, in order, by ``bash`` in a fresh copy of the
repository made from git's files (tracked, and new files not ignored), with the installed
``ivig-dose`` first on PATH, so a file one line writes (``> order.json``) is there for the next;
each document has its own copy, so no guide leans on a file another guide made. Each line must
exit 0, or the status its comment gives (``# ...: exit 1``, the first ``exit N`` of the comment),
and print no traceback. The only lines not run are those :data:`NOT_RUN` names, each with its
reason. Then ``git status`` of each copy must be clean: what the examples write is ignored by
``.gitignore``, and what they rewrite (the catalogue, the reference) is written as it was.
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
#: the README first, then every guide, by name.
DOCUMENTS = ["README.md", *sorted(f"docs/{path.name}" for path in (ROOT / "docs").glob("*.md"))]
TEXTS = {name: (ROOT / name).read_text(encoding="utf-8") for name in DOCUMENTS}
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
    "python -m venv": "makes a virtual environment and installs into it: minutes, and a package index",
    "/tmp/venv-073ea33/bin/pip install": "installs another commit to time against: minutes, and a package index",
    "scripts/mutation-score": "mutation testing takes many minutes",
    "JOBS=1 scripts/mutation-score": "mutation testing takes many minutes",
    "scripts/semantic-mutants": "runs a part of the suite once per hand-made mutant: minutes",
    "git worktree": "checks out another commit beside this one, for the output corpus to compare against",
    "scripts/output-corpus": "runs over 200 commands twice: minutes; the refactoring steps run it by hand",
    "ivig-dose --install-completion": "writes to the user's shell start-up files (~/.bashrc, ...)",
}
#: the only documents whose lines may all be skipped: how to develop and how to measure.
FOR_DEVELOPERS = {"docs/development.md", "docs/performance.md"}
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
    "--weight 72.35 --course baseline --day 1 --setting home --volume 424mL": ["MATCH: all 1 values compared"],
    "--vial \"10 g/AB1234/2027-12\" --products": ["lot AB1234: 1 × 20 g + 1 × 10 g, expires 2027-12-31"],
    # the time left the README works out by hand after the pause and the slower resume
    '--bag 1 --at "2026-11-02 10:20" --db bedside.sqlite3': ["Infused: 49 mL", "left: 251 mL",
                                                             "336 mL/h for 19.9 min (111 mL), until 12:00",
                                                             "Time left: 1 h 40 min; ends at 2026-11-02 12:00"],
    "record lot AB1234 --db bedside.sqlite3": ["Patient TIM-002, bag 1 (baseline day 1, hospital",
                                               "given 300 mL (30 g) of 300 mL"],
}
#: the sample outputs were drawn at this width and this generation time.
ENV = {"COLUMNS": "100", "SOURCE_DATE_EPOCH": "1798848000"}


@dataclass(frozen=True)
class Line:
    command: str
    expected: int
    #: the document and the line it starts on, to find it.
    document: str
    at: int

    @property
    def skipped(self) -> str | None:
        return next((why for start, why in NOT_RUN.items() if self.command.startswith(start)), None)


def blocks(document: str, language: str) -> list[tuple[int, str]]:
    """(line, body) of every fenced block in ``language`` of a document."""
    text = TEXTS[document]
    return [(text[:m.start()].count("\n") + 2, m[2]) for m in BLOCK.finditer(text) if m[1] == language]


def command_lines(document: str) -> list[Line]:
    lines = []
    for start, body in blocks(document, "sh"):
        joined = body.replace("\\\n", " ")
        for offset, text in enumerate(joined.splitlines()):
            if not text.strip():
                continue
            comment = COMMENT.search(text)
            status = EXIT.search(comment[1]) if comment else None
            lines.append(Line(text[:comment.start()].strip() if comment else text.strip(),
                              int(status[1]) if status else 0, document, start + offset))
    return lines


LINES = [line for document in DOCUMENTS for line in command_lines(document)]
RUN = sorted({line.document for line in LINES if line.skipped is None})


def test_every_command_a_user_runs_is_run():
    assert len(LINES) > 80
    # the install lines at the top of the README, installing completion, and the developers' guides
    skipped = [f"{line.document}:{line.at}: {line.command}" for line in LINES
               if line.skipped is not None and line.document not in FOR_DEVELOPERS
               and not (line.document == "README.md" and (line.at <= 16 or "--install-completion" in line.command))]
    assert skipped == []


def tracked_files() -> list[str] | None:
    """What a fresh clone of this tree would hold once its changes were committed: git's tracked
    files and the new ones it does not ignore; None outside a git work tree."""
    if shutil.which("git") is None:
        return None
    done = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    return [name for name in done.stdout.split("\0") if name] if done.returncode == 0 else None


def fresh_copy(folder: Path) -> tuple[Path, bool]:
    """A copy of the repository in ``folder``, and whether it is a git work tree with everything committed."""
    root = folder / "ivig-dose"
    names = tracked_files()
    if names is None:
        shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(
            ".git", ".venv", ".*_cache", ".hypothesis", "__pycache__", "*.egg-info", "build", "dist", "mutants*"))
        return root, False
    for name in names:
        source = ROOT / name
        if source.is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    git = ["git", "-c", "user.name=docs test", "-c", "user.email=docs@test.invalid", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "the tree as it is"]):
        subprocess.run([*git, *args], cwd=root, check=True, capture_output=True)
    return root, True


@pytest.fixture(scope="module")
def environment() -> dict[str, str]:
    installed = str(Path(sys.executable).parent)
    return {**os.environ, **ENV, "PATH": installed + os.pathsep + os.environ.get("PATH", "")}


@dataclass
class Run:
    root: Path
    committed: bool
    done: dict[int, subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def runs(tmp_path_factory, environment: dict[str, str]) -> dict[str, Run]:
    """Every document's lines, in order, each document in its own fresh copy."""
    found = {}
    for document in RUN:
        folder = tmp_path_factory.mktemp(Path(document).stem)
        root, committed = fresh_copy(folder)
        # what a command keeps in the user's own folders (data, settings, caches) stays in this run's
        home = {f"XDG_{kind}_HOME": str(folder / kind.lower()) for kind in ("DATA", "CONFIG", "CACHE", "STATE")}
        done = {}
        for line in command_lines(document):
            if line.skipped is None:
                done[line.at] = subprocess.run(["bash", "-c", line.command], cwd=root, env={**environment, **home},
                                               input=STDIN.get(line.command, ""), capture_output=True, text=True,
                                               timeout=300, check=False)
        found[document] = Run(root, committed, done)
    return found


@pytest.mark.parametrize("line", LINES, ids=lambda line: f"{line.document}:{line.at}")
def test_the_command_runs_as_written(line: Line, runs: dict[str, Run]):
    if line.skipped is not None:
        pytest.skip(line.skipped)
    done = runs[line.document].done[line.at]
    said = f"{line.command}\nstdout:\n{done.stdout[-2000:]}\nstderr:\n{done.stderr[-2000:]}"
    assert done.returncode == line.expected, said
    assert "Traceback" not in done.stdout + done.stderr, said
    for part, claims in CLAIMS.items():
        if part in line.command:
            for claim in claims:
                assert claim in done.stdout, said


@pytest.mark.parametrize("document", RUN)
def test_running_a_document_leaves_the_repository_as_it_was(document: str, runs: dict[str, Run]):
    run = runs[document]
    if not run.committed:
        pytest.skip("not a git work tree: nothing to compare the copy with")
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=run.root,
                            capture_output=True, text=True, check=True).stdout
    assert status == "", f"the commands of {document} left files behind or changed them (add the outputs " \
                         f"to .gitignore, or write them to a temporary folder):\n{status}"


def test_the_catalogue_and_reference_commands_are_among_those_run():
    run = {line.command for line in LINES if line.skipped is None}
    assert "pybabel extract && pybabel update && pybabel compile" in run
    assert any(command.startswith("typer ivig_dose.cli.main utils docs") for command in run)


def test_what_the_documents_claim_is_checked():
    for part in CLAIMS:
        assert sum(part in line.command for line in LINES) == 1, part


def test_the_screen_saved_the_answers_it_was_given(runs: dict[str, Run]):
    saved = tomllib.loads((runs["docs/screening.md"].root / "patient.toml").read_text(encoding="utf-8"))
    assert saved == SCREEN_ANSWERS


def sample_after(document: str, text: str, language: str = "text") -> str:
    """The fenced block that follows a sentence of a document."""
    start = TEXTS[document].index(text)
    found = BLOCK.search(TEXTS[document], start)
    assert found is not None and found[1] == language, text
    return found[2]


def printed(*args: str) -> str:
    environment = {**os.environ, **ENV, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]}
    done = subprocess.run(["ivig-dose", *args], capture_output=True, text=True, env=environment, check=False)
    return "\n".join(line.rstrip() for line in done.stdout.splitlines()) + "\n"


def test_the_verify_sample_is_what_verify_prints():
    sample = sample_after("docs/verify.md", "What the bedside check of a 424 mL bag prints at 100 columns")
    assert printed("verify", "--weight", "72kg", "--course", "baseline", "--day", "1", "--setting", "home",
                   "--volume", "424mL") == sample


#: an entry's id, new in every record.
ENTRY_ID = re.compile(r"entry [0-9a-f]{8}")


@pytest.mark.parametrize(("sentence", "command"), [
    ("At 11:00, after the pause and the slower resume, `record remaining` prints:",
     'remaining --patient-id TIM-001 --bag 1 --at "2026-11-02 11:00" --db'),
    ("time left runs to the new lot and starts the titration again there:",
     'remaining --patient-id TIM-009 --bag 1 --at "2026-11-02 10:35"'),
    ("The recall, after the ward's record is merged back into the pharmacy's:",
     "record lot AB1234 --db lots-pharmacy.sqlite3"),
])
def test_the_record_samples_are_what_record_prints(sentence: str, command: str, runs: dict[str, Run]):
    """The guide works the time left out by hand from these samples, so they must be what the record
    it builds line by line prints; only the entry ids differ from one record to the next."""
    sample = sample_after("docs/record.md", sentence)
    [line] = [line for line in command_lines("docs/record.md") if command in line.command]
    stdout = "".join(text.rstrip() + "\n" for text in runs["docs/record.md"].done[line.at].stdout.splitlines())
    assert ENTRY_ID.sub("entry …", stdout) == ENTRY_ID.sub("entry …", sample)


def test_the_week_strip_is_what_plan_prints():
    sample = sample_after("docs/planning.md", "Under the table, a strip of the whole protocol")
    assert sample in printed("plan", "--weight", "70", "--start", "2027-01-04")


def test_the_warning_the_readme_explains_is_the_one_printed():
    sample = sample_after("README.md", '## Why every run says "NOT verified"')
    environment = {**os.environ, **ENV, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]}
    done = subprocess.run(["ivig-dose", "plan", "--weight", "70"], capture_output=True, text=True, env=environment,
                          check=False)
    assert sample in done.stderr


@pytest.mark.parametrize(("sentence", "name"), [
    ("`examples/patients.csv`:", "patients.csv"),
    ("`examples/patients-adjusted.csv`, for an adjusted dosing weight:", "patients-adjusted.csv"),
])
def test_the_patient_lists_shown_are_the_files_shipped(sentence, name):
    assert sample_after("docs/batch.md", sentence) == (ROOT / "examples" / name).read_text(encoding="utf-8")


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
    sample = sample_after("docs/fhir.md", "The bundle of the first command above", "json")
    bundle = json.loads(printed("plan", "--weight", "70", "--start", "2027-01-04", "-f", "fhir",
                                "--patient-id", "TIM-001"))
    made = scalars(bundle)
    pairs = re.findall(r'"(\w+)":\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false)', sample)
    shown = {(key, json.loads(value)) for key, value in pairs if "…" not in value}
    assert len(shown) > 40
    assert shown - made == set()


PYTHON = [(document, body) for document in DOCUMENTS for _, body in blocks(document, "python")]


@pytest.mark.parametrize(("document", "body"), PYTHON, ids=[document for document, _ in PYTHON])
def test_the_python_examples_run(document: str, body: str, runs: dict[str, Run], environment: dict[str, str]):
    root = runs[document].root if document in runs else ROOT
    done = subprocess.run([sys.executable, "-c", body], cwd=root, env=environment, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
