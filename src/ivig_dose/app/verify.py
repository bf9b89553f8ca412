"""The double check: an order (a file, or one bag read off its label) in, a verification out.

On the one pipeline every command takes: the checker's inputs, and where the checker gave none
the prescriber's choices as the order states them, fill one :class:`~ivig_dose.parse.plan_inputs.PlanInputs`
read by :func:`~ivig_dose.parse.plan_inputs.parse_request`; each request the core names
(:func:`~ivig_dose.core.verification_variants.variants`) is planned by
:func:`ivig_dose.app.plan.plan_request` with the run's :class:`~ivig_dose.app.plan.Setup`, so a
protocol's default rounding is expected exactly as ``plan`` applies it, and ``verify`` of
``plan``'s own order is a match. The expected plan is then written in the order's own format
and every value of the order compared with it. The order's own totals are compared, never believed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message

if TYPE_CHECKING:
    from decimal import Decimal

    from ivig_dose.app.plan import Setup
    from ivig_dose.core.model import Plan
    from ivig_dose.core.order_document import OrderDocument
    from ivig_dose.core.order_facts import OrderFacts
    from ivig_dose.core.protocol import Protocol
    from ivig_dose.core.rounding import Rounding
    from ivig_dose.core.tolerance import Tolerance
    from ivig_dose.core.verification import Verification
    from ivig_dose.core.verification_request import Stated
    from ivig_dose.core.verification_variants import Roundings, Variant
    from ivig_dose.parse.plan_inputs import PlanInputs

BEDSIDE = message(N_("--weight, --course, --day and --volume or --dose"))


def roundings(round_to: str | None, run: Setup) -> Roundings:
    """The roundings an order may have been made with, tried in order: ``--round`` as given; else
    the run's default (the protocol's rounding, or exact), then the other ways ``plan`` rounds
    (exact, whole vials of the product), each named by the option that makes it."""
    from ivig_dose.parse.dispensing_options import VIALS, parse_rounding

    if round_to is not None:
        return ((f"--round {round_to.strip()}", run.rounding),)
    tried: list[tuple[str, Rounding | None]] = [("", run.rounding)]
    if run.rounding is not None:
        tried.append(("--round none", None))
    if run.product is not None:
        vials = parse_rounding(VIALS, run.product)
        if vials != run.rounding:
            tried.append((f"--round {VIALS}", vials))
    return tuple(tried)


def bedside_order(
    course: str | None, day: int | None, setting: str | None, volume: str | None, dose: str | None,
    protocol: Protocol,
) -> OrderFacts:
    """One bag (or one day) as the nurse reads it off the label: a partial order."""
    from ivig_dose.core.model import HOME, HOSPITAL
    from ivig_dose.core.order_facts import FactSheet, Node
    from ivig_dose.parse.units import parse_non_negative, parse_positive

    if course is None or day is None or (volume is None and dose is None):
        raise InputError(message(N_("a bedside check needs {options}"), options=BEDSIDE))
    name = protocol.course_named(course).name
    target: Node = (name, day)
    sheet = FactSheet()
    sheet.open((name,))
    sheet.open(target)
    if setting is not None:
        where = setting.strip().lower()
        if where not in (HOSPITAL, HOME):
            raise InputError(message(N_("--setting {setting!r} is not a setting; accepted: {hospital}, {home}"),
                                     setting=setting, hospital=HOSPITAL, home=HOME))
        target = (name, day, where)
        sheet.open(target)
    if volume is not None:
        sheet.add(target, "volume_ml", parse_positive(volume, "mL", "--volume",
                                                      message(N_("a volume such as 424 mL or 0.5 L"))))
    if dose is not None:
        sheet.add(target, "dose_g", parse_non_negative(dose, "g", "--dose", message(N_("a dose such as 42.4 g"))))
    return sheet.build()


def read_order(path: str) -> OrderFacts:
    """A whole order from a plan JSON document, a FHIR Bundle or a plan CSV file (``-``: stdin)."""
    from ivig_dose.files.inputs import looks_like_json, open_input

    with open_input(path) as source:
        json = looks_like_json(source)
        return read_order_text("".join(source.lines), source.name, json)


def read_order_text(text: str, name: str, json: bool) -> OrderFacts:
    """An order from its text: JSON (a plan document or a FHIR Bundle), else CSV."""
    import io

    from ivig_dose.parse.csv_table import CsvTable
    from ivig_dose.parse.order_csv import read_csv_order
    from ivig_dose.parse.order_json import read_json_order

    if json:
        return read_json_order(text, name)
    return read_csv_order(CsvTable(io.StringIO(text), name))


def load_tolerance(text: str, protocol: Protocol) -> Tolerance:
    from ivig_dose.parse.tolerance import parse_tolerance

    return parse_tolerance(text, protocol.product.ml_per_g)


def check_order(order: OrderFacts, typed: PlanInputs, run: Setup, tolerance: Tolerance,
                complete: bool = True, tried: Roundings | None = None) -> Verification:
    """The order checked value by value against the plan its inputs give: the inputs ``typed``
    gives (``weight`` "" and every other left None: none), else the order's; ``tried`` the
    roundings the order may have been made with (:func:`roundings`, by default as ``verify``
    tries them without ``--round``)."""
    from ivig_dose.core.order_facts import derive
    from ivig_dose.core.verification_request import (
        ANY_START,
        canonical,
        in_order_words,
        maybe_weighed_again,
        missing,
        report,
        stated_inputs,
    )
    from ivig_dose.core.verification_variants import closest, made_with, variants
    from ivig_dose.parse.plan_inputs import parse_request

    protocol = run.protocol
    ordered = canonical(order, protocol)
    if complete:
        ordered = derive(ordered)
    stated = stated_inputs(ordered, protocol)
    given = given_names(typed)
    missing(stated, given, complete)
    request, _ = parse_request(expected_inputs(typed, stated, given), run.rounding, ANY_START)
    inputs, notes = report(request, stated, given, ordered, protocol, complete)
    refusals: list[InputError] = []
    each = variants(in_order_words(request, stated, protocol), ordered, protocol, tried or roundings(None, run))
    found = _tried(ordered, each, maybe_weighed_again(stated, given), run, tolerance, complete, refusals)
    best = closest(replace(v, inputs=inputs, notes=notes) for v in found)
    if best is None:
        raise refusals[0]
    return made_with(best)


def _tried(order: OrderFacts, tried: list[Variant], weighed: tuple[tuple[str, Decimal, str | None], ...],
           run: Setup, tolerance: Tolerance, complete: bool, refusals: list[InputError]) -> Iterator[Verification]:
    """Each expected plan the core names, planned as ``plan`` plans, and the order judged against it:
    only the one the order's input digest names, when one does (with the courses it says were
    weighed again); without a digest, each in turn, and every later course weighed again last."""
    from ivig_dose.core.verification import Verification, compare
    from ivig_dose.core.verification_document import absent_values
    from ivig_dose.core.verification_variants import made_from, weighed_again, weighed_variant

    not_checked = order.document.not_checked if order.document is not None else ()

    def judged(variant: Variant, plan: Plan) -> Verification | None:
        try:
            document = expected_document(plan, order.document, order.blinded) if complete else None
        except InputError as exc:
            refusals.append(exc)
            return None
        comparisons = compare(plan, order, run.protocol, tolerance, complete, document)
        unchecked = not_checked if order.document is None or document is None else (
            *not_checked, *absent_values(order.document, document))
        return Verification(tuple(comparisons), (), (), variant.options, unchecked, tolerance)

    if order.document is not None and order.document.digest is not None:
        planned: list[tuple[Variant, Plan]] = []
        for variant, plan in _planned(order, tried, run, refusals):
            again = weighed_again(plan, order, weighed, variant) if not made_from(plan, order) else None
            if again is not None:
                variant, plan = next(iter(_planned(order, [again], run, refusals)), (variant, plan))
            if made_from(plan, order):
                planned = [(variant, plan)]
                break
            planned.append((variant, plan))
        yield from filter(None, (judged(variant, plan) for variant, plan in planned))
        return
    found = []
    for variant, plan in _planned(order, tried, run, refusals):
        verification = judged(variant, plan)
        if verification is not None and verification.matches:
            yield verification
            return
        found.append(verification)
    if weighed:  # a guess, kept only if it matches: it explains no other discrepancy
        for variant, plan in _planned(order, [weighed_variant(v, weighed) for v in tried], run, refusals):
            verification = judged(variant, plan)
            if verification is not None and verification.matches:
                yield verification
                return
    yield from filter(None, found)


def _planned(order: OrderFacts, tried: list[Variant], run: Setup,
             refusals: list[InputError]) -> Iterator[tuple[Variant, Plan]]:
    """Each variant planned when it is asked for (a match usually needs only the first)."""
    from ivig_dose.app.plan import plan_request

    for variant in tried:
        try:
            yield variant, with_order_warnings(plan_request(variant.request, run), order, run)
        except InputError as exc:
            refusals.append(exc)


def given_names(typed: PlanInputs) -> frozenset[str]:
    """The inputs the checker gave, by the names the core's report uses."""
    from ivig_dose.core import verification_request as names
    from ivig_dose.parse.plan_inputs import PREGNANT, parse_yes_no

    given = {names.WEIGHT: bool(typed.weight and typed.weight.strip()), names.START: typed.start is not None,
             names.ARM: bool(typed.arm), names.COURSE_WEIGHTS: bool(typed.course_weights),
             names.DOSING_WEIGHT: bool(typed.dosing_weight), names.HEIGHT: bool(typed.height),
             names.PREGNANT: parse_yes_no(typed.pregnant, PREGNANT), names.AGE: bool(typed.age and typed.age.strip())}
    return frozenset(name for name, yes in given.items() if yes)


