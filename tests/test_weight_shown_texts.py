"""A weight as typed, when its text is not "<number> <unit symbol>" as the parse layer writes it.

The parse layer hands the core ``183.9 lb``; a caller of the core (the Python API's PlanRequest,
a document read back) may hand it something else. ``weight_text`` then shows the text as it is,
with the kg beside it, and a unit of more than one word stays whole after the number, which is
still written in the reader's digits. Called in the process, so that the core's own tests catch
a change to it (the mutation run's mutants of ``core/weight_shown.py``).

Hand arithmetic: 183.9 lb × 0.45359237 = 83.415636843 kg, shown 83.42 kg (83,42 kg in Dutch).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from ivig_dose.core.weight_shown import weight_text
from ivig_dose.render.translations import translator

KG = Decimal("83.415636843")


@pytest.mark.parametrize(("typed", "english", "dutch"), [
    # a decimal comma is no number Decimal reads: the text as it is, the kg in each language's digits
    ("183,9 lb", "183,9 lb (83.42 kg)", "183,9 lb (83,42 kg)"),
    ("about 184 lb", "about 184 lb (83.42 kg)", "about 184 lb (83,42 kg)"),
    # Decimal reads these as numbers with no digits to write: a library caller's text, kept as it is
    ("inf lb", "inf lb (83.42 kg)", "inf lb (83,42 kg)"),
    ("NaN lb", "NaN lb (83.42 kg)", "NaN lb (83,42 kg)"),
])
def test_a_weight_typed_in_no_form_of_a_number_is_shown_as_it_is(typed: str, english: str, dutch: str) -> None:
    shown = weight_text(KG, typed)
    assert shown == english
    assert translator("nl").say(shown) == dutch


def test_a_unit_of_two_words_stays_whole_after_the_number_in_the_readers_digits() -> None:
    # the number is what comes before the first space: 183.9, in Dutch 183,9; the unit is "lb avdp"
    shown = weight_text(KG, "183.9 lb avdp")
    assert shown == "183.9 lb avdp (83.42 kg)"
    assert translator("nl").say(shown) == "183,9 lb avdp (83,42 kg)"
