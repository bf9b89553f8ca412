"""How far an ordered dose or volume may stray from the protocol's and still count as the same.

Exact by default: an order made by ``ivig-dose plan`` matches to the last 0.1 g. Orders made
by other systems round differently, so the checker may allow a relative slack (``1%``) or an
absolute one (``0.5 g`` or ``5 mL``, each converted to the other through the product's
concentration). Weights, dates, day counts and settings are always compared exactly.
"""

from __future__ import annotations

from decimal import Decimal

from ivig_dose.core.records import frozen

GRAMS = "g"
MILLILITRES = "mL"
#: no tolerance passes a value further than this from the expected one, in percent of it.
CEILING_PERCENT = Decimal(10)


@frozen
class Tolerance:
    """How far an order made by another system may differ from the plan and still match."""

    percent: Decimal = Decimal(0)
    grams: Decimal = Decimal(0)
    millilitres: Decimal = Decimal(0)

    def allows(self, unit: str, ordered: Decimal, expected: Decimal) -> bool:
        """True when ``ordered`` is within the tolerance of ``expected`` for an amount in ``unit``."""
        absolute = {GRAMS: self.grams, MILLILITRES: self.millilitres}.get(unit)
        if absolute is None:
            return ordered == expected
        limit = max(absolute, abs(expected) * self.percent / 100)
        # an absolute slack never passes more than a tenth of the value itself: 1 g on a 2 g bag
        # would be half of it
        limit = min(limit, abs(expected) * CEILING_PERCENT / 100)
        return abs(ordered - expected) <= limit

    @property
    def exact(self) -> bool:
        return not (self.percent or self.grams or self.millilitres)