def expected_inputs(typed: PlanInputs, stated: Stated, given: frozenset[str]) -> PlanInputs:
    """The checker's inputs, each one not given taken from the order as its text, to be read by
    the same reader as every plan's inputs."""
    from ivig_dose.core.amounts import kilograms
    from ivig_dose.core.verification_request import START, WEIGHT, order_weights_hold
    from ivig_dose.core.weight_shown import course_weight_label
    from ivig_dose.parse.plan_inputs import CourseWeight

    weight = typed.weight if WEIGHT in given else stated.weight_as_typed or kilograms(stated.weight_kg or 0)
    start = typed.start if START in given else stated.start.isoformat() if stated.start is not None else None
    later = typed.course_weights if not order_weights_hold(given) else tuple(
        CourseWeight(name, text or kilograms(kg), course_weight_label(name))
        for name, kg, text in stated.course_weights)
    return replace(typed, weight=weight, start=start, arm=typed.arm or stated.arm, course_weights=later,
                   dosing_weight=typed.dosing_weight or stated.dosing_weight)


def with_order_warnings(plan: Plan, order: OrderFacts, run: Setup) -> Plan:
    """The plan with the warnings ``plan`` adds for the day it was made on, as the order says them:
    a start not given (counted from that day), a start already past on it (how many days past
    tells the day), then a hospital day on a weekend or a holiday. They say when and how the
    order was made, not what the plan holds; a check on another day must not find them wrong."""
    from ivig_dose.app.plan import defaulted_start
    from ivig_dose.core.calendar_days import dated_plan

    if order.document is None:
        return plan
    texts = [leaf.value for leaf in order.document.leaves if isinstance(leaf.value, str)]
    said = defaulted_start(plan)
    if any(said.warnings[0] in text for text in texts):
        plan = said
    start = plan.request.start
    past = next((int(found[2]) for text in texts if (found := _PAST.search(text)) and found[1] == start.isoformat()),
                None)
    return dated_plan(plan, None if past is None else start + timedelta(days=past), run.protocol.holidays)


