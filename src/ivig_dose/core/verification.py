"""The independent double check: recompute the plan from the weight and the protocol, then
compare it with an order, fact by fact.

Nothing here trusts the order's numbers. From the order it takes only what a prescriber
decides (weight, start date, arm, the weights measured for later courses, and a day count
the protocol allows), each reported back as an input to confirm; every dose, volume, date,
day count and hospital portion is then recomputed through the same planner ``plan`` uses
and compared. No I/O: readers turn files into :class:`OrderFacts`, renderers print the
:class:`Verification`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, Message, Quantity, message, neutral, said
from ivig_dose.core.model import HOME, HOSPITAL, IVIG, PLACEBO, Plan, PlanRequest
from ivig_dose.core.order_facts import (
    OVERRIDE_BASIS,
    VIALS,
    WEIGHT_AS_TYPED,
    WEIGHT_AS_TYPED_KG,
    Fact,
    Node,
    OrderFacts,
    Value,
    derive,
    plan_facts,
)
from ivig_dose.core.protocol import Protocol
from ivig_dose.core.records import frozen
from ivig_dose.core.tolerance import Tolerance
from ivig_dose.core.weight_shown import weight_text

if TYPE_CHECKING:
    from ivig_dose.core.rounding import Rounding

T = TypeVar("T")
#: turns a request into a plan: the step ``plan`` itself uses.
Planner = Callable[[PlanRequest], Plan]

UNITS = {"dose_g": "g", "volume_ml": "mL", "weight_kg": "kg", WEIGHT_AS_TYPED_KG: "kg",
         "concentration_mg_per_ml": "mg/mL", "date": "date", "start": "date"}
#: the unit of an attribute, by the ending of its contract key.
ENDINGS = (("dose_g", "g"), ("volume_ml", "mL"), ("weight_kg", "kg"), ("rate_ml_per_h", "mL/h"),
           ("_minutes", "min"), ("pump_min", "min"))
#: the rule name of a pump program's facts, as the plan's "why" block names it.
PUMP = "pump"
#: a fixed start for bedside checks, which compare no dates.
ANY_START = date(2000, 1, 3)


@frozen
class Comparison:
    """One fact of the order set against the protocol's value for it."""

    field: str
    ordered: Value | None
    expected: Value | None
    unit: str
    rule: str
    matches: bool
    note: str = ""
    row: int | None = None

    @property
    def difference(self) -> Decimal | int | None:
        """ordered - expected: an amount in ``unit``, a count, or days between two dates."""
        ordered, expected = self.ordered, self.expected
        if isinstance(ordered, date) and isinstance(expected, date):
            return (ordered - expected).days
        if isinstance(ordered, Decimal | int) and isinstance(expected, Decimal | int):
            if isinstance(ordered, bool) or isinstance(expected, bool):
                return None
            return ordered - expected
        return None


@frozen
class Given:
    """What the checker typed; anything left None is taken from the order and reported so."""

    weight_kg: Decimal | None = None
    start: date | None = None
    arm: str | None = None
    days: int | None = None
    course_weights: tuple[tuple[str, Decimal], ...] = ()
    #: the dosing-weight inputs (R1); an order does not hold height or sex, so only the checker can.
    height_cm: Decimal | None = None
    sex: str | None = None
    pregnant: bool = False
    dosing_weight: str | None = None
    #: age (under 18 the actual weight is used, R1) and risks (which cap the pump), as given.
    age_years: Decimal | None = None
    risks: tuple[str, ...] = ()
    #: the roundings the order may have been made with, each named by its option: ("", None) is
    #: exact; ("--round vials", ...) accepts exactly what --round vials gives. Tried in order.
    roundings: tuple[tuple[str, Rounding | None], ...] = (("", None),)
    #: the weights as typed in another unit than kg (``183.9 lb``), shown with their kg.
    weight_as_typed: str | None = None
    course_weights_as_typed: tuple[tuple[str, str], ...] = ()


@frozen
class Input:
    """One value the expected plan was computed from, and where it came from."""

    name: str
    value: str
    source: str


@frozen
class Verification:
    """Every value of an order compared with the recomputed plan, and what the check was given."""

    comparisons: tuple[Comparison, ...]
    inputs: tuple[Input, ...]
    notes: tuple[str, ...]
    #: the plan options the expected plan was made with ("" for none), e.g. "--days 4".
    options: str = ""

    @property
    def matches(self) -> bool:
        return all(c.matches for c in self.comparisons)

    @property
    def discrepancies(self) -> tuple[Comparison, ...]:
        return tuple(c for c in self.comparisons if not c.matches)


def verify_order(
    order: OrderFacts,
    given: Given,
    protocol: Protocol,
    planner: Planner,
    tolerance: Tolerance,
    complete: bool = True,
) -> Verification:
    """Checks a whole order (``complete``) or a part of one, such as a single bag at the bedside.

    Unless ``--days`` was given the expected plan is tried with the default day count and with
    the order's own one when the protocol allows it, and with each rounding the order may have
    been made with; the first that matches (else the closest) is kept, so a legitimate choice
    of days is not reported as dozens of wrong doses, and is named in a note.
    """
    ordered = canonical(order, protocol)
    if complete:
        ordered = derive(ordered)
    request, inputs, notes = expected_request(ordered, given, protocol, complete)
    best: Verification | None = None
    refusal: InputError | None = None
    for options, variant in _variants(request, ordered, given, protocol):
        try:
            expected = planner(variant)
        except InputError as exc:
            refusal = refusal or exc
            continue
        comparisons = compare(expected, ordered, protocol, tolerance, complete)
        found = Verification(tuple(comparisons), inputs, notes, options)
        if best is None or len(found.discrepancies) < len(best.discrepancies):
            best = found
        if best.matches:
            break
    if best is None:
        assert refusal is not None
        raise refusal
    extra = [message(N_("expected plan made with {options}"), options=best.options)] if best.options else []
    return replace(best, notes=(*best.notes, *extra))


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
        return (names.get(node[0], node[0]), *node[1:]) if node else node

    facts = tuple(replace(f, node=rename(f.node)) for f in order.facts)
    nodes = tuple((rename(n), row) for n, row in order.nodes)
    return OrderFacts(facts, nodes, order.patient_id, order.row)


def expected_request(
    order: OrderFacts, given: Given, protocol: Protocol, complete: bool
) -> tuple[PlanRequest, tuple[Input, ...], tuple[str, ...]]:
    """The prescriber's choices: typed by the checker, else read from the order (and said so)."""
    first = protocol.courses[0].name
    inputs: list[Input] = []
    notes: list[str] = []

    def source(typed: object, stated: bool = True) -> str:
        if typed is not None:
            return GIVEN
        return message(N_("from the order: confirm it")) if stated else message(N_("default"))

    weight = given.weight_kg if given.weight_kg is not None else _weight_in(order, first)
    if weight is None:
        raise InputError(message(N_("the order states no weight; give the patient's weight with --weight")))
    typed = given.weight_as_typed if given.weight_kg is not None else (
        _typed_in(order, weight, ()) or _typed_in(order, weight, (first,)))
    inputs.append(Input(message(N_("weight")), weight_text(weight, typed), source(given.weight_kg)))
    start = given.start or _start_in(order, first)
    if start is None:
        if complete:
            raise InputError(message(N_("the order states no start date; give it with --start")))
        start = ANY_START
    else:
        inputs.append(Input(message(N_("start")), start.isoformat(), source(given.start)))
    stated_arm = _arm_in(order, protocol)
    arm = given.arm or stated_arm or IVIG
    if order.blinded and given.arm is None:
        notes.append(message(N_("blinded order: doses and arm are not compared; volumes, days, dates and settings are "
                                "(they are the same in both arms)")))
    else:
        inputs.append(Input(message(N_("arm")), arm, source(given.arm, stated_arm is not None)))
    # --weight holds every course to it, but for those --course-weight names: an order's later
    # weights are the prescriber's only when the checker gave no weight at all (R9).
    checker_weights = given.weight_kg is not None or bool(given.course_weights)
    course_weights = _named(given.course_weights, protocol) if checker_weights else _course_weights_in(
        order, protocol, weight)
    typed_weights = _named(given.course_weights_as_typed, protocol) if checker_weights else tuple(
        (name, text) for name, kg in course_weights if (text := _typed_in(order, kg, (name,))) is not None)
    shown = dict(typed_weights)
    named = {name for name, _ in course_weights}
    for name, kg in course_weights:
        inputs.append(Input(_course_weight(name), weight_text(kg, shown.get(name)),
                            source(given.course_weights or None)))
    if given.weight_kg is not None:
        for spec in protocol.courses[1:]:
            if spec.name not in named:
                inputs.append(Input(_course_weight(spec.name), weight_text(weight, typed),
                                    message(N_("given: --weight"))))
    basis = given.dosing_weight or _basis_in(order)
    if basis is not None:
        inputs.append(Input(message(N_("dosing weight")), basis, source(given.dosing_weight)))
    if given.dosing_weight is None and basis in ("ideal", "adjusted") and not _why_actual_given(given):
        # the order names the basis, not the facts that decided each course's weight (a pregnancy,
        # an age, a height): only the checker can give them, and must be told which (R1)
        raise InputError(message(N_("the order was made with --dosing-weight {basis}, which needs facts an order "
                                    "does not hold; accepted: verify with --height and --sex (or --pregnant, or "
                                    "--age, if that is why a course used the actual weight)"), basis=basis))
    stated_basis = order.first("dosing_weight_basis")
    if given.height_cm is None and stated_basis is not None and stated_basis.value != "actual":
        notes.append(message(N_("the order doses on the {basis} weight: give --height and --sex (and --pregnant if so) "
                                "to check it"), basis=str(stated_basis.value)))
    if given.height_cm is not None:
        inputs.append(Input(message(N_("height")), said(Quantity(given.height_cm, "cm", places=2)), GIVEN))
    if given.age_years is not None:
        inputs.append(Input(message(N_("age")), message(N_("{age} years"), age=Quantity(given.age_years, places=2)),
                            GIVEN))
    request = PlanRequest(weight_kg=weight, start=start, arm=arm, days=given.days,
                          course_weights=course_weights, height_cm=given.height_cm, sex=given.sex,
                          pregnant=given.pregnant, dosing_weight=basis, risks=given.risks,
                          age_years=given.age_years, weight_as_typed=typed, course_weights_as_typed=typed_weights)
    return request, tuple(inputs), tuple(notes)


#: where an input of the expected plan came from, when the checker typed it.
GIVEN = message(N_("given"))


def _course_weight(course: str) -> Message:
    return message(N_("{course} weight"), course=course)


def _named(pairs: tuple[tuple[str, T], ...], protocol: Protocol) -> tuple[tuple[str, T], ...]:
    """Course weights by the protocol's own course names (``week4`` is ``week 4``), so a course
    named by ``--course-weight`` is not also listed as held to ``--weight``."""
    return tuple((protocol.course_named(name).name, value) for name, value in pairs)


def _basis_in(order: OrderFacts) -> str | None:
    """The dosing-weight basis the prescriber chose, when the order says it overrode the protocol's:
    as the order names it, else (an order made before it was named) the first course's basis."""
    override = order.first("dosing_weight_override")
    basis = order.first(OVERRIDE_BASIS) or order.first("dosing_weight_basis")
    if override is None or override.value != "yes" or basis is None:
        return None
    return str(basis.value)


def _why_actual_given(given: Given) -> bool:
    """True when the checker gave a fact that decides an ideal or adjusted dosing weight (R1)."""
    return given.height_cm is not None or given.pregnant or given.age_years is not None


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


def _course_weights_in(order: OrderFacts, protocol: Protocol, baseline: Decimal) -> tuple[tuple[str, Decimal], ...]:
    """R9: a later course written with a weight other than the baseline one was dosed on it."""
    pairs = []
    for spec in protocol.courses[1:]:
        fact = order.first("weight_kg", (spec.name,))
        if fact is not None and isinstance(fact.value, Decimal) and fact.value != baseline:
            pairs.append((spec.name, fact.value))
    return tuple(pairs)


def _variants(
    request: PlanRequest, order: OrderFacts, given: Given, protocol: Protocol
) -> list[tuple[str, PlanRequest]]:
    """Each rounding with the default request, then with the order's own day count when every
    course has the same one and the protocol allows it (unless --days was given)."""
    days: list[tuple[str, int | None]] = [(f"--days {given.days}" if given.days else "", given.days)]
    if given.days is None:
        counts = {f.value for f in order.facts if f.attr == "days" and len(f.node) == 1}
        stated = order.first("days_per_course")
        if stated is not None:
            counts.add(stated.value)
        if len(counts) == 1:
            (count,) = counts
            if isinstance(count, int) and protocol.min_days <= count <= protocol.max_days:
                days.append((message(N_("--days {count} (as the order has it)"), count=count), count))
    return [
        (_options(day_label, round_label), replace(request, days=n, rounding=rounding))
        for day_label, n in days
        for round_label, rounding in given.roundings
    ]


def _options(days: str, rounding: str) -> str:
    """``--days 4 (as the order has it) --round none``: a message when a part is one, so the note
    that names them is said in the reader's language."""
    if days and rounding:
        return neutral("{days} {rounding}", days=days, rounding=rounding)
    return days or rounding


def compare(
    plan: Plan, order: OrderFacts, protocol: Protocol, tolerance: Tolerance, complete: bool
) -> list[Comparison]:
    """Every fact the order states, against the expected plan's value; then every course, day
    and bag one has and the other lacks (only those the order adds, for a partial order).

    Sorted by where each sits in the plan, the plan itself first, so that a sum derived from
    the order's lines shows beside the lines it sums.
    """
    expected = plan_facts(plan, blinded=order.blinded)
    want = expected.values()
    expected_nodes = expected.node_rows()
    ordered_nodes = order.node_rows()
    judge = _Judge(plan, protocol, tolerance)
    found: list[tuple[Node, Comparison]] = []
    for fact in order.facts:
        if (fact.node and fact.node not in expected_nodes) or fact.attr == WEIGHT_AS_TYPED:
            continue
        found.append((fact.node, judge.compare(fact, want.get((fact.node, fact.attr)))))
    if complete:
        for node in expected_nodes:
            if node not in ordered_nodes and (len(node) == 1 or node[:-1] in ordered_nodes):
                found.append((node, judge.missing(node, want)))
    for node, row in ordered_nodes.items():
        if node not in expected_nodes and (len(node) == 1 or node[:-1] in expected_nodes):
            found.append((node, judge.extra(node, order, row)))
    if not tolerance.exact and plan.arm != PLACEBO:
        found += [(node, judge.concentration(node, dose, volume)) for node, dose, volume in _dosed_volumes(order)]
    places = {node: index for index, node in enumerate([(), *expected_nodes, *ordered_nodes])}
    found.sort(key=lambda pair: places[pair[0]])
    return [comparison for _, comparison in found]


def _dosed_volumes(order: OrderFacts) -> list[tuple[Node, Decimal, Decimal]]:
    """Every part of the order that states both a dose and a volume (not summed from its lines)."""
    stated = {(f.node, f.attr): f.value for f in order.facts if not f.derived}
    pairs = []
    for node, _ in order.nodes:
        dose, volume = stated.get((node, "dose_g")), stated.get((node, "volume_ml"))
        if isinstance(dose, Decimal) and isinstance(volume, Decimal):
            pairs.append((node, dose, volume))
    return pairs


