"""The typed reader shared by the protocol and catalogue readers (and open to the order readers)."""

from __future__ import annotations

import pytest

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_
from ivig_dose.parse.typed_reader import TypedReader, dotted_place, toml_key, toml_place


def test_a_collecting_reader_notes_every_problem_with_its_place_and_reads_on():
    reader = TypedReader()
    raw = {"name": "", "count": 40, "verified": "yes", "extra": 1}
    assert reader.text(raw.get("name"), "name") is None
    assert reader.whole(raw.get("count"), "courses.count", 1, 30) is None
    assert reader.flag(raw.get("verified"), "verified") is None
    assert reader.text(raw.get("source"), "source") is None
    reader.unknown(raw, ("name", "count", "verified"), "")
    assert reader.problems == [
        "name: must be text, not ''",
        "courses.count: must be a whole number from 1 to 30, not 40",
        "verified: must be true or false, not 'yes'",
        "source: missing text",
        "extra: unknown key; accepted: name, count, verified",
    ]


def test_values_of_the_right_type_come_back_as_they_are_and_note_nothing():
    reader = TypedReader()
    assert reader.text(" a b ", "t") == " a b "
    assert reader.whole(30, "w", 1, 30) == 30
    assert reader.flag(False, "f") is False
    assert reader.table({"k": 1}, "t") == {"k": 1}
    assert reader.problems == []


def test_true_is_not_a_whole_number_though_python_counts_it_one():
    reader = TypedReader()
    assert reader.whole(True, "w", 0, 5) is None
    assert reader.problems == ["w: must be a whole number from 0 to 5, not True"]


def test_an_optional_value_not_given_is_no_problem():
    reader = TypedReader()
    assert reader.text(None, "t", missing=None) is None
    assert reader.flag(None, "f") is None
    assert reader.problems == []


def test_a_reader_that_stops_at_the_first_raises_it_in_its_own_words():
    reader = TypedReader(lambda place, what: f"order.json: {place}: {what}", dotted_place, first_only=True)
    with pytest.raises(InputError) as caught:
        reader.text(7, "courses[0].name", wrong=N_("{value} is not a text"))
    assert caught.value.message == "order.json: courses[0].name: 7 is not a text"


def test_a_refusal_from_a_parser_is_one_more_problem():
    def refuse() -> int:
        raise InputError("weight 'x' is not a number")

    reader = TypedReader()
    assert reader.attempt(refuse) is None
    assert reader.attempt(lambda: 3) == 3
    assert reader.problems == ["weight 'x' is not a number"]


@pytest.mark.parametrize(("key", "written"), [
    ("dose_per_kg", "dose_per_kg"),
    ("a b", '"a b"'),
    ("", '""'),
    ('say "x"', '"say \\"x\\""'),
    ("back\\slash", '"back\\\\slash"'),
])
def test_a_key_is_named_as_toml_would_have_it_written(key, written):
    assert toml_key(key) == written


def test_places_join_keys_under_their_table():
    assert toml_place("", "id") == "id"
    assert toml_place("params.dose_step", "value") == "params.dose_step.value"
    assert toml_place("params", "a.b") == 'params."a.b"'
    assert dotted_place("indications", "a.b") == "indications.a.b"
