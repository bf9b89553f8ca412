"""The release a user runs: ``ivig-dose --version`` is the CHANGELOG's newest release, so a release
cannot bump one and forget the other, and the CHANGELOG keeps its shape for the next one.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import ivig_dose

#: the version test runs the installed command in a new process, which no mutant reaches.
pytestmark = pytest.mark.skipif(bool(os.environ.get("MUTANT_UNDER_TEST")),
                                reason="under mutation testing: the installed command cannot kill a mutant")
ROOT = Path(__file__).resolve().parent.parent
BIN = str(Path(sys.executable).parent)
CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
#: a release heading of Keep a Changelog: ``## [0.2.0] - 2026-12-07``.
RELEASE = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", re.M)


def ivig_dose_run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PATH": BIN + os.pathsep + os.environ["PATH"], **(env or {})}
    return subprocess.run(["ivig-dose", *args], capture_output=True, text=True, env=environment, timeout=60,
                          check=False)


def test_version_is_the_newest_release_of_the_changelog():
    released = RELEASE.findall(CHANGELOG)
    assert released, "no release section in CHANGELOG.md"
    done = ivig_dose_run("--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"ivig-dose {released[0][0]}\n", "")
    assert ivig_dose.__version__ == released[0][0]


def test_the_changelog_keeps_an_unreleased_section_above_the_releases():
    unreleased = CHANGELOG.index("## [Unreleased]")
    assert unreleased < RELEASE.search(CHANGELOG).start()
    for heading in ("### Added", "### Changed", "### Fixed"):
        assert heading in CHANGELOG[unreleased:RELEASE.search(CHANGELOG).start()], heading


def test_releases_are_newest_first_and_one_line_an_item():
    released = RELEASE.findall(CHANGELOG)
    assert released == sorted(released, key=lambda r: tuple(map(int, r[0].split("."))), reverse=True)
    first = RELEASE.search(CHANGELOG)
    # a released item is one line: the detail lives in the guides and in git
    continued = [line for line in CHANGELOG[first.start():].splitlines() if line.startswith("  ")]
    assert continued == []
