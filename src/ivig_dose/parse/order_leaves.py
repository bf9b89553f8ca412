"""The leaves of an order document, each keyed by the course, day and bag it belongs to.

Keyed by the plan's own nodes rather than by list position, a leaf of the order and the same
leaf of the expected document meet even when a course is missing or the bags are listed in
another order; below a bag, lists are keyed by position (a pump's steps, a FHIR coding).
"""

from __future__ import annotations

from typing import Any

from ivig_dose.core.order_document import LeafSheet, Node

#: the lists of a plan document that hold the plan's nodes, by the depth of the node that holds them.
NODE_LISTS = {0: "courses", 1: "days", 2: "segments"}
BAG_EXTENSION = "urn:ivig-dose:fhir:bag"


def plan_leaves(document: dict[str, Any], row: int | None = None) -> LeafSheet:
    """Every leaf of a plan contract document (``ivig-dose/plan/v1``)."""
    sheet = LeafSheet(row)
    _node(sheet, document, (), "")
    return sheet


def _node(sheet: LeafSheet, value: dict[str, Any], node: Node, path: str) -> None:
    """A plan, course, day or bag object: its own keys, and its child nodes by their identity."""
    children = NODE_LISTS.get(len(node))
    for key, item in value.items():
        where = f"{path}.{key}" if path else key
        if key == children and isinstance(item, list) and item:
            sheet.containers.add((node, key))
            for index, child in enumerate(item):
                child_path = f"{where}[{index}]"
                identity = _identity(child, len(node), index)
                if isinstance(child, dict):
                    _node(sheet, child, (*node, identity), child_path)
                else:
                    sheet.walk(child, node, f"{key}[{index}]", child_path)
        else:
            sheet.walk(item, node, key, where)


def _identity(child: Any, depth: int, index: int) -> str | int:
    """A course by its name, a day by its number, a bag by its setting, as the reader reads them;
    the position when the file leaves it out (the reader has refused such a file already)."""
    key = ("name", "day", "setting")[depth]
    value = child.get(key) if isinstance(child, dict) else None
    if depth == 1 and isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip():
        return value.strip().lower() if depth == 2 else value.strip()
    return f"#{index + 1}"


def bundle_leaves(bundle: dict[str, Any], row: int | None = None) -> LeafSheet:
    """Every leaf of a FHIR Bundle: a MedicationRequest's under its bag, any other resource's
    under its type and position among its kind (``Observation[1].status``)."""
    sheet = LeafSheet(row)
    counts: dict[str, int] = {}
    for key, item in bundle.items():
        if key != "entry" or not isinstance(item, list) or not item:
            sheet.walk(item, (), key, key)
            continue
        sheet.containers.add(((), key))
        for index, entry in enumerate(item):
            path = f"entry[{index}]"
            if not isinstance(entry, dict):
                sheet.walk(entry, (), path, path)
                continue
            resource = entry.get("resource")
            kind = resource.get("resourceType") if isinstance(resource, dict) else None
            bag = _bag(resource) if isinstance(resource, dict) and kind == "MedicationRequest" else None
            if bag is None:
                name = str(kind) if isinstance(kind, str) else "entry"
                number = counts[name] = counts.get(name, -1) + 1
                node: Node = ()
                prefix = f"{name}[{number}]."
            else:
                node, prefix = bag, ""
            for entry_key, value in entry.items():
                if entry_key == "resource" and isinstance(value, dict):
                    for resource_key, inner in value.items():
                        sheet.walk(inner, node, f"{prefix}{resource_key}", f"{path}.resource.{resource_key}")
                else:
                    attr = entry_key if entry_key == "fullUrl" else f"entry.{entry_key}"
                    sheet.walk(value, node, f"{prefix}{attr}", f"{path}.{entry_key}")
    return sheet


def _bag(request: dict[str, Any]) -> Node | None:
    """A request's course, day and setting from its bag extension, as the FHIR reader reads them."""
    for extension in _items(request.get("extension")):
        if isinstance(extension, dict) and extension.get("url") == BAG_EXTENSION:
            parts = {part.get("url"): next((v for k, v in part.items() if k.startswith("value")), None)
                     for part in _items(extension.get("extension"))
                     if isinstance(part, dict) and isinstance(part.get("url"), str)}
            course, day, setting = parts.get("course"), parts.get("day"), parts.get("setting")
            if isinstance(course, str) and isinstance(day, int) and isinstance(setting, str):
                return course.strip(), day, setting.strip().lower()
    return None


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
