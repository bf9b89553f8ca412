"""Protocols and the product catalogue are parsed once per text (files.parsed_files), never served
stale: an edited file gives its new values, two files never share an entry, and the memory is bounded."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from ivig_dose.core.errors import InputError
from ivig_dose.files.catalogue import load_catalogue
from ivig_dose.files.package_data import built_in
from ivig_dose.files.parsed_files import KEPT, parsed
from ivig_dose.files.protocols import load_protocol
from tests.protocol_text import MINIMAL, replaced
from tests.test_products import GOOD

CATALOGUE = GOOD.replace('["5 g", "2.5 g", "10 g"]', '["5 g", "10 g"]')
TWO_G_PER_KG = replaced('value = "1"\nunit = "g/kg"', 'value = "2"\nunit = "g/kg"')


@pytest.fixture(autouse=True)
def nothing_kept() -> Iterator[None]:
    parsed.cache_clear()
    yield
    parsed.cache_clear()


class Counting:
    """A parser that says what it was given and counts its calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, text: str, origin: str) -> tuple[str, str]:
        self.calls.append((text, origin))
        return text.upper(), origin


def test_a_built_in_list_is_the_callers_own_copy() -> None:
    names = built_in()
    names.append("not-a-protocol")  # a caller's own copy: the next caller still gets the real list
    assert "not-a-protocol" not in built_in()
    assert "timeismuscle" in built_in()


def test_the_same_text_and_origin_are_parsed_once() -> None:
    parse = Counting()
    first = parsed(parse, "a = 1", "a.toml")
    assert first == ("A = 1", "a.toml")
    assert parsed(parse, "a = 1", "a.toml") is first
    assert parse.calls == [("a = 1", "a.toml")]


def test_another_text_another_origin_or_another_parser_is_parsed_afresh() -> None:
    parse, other = Counting(), Counting()
    assert parsed(parse, "a = 1", "a.toml") == ("A = 1", "a.toml")
    assert parsed(parse, "a = 2", "a.toml") == ("A = 2", "a.toml")  # the same file, edited
    assert parsed(parse, "a = 1", "b.toml") == ("A = 1", "b.toml")  # another file, the same text
    assert parsed(other, "a = 1", "a.toml") == ("A = 1", "a.toml")  # a catalogue is not a protocol
    assert parse.calls == [("a = 1", "a.toml"), ("a = 2", "a.toml"), ("a = 1", "b.toml")]
    assert other.calls == [("a = 1", "a.toml")]


def test_at_most_kept_files_are_kept_the_least_recently_used_going_first() -> None:
    parse = Counting()
    for number in range(KEPT):
        parsed(parse, f"n = {number}", "n.toml")
    parsed(parse, "n = 0", "n.toml")  # used again: now the most recent
    assert len(parse.calls) == KEPT  # all KEPT were still there
    parsed(parse, f"n = {KEPT}", "n.toml")  # one more: the least recently used (n = 1) goes
    parsed(parse, "n = 0", "n.toml")
    assert len(parse.calls) == KEPT + 1
    parsed(parse, "n = 1", "n.toml")
    assert parse.calls[-1] == ("n = 1", "n.toml")
    assert len(parse.calls) == KEPT + 2


def test_a_refused_text_is_not_kept() -> None:
    calls = []

    def refuse(text: str, origin: str) -> None:
        calls.append(text)
        raise InputError(f"{origin}: no")

    for _ in range(2):
        with pytest.raises(InputError, match=r"bad\.toml: no"):
            parsed(refuse, "x", "bad.toml")
    assert calls == ["x", "x"]


def test_an_edited_protocol_file_is_read_afresh(tmp_path: Path) -> None:
    path = tmp_path / "mini.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert load_protocol(str(path)).dose_per_kg == Decimal("1")
    path.write_text(TWO_G_PER_KG, encoding="utf-8")
    assert load_protocol(str(path)).dose_per_kg == Decimal("2")
    path.write_text(MINIMAL, encoding="utf-8")  # and back: the kept first text serves again
    assert load_protocol(str(path)).dose_per_kg == Decimal("1")


def test_two_protocol_files_never_share_an_entry(tmp_path: Path) -> None:
    one, two, three = tmp_path / "one.toml", tmp_path / "two.toml", tmp_path / "three.toml"
    one.write_text(MINIMAL, encoding="utf-8")
    two.write_text(TWO_G_PER_KG, encoding="utf-8")
    three.write_text(MINIMAL, encoding="utf-8")  # one's text, another file
    assert (load_protocol(str(one)).dose_per_kg, load_protocol(str(two)).dose_per_kg) == (1, 2)
    assert load_protocol(str(three)) is not load_protocol(str(one))


def test_a_protocol_read_again_is_the_one_parsed(tmp_path: Path) -> None:
    assert load_protocol("timeismuscle") is load_protocol("timeismuscle")
    path = tmp_path / "mini.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert load_protocol(str(path)) is load_protocol(str(path))


def test_an_edited_catalogue_file_is_read_afresh_and_files_are_not_shared(tmp_path: Path) -> None:
    path, copy = tmp_path / "site.toml", tmp_path / "copy.toml"
    path.write_text(CATALOGUE, encoding="utf-8")
    copy.write_text(CATALOGUE, encoding="utf-8")
    assert load_catalogue(str(path)).get("test-10").presentations == (Decimal(5), Decimal(10))
    path.write_text(CATALOGUE.replace('["5 g", "10 g"]', '["2.5 g", "20 g"]'), encoding="utf-8")
    assert load_catalogue(str(path)).get("test-10").presentations == (Decimal("2.5"), Decimal(20))
    assert load_catalogue(str(copy)).get("test-10").presentations == (Decimal(5), Decimal(10))
    assert load_catalogue(str(copy)).origin == str(copy)
    assert load_catalogue(str(path)) is load_catalogue(str(path))
    assert load_catalogue().origin != str(path)