#: the warning of a start already past on the day the plan was made (core.calendar_days), as JSON,
#: CSV and FHIR keep it: in English.
_PAST = re.compile(r"start \w+ (\d{4}-\d{2}-\d{2}) is (\d+) day\(s\) in the past")


def expected_document(plan: Plan, document: OrderDocument | None, blinded: bool) -> OrderDocument | None:
    """The expected plan as the order is written (JSON, FHIR or CSV): every value the tool would have
    written, keyed as the order's are, to compare the order's with."""
    from ivig_dose.parse.order_leaves import bundle_leaves, plan_leaves
    from ivig_dose.render.plan_csv import render_csv
    from ivig_dose.render.plan_json import plan_document

    if document is None:
        return None
    if document.shape == "csv":
        return read_order_text(render_csv(plan, blinded), "expected plan", json=False).document
    if document.shape == "fhir":
        return bundle_leaves(_bundle(plan, blinded, document)).build("fhir")
    return plan_leaves(plan_document(plan, blinded)).build("json")


def _bundle(plan: Plan, blinded: bool, document: OrderDocument) -> dict[str, Any]:
    """The bundle the tool writes for the expected plan, for the order's patient, as made when the order was."""
    from datetime import datetime

    from ivig_dose.render.plan_fhir import plan_bundle

    try:
        authored = datetime.fromisoformat(document.authored or "")
    except ValueError as exc:
        raise InputError(message(N_("timestamp {value!r} is not a FHIR instant; accepted: e.g. "
                                    "2027-01-04T09:00:00+01:00"), value=str(document.authored))) from exc
    return plan_bundle(plan, blinded, document.patient_id or "", authored)


def verify_order(order: str | None, typed: PlanInputs, run: Setup, tolerance: str = "0", round_to: str | None = None,
                 bedside: tuple[str | None, int | None, str | None, str | None, str | None] | None = None,
                 ) -> Verification:
    """``ivig-dose verify`` as a use case: an order file (``-``: stdin) or one bag at the bedside
    (course, day, setting, volume, dose as typed), checked against the plan its inputs give."""
    if order is not None and bedside is not None:
        raise InputError(message(N_("give an order file or a bedside check (--course, --day, ...), not both")))
    if order is None and (bedside is None or not typed.weight):
        raise InputError(message(N_("give an order file to check, or a bedside check: {options}"), options=BEDSIDE))
    if order is not None:
        checked = read_order(order)
    else:
        assert bedside is not None
        course, day, setting, volume, dose = bedside
        checked = bedside_order(course, day, setting, volume, dose, run.protocol)
    return check_order(checked, typed, run, load_tolerance(tolerance, run.protocol), complete=order is not None,
                       tried=roundings(round_to, run))
