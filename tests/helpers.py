"""Small builders shared by the tests: plain values in, a plan out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ivig_dose.core.dosing import build_plan
from ivig_dose.core.model import Plan, PlanRequest
from ivig_dose.files.protocols import load_protocol

START = date(2027, 1, 4)
PROTOCOL = load_protocol("timeismuscle")


def plan_for(weight: str | Decimal, days: int | None = None, arm: str = "ivig",
             course_weights: tuple[tuple[str, Decimal], ...] = ()) -> Plan:
    request = PlanRequest(weight_kg=Decimal(weight), start=START, arm=arm, days=days,
                          course_weights=course_weights)
    return build_plan(request, PROTOCOL)


def g(text: str) -> Decimal:
    return Decimal(text)


#: the warning every output carries while the default product's catalogue entry is not label-verified.
NANOGAM_UNVERIFIED = ("product catalogue entry 'nanogam': vial sizes and pump rate steps are NOT verified against "
                      "the current label; check them against the label before use")
