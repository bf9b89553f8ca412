"""What the expected plan of a double check is computed from: the checker's inputs, else the
prescriber's choices as the order states them, each reported back with where it came from.

Nothing here trusts the order's numbers. From the order it takes only what a prescriber decides
(weight, start date, arm, the weights measured for later courses, the dosing-weight basis chosen),
each named as "from the order: confirm it"; the application reads them with the same reader as a
plan's inputs and plans them with the same steps (:mod:`ivig_dose.app.verify`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from ivig_dose.core.dosing_weight import BASIS_WORD
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, Quantity, message, said
from ivig_dose.core.model import IVIG, PLACEBO, PlanRequest
from ivig_dose.core.order_facts import OVERRIDE_BASIS, WEIGHT_AS_TYPED, WEIGHT_AS_TYPED_KG, Node, OrderFacts
from ivig_dose.core.protocol import Protocol
from ivig_dose.core.records import frozen
from ivig_dose.core.weight_shown import course_weight_label, weight_text

#: a fixed start for bedside checks, which compare no dates.
ANY_START = date(2000, 1, 3)
#: the names of the inputs a checker may give (``PlanInputs``' fields), as the report asks for them.
WEIGHT, START, ARM, COURSE_WEIGHTS, DOSING_WEIGHT = "weight", "start", "arm", "course_weights", "dosing_weight"
HEIGHT, PREGNANT, AGE = "height", "pregnant", "age"


@frozen
class Input:
    """One value the expected plan was computed from, and where it came from."""

    name: str
    #: a text, or a date (shown with its weekday, in JSON as ISO)
    value: str | date
    source: str
    #: which input it is (``arm``), for the words its value is read in (``ivig`` is IVIg); not in JSON.
    key: str = ""


@frozen
class Stated:
    """The prescriber's choices an order states, in the order's own terms."""

    weight_kg: Decimal | None
    #: the weight as the order shows it to people (``183.9 lb``), when it stands for ``weight_kg``.
    weight_as_typed: str | None
    start: date | None
    #: the arm the order states, else the one its product implies; None when it says neither.
    arm: str | None
    #: R9: later courses written with a weight other than the baseline's: (course, kg, as typed or None).
    course_weights: tuple[tuple[str, Decimal, str | None], ...]
    #: later courses written with the baseline's weight: weighed again, or not weighed; only the
    #: order's input digest tells which.
    same_weights: tuple[tuple[str, Decimal, str | None], ...]
    #: the dosing-weight basis the prescriber chose over the protocol's, when the order says so.
    dosing_weight: str | None
    blinded: bool


def canonical(order: OrderFacts, protocol: Protocol) -> OrderFacts:
    """Course names as the protocol spells them ("week4" is "week 4"); unknown names stay and
    show up as courses the plan does not have."""
    names: dict[str | int, str | int] = {}
    for node, _ in order.nodes:
        if len(node) == 1:
            try:
                names[node[0]] = protocol.course_named(str(node[0])).name
            except InputError:
                names[node[0]] = node[0]
    if all(head == name for head, name in names.items()):
        return order

    def rename(node: Node) -> Node:
        return (names[node[0]], *node[1:]) if node else node

    return replace(order, facts=tuple(replace(f, node=rename(f.node)) for f in order.facts),
                   nodes=tuple((rename(n), row) for n, row in order.nodes),
                   document=order.document.renamed(names) if order.document is not None else None)


def stated_inputs(order: OrderFacts, protocol: Protocol) -> Stated:
    first = protocol.courses[0].name
    weight = _weight_in(order, first)
    typed = None if weight is None else _typed_in(order, weight, ()) or _typed_in(order, weight, (first,))
    later = _course_weights_in(order, protocol)
    # a course not weighed again shows the baseline's weight as the baseline shows it: another
    # weight, or the same one typed otherwise (40000 g for 40 kg), was weighed for that course (R9)
    weighed = tuple(c for c in later if c[1] != weight or (
        order.first(WEIGHT_AS_TYPED_KG, (c[0],)) is not None and c[2] != typed))
    return Stated(weight_kg=weight, weight_as_typed=typed, start=_start_in(order, first), arm=_arm_in(order, protocol),
                  course_weights=weighed, same_weights=tuple(c for c in later if c not in weighed),
                  dosing_weight=_basis_in(order), blinded=order.blinded)


def missing(stated: Stated, given: frozenset[str], complete: bool) -> None:
    """Refuses a check that lacks an input neither the order nor the checker gives."""
    if WEIGHT not in given and stated.weight_kg is None:
        raise InputError(message(N_("the order states no weight; give the patient's weight with --weight")))
    if complete and START not in given and stated.start is None:
        raise InputError(message(N_("the order states no start date; give it with --start")))
    basis = stated.dosing_weight
    if DOSING_WEIGHT not in given and basis in ("ideal", "adjusted") and not given & {HEIGHT, PREGNANT, AGE}:
        # the order names the basis, not the facts that decided each course's weight (a pregnancy,
        # an age, a height): only the checker can give them, and must be told which (R1)
        raise InputError(message(N_("the order was made with --dosing-weight {basis}, which needs facts an order "
                                    "does not hold; accepted: verify with --height and --sex (or --pregnant, or "
                                    "--age, if that is why a course used the actual weight)"), basis=basis))


def maybe_weighed_again(stated: Stated, given: frozenset[str]) -> tuple[tuple[str, Decimal, str | None], ...]:
    """The later courses that may have been weighed again at the baseline weight, to ask the order's
    digest about (:func:`~ivig_dose.core.verification_variants.weighed_again`)."""
    return stated.same_weights if order_weights_hold(given) else ()


def in_order_words(request: PlanRequest, stated: Stated, protocol: Protocol) -> PlanRequest:
    """The request with each weight written as the order writes it when it is the order's weight:
    ``--weight "183.9 lb"`` checks an order written in kg, and a weight typed another way is one
    weight, not a discrepancy in every text that shows it."""
    weight_typed = stated.weight_as_typed if request.weight_kg == stated.weight_kg else request.weight_as_typed
    order_courses = {name: (kg, text) for name, kg, text in stated.course_weights + stated.same_weights}
    typed = dict(request.course_weights_as_typed)
    for name, kg in request.course_weights:
        known = order_courses.get(protocol.course_named(name).name)
        if known is not None and known[0] == kg:
            typed.pop(name, None)
            if known[1] is not None:
                typed[name] = known[1]
    return replace(request, weight_as_typed=weight_typed, course_weights_as_typed=tuple(typed.items()))


def order_weights_hold(given: frozenset[str]) -> bool:
    """R9: the order's later-course weights are the prescriber's only when the checker gave no
    weight at all; ``--weight`` holds every course to it, but for those ``--course-weight`` names."""
    return WEIGHT not in given and COURSE_WEIGHTS not in given


#: where an input of the expected plan came from, when the checker typed it.
GIVEN = message(N_("given"))
FROM_ORDER = message(N_("from the order: confirm it"))


def report(request: PlanRequest, stated: Stated, given: frozenset[str], order: OrderFacts,
           protocol: Protocol, complete: bool) -> tuple[tuple[Input, ...], tuple[str, ...]]:
    """Each input of the expected plan with where it came from, and the notes a checker needs."""
    def source(name: str, stated_value: object = True) -> str:
        if name in given:
            return GIVEN
        return FROM_ORDER if stated_value is not None else message(N_("default"))

    inputs = [Input(message(N_("weight")), weight_text(request.weight_kg, request.weight_as_typed), source(WEIGHT))]
    notes: list[str] = []
    if complete or START in given:
        inputs.append(Input(message(N_("start")), request.start, source(START)))
    if stated.blinded and ARM not in given:
        notes.append(message(N_("blinded order: doses and arm are not compared; volumes, days, dates and settings are "
                                "(they are the same in both arms)")))
    else:
        inputs.append(Input(message(N_("arm")), request.arm, source(ARM, stated.arm), ARM))
    shown = dict(request.course_weights_as_typed)
    named = set()
    for name, kg in request.course_weights:
        course = protocol.course_named(name).name  # as the protocol spells it: week4 is week 4
        named.add(course)
        inputs.append(Input(course_weight_label(course), weight_text(kg, shown.get(name)), source(COURSE_WEIGHTS)))
    if WEIGHT in given:
        for spec in protocol.courses[1:]:
            if spec.name not in named:
                shown_weight = weight_text(request.weight_kg, request.weight_as_typed)
                inputs.append(Input(course_weight_label(spec.name), shown_weight, message(N_("given: --weight"))))
    if request.dosing_weight is not None:
        inputs.append(Input(message(N_("dosing weight")), request.dosing_weight, source(DOSING_WEIGHT),
                            DOSING_WEIGHT))
    stated_basis = order.first("dosing_weight_basis")
    if request.height_cm is None and stated_basis is not None and stated_basis.value != "actual":
        notes.append(message(N_("the order doses on the {basis} weight: give --height and --sex (and --pregnant if so) "
                                "to check it"), basis=BASIS_WORD.get(str(stated_basis.value), str(stated_basis.value))))
    if request.height_cm is not None:
        inputs.append(Input(message(N_("height")), said(Quantity(request.height_cm, "cm", places=2)), GIVEN))
    if request.age_years is not None:
        inputs.append(Input(message(N_("age")), message(N_("{age} years"), age=Quantity(request.age_years, places=2)),
                            GIVEN))
    return tuple(inputs), tuple(notes)


def _basis_in(order: OrderFacts) -> str | None:
    """The dosing-weight basis the prescriber chose, when the order says it overrode the protocol's:
    as the order names it, else (an order made before it was named) the first course's basis."""
    override = order.first("dosing_weight_override")
    basis = order.first(OVERRIDE_BASIS) or order.first("dosing_weight_basis")
    if override is None or override.value != "yes" or basis is None:
        return None
    return str(basis.value)


