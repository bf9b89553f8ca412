"""A JSON list of orders (``batch --verify``): each order with its place in the list and its patient,
read or refused on its own, and a document nested past the limit refused in one line."""

from __future__ import annotations

import json

import pytest

from ivig_dose import plan
from ivig_dose.core.errors import InputError
from ivig_dose.core.order_facts import OrderFacts
from ivig_dose.parse.order_json import iter_json_orders, read_json_order
from ivig_dose.render.plan_json import plan_document


def test_each_order_of_a_list_is_read_or_refused_with_its_place_and_patient():
    good = {**plan_document(plan("70", "2027-01-04")), "patient_id": "P1"}
    bad = {**good, "patient_id": "P2", "weight_kg": "heavy"}
    results = list(iter_json_orders(iter(["  " + json.dumps([good, bad, "nope"])]), "orders.json"))
    assert [(r.row, r.patient_id) for r in results] == [(1, "P1"), (2, "P2"), (3, None)]
    assert isinstance(results[0].order, OrderFacts)
    assert [str(r.order) for r in results[1:]] == [
        "orders.json order 2: weight_kg: 'heavy' is not a number; accepted: a JSON number such as 53.6",
        "orders.json order 3: document: expected a JSON object"]


def test_a_list_that_is_not_json_is_refused_naming_the_file():
    with pytest.raises(InputError) as caught:
        list(iter_json_orders(iter(["[1, "]), "orders.json"))
    assert str(caught.value) == "orders.json: not valid JSON (Expecting value at line 1 column 5)"


def test_an_order_nested_past_the_limit_is_refused_in_one_line():
    deep: object = 1
    for _ in range(22):
        deep = [deep]
    with pytest.raises(InputError) as caught:
        read_json_order(json.dumps({"x": deep}), "o.json")
    assert str(caught.value) == "o.json: nested too deeply to be an order; accepted: at most 20 levels"


def test_a_bundle_names_its_patient_only_by_a_text_identifier():
    from ivig_dose.parse.order_fhir import bundle_patient_id

    def bundle(value: object) -> dict[str, object]:
        request = {"resourceType": "MedicationRequest", "subject": {"identifier": {"value": value}}}
        return {"entry": [{"resource": {"resourceType": "Patient"}}, {"resource": request}]}

    assert (bundle_patient_id(bundle("P7")), bundle_patient_id(bundle(7)), bundle_patient_id({})) == ("P7", None, None)