def _above(value: Value, cap: Decimal | None) -> bool:
    """True when an amount breaks a cap the protocol sets (no cap: never)."""
    return cap is not None and isinstance(value, Decimal) and value > cap


@frozen
class RuleIds:
    """The rule each kind of fact follows, as the protocol file names them (as ``dosing`` does)."""

    weight: str
    dosing_weight: str
    dose: str
    days: str
    setting: str
    volume: str
    placebo: str


def rule_ids(protocol: Protocol) -> RuleIds:
    params = protocol.params
    days = params["daily_cap"].rule if "daily_cap" in params else protocol.options["default_days"].rule
    portion = params.get("hospital_portion")
    return RuleIds(
        weight=params["min_weight"].rule,
        dosing_weight=protocol.options["dosing_weight_basis"].rule,
        dose=params.get("course_cap", params["dose_per_kg"]).rule,
        days=days,
        setting=portion.rule if portion is not None else protocol.options["rest_setting"].rule,
        volume=protocol.product.rule,
        placebo=protocol.placebo.rule if protocol.placebo is not None else "R8",
    )


#: a bag's setting in a field's name, said in the reader's language (the key stays in JSON as English).
SETTING_WORDS = {HOSPITAL: N_("hospital"), HOME: N_("home")}


@lru_cache(maxsize=4096)
def field_name(node: Node, attr: str = "") -> str:
    """``baseline day 1 hospital dose_g``: the node in words, then the contract key."""
    words: list[str] = [str(node[0])] if node else []
    if len(node) > 1:
        words.append(message(N_("day {day}"), day=str(node[1])))
    words += [message(SETTING_WORDS[part]) if part in SETTING_WORDS else str(part) for part in node[2:]]
    parts = [*words, attr] if attr else words
    return neutral(" ".join(f"{{p{index}}}" for index in range(len(parts))),
                   **{f"p{index}": part for index, part in enumerate(parts)})


@lru_cache(maxsize=256)
def unit_of(attr: str) -> str:
    for ending, unit in ENDINGS:
        if attr.endswith(ending):
            return unit
    return UNITS.get(attr, "")


