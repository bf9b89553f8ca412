"""Each problem of a protocol file is said once, at its place, and only the problems it has.

tests/test_protocol_schema.py says every problem exactly; these are the corners of the places:
a key with no name at all (TOML allows ``"" = 1``), and a course with no name beside a course
with one, whose missing name must not be taken for any other name.
"""

from __future__ import annotations

import pytest

from ivig_dose.files.protocols import protocol_problems
from tests.protocol_text import MINIMAL, replaced

TOP_KEYS = "id, name, version, source, verified, params, options, courses, product, placebo, holidays"


def test_an_empty_top_level_key_is_refused_as_unknown_without_an_empty_place() -> None:
    problems = protocol_problems('"" = 1\n' + MINIMAL, "t")
    assert len(problems) == 1
    assert problems[0].endswith(f"unknown key; accepted: {TOP_KEYS}")
    assert not problems[0].startswith(":")  # no place said as nothing before a colon


def test_an_empty_top_level_key_is_named() -> None:
    problem, = protocol_problems('"" = 1\n' + MINIMAL, "t")
    assert problem.partition(": ")[0] in ('""', "''")


SCHEDULE = '[courses]\ncount = 1\nsource = "test"\n'


@pytest.mark.parametrize("other", ["week 4", "XXXX", "-"])  # XXXX: a name that looks like a stand-in, too
def test_a_course_without_a_name_is_said_to_miss_it_and_nothing_more(other: str) -> None:
    courses = f'[[courses]]\nweek = 0\nsource = "t"\n\n[[courses]]\nname = "{other}"\nweek = 4\nsource = "t"\n'
    assert protocol_problems(replaced(SCHEDULE, courses), "t") == ["courses[0].name: missing text"]


@pytest.mark.parametrize(("written", "named"), [
    ('"dose per kg" = 1', '"dose per kg"'),   # a space: quoted, as the file must write it
    ('"a.b" = 1', '"a.b"'),                   # a dot inside one key is no path of two keys
    ('"say \\"x\\"" = 1', '"say \\"x\\""'),  # a quote inside is escaped, as in the file
    ('"a\\\\b" = 1', '"a\\\\b"'),            # so is a backslash: the key a\b is written "a\\b"
    ("dose-per_kg2 = 1", "dose-per_kg2"),     # a bare key stays bare
])
def test_an_unknown_key_is_named_as_the_file_writes_it(written: str, named: str) -> None:
    problem, = protocol_problems(f"{written}\n" + MINIMAL, "t")
    assert problem == f"{named}: unknown key; accepted: {TOP_KEYS}"
