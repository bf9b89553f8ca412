"""A checker is judged by what it lets through: every value of an order the tool made, changed on
its own, makes ``verify`` say so (exit 1) or refuse the file in one line (exit 2), never match.

The values are enumerated from each order itself (every number, true/false, text and null of its
JSON or FHIR, every cell of its CSV), so a field added to an order one day is changed here too,
without this test being told. The orders cover several weights, protocols and products, a patient
at risk, the placebo arm, blinded output, a dosing weight chosen by the prescriber, a weight
measured again for a later course and a weight typed in pounds.
"""

from __future__ import annotations

import csv
import io
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

import ivig_dose
from ivig_dose.app.plan import Setup, setup
from ivig_dose.app.verify import check_order, read_order_text, roundings
from ivig_dose.core.errors import InputError
from ivig_dose.core.tolerance import Tolerance
from ivig_dose.parse.plan_inputs import PlanInputs
from ivig_dose.render.plan_csv import render_csv
from ivig_dose.render.plan_fhir import render_fhir
from ivig_dose.render.plan_json import render_json

from .helpers import set_path

START = "2027-01-04"
AUTHORED = datetime(2027, 1, 2, 9, 30).astimezone()


@dataclass(frozen=True)
class Order:
    """An order the tool made, and the options it is checked with (those an order does not hold)."""

    name: str
    plan: dict[str, Any]
    run: dict[str, Any] = field(default_factory=dict)
    blinded: bool = False

    def made(self) -> Any:
        return ivig_dose.plan(start=START, **self.plan, **self.run)

    def typed(self) -> PlanInputs:
        facts = {key: value for key, value in self.plan.items()
                 if key in ("height", "sex", "pregnant", "age", "risk")}
        return PlanInputs(weight="", **facts)

    def setup(self) -> Setup:
        return setup(**self.run)


ORDERS = [
    Order("70 kg", {"weight": "70"}),
    Order("45 kg over 5 days", {"weight": "45 kg", "days": 5}),
    Order("placebo", {"weight": "80.3", "arm": "placebo"}),
    Order("blinded", {"weight": "100"}, blinded=True),
    Order("at risk", {"weight": "70", "risk": ("thrombosis",)}, {"product": "octagam-10"}),
    Order("adjusted weight", {"weight": "100", "height": "5 ft 10 in", "sex": "male", "dosing_weight": "adjusted"}),
    Order("week 4 weighed again", {"weight": "158.7 lb", "course_weights": {"week4": "68 kg"}}),
    Order("a per-day protocol", {"weight": "72.35"}, {"protocol": "standard-5-day"}),
    Order("whole vials", {"weight": "83.4"}, {"round_to": "vials", "max_rate": "150 mL/h"}),
]


def text_of(order: Order, shape: str) -> str:
    plan = order.made()
    if shape == "csv":
        return render_csv(plan, order.blinded)
    if shape == "fhir":
        return render_fhir(plan, order.blinded, "TIM-001", AUTHORED)
    return render_json(plan, order.blinded)


def verdict(order: Order, run: Setup, text: str, shape: str) -> int:
    """verify's exit status for an order text: 0 a match, 1 not, 2 refused (in one line)."""
    try:
        checked = check_order(read_order_text(text, "order", shape != "csv"), order.typed(), run, Tolerance(),
                              tried=roundings(order.run.get("round_to"), run))
    except InputError as refused:
        assert "\n" not in str(refused), str(refused)
        return 2
    return 0 if checked.matches else 1


# --- one value changed at a time ------------------------------------------------------------------

Path = tuple[str | int, ...]


def leaves(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every scalar of a JSON document with its path: a number, true/false, a text or null."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path, value


def changed(value: Any) -> list[Any]:
    """Other values a careless or wrong edit could give: a number up by one (and, not whole, ten
    times as large: 434 for 43.4), true for false, a date a day later, a text with a character
    more, a value where there was none."""
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int | float):
        number = Decimal(str(value))
        more = [number + 1]
        if number != number.to_integral_value():
            more.append(number * 10)
        return [float(n) if isinstance(value, float) else int(n) for n in more]
    if isinstance(value, str):
        try:
            return [(date.fromisoformat(value) + timedelta(days=1)).isoformat()] if len(value) == 10 else [value + "x"]
        except ValueError:
            return [value + "x"]
    return [1]


def kind_of(path: Path, document: Any) -> Path:
    """What a value is, wherever it sits: its path with the course, day, bag and FHIR entry it
    belongs to left out (``courses.*.days.*.segments.*.pump.steps.2.rate_ml_per_h``)."""
    kind: list[str | int] = []
    at = document
    for before, key in zip((None, *path), path, strict=False):
        if before in ("courses", "days", "segments") and isinstance(key, int):
            kind.append("*")
        elif before == "entry" and isinstance(key, int):
            kind.append(str(at[key]["resource"].get("resourceType")))
        else:
            kind.append(key)
        at = at[key]
    return tuple(kind)


