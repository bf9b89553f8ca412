"""Small builders shared by the tests: plain values in, a plan out."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from ivig_dose.core.dosing import build_plan
from ivig_dose.core.model import Plan, PlanRequest
from ivig_dose.core.tolerance import Tolerance
from ivig_dose.files.protocols import load_protocol
from ivig_dose.parse.plan_inputs import CourseWeight, PlanInputs

if TYPE_CHECKING:
    from ivig_dose.app.plan import Setup
    from ivig_dose.core.order_facts import OrderFacts
    from ivig_dose.core.rounding import Rounding
    from ivig_dose.core.verification import Verification

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


class Typed(NamedTuple):
    """What a checker typed for ``verify``, as the app takes it: the inputs, and the roundings tried."""

    inputs: PlanInputs
    tried: tuple[tuple[str, Rounding | None], ...] = (("", None),)


def given(*, weight_kg: Decimal | None = None, start: date | None = None, arm: str | None = None,
          days: int | None = None, course_weights: tuple[tuple[str, Decimal], ...] = (),
          height_cm: Decimal | None = None, sex: str | None = None, pregnant: bool = False,
          dosing_weight: str | None = None, age_years: Decimal | None = None, risks: tuple[str, ...] = (),
          weight_as_typed: str | None = None, course_weights_as_typed: tuple[tuple[str, str], ...] = (),
          roundings: tuple[tuple[str, Rounding | None], ...] = (("", None),)) -> Typed:
    """The checker's inputs in the core's terms (kg, dates), typed as a person types them."""
    weight = weight_as_typed or (f"{weight_kg} kg" if weight_kg is not None else "")
    typed = dict(course_weights_as_typed)
    return Typed(PlanInputs(
        weight=weight, start=start.isoformat() if start else None, arm=arm, days=days,
        course_weights=tuple(CourseWeight(name, typed.get(name, f"{kg} kg"), f"{name} weight")
                             for name, kg in course_weights),
        height=f"{height_cm} cm" if height_cm is not None else None, sex=sex, pregnant=pregnant,
        dosing_weight=dosing_weight, age=str(age_years) if age_years is not None else None,
        risk=risks), roundings)


def verified(order: OrderFacts, typed: Typed | None = None, run: Setup | None = None,
             tolerance: Tolerance | None = None, complete: bool = True) -> Verification:
    """``verify``'s check of an order, with the default run (the protocol's catalogue product)."""
    from ivig_dose.app.plan import setup
    from ivig_dose.app.verify import check_order

    typed = typed or given()
    return check_order(order, typed.inputs, run or setup(), tolerance or Tolerance(), complete, typed.tried)


def order_for(weight: str | Decimal, days: int | None = None, arm: str = "ivig",
              course_weights: tuple[tuple[str, Decimal], ...] = ()) -> Plan:
    """The plan ``plan`` makes for an order: :func:`plan_for` with vials and pump programs from the
    protocol's catalogue product, as every order the tool writes has them."""
    from ivig_dose.app.plan import plan_request, setup

    request = PlanRequest(weight_kg=Decimal(weight), start=START, arm=arm, days=days,
                          course_weights=course_weights)
    return plan_request(request, setup())


def set_path(document: Any, path: tuple[str | int, ...], value: Any) -> Any:
    """A copy of a JSON document with the value at ``path`` replaced."""
    changed = copy.deepcopy(document)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed
