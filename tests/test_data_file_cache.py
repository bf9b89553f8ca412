"""Protocols and the product catalogue are read as they are on disk, never served stale."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ivig_dose.files.package_data import built_in
from ivig_dose.files.protocols import load_protocol
from tests.protocol_text import MINIMAL, replaced


def test_a_built_in_list_is_the_callers_own_copy() -> None:
    names = built_in()
    names.append("not-a-protocol")  # a caller's own copy: the next caller still gets the real list
    assert "not-a-protocol" not in built_in()
    assert "timeismuscle" in built_in()


def test_an_edited_protocol_file_is_read_afresh(tmp_path: Path) -> None:
    path = tmp_path / "mini.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert load_protocol(str(path)).dose_per_kg == Decimal("1")
    path.write_text(replaced('value = "1"\nunit = "g/kg"', 'value = "2"\nunit = "g/kg"'), encoding="utf-8")
    assert load_protocol(str(path)).dose_per_kg == Decimal("2")