def chosen(found: list[tuple[Path, Any]], every: bool, kind: Any) -> list[tuple[Path, Any]]:
    """Every value, or one of each kind: which of its places is taken varies by kind (by a
    hash that is the same every run), so the later courses, days and bags are tried too."""
    if every:
        return found
    places: dict[Any, list[tuple[Path, Any]]] = {}
    for item in found:
        places.setdefault(kind(item[0]), []).append(item)
    return [items[zlib.crc32(repr(name).encode()) % len(items)] for name, items in places.items()]


def json_edits(text: str, every: bool) -> Iterator[tuple[str, str]]:
    document = json.loads(text)
    for path, value in chosen(list(leaves(document)), every, lambda path: kind_of(path, document)):
        for other in changed(value):
            yield ".".join(map(str, path)) + f" = {other!r}", json.dumps(set_path(document, path, other))


def csv_edits(text: str, every: bool) -> Iterator[tuple[str, str]]:
    rows = list(csv.reader(io.StringIO(text)))
    cells = [((number, column), cell) for number, row in enumerate(rows[1:], start=1)
             for column, cell in enumerate(row)]
    for (number, column), cell in chosen(cells, every, lambda place: place[1]):
        for other in ([str(v) for v in changed(_number(cell))] if _number(cell) is not None else
                      ["1"] if not cell else changed(cell)):
            edited = [list(r) for r in rows]
            edited[number][column] = other
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows(edited)
            yield f"row {number + 1} {rows[0][column]} = {other!r}", out.getvalue()


def _number(cell: str) -> int | float | None:
    try:
        return int(cell)
    except ValueError:
        try:
            return float(cell) if cell.strip() and cell.replace(".", "", 1).isdigit() else None
        except ValueError:
            return None


EDITS = {"json": json_edits, "fhir": json_edits, "csv": csv_edits}
#: the orders each format is tried with: every order as JSON; a few as CSV and FHIR, whose values
#: are the same facts in another shape (and FHIR's hundreds of codes per bag are slow to try twice).
SHAPES = [(order, "json") for order in ORDERS] + [
    (order, shape) for order in ORDERS if order.name in ("70 kg", "blinded", "placebo") for shape in ("csv",)] + [
    (order, "fhir") for order in ORDERS if order.name in ("70 kg", "at risk", "blinded", "week 4 weighed again")]


@pytest.mark.parametrize(("order", "shape"), SHAPES, ids=[f"{o.name}-{s}" for o, s in SHAPES])
def test_every_value_of_an_order_changed_alone_is_caught(order: Order, shape: str) -> None:
    """Every value of the 70 kg order; one of each kind (a value of every key, in a course, day
    and bag that varies by key) of the others, which differ in which keys they have."""
    run = order.setup()
    text = text_of(order, shape)
    assert verdict(order, run, text, shape) == 0, "the order as made must match"
    edits = list(EDITS[shape](text, order.name == "70 kg" and shape != "fhir"))
    passed = [what for what, edited in edits if verdict(order, run, edited, shape) == 0]
    assert passed == [], f"{len(passed)} of {len(edits)} changes passed as a match: {passed[:20]}"


@pytest.mark.parametrize("value", ["", "x", 0, None, [], {}])
def test_a_key_the_tool_does_not_write_is_a_discrepancy_whatever_it_holds(value: Any) -> None:
    # a value verify does not know cannot be checked, so it must not pass; even empty, it says something
    order = ORDERS[0]
    document = json.loads(text_of(order, "json"))
    document["courses"][0]["days"][0]["segments"][0]["note"] = value
    assert verdict(order, order.setup(), json.dumps(document), "json") == 1


def test_an_order_document_takes_the_protocol_spelling_of_its_courses():
    from decimal import Decimal

    from ivig_dose.core.order_document import Leaf, OrderDocument

    week4 = Leaf(("week4", 1), "dose_g", Decimal(70), "number", "courses[1].days[0].dose_g")
    unknown = Leaf(("week9", 1), "dose_g", Decimal(70), "number", "courses[2].days[0].dose_g")
    top = Leaf((), "max_rate", None, "null", "max_rate")
    document = OrderDocument("json", (week4, unknown, top), frozenset({(("week4",), "days"), ((), "courses")}))
    renamed = document.renamed({"week4": "week 4", "week9": "week9"})
    assert [leaf.node for leaf in renamed.leaves] == [("week 4", 1), ("week9", 1), ()]
    assert renamed.containers == {(("week 4",), "days"), ((), "courses")}
    assert renamed.renamed({}) == renamed  # a name not listed stays as it is
    assert document.renamed({"week4": "week 4"}).leaves[1].node == ("week9", 1)
