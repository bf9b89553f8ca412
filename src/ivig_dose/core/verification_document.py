"""Every value of an order file that its facts do not hold, against the same value of the file the
tool writes for the expected plan: waste, each pump step's volume and cap flag, the "why" texts,
the input digest, FHIR codes, statuses and the dosage text a nurse reads.

Compared exactly, whatever ``--tolerance`` says: none of them is a dose another system could
round differently. A value the expected file does not have (a FHIR ``doNotPerform``, a
``repeat``, a comparator, a key the contract does not know) is a discrepancy: verify cannot
check it, so it must not pass. A list item the order lacks (a warning taken out) is one too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from ivig_dose.core.comparison import PUMP, Comparison, field_label, field_name, unit_of
from ivig_dose.core.messages import N_, message
from ivig_dose.core.order_document import (
    BOOLEAN,
    LIST,
    NULL,
    NUMBER,
    OBJECT,
    TEXT,
    Leaf,
    Node,
    NotChecked,
    OrderDocument,
)
from ivig_dose.core.order_facts import VIALS, Value

#: the rule a leaf's discrepancy is named with, by a word of its path (the first that it holds).
LEAF_RULES = (("pump", PUMP), ("rateQuantity", PUMP), ("timing.repeat", PUMP), ("at_risk", PUMP),
              ("max_rate", PUMP), ("vials", VIALS), ("waste", VIALS), ("dispense", VIALS),
              ("product", "product"), ("Medication", "product"), ("catalogue", "product"),
              ("indication", "product"), ("protocol", "protocol"), ("digest", "protocol"),
              ("Digest", "protocol"))
#: the last item of a path that is a list's: ``why[3]`` in ``why[3].text``.
_LIST_ITEM = re.compile(r"^(.*)\[(\d+)\]")
#: where a key's path can be cut: before each ``.name`` and each ``[3]``.
_STEP = re.compile(r"(?=[.\[])")
#: how an empty container is shown.
SHOWN = {LIST: "[]", OBJECT: "{}"}
#: what the tool writes where it writes several values, not one.
CONTAINER = N_("a list or an object")


def compare_document(order: OrderDocument, expected: OrderDocument,
                     nodes: Mapping[Node, Node]) -> list[tuple[Node, Comparison]]:
    """Each leaf the order's reader did not read into a fact, against the expected document's;
    leaves of a course, day or bag the plan does not have (``nodes``: the plan's, each keyed by
    itself) are left to that node's own discrepancy."""
    want = {leaf.key: leaf for leaf in expected.leaves}
    found: list[tuple[Node, Comparison]] = []
    for leaf in order.leaves:
        if leaf.path in order.read or (leaf.node and leaf.node not in nodes):
            continue
        other = want.get(leaf.key)
        if other is None and leaf.kind == TEXT and not leaf.value and order.shape == "csv":
            continue  # an empty cell of a column the tool does not write holds no value
        found.append((leaf.node, _judged(leaf, other, expected, nodes.get(leaf.node, leaf.node))))
    found += _missing_items(order, expected, nodes)
    return found


def _judged(leaf: Leaf, other: Leaf | None, expected: OrderDocument, node: Node) -> Comparison:
    """``node``: the leaf's, as the plan names its course."""
    field, unit, rule = field_name(leaf.node, leaf.attr), _unit(leaf), leaf_rule(leaf.attr)
    label = field_label(node, leaf.attr)
    if other is None:
        container = leaf.key in expected.containers
        note = message(N_("the tool writes a list or an object here")) if container else message(
            N_("not a value 'ivig-dose plan' writes: verify cannot check it, so it does not pass"))
        return Comparison(field, shown(leaf), message(CONTAINER) if container else None, unit, rule, False, note,
                          leaf.row, absent_expected=message(N_("not written by the tool")), key=leaf.attr,
                          label=label)
    if leaf.same(other):
        return Comparison(field, shown(leaf), shown(other), unit, rule, True, row=leaf.row, key=leaf.attr,
                          label=label)
    return Comparison(field, shown(leaf), shown(other), unit, rule, False, _why_differs(leaf, other), leaf.row,
                      key=leaf.attr, label=label)


#: the keys of the input digest in a plan document and in a FHIR bundle.
DIGESTS = ("input_digest", "inputDigest")


def _why_differs(leaf: Leaf, other: Leaf) -> str:
    """Where two texts part (a changed digit deep in a dosage text is easy to miss), else why."""
    if leaf.attr.endswith(DIGESTS):
        return message(N_("the order was made from other inputs than this check's: the digest covers the weights, "
                          "start, arm, days, height, sex, pregnancy, age, dosing-weight basis, risks, product, "
                          "catalogue, rounding and pump limit; give those the order was made with"))
    if leaf.kind == TEXT and other.kind == TEXT:
        ordered, expected = str(leaf.value), str(other.value)
        position = next((i for i, (a, b) in enumerate(zip(ordered, expected, strict=False)) if a != b),
                        min(len(ordered), len(expected)))
        return message(N_("as 'ivig-dose plan' writes it for these inputs; the texts differ from character "
                          "{position}"), position=position + 1)
    return message(N_("as 'ivig-dose plan' writes it for these inputs"))