def _weight_in(order: OrderFacts, first: str) -> Decimal | None:
    """The plan's weight, else the first course's (a CSV order states it on every row)."""
    fact = order.values().get(((), "weight_kg")) or order.first("weight_kg", (first,))
    return fact.value if fact is not None and isinstance(fact.value, Decimal) else None


def _typed_in(order: OrderFacts, kg: Decimal, node: Node) -> str | None:
    """The weight as the order shows it to people (typed in another unit than kg) at ``node``
    itself for the plan, at or below it for a course; only when it stands for ``kg`` (when it
    does not, that is a discrepancy of its own)."""
    values = order.values()
    text = values.get((node, WEIGHT_AS_TYPED)) if not node else order.first(WEIGHT_AS_TYPED, node)
    stands_for = values.get((text.node, WEIGHT_AS_TYPED_KG)) if text is not None else None
    return str(text.value) if text is not None and stands_for is not None and stands_for.value == kg else None


def _start_in(order: OrderFacts, first: str) -> date | None:
    for attr, under in (("start", (first,)), ("date", (first, 1))):
        fact = order.first(attr, under)
        if fact is not None and isinstance(fact.value, date):
            return fact.value
    return None


def _arm_in(order: OrderFacts, protocol: Protocol) -> str | None:
    """The arm the order states, or the one its product implies; None when it says neither."""
    arm = order.first("arm")
    if arm is not None:
        return str(arm.value).strip().lower()
    product = order.first("product")
    if product is None or order.blinded:
        return None
    placebo = protocol.placebo
    named = str(product.value).casefold()
    return PLACEBO if placebo is not None and named.startswith(placebo.name.casefold()) else IVIG


def _course_weights_in(order: OrderFacts, protocol: Protocol) -> tuple[tuple[str, Decimal, str | None], ...]:
    """R9: the weight each later course is written with (a course written with a weight other than
    the baseline one was dosed on it)."""
    found = []
    for spec in protocol.courses[1:]:
        fact = order.first("weight_kg", (spec.name,))
        if fact is not None and isinstance(fact.value, Decimal):
            found.append((spec.name, fact.value, _typed_in(order, fact.value, (spec.name,))))
    return tuple(found)
