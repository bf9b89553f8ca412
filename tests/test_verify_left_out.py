"""A value the tool writes and an order leaves out cannot be compared: verify must then either
find the order wrong or name what was left out, never answer MATCH as if it had compared it.

Every key of an order the tool made is deleted in turn (every object key of its JSON and FHIR,
every column of its CSV), and the answer is read: a discrepancy (exit 1), a refusal (exit 2), or
a MATCH that names the key under "not checked".
"""

from __future__ import annotations

import copy
import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest

from ivig_dose.app.verify import check_order, read_order_text, roundings
from ivig_dose.core.errors import InputError
from ivig_dose.core.tolerance import Tolerance

from .test_verify_every_value import ORDERS, Order, text_of


def answer(order: Order, text: str, shape: str) -> tuple[int, list[str]]:
    """verify's exit status and the fields it names as not checked."""
    run = order.setup()
    try:
        checked = check_order(read_order_text(text, "order", shape != "csv"), order.typed(), run, Tolerance(),
                              tried=roundings(order.run.get("round_to"), run))
    except InputError:
        return 2, []
    return (0 if checked.matches else 1), [n.field for n in checked.not_checked]


def keys(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """The path of every object key (list items are not keys: a list item taken out is a discrepancy)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key)
            yield from keys(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from keys(item, (*path, index))


def without(document: Any, path: tuple[str | int, ...]) -> Any:
    edited = copy.deepcopy(document)
    at = edited
    for step in path[:-1]:
        at = at[step]
    del at[path[-1]]
    return edited


def unnamed_passes(order: Order, edits: Iterator[tuple[str, str, str]], shape: str) -> list[str]:
    status, before = answer(order, text_of(order, shape), shape)
    assert status == 0 and all("not in the order" not in field for field in before)
    passed = []
    for what, key, text in edits:
        status, named = answer(order, text, shape)
        if status == 0 and not any(field.endswith(key) or f"{key}." in field or f"{key}[" in field
                                   for field in named if field not in before):
            passed.append(what)
    return passed


@pytest.mark.parametrize("shape", ["json", "fhir"])
def test_every_key_left_out_of_an_order_is_found_wrong_or_named(shape: str) -> None:
    order = ORDERS[0]
    document = json.loads(text_of(order, shape))
    edits = ((".".join(map(str, path)), str(path[-1]), json.dumps(without(document, path)))
             for path in keys(document))
    assert unnamed_passes(order, edits, shape) == []


def test_every_column_left_out_of_a_csv_order_is_found_wrong_or_named() -> None:
    order = ORDERS[0]
    rows = list(csv.reader(io.StringIO(text_of(order, "csv"))))

    def edits() -> Iterator[tuple[str, str, str]]:
        for column, name in enumerate(rows[0]):
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows([row[:column] + row[column + 1:] for row in rows])
            yield name, name, out.getvalue()

    assert unnamed_passes(order, edits(), "csv") == []


def test_a_left_out_pump_program_is_named_once_with_the_bags_that_lack_it() -> None:
    # the 70 kg order has 7 bags (hand count: baseline 2 days, the first split hospital/home = 3 bags,
    # week 4 and week 8 two days each = 4 bags)
    order = ORDERS[0]
    document = json.loads(text_of(order, "json"))
    bags = 0
    for course in document["courses"]:
        for day in course["days"]:
            for segment in day["segments"]:
                del segment["pump"]
                bags += 1
    assert bags == 7
    status, named = answer(order, json.dumps(document), "json")
    assert status == 0
    assert named.count("pump") == 1
    assert [field for field in named if "pump" in field] == ["pump"]