def _missing_items(order: OrderDocument, expected: OrderDocument,
                   nodes: Mapping[Node, Node]) -> list[tuple[Node, Comparison]]:
    """List items the expected document has and the order's list lacks: a warning or a pump step
    taken out is a change too. Optional keys an order leaves out are not (another system's order
    need not carry the tool's extras)."""
    have = {leaf.key for leaf in order.leaves}
    lists = order.containers
    reported: set[tuple[Node, str]] = set()
    found = []
    for leaf in expected.leaves:
        if leaf.key in have or (leaf.node and leaf.node not in nodes):
            continue
        item = _LIST_ITEM.match(leaf.attr)
        if item is None or (leaf.node, item[1]) not in lists or (leaf.node, item[0]) in reported:
            continue
        reported.add((leaf.node, item[0]))
        whole = item[0] == leaf.attr  # a value, else the first value of an item that holds several
        node = nodes.get(leaf.node, leaf.node)  # as the plan names its course
        found.append((node, Comparison(field_name(node, item[0]), None,
                                       shown(leaf) if whole else message(CONTAINER), _unit(leaf) if whole else "",
                                       leaf_rule(leaf.attr), False, message(N_("missing from the order")),
                                       absent_ordered=message(N_("not in the order")), key=leaf.attr,
                                       label=field_label(node, item[0]))))
    return found


def absent_values(order: OrderDocument, expected: OrderDocument) -> tuple[NotChecked, ...]:
    """What the tool writes and the order leaves out, under the parts of the plan the order has.

    Another system's order need not carry the tool's extras (a pump program, waste, the "why"
    texts), so a left-out value is no discrepancy; but it was not compared, and a checker told
    MATCH must be able to see that: each is named, once a key, with how many places lack it.
    """
    have = {(leaf.node, part) for leaf in order.leaves for part in _parts(leaf.attr)} | order.containers
    nodes = {leaf.node for leaf in order.leaves}
    places: dict[str, list[Node]] = {}
    for leaf in expected.leaves:
        if leaf.key in have or leaf.node not in nodes:
            continue
        key = _first_absent(leaf.node, leaf.attr, have, order.containers)
        if key is not None and leaf.node not in places.setdefault(key, []):
            places[key].append(leaf.node)
    return tuple(_absent(key, where) for key, where in places.items())


def _first_absent(node: Node, attr: str, have: set[tuple[Node, str]],
                  lists: frozenset[tuple[Node, str]]) -> str | None:
    """The shortest part of ``attr``'s path the order lacks, with that part's indices left out
    (``pump``, ``pump.steps[].volume_ml``); None for an item of a list the order has, which
    :func:`_missing_items` reports as a discrepancy."""
    for prefix in _parts(attr):
        if (node, prefix) in have:
            continue
        item = _LIST_ITEM.fullmatch(prefix)
        if item is not None and (node, item[1]) in lists:
            return None
        return re.sub(r"\[\d+\]", "[]", prefix)
    return None


def _parts(attr: str) -> list[str]:
    """``pump``, ``pump.steps``, ``pump.steps[0]``, ``pump.steps[0].volume_ml``: each path a key's holds."""
    steps = _STEP.split(attr)
    return ["".join(steps[:end]) for end in range(1, len(steps) + 1)]


def _absent(key: str, where: list[Node]) -> NotChecked:
    why = message(N_("the tool writes it; the order leaves it out, so it was not compared"))
    if len(where) == 1:
        return NotChecked(field_name(where[0], key), message(N_("not in the order")), why,
                          field_label(where[0], key))
    return NotChecked(key, message(N_("not in the order in {count} places"), count=len(where)), why,
                      field_label((), key))


def leaf_rule(attr: str) -> str:
    return next((rule for word, rule in LEAF_RULES if word in attr), "")


def _unit(leaf: Leaf) -> str:
    return unit_of(leaf.attr) if leaf.kind == NUMBER else ""


def shown(leaf: Leaf) -> Value | bool | None:
    """A leaf's value as a comparison holds it: numbers exact, ``true``/``false``, ``[]`` or ``{}``."""
    if leaf.kind in SHOWN:
        return SHOWN[leaf.kind]
    if leaf.kind == NULL:
        return None
    if leaf.kind == BOOLEAN:
        return bool(leaf.value)
    return leaf.value if isinstance(leaf.value, Decimal | str) else str(leaf.value)
