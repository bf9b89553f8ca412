"""An order as the list of facts it states, and a plan as the facts it would state.

A JSON order states day and course totals; a CSV order states only its bags (segments), one
row each. Rather than force both into one shape with holes, every reader (and the expected
plan) lists what it says as :class:`Fact` records keyed by where they sit: the plan, a course,
a day, or a segment. Verification then compares exactly the facts an order states, and the
sums it does not state are derived from its own lines by one function, :func:`derive`, the
same for the order and for the expected plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from ivig_dose.core.blinding import BLINDED_PRODUCT, product_label
from ivig_dose.core.messages import N_, Joined, Message, Quantity, message, said
from ivig_dose.core.model import HOSPITAL, Plan

# where a fact sits: () the plan, (course,), (course, day number), (course, day number, setting)
from ivig_dose.core.order_document import Node as Node
from ivig_dose.core.order_document import OrderDocument
from ivig_dose.core.records import frozen

Value = Decimal | int | str | date

#: attributes whose values are summed from a node's children when the order does not state them.
SUMMED = ("dose_g", "volume_ml")
#: a bag's dispensing facts: the vials (count and sizes, as one text), the pump's step count, each
#: step's rate and minutes (``pump_step_2_rate_ml_per_h``), and the total run time.
VIALS, PUMP_STEPS, PUMP_MIN = "vials", "pump_steps", "pump_min"
#: the vials of a bag that opens none (the placebo arm).
NO_VIALS = N_("none")
#: a weight as the order shows it to people (``183.9 lb``), for display only and never compared;
#: and the kg that text stands for, compared with the weight the plan was dosed on, so a sheet
#: cannot show one weight and dose another.
WEIGHT_AS_TYPED, WEIGHT_AS_TYPED_KG = "weight_as_typed", "weight_as_typed_kg"
#: the dosing-weight basis the prescriber chose (--dosing-weight); an order states it only then.
OVERRIDE_BASIS = "dosing_weight_override_basis"


def vials_text(vials: Iterable[tuple[Decimal, int]]) -> str:
    """``2 × 20 g + 1 × 10 g``: counts of one size added up, largest size first, so two orders
    of the same vials read alike whatever order they list them in; ``none`` for no vial."""
    counts: dict[Decimal, int] = {}
    for size, count in vials:
        counts[size] = counts.get(size, 0) + count
    picked = sorted(((size, count) for size, count in counts.items() if count), reverse=True)
    if not picked:
        return message(NO_VIALS)
    return said(Joined(tuple(vial_count(count, size) for size, count in picked), " + "))


def vial_count(count: int, size: Decimal) -> Message:
    """``3 × 20 g``: vials of one size."""
    return message(N_("{count} × {size}"), count=count, size=Quantity(size, "g"))


def step_attr(number: int, what: str) -> str:
    """``pump_step_2_rate_ml_per_h``: step ``number`` (from 1) of a bag's pump program."""
    return f"pump_step_{number}_{what}"


def add_pump(sheet: FactSheet, bag: Node, steps: Iterable[tuple[Decimal, Decimal]], total_min: Decimal | None,
             row: int | None = None) -> None:
    """A bag's pump program as facts: how many steps, each step's rate and minutes, the total
    (None: the order does not state it)."""
    listed = list(steps)
    sheet.add(bag, PUMP_STEPS, len(listed), row)
    for number, (rate, minutes) in enumerate(listed, 1):
        sheet.add(bag, step_attr(number, "rate_ml_per_h"), rate, row)
        sheet.add(bag, step_attr(number, "minutes"), minutes, row)
    sheet.add(bag, PUMP_MIN, total_min, row)


@frozen
class Fact:
    """One value an order states about one of its parts, and where the order states it."""

    node: Node
    attr: str
    value: Value
    #: where the order states it (a CSV row or a JSONL line); None for a whole JSON document.
    row: int | None = None
    #: True when summed or counted from the order's own lines rather than written in it.
    derived: bool = False


