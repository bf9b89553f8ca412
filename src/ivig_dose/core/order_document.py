"""Every value an order file holds, as the file holds it: the leaves of its JSON or the cells of
its CSV, each keyed by where it sits in the plan.

Facts (:mod:`ivig_dose.core.order_facts`) are what an order says in the plan's terms, compared
rule by rule. But an order file holds more than its facts: waste, each pump step's volume, a
bag's cap flag, the "why" texts, the input digest, FHIR codes and the dosage text a nurse reads.
A double check that ignores those waves a wrong one through. So every reader also lists the
file's leaves, marking the ones it read into facts; ``verify`` then compares every other leaf
with the same leaf of the document the tool writes for the expected plan, and a leaf that
document does not have is a discrepancy of its own, never skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from ivig_dose.core.messages import N_, message
from ivig_dose.core.records import frozen

#: where a leaf sits: () the plan (or a FHIR resource outside any bag), or a course, day or bag node.
Node = tuple[str | int, ...]
#: a JSON leaf's kinds; an empty list or object is a leaf too, so "warnings": [] is compared.
NULL, BOOLEAN, NUMBER, TEXT, LIST, OBJECT = "null", "boolean", "number", "text", "list", "object"
Scalar = Decimal | str | bool | None


@frozen
class Leaf:
    """One value of an order file."""

    node: Node
    #: its path below the node, as the file writes it: ``pump.steps[0].volume_ml``, a CSV column.
    attr: str
    value: Scalar
    kind: str
    #: where it is in the file (``courses[0].days[1].dose_g``, ``row 3 waste_g``): what a reader marks as read.
    path: str
    row: int | None = None

    @property
    def key(self) -> tuple[Node, str]:
        return self.node, self.attr

    def same(self, other: Leaf) -> bool:
        """Equal kind and value: ``70`` and ``70.0`` are one number, ``true`` is no number, texts are exact."""
        return self.kind == other.kind and self.value == other.value


@frozen
class NotChecked:
    """A value an order holds that no plan decides (the patient's id, when the file was made)."""

    field: str
    value: str
    why: str
    #: the field in words (``baseline day 1 hospital waste``), as people read it; ``field`` is
    #: the contract's name. Empty: the field's key in words.
    label: str = ""


def patient_not_checked(patient_id: str) -> NotChecked:
    """The patient an order names: no plan decides it, so verify names it for the checker to confirm."""
    return NotChecked("patient_id", patient_id, message(N_("the patient the order is for: confirm it")))


@frozen
class OrderDocument:
    """An order file's leaves, which of them its reader read into facts, and what cannot be checked."""

    #: the format the expected document is written in to compare: "json", "fhir" or "csv".
    shape: str
    leaves: tuple[Leaf, ...]
    #: every list and object, by key: a leaf where the expected document has a container differs from it.
    containers: frozenset[tuple[Node, str]] = frozenset()
    #: the paths of the leaves the reader read into facts (compared as facts, by their rules).
    read: frozenset[str] = frozenset()
    not_checked: tuple[NotChecked, ...] = ()
    #: a FHIR bundle's timestamp, with which the expected bundle is written (its requests' authoredOn).
    authored: str | None = None
    #: a FHIR bundle's patient identifier, which its resource ids and subjects are made from.
    patient_id: str | None = None
    #: the input digest the order carries, which names the inputs it was made from.
    digest: str | None = None

    def renamed(self, names: dict[str | int, str | int]) -> OrderDocument:
        """The leaves with their course renamed as the protocol spells it (``week4`` is ``week 4``)."""
        def rename(node: Node) -> Node:
            return (names.get(node[0], node[0]), *node[1:]) if node else node

        return replace(self, leaves=tuple(replace(leaf, node=rename(leaf.node)) for leaf in self.leaves),
                       containers=frozenset((rename(node), attr) for node, attr in self.containers))


@dataclass
class LeafSheet:
    """Collects an order file's leaves as a walker finds them."""

    row: int | None = None
    leaves: list[Leaf] = field(default_factory=list)
    containers: set[tuple[Node, str]] = field(default_factory=set)

    def walk(self, value: Any, node: Node, attr: str, path: str) -> None:
        """A JSON value and everything below it, at ``node``; lists by position."""
        if isinstance(value, dict):
            self.containers.add((node, attr))
            if not value:
                self.leaves.append(Leaf(node, attr, None, OBJECT, path, self.row))
            for key, item in value.items():
                self.walk(item, node, _dotted(attr, str(key)), _dotted(path, str(key)))
        elif isinstance(value, list):
            self.containers.add((node, attr))
            if not value:
                self.leaves.append(Leaf(node, attr, None, LIST, path, self.row))
            for index, item in enumerate(value):
                self.walk(item, node, f"{attr}[{index}]", f"{path}[{index}]")
        else:
            kind, scalar = scalar_of(value)
            self.leaves.append(Leaf(node, attr, scalar, kind, path, self.row))

    def build(self, shape: str, read: Iterable[str] = (), not_checked: tuple[NotChecked, ...] = (),
              authored: str | None = None, patient_id: str | None = None, digest: Any = None) -> OrderDocument:
        return OrderDocument(shape, tuple(self.leaves), frozenset(self.containers), frozenset(read), not_checked,
                             authored, patient_id, digest if isinstance(digest, str) else None)


def _dotted(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def scalar_of(value: Any) -> tuple[str, Scalar]:
    """A JSON scalar's kind and value; a number as an exact Decimal (a float as its shortest text)."""
    if value is None:
        return NULL, None
    if isinstance(value, bool):
        return BOOLEAN, value
    if isinstance(value, float):
        return NUMBER, Decimal(str(value))
    if isinstance(value, int | Decimal):
        return NUMBER, Decimal(value)
    return TEXT, str(value)
