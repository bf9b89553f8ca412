"""An order's value of another kind than the plan's (words where the plan has an amount or a day
count) is a discrepancy that shows both, never a crash (core.verification, in process).

The file readers turn amounts into numbers, but the core takes facts from any reader (the bedside
check builds its own), and a fact's value may be words: "30 g" written where the plan has 30 g is
not the same fact, and the checker must see it as a mismatch, with the plan's value beside it.

The spec's 70 kg case: day 1 of the baseline course is 30 g in hospital (the first 30 g, R6) and
40 g at home, 10 mL/g (R5).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from ivig_dose.core.order_facts import FactSheet, Value
from ivig_dose.core.tolerance import Tolerance
from ivig_dose.core.verification import Comparison

from .helpers import given as Given
from .helpers import verified


@pytest.mark.parametrize("tolerance", [Tolerance(), Tolerance(percent=Decimal(1))])
@pytest.mark.parametrize(("attr", "ordered", "expected", "unit"), [
    ("dose_g", "30 g", Decimal(30), "g"),        # words for an amount
    ("volume_ml", Decimal(300), Decimal(300), "mL"),  # the same bag's volume, as a number: it matches
])
def test_a_bags_value_in_words_is_a_discrepancy_not_a_crash(tolerance, attr, ordered: Value, expected, unit):
    bag = ("baseline", 1, "hospital")
    sheet = FactSheet()
    for node in (("baseline",), ("baseline", 1), bag):
        sheet.open(node)
    sheet.add(bag, attr, ordered)
    result = verified(sheet.build(), Given(weight_kg=Decimal(70)), tolerance=tolerance, complete=False)
    matches = isinstance(ordered, Decimal)
    assert result.comparisons == (
        Comparison(f"baseline day 1 hospital {attr}", ordered, expected, unit, "R6" if attr == "dose_g" else "R5",
                   matches, key=attr, label=f"baseline day 1 hospital {'dose' if attr == 'dose_g' else 'volume'}"),)


def test_a_day_count_in_words_is_a_discrepancy_not_a_crash():
    # 70 kg: 140 g a course over the default 2 days (R3); the order writes its day count as words
    sheet = FactSheet()
    sheet.add((), "days_per_course", "2")
    result = verified(sheet.build(), Given(weight_kg=Decimal(70)), complete=False)
    assert result.comparisons == (Comparison("days_per_course", "2", 2, "", "R3", False, key="days_per_course",
                                                     label="days per course"),)
    assert result.options == ""  # planned with the default day count, not with the order's words