@frozen
class OrderFacts:
    """Everything one order states: its facts, and every course, day and segment it has, in order."""

    facts: tuple[Fact, ...]
    #: each course, day and segment node with the row where it first appears.
    nodes: tuple[tuple[Node, int | None], ...]
    patient_id: str | None = None
    row: int | None = None
    #: the file's every value, for what the facts do not hold; None for a bedside check.
    document: OrderDocument | None = None

    def values(self) -> dict[tuple[Node, str], Fact]:
        return {(f.node, f.attr): f for f in self.facts}

    def node_rows(self) -> dict[Node, int | None]:
        return dict(self.nodes)

    def first(self, attr: str, under: Node = ()) -> Fact | None:
        """The first fact named ``attr`` at or below ``under``: the order's own wording of it."""
        depth = len(under)
        return next((f for f in self.facts if f.attr == attr and f.node[:depth] == under), None)

    @property
    def blinded(self) -> bool:
        """True when the order hides the arm: its product is the blinded study medication."""
        wanted = BLINDED_PRODUCT.casefold()
        return any(f.attr == "product" and str(f.value).casefold() == wanted for f in self.facts)


@dataclass
class FactSheet:
    """Collects facts and nodes as a reader walks an order; refuses a node given twice."""

    facts: list[Fact] = field(default_factory=list)
    nodes: dict[Node, int | None] = field(default_factory=dict)
    #: the paths of the file's values read into facts (:class:`~ivig_dose.core.order_document.Leaf`).
    read: set[str] = field(default_factory=set)

    def add(self, node: Node, attr: str, value: Value | None, row: int | None = None) -> None:
        """Adds a fact; a value the order leaves empty (None) is simply not stated."""
        if value is not None:
            self.facts.append(Fact(node, attr, value, row))

    def open(self, node: Node, row: int | None = None) -> bool:
        """Records a course, day or segment; False when the order already has it."""
        if node in self.nodes:
            return False
        self.nodes[node] = row
        return True

    def build(self, patient_id: str | None = None, row: int | None = None,
              document: OrderDocument | None = None) -> OrderFacts:
        return OrderFacts(tuple(self.facts), tuple(self.nodes.items()), patient_id, row, document)


def plan_facts(plan: Plan, blinded: bool = False) -> OrderFacts:
    """What an order of this plan would state, in every shape an order file can take.

    Segments carry the per-row facts of the CSV (date, week, weight, product), days and
    courses the totals of the JSON; a comparison looks up only the facts an order states.
    Blinded: no arm, no concentration and no dose, as blinded output shows them.
    """
    sheet = FactSheet()
    sheet.add((), "protocol", plan.protocol_id)
    sheet.add((), "protocol_version", plan.protocol_version)

    def dose(value: Decimal) -> Decimal | None:
        return None if blinded else value

    concentration = plan.product.concentration_mg_per_ml
    label = product_label(plan, blinded)
    sheet.add((), "weight_kg", plan.weight_kg)
    sheet.add((), WEIGHT_AS_TYPED_KG, plan.weight_kg)
    sheet.add((), "dosing_weight_kg", plan.dosing_weight_kg)
    sheet.add((), "dosing_weight_basis", plan.dosing_weight_basis)
    sheet.add((), "dosing_weight_override", yes_no(plan.dosing_weight_override))
    sheet.add((), OVERRIDE_BASIS, plan.dosing_weight_override_basis)
    sheet.add((), "arm", None if blinded else plan.arm)
    sheet.add((), "product", BLINDED_PRODUCT if blinded else plan.product.name)
    sheet.add((), "concentration_mg_per_ml", None if blinded else concentration)
    sheet.add((), "course_dose_g", dose(plan.course_dose_g))
    sheet.add((), "days_per_course", plan.days_per_course)
    sheet.add((), "total_dose_g", dose(plan.total_dose_g))
    sheet.add((), "total_volume_ml", plan.total_volume_ml)
    for course in plan.courses:
        at: Node = (course.name,)
        sheet.open(at)
        sheet.add(at, "week", course.week)
        sheet.add(at, "start", course.start)
        sheet.add(at, "weight_kg", course.weight_kg)
        sheet.add(at, WEIGHT_AS_TYPED_KG, course.weight_kg)
        sheet.add(at, "dosing_weight_kg", course.dosed_on_kg)
        sheet.add(at, "dosing_weight_basis", course.dosing_weight_basis)
        sheet.add(at, "dose_g", dose(course.dose_g))
        sheet.add(at, "volume_ml", course.volume_ml)
        for day in course.days:
            on: Node = (course.name, day.day)
            sheet.open(on)
            sheet.add(on, "date", day.date)
            sheet.add(on, "dose_g", dose(day.dose_g))
            sheet.add(on, "volume_ml", day.volume_ml)
            for segment in day.segments:
                bag: Node = (*on, segment.setting)
                sheet.open(bag)
                sheet.add(bag, "date", day.date)
                sheet.add(bag, "week", course.week)
                sheet.add(bag, "weight_kg", course.weight_kg)
                sheet.add(bag, WEIGHT_AS_TYPED_KG, course.weight_kg)
                sheet.add(bag, "dosing_weight_kg", course.dosed_on_kg)
                sheet.add(bag, "dose_g", dose(segment.dose_g))
                sheet.add(bag, "volume_ml", segment.volume_ml)
                sheet.add(bag, "product", label)
                if segment.dispense is not None:
                    if not blinded:  # a vial size is an amount in grams
                        sheet.add(bag, VIALS, vials_text((v.grams, v.count) for v in segment.dispense.vials))
                    pump = segment.dispense.pump
                    add_pump(sheet, bag, ((s.rate_ml_per_h, s.minutes) for s in pump.steps),
                             Decimal(pump.duration_min))
    return derive(sheet.build())


