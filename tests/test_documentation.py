"""The README and the guides hold together: it stays short, its links lead somewhere, every guide is
reached from it, and its picture is the one the script draws from the tool's own output."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: [text](target) outside code; a target with a scheme (https:) is not followed here.
LINK = re.compile(r"\]\(([^)\s]+)\)")
PICTURE = ROOT / "docs" / "img" / "order-sheet.png"
SCRIPT = ROOT / "scripts" / "render-readme-pictures"


def anchors(text: str) -> set[str]:
    """The anchors GitHub makes of a document's headings: lower case, punctuation dropped, spaces as hyphens."""
    found = set()
    for heading in re.findall(r"^#+ (.+)$", re.sub(r"^```.*?^```", "", text, flags=re.S | re.M), re.M):
        found.add(re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-"))
    return found


def test_the_readme_is_short():
    assert len(README.splitlines()) <= 250


def test_the_readme_opens_with_the_two_commands_ci_runs():
    lines = README.splitlines()
    assert lines[8] == "pip install . && ivig-dose plan --weight 70 --start 2027-01-04"
    assert lines[14] == "pip install '.[test]' && python -m pytest"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_every_link_leads_to_a_file_and_heading_that_exist(document: Path):
    text = document.read_text(encoding="utf-8")
    prose = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    for target in LINK.findall(prose):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (document.parent / path).resolve() if path else document
        assert linked.exists(), f"{target} in {document.name}"
        if anchor and linked.suffix == ".md":
            assert anchor in anchors(linked.read_text(encoding="utf-8")), f"{target} in {document.name}"


def test_every_guide_is_reached_from_the_readme():
    linked = {target.partition("#")[0] for target in LINK.findall(README)}
    guides = {f"docs/{path.name}" for path in (ROOT / "docs").glob("*.md")}
    assert guides - linked == set(), "add the guide to the README's table of documentation"


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_the_picture_is_in_the_readme_and_made_by_the_script():
    assert "](docs/img/order-sheet.png)" in README
    assert SCRIPT.exists() and os.access(SCRIPT, os.X_OK)
    # page 1 of an A4 sheet at 60 dpi
    assert png_size(PICTURE) == (497, 702)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is not installed")
@pytest.mark.skipif(bool(os.environ.get("MUTANT_UNDER_TEST")), reason="runs the installed command")
def test_the_script_draws_the_picture_again(tmp_path: Path):
    environment = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]}
    done = subprocess.run([str(SCRIPT), str(tmp_path)], capture_output=True, text=True, env=environment,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert png_size(tmp_path / "order-sheet.png") == png_size(PICTURE)
