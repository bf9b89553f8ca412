"""A plan's sums are exact Decimal grams and millilitres, whatever they add up (core/model)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ivig_dose.core.model import InfusionDay, Segment


def test_a_day_without_bags_holds_0_g_as_a_decimal():
    # no bag gives 0 g and 0 mL, as Decimals: the renderers write amounts from Decimals alone
    empty = InfusionDay(1, date(2027, 1, 4), ())
    assert (empty.dose_g, empty.volume_ml) == (Decimal(0), Decimal(0))
    assert isinstance(empty.dose_g, Decimal) and isinstance(empty.volume_ml, Decimal)


def test_a_day_sums_its_bags():
    # 70 kg baseline day 1: 30 g (300 mL) in hospital + 40 g (400 mL) at home = 70 g, 700 mL (R6)
    day = InfusionDay(1, date(2027, 1, 4), (Segment("hospital", Decimal(30), Decimal(300)),
                                            Segment("home", Decimal(40), Decimal(400))))
    assert (day.dose_g, day.volume_ml) == (Decimal(70), Decimal(700))
