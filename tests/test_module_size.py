"""Each module does one thing, and one thing fits in 400 lines: a longer module is a sign that two
jobs share a file (docs/architecture.md). Split it along what it does rather than raise the bound."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import ivig_dose

#: mutation testing runs the tests on sources it has rewritten, many times longer than these.
pytestmark = pytest.mark.skipif("MUTANT_UNDER_TEST" in os.environ,
                                reason="under mutation testing the sources are mutmut's, not ours")

LIMIT = 400
SOURCE = Path(ivig_dose.__file__).resolve().parent


def test_no_module_is_longer_than_400_lines() -> None:
    modules = sorted(SOURCE.rglob("*.py"))
    assert len(modules) > 50  # the package itself, not an empty folder
    long = {str(path.relative_to(SOURCE)): n for path in modules
            if (n := len(path.read_text("utf-8").splitlines())) > LIMIT}
    assert long == {}
