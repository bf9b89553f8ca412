"""What a nurse types into ``ivig-dose record``: a rate, a volume, a note, a grade, initials, an entry id.

Each value is what the pump or the paper says; each refusal is the one line the nurse reads.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from ivig_dose.core.errors import InputError
from ivig_dose.parse.record_inputs import (
    parse_by,
    parse_entry_id,
    parse_grade,
    parse_infused,
    parse_note,
    parse_patient,
    parse_rate,
)

D = Decimal
RATE_ACCEPTED = "accepted: a pump rate such as 144 mL/h (a bare number is mL/h)"
VOLUME_ACCEPTED = "accepted: the volume the pump shows, such as 360 mL (a bare number is mL)"
ENTRY_ACCEPTED = "accepted: the first 8 characters or more of the id record show prints, such as 1a2b3c4d"


def refusal(parse, *args) -> str:
    with pytest.raises(InputError) as caught:
        parse(*args)
    return str(caught.value)


@pytest.mark.parametrize(("typed", "rate"), [
    ("144", D(144)), ("144 mL/h", D(144)), ("144ml/h", D(144)), (" 72.5 mL/h ", D("72.5")), ("0.1", D("0.1"))])
def test_a_rate_is_millilitres_an_hour_as_the_pump_shows_it(typed, rate):
    assert parse_rate(typed) == rate


@pytest.mark.parametrize(("typed", "said"), [
    ("0", "--rate '0' must be above 0"),
    (" 0 mL/h ", "--rate '0 mL/h' must be above 0"),
    ("-3", "--rate '-3' must be above 0"),
    (" 144 L/h", "--rate '144 L/h' is not in mL/h"),
    ("144 mL", "--rate '144 mL' is not in mL/h"),
    ("abc", "--rate 'abc' is not a number with a unit"),
])
def test_a_rate_that_is_no_pump_rate_is_refused(typed, said):
    assert refusal(parse_rate, typed) == f"{said}; {RATE_ACCEPTED}"


@pytest.mark.parametrize(("typed", "volume"), [("360", D(360)), ("360 mL", D(360)), (" 12.5 ml ", D("12.5")),
                                               ("0", D(0))])
def test_the_volume_infused_is_millilitres_and_may_be_nothing(typed, volume):
    assert parse_infused(typed) == volume


@pytest.mark.parametrize(("typed", "said"), [
    ("-1", "--infused '-1' must not be below 0"),
    ("3 g", "--infused '3 g' is not convertible to mL"),
    ("abc", "--infused 'abc' is not a number with a unit"),
])
def test_a_volume_below_nothing_or_not_a_number_is_refused(typed, said):
    assert refusal(parse_infused, typed) == f"{said}; {VOLUME_ACCEPTED}"


def test_a_note_is_kept_trimmed_and_an_empty_or_long_one_is_refused():
    assert parse_note("  chills and fever ", "--symptoms") == "chills and fever"
    assert parse_note("x" * 500, "--reason") == "x" * 500
    for empty in ("", "   "):
        assert refusal(parse_note, empty, "--reason") == ("--reason is empty; accepted: a few words, up to 500 "
                                                          "characters")
    assert refusal(parse_note, "x" * 501, "--action") == ("--action is 501 characters long; accepted: at most 500 "
                                                          "characters")


@pytest.mark.parametrize("grade", [1, 2, 3, 4, 5])
def test_a_ctcae_grade_is_one_to_five(grade):
    assert parse_grade(grade) == grade


@pytest.mark.parametrize("grade", [0, 6, -1])
def test_a_grade_outside_ctcae_is_refused(grade):
    assert refusal(parse_grade, grade) == f"--grade {grade} is not a CTCAE grade; accepted: 1, 2, 3, 4 or 5"


def test_initials_and_a_patient_are_kept_trimmed_and_never_empty():
    assert (parse_by(" AB "), parse_by("x" * 16), parse_patient(" P1 ")) == ("AB", "x" * 16, "P1")
    assert refusal(parse_by, "  ") == ("--by is empty; accepted: the initials or staff code of who did it, up to 16 "
                                       "characters")
    assert refusal(parse_by, "x" * 17) == "--by is 17 characters long; accepted: at most 16 characters"
    assert refusal(parse_patient, " ") == "--patient-id is empty; accepted: the patient or study number"


@pytest.mark.parametrize(("typed", "wanted"), [
    ("1A2B3C4D", "1a2b3c4d"), (" 1a2b3c4d ", "1a2b3c4d"), ("0" * 32, "0" * 32), ("abcdef0123", "abcdef0123")])
def test_an_entry_id_is_eight_to_thirty_two_hexadecimal_characters_in_lower_case(typed, wanted):
    assert parse_entry_id(typed) == wanted


@pytest.mark.parametrize(("typed", "shown"), [
    ("1a2b3c4", "1a2b3c4"), ("1a2b3c4g", "1a2b3c4g"), ("1a2b3c4dx", "1a2b3c4dx"), ("0" * 33, "0" * 33),
    ("x" * 50, "x" * 40), ("1a2b-3c4d", "1a2b-3c4d")])
def test_anything_else_is_no_entry_id_and_is_shown_cut_to_forty_characters(typed, shown):
    assert refusal(parse_entry_id, typed) == f"entry {shown!r} is not an entry id; {ENTRY_ACCEPTED}"
