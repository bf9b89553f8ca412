"""Body weights as people type them (R1): ``72``, ``72 kg``, ``72kg``, ``72000 g``, ``158.7 lb``."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ivig_dose.core.messages import N_, message, neutral
from ivig_dose.parse.units import parse_positive, parse_positive_as_typed

if TYPE_CHECKING:
    from ivig_dose.core.order_facts import FactSheet, Node

ACCEPTED = message(N_("a positive mass such as 72, 72 kg, 72000 g or 158.7 lb (a bare number is kg)"))
WEIGHT = message(N_("weight"))


def parse_weight(text: str, what: str = WEIGHT) -> Decimal:
    """The weight in kg, exactly (1 lb = 0.45359237 kg by definition)."""
    return parse_positive(text, "kg", what, ACCEPTED)


def read_weight(text: str, what: str = WEIGHT) -> tuple[Decimal, str | None]:
    """The weight in kg, exactly, and as typed when typed in another unit (``183.9 lb``), so
    that what people read can be matched with the chart it came from; None for kg."""
    return parse_positive_as_typed(text, "kg", what, ACCEPTED)


def add_weight_as_typed(sheet: FactSheet, node: Node, text: str | None, where: str, row: int | None) -> None:
    """An order's ``weight_as_typed`` as facts: the kg it stands for (compared with the weight the
    plan was dosed on) and the text to show (only when typed in another unit than kg)."""
    if text is None:
        return
    from ivig_dose.core.order_facts import WEIGHT_AS_TYPED, WEIGHT_AS_TYPED_KG

    kg, typed = read_weight(text, what=neutral("{where}weight_as_typed", where=where))
    sheet.add(node, WEIGHT_AS_TYPED_KG, kg, row)
    sheet.add(node, WEIGHT_AS_TYPED, typed, row)
