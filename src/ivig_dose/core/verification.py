"""The judge of the independent double check: every value an order states against the value the
recomputed plan gives it, each named with the rule that decides it.

The expected plan is made by the application from the order's inputs (or the checker's) with the
same steps ``plan`` takes (:mod:`ivig_dose.app.verify`); which inputs and which variants are
:mod:`ivig_dose.core.verification_request` and :mod:`ivig_dose.core.verification_variants`. Here
the facts are compared rule by rule (within a tolerance, for doses and volumes) and every other
value of the order file leaf by leaf (:mod:`ivig_dose.core.verification_document`). No I/O:
readers turn files into :class:`OrderFacts`, renderers print the :class:`Verification`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ivig_dose.core.comparison import PUMP, Comparison, absent_from, field_label, field_name, unit_of
from ivig_dose.core.field_words import key_words
from ivig_dose.core.messages import N_, Quantity, message
from ivig_dose.core.model import PLACEBO, Plan
from ivig_dose.core.order_document import NotChecked, OrderDocument
from ivig_dose.core.order_facts import (
    OVERRIDE_BASIS,
    VIALS,
    WEIGHT_AS_TYPED,
    WEIGHT_AS_TYPED_KG,
    Fact,
    Node,
    OrderFacts,
    Value,
    plan_facts,
)
from ivig_dose.core.protocol import Protocol
from ivig_dose.core.records import frozen
from ivig_dose.core.rule_ids import rule_ids
from ivig_dose.core.tolerance import Tolerance
from ivig_dose.core.verification_document import compare_document
from ivig_dose.core.verification_request import Input

__all__ = ["Comparison", "Input", "Verification", "compare", "field_name", "unit_of"]
EXACT = Tolerance()
#: a volume set against the order's own dose.
CONCENTRATION = N_("{field} = dose × {ml_per_g} mL/g")


@frozen
class Verification:
    """Every value of an order compared with the recomputed plan, and what the check was given."""

    comparisons: tuple[Comparison, ...]
    inputs: tuple[Input, ...]
    notes: tuple[str, ...]
    #: the plan options the expected plan was made with ("" for none), e.g. "--days 4".
    options: str = ""
    #: values the order holds that no plan decides (its patient), named for the checker to confirm.
    not_checked: tuple[NotChecked, ...] = ()
    tolerance: Tolerance = EXACT

    @property
    def matches(self) -> bool:
        return all(c.matches for c in self.comparisons)

    @property
    def discrepancies(self) -> tuple[Comparison, ...]:
        return tuple(c for c in self.comparisons if not c.matches)

    @property
    def largest_difference(self) -> Comparison | None:
        """The matching amount furthest from the plan's, relative to it: what a tolerance let through
        (None when every amount matches exactly)."""
        allowed = [c for c in self.comparisons if c.matches and c.relative]
        return max(allowed, key=lambda c: c.relative or 0, default=None)


def compare(
    plan: Plan, order: OrderFacts, protocol: Protocol, tolerance: Tolerance, complete: bool,
    expected_document: OrderDocument | None = None,
) -> list[Comparison]:
    """Every fact the order states, against the expected plan's value; then every course, day
    and bag one has and the other lacks (only those the order adds, for a partial order); then
    every other value of the order file against ``expected_document``, the same file written
    for the expected plan.

    Sorted by where each sits in the plan, the plan itself first, so that a sum derived from
    the order's lines shows beside the lines it sums.
    """
    expected = plan_facts(plan, blinded=order.blinded)
    want = expected.values()
    expected_nodes = expected.node_rows()
    ordered_nodes = order.node_rows()
    # each of the plan's nodes keyed by itself: its course as the protocol names it, for the labels
    plan_nodes = {node: node for node in expected_nodes}
    judge = _Judge(plan, protocol, tolerance, plan_nodes)
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
    if order.document is not None and expected_document is not None:
        found += compare_document(order.document, expected_document, plan_nodes)
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


class _Judge:
    """Decides whether one ordered value matches, and names the rule and cap that decide it."""

    def __init__(self, plan: Plan, protocol: Protocol, tolerance: Tolerance, nodes: Mapping[Node, Node]) -> None:
        self.plan = plan
        self.nodes = nodes
        self.protocol = protocol
        self.tolerance = tolerance
        rules = rule_ids(protocol)
        volume_rule = rules.placebo if plan.arm == PLACEBO else rules.volume
        dose, days, setting, product = rules.dose, rules.days, rules.setting, rules.volume
        dated, weighed, split = rules.schedule, rules.course_weight, rules.split
        self.rules: dict[tuple[int, str], str] = {
            (0, "weight_kg"): rules.weight, (0, WEIGHT_AS_TYPED_KG): rules.weight,
            (1, WEIGHT_AS_TYPED_KG): weighed, (3, WEIGHT_AS_TYPED_KG): weighed,
            (0, "dosing_weight_kg"): rules.dosing_weight,
            (0, "dosing_weight_basis"): rules.dosing_weight, (0, "dosing_weight_override"): rules.dosing_weight,
            (0, OVERRIDE_BASIS): rules.dosing_weight,
            (0, "arm"): rules.placebo,
            (0, "product"): product, (0, "concentration_mg_per_ml"): product,
            (0, "course_dose_g"): dose, (0, "days_per_course"): days,
            (0, "total_dose_g"): dose, (0, "total_volume_ml"): volume_rule,
            (1, "week"): dated, (1, "start"): dated, (1, "weight_kg"): weighed, (1, "dose_g"): dose,
            (1, "dosing_weight_kg"): rules.dosing_weight, (1, "dosing_weight_basis"): rules.dosing_weight,
            (1, "volume_ml"): volume_rule, (1, "days"): days,
            (1, "hospital_dose_g"): setting, (1, "hospital_volume_ml"): setting,
            (2, "date"): dated, (2, "dose_g"): split, (2, "volume_ml"): volume_rule,
            (3, "date"): dated, (3, "week"): dated, (3, "weight_kg"): weighed, (3, "dose_g"): setting,
            (3, "dosing_weight_kg"): rules.dosing_weight, (3, "volume_ml"): volume_rule, (3, "product"): product,
        }
        self.schedule = dated

    def label(self, node: Node, attr: str) -> str:
        """The field in words, its course as the plan names it (an order writes only "baseline")."""
        return field_label(self.nodes.get(node, node), attr)

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
            rule, note = self._explain(fact, rule)
        if fact.derived:
            summed = message(N_("summed from the order's lines"))
            note = message(N_("{summed}; {note}"), summed=summed, note=note) if note else summed
        return Comparison(field_name(fact.node, fact.attr), fact.value, want, unit, rule, matches,
                          note, fact.row, key=fact.attr, label=self.label(fact.node, fact.attr))

    def _same(self, unit: str, ordered: Value, expected: Value) -> bool:
        if isinstance(ordered, Decimal) and isinstance(expected, Decimal):
            return self.tolerance.allows(unit, ordered, expected)
        if isinstance(ordered, str) and isinstance(expected, str):
            return " ".join(ordered.split()).casefold() == " ".join(expected.split()).casefold()
        return type(ordered) is type(expected) and ordered == expected

    def _explain(self, fact: Fact, rule: str) -> tuple[str, str]:
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
                                    "{version}; check it with --protocol"), what=key_words(attr),
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
        return Comparison(message(CONCENTRATION, field=field_name(node, "volume_ml"), ml_per_g=ml_per_g), volume,
                          expected, "mL", rule_ids(self.protocol).volume, volume == expected,
                          message(N_("the order's own dose × {ml_per_g} mL/g, exactly: no tolerance applies"),
                                  ml_per_g=ml_per_g), key="volume_ml",
                          label=message(CONCENTRATION, field=self.label(node, "volume_ml"), ml_per_g=ml_per_g))

    def missing(self, node: Node, want: dict[tuple[Node, str], Fact]) -> Comparison:
        """A course, day or bag of the plan that the order lacks, shown by its volume."""
        fact = want.get((node, "volume_ml"))
        return Comparison(field_name(node, "volume_ml"), None, fact.value if fact else None, "mL",
                          self._presence_rule(node), False, message(N_("missing from the order")),
                          absent_ordered=absent_from(node, in_plan=False), key="volume_ml",
                          label=self.label(node, "volume_ml"))

    def extra(self, node: Node, order: OrderFacts, row: int | None) -> Comparison:
        """A course, day or bag in the order that the plan does not have, shown by its volume."""
        fact = order.values().get((node, "volume_ml")) or order.first("volume_ml", node) or order.first("dose_g", node)
        attr = fact.attr if fact else "volume_ml"
        return Comparison(field_name(node, attr), fact.value if fact else None, None, unit_of(attr),
                          self._presence_rule(node), False, message(N_("not in the protocol's plan")), row,
                          absent_expected=absent_from(node, in_plan=True), key=attr, label=self.label(node, attr))

    def _presence_rule(self, node: Node) -> str:
        """Courses come from R7, days from the day count (R3), bags from the settings (R6)."""
        return {1: self.schedule, 2: self.rule((), "days_per_course")}.get(len(node), self.rule(node, "dose_g"))


#: values the core derives by an inexact division (an ideal weight from a height in inches), which
#: an order can only carry as the JSON number the plan wrote for them.
INEXACT = frozenset({"dosing_weight_kg"})


def _same_derived(attr: str, ordered: Value, expected: Value) -> bool:
    """An inexact value matches when it is the double the plan's JSON holds for the expected one:
    56.909448818897637795... kg is written 56.90944881889764, a difference of 1e-14 kg."""
    return (attr in INEXACT and isinstance(ordered, Decimal) and isinstance(expected, Decimal)
            and float(ordered) == float(expected))
