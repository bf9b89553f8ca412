"""ivig-dose: a body weight in, a complete and checked IVIg treatment plan out.

The Python API is one function a command, each taking the command's options as text and giving
what the command prints, made by the same steps (:mod:`ivig_dose.app.plan`); the commands are a
thin layer over it. :func:`plan` gives a frozen :class:`~ivig_dose.core.model.Plan` of
:class:`~decimal.Decimal` grams and millilitres, :func:`rates` a bag's pump program, :func:`batch`
a whole patient list written to a file::

    import ivig_dose

    plan = ivig_dose.plan("80.3 kg", start="2027-01-04")
    plan.total_dose_g          # Decimal('481.8')
    [reason.rule for reason in plan.reasons]
    ivig_dose.rates("70", dose="70g").program.duration_min     # 288
    ivig_dose.batch("patients.csv", "plans.jsonl").done        # patients planned

and :func:`verify` the double check of an order (a frozen
:class:`~ivig_dose.core.verification.Verification`)::

    result = ivig_dose.verify("order.json", weight="70 kg")
    result.matches             # False when any value differs
    [(c.field, c.ordered, c.expected, c.rule) for c in result.discrepancies]

Everything else in the package is a layer behind it (``docs/architecture.md``); nothing but
the default protocol's name is imported until :func:`plan` is called, so ``import ivig_dose``
stays cheap for the command.
"""

from __future__ import annotations

from ivig_dose.core.defaults import DEFAULT_PROTOCOL

#: typing's own constant without importing typing: the command imports this package before it can
#: catch Ctrl-C (cli.interrupts), so the package imports next to nothing (typing, re and enum cost 13 ms).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from datetime import datetime

    from ivig_dose.app.batch import RowReport
    from ivig_dose.core.dispensing import BagProgram
    from ivig_dose.core.model import Plan
    from ivig_dose.core.verification import Verification
    from ivig_dose.parse.plan_inputs import CourseWeight

    #: weights measured for later courses (R9): ``{"week4": "68kg"}``, or pairs when a course may come twice.
    CourseWeights = Mapping[str, str] | Sequence[tuple[str, str]] | None

__version__ = "0.3.0"
__all__ = ["__version__", "batch", "plan", "rates", "verify"]


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


def rates(
    weight: str,
    dose: str | None = None,
    volume: str | None = None,
    *,
    protocol: str = DEFAULT_PROTOCOL,
    products: str | None = None,
    product: str | None = None,
    max_rate: str | None = None,
    risk: Sequence[str] = (),
    indication: str | None = None,
) -> BagProgram:
    """One bag's pump program, exactly as ``ivig-dose rates`` makes it: give ``dose`` (``"70g"``) or,
    for a blinded bag, ``volume`` (``"700mL"``). The product, its concentration, the pump limit and
    ``risk`` are held as :func:`plan` holds them, and a bag larger than the protocol gives is refused
    with :class:`~ivig_dose.core.errors.InputError`. ``.program.steps`` are the rate steps."""
    from ivig_dose.app.rates import bag_program

    return bag_program(weight, dose, volume, protocol=protocol, products=products, product=product,
                       max_rate=max_rate, indication=indication, risks=tuple(risk))


def batch(
    file: str,
    output: str = "-",
    *,
    fmt: str | None = None,
    errors: str | None = None,
    verify: bool = False,
    tolerance: str = "0",
    protocol: str = DEFAULT_PROTOCOL,
    products: str | None = None,
    product: str | None = None,
    round_to: str | None = None,
    max_rate: str | None = None,
    indication: str | None = None,
    blinded: bool = False,
    day_first: bool | None = None,
    authored: datetime | None = None,
    lang: str = "en",
    progress: Callable[[int, int], None] | None = None,
) -> RowReport:
    """Every patient of the CSV list ``file`` planned into ``output``, exactly as ``ivig-dose batch``
    does (``-`` is stdin or stdout; ``fmt`` csv, json, jsonl or fhir, else from the output's name),
    or with ``verify`` every order of ``file`` checked. Each file is written whole or not at all. A
    bad row is said on stderr (in ``lang``) and in ``errors`` (a CSV), and counted: the result's
    ``done``, ``bad`` and ``mismatched``; a file that cannot be used at all raises
    :class:`~ivig_dose.core.errors.InputError`. ``authored`` is a FHIR order's ``authoredOn`` (now
    when None); ``progress`` hears (bytes read, bytes in all) every 1,024 rows of a file."""
    from ivig_dose.app.batch import run_batch
    from ivig_dose.render.formats import Format
    from ivig_dose.render.translations import translator

    return run_batch(file, output, Format(fmt) if fmt else None, errors, verify=verify, tolerance=tolerance,
                     protocol=protocol, products=products, product=product, round_to=round_to, max_rate=max_rate,
                     indication=indication, blinded=blinded, day_first=day_first, authored=authored,
                     tr=translator(lang), progress=progress)


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
