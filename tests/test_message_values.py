"""The values a message holds (Quantity, AndList, Joined) and the English translator's own parts.

A message's values are compared when a plan comes back from a batch worker, kept in sets and
dict keys as a frozen dataclass's would be, and shown by name in a failing test; the English
translator writes the exact decimals and the rounded weights every English output prints. Each
expected text is written by hand from the ISMP rules (no trailing zero, a leading zero) or from
the CHANGELOG's own example.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from ivig_dose.core.messages import AndList, Joined, Quantity, message
from ivig_dose.render.translations import translator
from ivig_dose.render.translator import ENGLISH, Translator


@pytest.fixture(scope="module")
def dutch() -> Translator:
    return translator("nl")


# --- values: equal as a frozen dataclass's are -------------------------------------------------------

def test_a_value_equals_one_of_its_class_with_equal_fields_and_no_other() -> None:
    half = Quantity(Decimal("0.5"), "mL")
    assert half == Quantity(Decimal("0.50"), "mL")   # Decimal("0.5") == Decimal("0.50")
    assert half != Quantity(Decimal("5"), "mL")
    assert half != Quantity(Decimal("0.5"), "g")
    assert half != Quantity(Decimal("0.5"), "mL", signed=True)
    assert AndList(("a", "b")) != AndList(("b", "a"))
    assert AndList(("a", "b")) != Joined(("a", "b"), ", ")


@pytest.mark.parametrize("other", ["0.5 mL", Decimal("0.5"), None, ("0.5", "mL", None, False)])
def test_a_value_is_not_equal_to_its_text_or_its_fields(other: object) -> None:
    half = Quantity(Decimal("0.5"), "mL")
    assert half != other
    assert not half == other  # noqa: SIM201 - __eq__ itself, not __ne__'s negation of it


def test_values_can_be_set_members_and_dict_keys() -> None:
    doses = {Quantity(Decimal(n), "g"): n for n in range(10)}
    assert doses[Quantity(Decimal("7.0"), "g")] == 7
    assert {Quantity(Decimal("0.5"), "mL"), Quantity(Decimal("0.50"), "mL")} == {Quantity(Decimal("0.5"), "mL")}
    assert hash(AndList(("a", "b"))) == hash(AndList(("a", "b")))
    # ten different doses are ten different hashes, or a dict of them would be a list searched end to end
    assert len({hash(dose) for dose in doses}) == 10


def test_a_value_shows_its_class_and_fields_in_a_failing_test() -> None:
    assert repr(Quantity(Decimal("0.5"), "mL")) == "Quantity(Decimal('0.5'), 'mL', None, False)"
    assert repr(AndList(("a", "b"))) == "AndList(('a', 'b'),)"
    assert repr(Joined(("week 0", "week 4"), ", ")) == "Joined(('week 0', 'week 4'), ', ')"


# --- the English translator's parts -------------------------------------------------------------------

@pytest.mark.parametrize(("value", "text"), [
    (Decimal("71.985109119"), "71.985109119"),  # every digit kept: this one is exact, not rounded
    (Decimal("72.40"), "72.4"),
    (Decimal("0.5"), "0.5"),
    (Decimal("1447"), "1447"),                  # no thousands separator
])
def test_english_digits_are_exact(value: Decimal, text: str) -> None:
    assert ENGLISH.decimal(value) == text


def test_an_inexact_weight_is_shown_to_two_places_by_default(dutch: Translator) -> None:
    # CHANGELOG: an inexact ideal weight 73.18110236220473 kg reads "≈73.18 kg", as in the table
    assert ENGLISH.approximate(Decimal("73.18110236220473")) == "≈73.18"
    assert dutch.approximate(Decimal("73.18110236220473")) == "≈73,18"
    # exact to two places: no mark, no trailing zero
    assert ENGLISH.approximate(Decimal("83.80")) == "83.8"


# --- a text without values is no template -------------------------------------------------------------

TEXT_WITH_BRACES = "write {id} for the patient id"


def test_a_text_without_values_is_said_as_it_stands_braces_included(dutch: Translator) -> None:
    """Message keeps a template given no values as its text (it fills nothing); every translator
    says such a text the same way, rather than reading its braces as places to fill."""
    made = message(TEXT_WITH_BRACES)
    assert made == TEXT_WITH_BRACES
    assert ENGLISH(TEXT_WITH_BRACES) == TEXT_WITH_BRACES
    assert ENGLISH.say(made) == TEXT_WITH_BRACES
    assert dutch(TEXT_WITH_BRACES) == TEXT_WITH_BRACES  # no Dutch text for it: said as written
    assert dutch.say(made) == TEXT_WITH_BRACES


# --- a message's English is what the English translator says ------------------------------------------

@pytest.mark.parametrize("value", [
    Quantity(Decimal("72.40"), "g"),
    Quantity(Decimal("0.5"), "mL"),
    Quantity(Decimal("3")),
    Quantity(Decimal("2.5"), "g", signed=True),
    Quantity(Decimal("73.18110236220473"), "kg", places=2),
    7,
])
def test_a_messages_english_is_what_the_english_translator_says(value: Quantity | int) -> None:
    """Message writes the common values itself (a batch makes tens of thousands); its text must be
    what the English translator, which every renderer asks, writes of the same value."""
    assert message("{value}", value=value) == ENGLISH.say(value)


def test_a_unit_with_a_trailing_space_is_written_alike_by_both() -> None:
    percent = Quantity(Decimal("5"), "% ")
    assert message("{value}", value=percent) == ENGLISH.say(percent)