class _Judge:
    """Decides whether one ordered value matches, and names the rule and cap that decide it."""

    def __init__(self, plan: Plan, protocol: Protocol, tolerance: Tolerance) -> None:
        self.plan = plan
        self.protocol = protocol
        self.tolerance = tolerance
        rules = rule_ids(protocol)
        volume_rule = rules.placebo if plan.arm == PLACEBO else rules.volume
        dose, days, setting, product = rules.dose, rules.days, rules.setting, rules.volume
        self.rules: dict[tuple[int, str], str] = {
            (0, "weight_kg"): rules.weight, (0, WEIGHT_AS_TYPED_KG): rules.weight,
            (1, WEIGHT_AS_TYPED_KG): "R9", (3, WEIGHT_AS_TYPED_KG): "R9",
            (0, "dosing_weight_kg"): rules.dosing_weight,
            (0, "dosing_weight_basis"): rules.dosing_weight, (0, "dosing_weight_override"): rules.dosing_weight,
            (0, OVERRIDE_BASIS): rules.dosing_weight,
            (0, "arm"): rules.placebo,
            (0, "product"): product, (0, "concentration_mg_per_ml"): product,
            (0, "course_dose_g"): dose, (0, "days_per_course"): days,
            (0, "total_dose_g"): dose, (0, "total_volume_ml"): volume_rule,
            (1, "week"): "R7", (1, "start"): "R7", (1, "weight_kg"): "R9", (1, "dose_g"): dose,
            (1, "dosing_weight_kg"): rules.dosing_weight, (1, "dosing_weight_basis"): rules.dosing_weight,
            (1, "volume_ml"): volume_rule, (1, "days"): days,
            (1, "hospital_dose_g"): setting, (1, "hospital_volume_ml"): setting,
            (2, "date"): "R7", (2, "dose_g"): "R4", (2, "volume_ml"): volume_rule,
            (3, "date"): "R7", (3, "week"): "R7", (3, "weight_kg"): "R9", (3, "dose_g"): setting,
            (3, "dosing_weight_kg"): rules.dosing_weight, (3, "volume_ml"): volume_rule, (3, "product"): product,
        }

    def rule(self, node: Node, attr: str) -> str:
        if attr.startswith("pump"):
            return PUMP
        if attr == VIALS:
            return VIALS
        if attr.startswith("protocol"):
            return "protocol"
        return self.rules.get((len(node), attr), "")

    def compare(self, fact: Fact, expected: Fact | None) -> Comparison:
        unit = unit_of(fact.attr)
        want = expected.value if expected is not None else None
        matches = want is not None and (self._same(unit, fact.value, want)
                                        or _same_derived(fact.attr, fact.value, want))
        rule, note = self.rule(fact.node, fact.attr), ""
        if not matches:
            rule, note = self._explain(fact, want, rule)
        if fact.derived:
            summed = message(N_("summed from the order's lines"))
            note = message(N_("{summed}; {note}"), summed=summed, note=note) if note else summed
        return Comparison(field_name(fact.node, fact.attr), fact.value, want, unit, rule, matches,
                          note, fact.row)

    def _same(self, unit: str, ordered: Value, expected: Value) -> bool:
        if isinstance(ordered, Decimal) and isinstance(expected, Decimal):
            return self.tolerance.allows(unit, ordered, expected)
        if isinstance(ordered, str) and isinstance(expected, str):
            return " ".join(ordered.split()).casefold() == " ".join(expected.split()).casefold()
        return type(ordered) is type(expected) and ordered == expected

    def _explain(self, fact: Fact, expected: Value | None, rule: str) -> tuple[str, str]:
        """The rule and a short reason for a mismatch: the cap it breaks or the sum behind it."""
        p = self.protocol
        level, attr, value = len(fact.node), fact.attr, fact.value
        daily_cap, course_cap, portion = p.daily_cap, p.course_cap, p.hospital_portion
        if attr == "dose_g" and level == 2 and _above(value, daily_cap):
            return rule_ids(p).days, message(N_("over the {cap}/day cap"), cap=Quantity(daily_cap or 0, "g"))
        if attr in ("dose_g", "course_dose_g") and level <= 1:
            if _above(value, course_cap):
                return rule, message(N_("over the {cap} course cap"), cap=Quantity(course_cap or 0, "g"))
            return rule, self._course_note(fact.node)
        if attr == "hospital_dose_g" and portion is not None:
            return rule, message(N_("the first {portion} of a course given in hospital, the rest at home"),
                                 portion=Quantity(portion, "g"))
        if attr == "days":
            if daily_cap is not None:
                return rule, message(N_("{low} to {high} days, each within {cap}/day"), low=p.min_days,
                                     high=p.max_days, cap=Quantity(daily_cap, "g"))
            return rule, message(N_("{low} to {high} days"), low=p.min_days, high=p.max_days)
        if attr == "dose_g" and level == 2:
            return rule, message(N_("days as equal as {step} steps allow, larger days first"),
                                 step=Quantity(p.dose_step, "g"))
        if attr.startswith("protocol"):
            return rule, message(N_("the order was made with {what} {value}, this check with {protocol} version "
                                    "{version}; check it with --protocol"), what=attr.replace("_", " "),
                                 value=str(value), protocol=self.protocol.id, version=self.protocol.version)
        if attr.startswith("pump"):
            product = self.plan.dispensed_with
            if product is not None:
                return rule, message(N_("the rate steps of catalogue entry {id!r} × the course's dosing weight, "
                                        "rounded down to 0.1 mL/h; an order made with --max-rate or --risk is "
                                        "checked with the same"), id=product.id)
            return rule, message(N_("the rate steps × the course's dosing weight, rounded down to 0.1 mL/h; an order "
                                    "made with --max-rate or --risk is checked with the same"))
        if attr == VIALS:
            return rule, message(N_("least waste, then fewest vials, of the catalogue's vial sizes"))
        if attr == WEIGHT_AS_TYPED_KG:
            return rule, message(N_("the weight the order shows as typed, in kg: it must be the weight it is dosed on"))
        if attr.endswith("volume_ml"):
            if self.plan.arm == PLACEBO:
                return rule, message(N_("the IVIg plan's volume for the same weight"))
            return rule, message(N_("dose × {ml_per_g} mL/g"), ml_per_g=p.product.ml_per_g)
        return rule, ""

    def _course_note(self, node: Node) -> str:
        """How the course dose comes from the weight, as the expected plan's own "why" says it."""
        course = next((c.name for c in self.plan.courses if (c.name,) == node), self.plan.courses[0].name)
        dose_rule = rule_ids(self.protocol).dose
        reason = next((r for r in self.plan.reasons_for(course) if r.rule == dose_rule), None)
        return reason.text if reason is not None else ""

    def concentration(self, node: Node, dose: Decimal, volume: Decimal) -> Comparison:
        """The order's own volume against its own dose × the concentration, exactly, whatever the
        tolerance: within 1% both a dose and a volume may pass, and yet not be one bag (72.4 g in
        720 mL is not 100 mg/mL)."""
        ml_per_g = self.protocol.product.ml_per_g
        expected = dose * ml_per_g
        return Comparison(message(N_("{field} = dose × {ml_per_g} mL/g"), field=field_name(node, "volume_ml"),
                                  ml_per_g=ml_per_g), volume, expected,
                          "mL", rule_ids(self.protocol).volume, volume == expected,
                          message(N_("the order's own dose × {ml_per_g} mL/g, exactly: no tolerance applies"),
                                  ml_per_g=ml_per_g))

    def missing(self, node: Node, want: dict[tuple[Node, str], Fact]) -> Comparison:
        """A course, day or bag of the plan that the order lacks, shown by its volume."""
        fact = want.get((node, "volume_ml"))
        return Comparison(field_name(node, "volume_ml"), None, fact.value if fact else None, "mL",
                          self._presence_rule(node), False, message(N_("missing from the order")))

    def extra(self, node: Node, order: OrderFacts, row: int | None) -> Comparison:
        """A course, day or bag in the order that the plan does not have, shown by its volume."""
        fact = order.values().get((node, "volume_ml")) or order.first("volume_ml", node) or order.first("dose_g", node)
        attr = fact.attr if fact else "volume_ml"
        return Comparison(field_name(node, attr), fact.value if fact else None, None, unit_of(attr),
                          self._presence_rule(node), False, message(N_("not in the protocol's plan")), row)

    def _presence_rule(self, node: Node) -> str:
        """Courses come from R7, days from the day count (R3), bags from the settings (R6)."""
        return {1: "R7", 2: self.rule((), "days_per_course")}.get(len(node), self.rule(node, "dose_g"))


#: values the core derives by an inexact division (an ideal weight from a height in inches), which
#: an order can only carry as the JSON number the plan wrote for them.
INEXACT = frozenset({"dosing_weight_kg"})


def _same_derived(attr: str, ordered: Value, expected: Value) -> bool:
    """An inexact value matches when it is the double the plan's JSON holds for the expected one:
    56.909448818897637795... kg is written 56.90944881889764, a difference of 1e-14 kg."""
    return (attr in INEXACT and isinstance(ordered, Decimal) and isinstance(expected, Decimal)
            and float(ordered) == float(expected))