def yes_no(flag: bool) -> str:
    """A flag as a fact: facts are numbers, dates or words, and True is not a number to compare."""
    return "yes" if flag else "no"


def derive(order: OrderFacts) -> OrderFacts:
    """Adds what an order implies but does not write: day and course sums, day counts and the
    hospital portion of each course, each summed from the order's own lines.

    A value the order states is never replaced; a sum is left out when a part lacks the value
    (a blinded order has no doses to add up).
    """
    stated = order.values()
    rows = order.node_rows()
    added: list[Fact] = []

    def value_of(node: Node, attr: str) -> Decimal | None:
        fact = stated.get((node, attr))
        return fact.value if fact is not None and isinstance(fact.value, Decimal) else None

    def put(node: Node, attr: str, value: Value | None) -> None:
        if value is not None and (node, attr) not in stated:
            fact = Fact(node, attr, value, rows.get(node), derived=True)
            stated[(node, attr)] = fact
            added.append(fact)

    children = _children(rows)
    courses = children.get((), [])
    for course in courses:
        days = children.get(course, [])
        for day in days:
            for attr in SUMMED:
                put(day, attr, _sum(value_of(s, attr) for s in children.get(day, [])))
        for attr in SUMMED:
            put(course, attr, _sum(value_of(d, attr) for d in days))
        put(course, "days", len(days))
        hospital = [s for d in days for s in children.get(d, []) if s[-1] == HOSPITAL]
        for attr in SUMMED:
            put(course, f"hospital_{attr}", _sum(value_of(s, attr) for s in hospital))
    if courses:
        put((), "total_dose_g", _sum(value_of(c, "dose_g") for c in courses))
        put((), "total_volume_ml", _sum(value_of(c, "volume_ml") for c in courses))
    return replace(order, facts=order.facts + tuple(added))


def _children(rows: dict[Node, int | None]) -> dict[Node, list[Node]]:
    tree: dict[Node, list[Node]] = {}
    for node in rows:
        tree.setdefault(node[:-1], []).append(node)
    return tree


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum, or None when any part is unknown; the sum of no parts is 0."""
    total = Decimal(0)
    for value in values:
        if value is None:
            return None
        total += value
    return total
