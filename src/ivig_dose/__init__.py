"""ivig-dose: a body weight in, a complete and checked IVIg treatment plan out.

The Python API is :func:`plan`: the same inputs as ``ivig-dose plan``, as text, and the same
plan back, made by the same steps (:mod:`ivig_dose.app.plan`). The plan is a frozen
:class:`~ivig_dose.core.model.Plan` of :class:`~decimal.Decimal` grams and millilitres::

    import ivig_dose

    plan = ivig_dose.plan("80.3 kg", start="2027-01-04")
    plan.total_dose_g          # Decimal('481.8')
    [reason.rule for reason in plan.reasons]

and :func:`verify`, the double check ``ivig-dose verify`` runs (the command is a thin layer over
it)::

    result = ivig_dose.verify("order.json", weight="70 kg")
    result.matches             # False when any value differs
    [(c.field, c.ordered, c.expected, c.rule) for c in result.discrepancies]

Everything else in the package is a layer behind them (``docs/architecture.md``); nothing but
the default protocol's name is imported until one is called, so ``import ivig_dose`` stays
cheap for the command.
"""

from __future__ import annotations

from ivig_dose.core.defaults import DEFAULT_PROTOCOL

#: typing's own constant without importing typing: the command imports this package before it can
#: catch Ctrl-C (cli.main), so the package imports next to nothing (typing, re and enum cost 13 ms).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ivig_dose.core.model import Plan
    from ivig_dose.core.verification import Verification
    from ivig_dose.parse.plan_inputs import CourseWeight

    #: weights measured for later courses (R9): ``{"week4": "68kg"}``, or pairs when a course may come twice.
    CourseWeights = Mapping[str, str] | Sequence[tuple[str, str]] | None

__version__ = "0.2.0"
__all__ = ["__version__", "plan", "verify"]


def plan(
    weight: str,
    start: str | None = None,
    *,
    arm: str = "ivig",
    days: int | None = None,
    course_weights: CourseWeights = None,
    height: str | None = None,
    sex: str | None = None,
    dosing_weight: str | None = None,
    pregnant: bool = False,
    day_first: bool | None = None,
    protocol: str = DEFAULT_PROTOCOL,
    products: str | None = None,
    product: str | None = None,
    round_to: str | None = None,
    max_rate: str | None = None,
    risk: Sequence[str] = (),
    indication: str | None = None,
    age: str | None = None,
) -> Plan:
    """One patient's plan, exactly as ``ivig-dose plan`` makes it from the same options.

    Every value is text as a person types it (``"158.7 lb"``, ``"5 ft 10 in"``, ``"5g"``), read
    by the readers the command uses; ``course_weights`` maps a later course to its weight
    (``{"week4": "68kg"}``, R9); ``day_first`` says how to read a numeric date such as
    ``03/04/2027`` (None refuses it); ``risk`` names what the patient is at risk of (``["thrombosis"]``,
    as ``--risk``), ``indication`` the rate table (``--indication``), ``age`` the age in years. A start
    not given counts from today, which the plan's warnings say. Bad input raises
    :class:`~ivig_dose.core.errors.InputError` with the message the command would print.
    """
    from ivig_dose.app.plan import plan_patient, setup
    from ivig_dose.parse.plan_inputs import PlanInputs

    inputs = PlanInputs(
        weight=weight, start=start, arm=arm, days=days, course_weights=_course_weights(course_weights),
        height=height, sex=sex, dosing_weight=dosing_weight, pregnant=pregnant, day_first=day_first,
        risk=tuple(risk), age=age,
    )
    return plan_patient(inputs, setup(protocol, products, product, round_to, max_rate, indication))


def verify(
    order: str | None = None,
    *,
    weight: str | None = None,
    start: str | None = None,
    arm: str | None = None,
    days: int | None = None,
    course_weights: CourseWeights = None,
    height: str | None = None,
    sex: str | None = None,
    dosing_weight: str | None = None,
    pregnant: bool = False,
    age: str | None = None,
    risk: Sequence[str] = (),
    day_first: bool | None = None,
    protocol: str = DEFAULT_PROTOCOL,
    products: str | None = None,
    product: str | None = None,
    round_to: str | None = None,
    max_rate: str | None = None,
    indication: str | None = None,
    tolerance: str = "0",
    course: str | None = None,
    day: int | None = None,
    setting: str | None = None,
    volume: str | None = None,
    dose: str | None = None,
) -> Verification:
    """An order checked value by value, exactly as ``ivig-dose verify`` checks it.

    ``order`` is a file (plan JSON, a FHIR Bundle or plan CSV; ``-`` reads stdin); every input
    left None is taken from the order and reported as such in ``inputs``. Without an order,
    ``course``, ``day``, ``setting``, ``volume`` and ``dose`` check one bag at the bedside (then
    ``weight`` is needed). The other options are ``plan``'s; ``tolerance`` is ``--tolerance``
    (``"1%"``, ``"0.5 g"``, relative to the protocol's value). The result is a frozen
    :class:`~ivig_dose.core.verification.Verification`: ``matches``, ``discrepancies`` (each with
    the field, both values, the rule and why), ``not_checked`` and ``inputs``. Bad input raises
    :class:`~ivig_dose.core.errors.InputError` with the message the command would print.
    """
    from ivig_dose.app.plan import setup
    from ivig_dose.app.verify import verify_order
    from ivig_dose.parse.plan_inputs import PlanInputs

    typed = PlanInputs(
        weight=weight or "", start=start, arm=arm, days=days, course_weights=_course_weights(course_weights),
        height=height, sex=sex, dosing_weight=dosing_weight, pregnant=pregnant, day_first=day_first,
        risk=tuple(risk), age=age,
    )
    bedside = (course, day, setting, volume, dose)
    run = setup(protocol, products, product, round_to, max_rate, indication)
    return verify_order(order, typed, run, tolerance, round_to,
                        bedside if any(v is not None for v in bedside) else None)


def _course_weights(weights: CourseWeights) -> tuple[CourseWeight, ...]:
    from collections.abc import Mapping

    from ivig_dose.core.weight_shown import course_weight_label
    from ivig_dose.parse.plan_inputs import CourseWeight

    pairs = weights.items() if isinstance(weights, Mapping) else weights or ()
    return tuple(CourseWeight(course, text, course_weight_label(course)) for course, text in pairs)
