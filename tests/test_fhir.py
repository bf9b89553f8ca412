"""`plan -f fhir` and `batch -f fhir`: a FHIR R4 Bundle of draft orders that fhir.resources accepts
(R4B models, the closest to R4 it ships) and that `verify` reads back as any other order.

Expected numbers are worked by hand from the spec (R2-R6): 72.35 kg -> 2 g/kg x 72.35 = 144.7 g a
course (under the 180 g cap); over 80 g, so 2 days, 72.4 + 72.3 g (R4, larger day first); the
first 30 g of the baseline course in hospital on day 1, the other 42.4 g of day 1 at home (R6);
10 mL/g (R5): bags of 300, 424 and 723 mL. Pump rates for 70 kg with Nanogam's 0.6, 1.2,
2.4 mL/kg/h steps: 42, 84 and 168 mL/h.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ivig_dose.cli.main import app

runner = CliRunner()
EPOCH = {"SOURCE_DATE_EPOCH": "1798848000"}  # 2027-01-02 00:00 UTC
START = ["--start", "2027-01-04"]
UCUM = "http://unitsofmeasure.org"


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env or EPOCH)


def bundle_text(*options: str, patient: str = "TIM-001") -> str:
    result = run("plan", *options, "-f", "fhir", "--patient-id", patient)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def bundle(*options: str, patient: str = "TIM-001") -> dict[str, Any]:
    return json.loads(bundle_text(*options, patient=patient))


def resources(document: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in document["entry"] if e["resource"]["resourceType"] == kind]


def part(resource: dict[str, Any], url: str, name: str) -> Any:
    extension = next(e for e in resource["extension"] if e["url"] == url)
    found = next(p for p in extension["extension"] if p["url"] == name)
    return next(v for k, v in found.items() if k.startswith("value"))


def bag_of(request: dict[str, Any]) -> tuple[str, int, str]:
    return tuple(part(request, "urn:ivig-dose:fhir:bag", name) for name in ("course", "day", "setting"))


def validate(document: dict[str, Any]) -> None:
    """The whole bundle, and each resource again by its own model, as fhir.resources reads them."""
    Bundle.model_validate(document)
    for entry in document["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def quantities(value: Any) -> list[dict[str, Any]]:
    """Every Quantity-like object (one with a value and a unit) anywhere in ``value``."""
    if isinstance(value, dict):
        own = [value] if "value" in value and "unit" in value else []
        return own + [q for v in value.values() for q in quantities(v)]
    if isinstance(value, list):
        return [q for v in value for q in quantities(v)]
    return []


def verified(tmp_path: Path, text: str, *options: str):
    order = tmp_path / "bundle.json"
    order.write_text(text, encoding="utf-8")
    return run("verify", str(order), *options)


# --- what a hospital system receives -----------------------------------------------------------

@pytest.mark.parametrize("options", [
    ["--weight", "72.35"],
    ["--weight", "72.35", "--arm", "placebo"],
    ["--weight", "72.35", "--blinded"],
    ["--weight", "100", "--course-weight", "week8=96kg", "--days", "4"],
    ["--weight", "72", "--protocol", "standard-5-day"],
])
def test_the_bundle_is_valid_fhir(options):
    validate(bundle(*options, *START))


def test_a_bag_is_one_draft_order_with_its_dose_route_date_and_volume():
    document = bundle("--weight", "72.35", *START)
    assert document["resourceType"] == "Bundle" and document["type"] == "collection"
    requests = resources(document, "MedicationRequest")
    # 3 courses; baseline: day 1 hospital + home, day 2 home; weeks 4 and 8: two home days each
    assert [bag_of(r) for r in requests][:3] == [("baseline", 1, "hospital"), ("baseline", 1, "home"),
                                                ("baseline", 2, "home")]
    assert len(requests) == 7
    first = requests[0]
    assert first["status"] == "draft" and first["intent"] == "order"
    assert first["subject"] == {"identifier": {"value": "TIM-001"}}
    assert first["authoredOn"] == "2027-01-02T00:00:00+00:00"
    dosage = first["dosageInstruction"][0]
    assert dosage["timing"]["event"] == ["2027-01-04"]
    assert dosage["doseAndRate"][0]["doseQuantity"] == {"value": 30, "unit": "g", "system": UCUM, "code": "g"}
    assert first["dispenseRequest"]["quantity"]["value"] == 300
    assert first["dispenseRequest"]["quantity"]["code"] == "mL"
    assert [r["dispenseRequest"]["quantity"]["value"] for r in requests[1:3]] == [424, 723]
    assert dosage["text"].startswith("Nanogam 100 mg/mL 30 g (300 mL) intravenously, hospital; "
                                     "baseline day 1 of 2, 2027-01-04.")
    # one group per course
    groups = [r["groupIdentifier"]["value"] for r in requests]
    assert len(set(groups)) == 3 and groups[0] == groups[1] == groups[2] != groups[3]


def test_codes_and_units():
    document = bundle("--weight", "70", *START)
    (medication,) = resources(document, "Medication")
    atc = medication["code"]["coding"][0]
    assert (atc["system"], atc["code"]) == ("http://www.whocc.no/atc", "J06BA02")
    assert atc["display"] == "immunoglobulins, normal human, for intravascular adm."
    strength = medication["ingredient"][0]["strength"]
    assert (strength["numerator"]["value"], strength["numerator"]["code"]) == (100, "mg")
    assert (strength["denominator"]["value"], strength["denominator"]["code"]) == (1, "mL")
    for request in resources(document, "MedicationRequest"):
        route = request["dosageInstruction"][0]["route"]["coding"][0]
        assert (route["system"], route["code"]) == ("http://snomed.info/sct", "47625008")
        rates = [e["rateQuantity"] for e in request["dosageInstruction"][0]["doseAndRate"] if "rateQuantity" in e]
        assert [r["value"] for r in rates] == [42, 84, 168]
        assert {r["code"] for r in rates} == {"mL/h"}
    (weight,) = resources(document, "Observation")
    assert weight["code"]["coding"][0]["code"] == "29463-7"
    assert weight["valueQuantity"]["value"] == 70 and weight["valueQuantity"]["code"] == "kg"
    found = quantities(document)
    assert found and all(q["system"] == UCUM and q["code"] == q["unit"] for q in found)


def test_rules_and_warnings_are_notes_and_the_digest_and_protocol_an_extension():
    document = bundle("--weight", "72.35", *START)
    request = resources(document, "MedicationRequest")[0]
    notes = [n["text"] for n in request["note"]]
    assert any(n.startswith("R2: ") and "144.7 g" in n for n in notes)
    assert any(n.startswith("warning: ") for n in notes)
    plan_json = json.loads(run("plan", "--weight", "72.35", *START, "-f", "json").stdout)
    assert part(request, "urn:ivig-dose:fhir:plan", "inputDigest") == plan_json["input_digest"]
    assert part(request, "urn:ivig-dose:fhir:plan", "protocol") == "timeismuscle"
    assert part(request, "urn:ivig-dose:fhir:plan", "protocolVersion") == plan_json["protocol_version"]


def test_the_patient_id_is_not_in_the_digest_but_is_in_the_ids():
    one, other = bundle("--weight", "70", *START, patient="A-1"), bundle("--weight", "70", *START, patient="B-2")
    first = resources(one, "MedicationRequest")[0]
    assert part(first, "urn:ivig-dose:fhir:plan", "inputDigest") == part(
        resources(other, "MedicationRequest")[0], "urn:ivig-dose:fhir:plan", "inputDigest")
    urls = {e["fullUrl"] for e in one["entry"]}
    assert not urls & {e["fullUrl"] for e in other["entry"]}
    assert all(url.startswith("urn:uuid:") for url in urls) and len(urls) == len(one["entry"])
    # the same patient's plan made again keeps its ids, so a re-import updates rather than duplicates
    assert [e["fullUrl"] for e in bundle("--weight", "71", *START, patient="A-1")["entry"]] == [
        e["fullUrl"] for e in one["entry"]]


def test_placebo_has_the_same_structure_with_nacl():
    ivig, placebo = bundle("--weight", "72.35", *START), bundle("--weight", "72.35", *START, "--arm", "placebo")
    (medication,) = resources(placebo, "Medication")
    assert medication["code"] == {"text": "NaCl 0.9%"}
    assert "J06BA02" not in json.dumps(placebo)
    pairs = zip(resources(ivig, "MedicationRequest"), resources(placebo, "MedicationRequest"), strict=True)
    for with_ivig, with_placebo in pairs:
        assert bag_of(with_ivig) == bag_of(with_placebo)
        assert with_ivig["dispenseRequest"] == with_placebo["dispenseRequest"]
        dose = with_placebo["dosageInstruction"][0]["doseAndRate"]
        # the placebo's dose is its volume, never "0 g"; the pump program is the IVIg's (R8)
        assert dose[0]["doseQuantity"] == with_placebo["dispenseRequest"]["quantity"]
        assert dose[1:] == with_ivig["dosageInstruction"][0]["doseAndRate"][1:]


def test_blinded_bundles_of_both_arms_are_byte_identical_and_hold_no_dose():
    ivig = bundle_text("--weight", "72.35", *START, "--blinded")
    placebo = bundle_text("--weight", "72.35", *START, "--blinded", "--arm", "placebo")
    assert ivig == placebo
    document = json.loads(ivig)
    (medication,) = resources(document, "Medication")
    assert medication["code"] == {"text": "Study medication (IVIg or placebo)"}
    assert "doseQuantity" not in ivig and "J06BA02" not in ivig and "NaCl" not in ivig
    assert not [q for q in quantities(document) if q["code"] in ("g", "mg")]


# --- verify reads it back ----------------------------------------------------------------------

@pytest.mark.parametrize("options", [
    ["--weight", "72.35"],
    ["--weight", "72.35", "--arm", "placebo"],
    ["--weight", "72.35", "--blinded"],
    ["--weight", "100", "--course-weight", "week8=96kg", "--days", "4"],
    ["--weight", "158.7 lb", "--round", "vials"],
])
def test_a_bundle_round_trips_through_verify_as_a_match(tmp_path, options):
    result = verified(tmp_path, bundle_text(*options, *START))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "MATCH" in result.stdout and "DOES NOT MATCH" not in result.stdout


def test_a_bundle_on_an_adjusted_weight_matches_when_height_and_sex_are_given(tmp_path):
    text = bundle_text("--weight", "100", "--height", "5 ft 10 in", "--sex", "male", "--dosing-weight", "adjusted",
                       *START)
    result = verified(tmp_path, text, "--height", "5 ft 10 in", "--sex", "male")
    assert result.exit_code == 0, result.stdout


def changed(text: str, change) -> str:
    document = json.loads(text)
    change(resources(document, "MedicationRequest"))
    return json.dumps(document)


def test_a_changed_dose_is_a_discrepancy(tmp_path):
    def dose_45(requests):
        requests[0]["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"]["value"] = 45

    result = verified(tmp_path, changed(bundle_text("--weight", "72.35", *START), dose_45), "-f", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    wrong = {d["field"]: (d["ordered"], d["expected"]) for d in report["discrepancies"]}
    assert wrong["baseline day 1 hospital dose_g"] == (45, 30)
    assert wrong["baseline day 1 dose_g"] == (87.4, 72.4)  # 45 + 42.4 against 30 + 42.4


def test_a_changed_placebo_volume_is_a_discrepancy(tmp_path):
    def dose_volume(requests):
        requests[1]["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"]["value"] = 450

    text = changed(bundle_text("--weight", "72.35", "--arm", "placebo", *START), dose_volume)
    result = verified(tmp_path, text, "-f", "json")
    assert result.exit_code == 1
    fields = [(d["field"], d["ordered"], d["expected"]) for d in json.loads(result.stdout)["discrepancies"]]
    assert ("baseline day 1 home volume_ml", 450, 424) in fields


def test_a_checked_weight_other_than_the_bundles_is_a_discrepancy(tmp_path):
    result = verified(tmp_path, bundle_text("--weight", "72.35", *START), "--weight", "80")
    assert result.exit_code == 1


def test_a_dose_in_mg_is_read_exactly(tmp_path):
    def in_mg(requests):
        quantity = requests[0]["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"]
        quantity.update(value=30000, unit="mg", code="mg")

    result = verified(tmp_path, changed(bundle_text("--weight", "72.35", *START), in_mg))
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize(("change", "said"), [
    (lambda rs: rs[0]["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"].update(code="[lb_av]"),
     "doseQuantity.code"),
    (lambda rs: rs[0]["dispenseRequest"]["quantity"].update(system="http://example.org/units"), "UCUM"),
    (lambda rs: rs[0].update(status="cancelled"), "not to be given"),
    (lambda rs: rs[0].update(extension=[]), "urn:ivig-dose:fhir:bag"),
    (lambda rs: rs[2].update(subject={"identifier": {"value": "TIM-002"}}), "one order is for one patient"),
    (lambda rs: rs[0]["dosageInstruction"][0]["timing"].update(event=["4 Jan 2027"]), "not a FHIR date"),
    (lambda rs: rs[0]["dosageInstruction"][0]["doseAndRate"].pop(0), "no doseQuantity"),
    (lambda rs: rs[1].update(category=rs[0]["category"]), "one bag has one setting"),
    (lambda rs: rs[0]["medicationReference"].update(reference="urn:uuid:nowhere"), "not a resource of this bundle"),
    (lambda rs: rs.append(rs[0]), "appears twice"),
])
def test_a_bad_bundle_is_one_line_and_exit_2(tmp_path, change, said):
    document = json.loads(bundle_text("--weight", "72.35", *START))
    requests = resources(document, "MedicationRequest")
    change(requests)
    if len(requests) > len(resources(document, "MedicationRequest")):  # an appended request: put it in the bundle
        document["entry"].append({"fullUrl": "urn:uuid:00000000-0000-5000-8000-000000000000", "resource": requests[-1]})
    result = verified(tmp_path, json.dumps(document))
    assert result.exit_code == 2, result.stdout
    assert said in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_bundle_without_requests_is_refused(tmp_path):
    result = verified(tmp_path, json.dumps({"resourceType": "Bundle", "type": "collection", "entry": []}))
    assert result.exit_code == 2 and "no MedicationRequest" in result.stderr


# --- the plan command's options ----------------------------------------------------------------

def test_fhir_needs_a_patient_id():
    result = run("plan", "--weight", "70", "-f", "fhir")
    assert result.exit_code == 2 and "--patient-id" in result.stderr


def test_a_patient_id_without_fhir_is_refused_rather_than_ignored():
    result = run("plan", "--weight", "70", "-f", "json", "--patient-id", "TIM-001")
    assert result.exit_code == 2 and "-f fhir" in result.stderr


# --- batch: one bundle a line ------------------------------------------------------------------

PATIENTS = "patient_id,weight,start,arm\nP001,72.35,2027-01-04,\nP002,158.7 lb,2027-01-11,placebo\n"


def test_batch_writes_one_bundle_per_patient_as_plan_does(tmp_path):
    source = tmp_path / "patients.csv"
    source.write_text(PATIENTS, encoding="utf-8")
    out = tmp_path / "orders.ndjson"
    result = run("batch", str(source), "-f", "fhir", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    for line in lines:
        validate(json.loads(line))
    assert json.loads(lines[0]) == bundle("--weight", "72.35", "--start", "2027-01-04", patient="P001")
    assert json.loads(lines[1]) == bundle("--weight", "158.7 lb", "--start", "2027-01-11", "--arm", "placebo",
                                          patient="P002")
    checked = run("batch", "--verify", str(out), "-f", "jsonl")
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    reports = [json.loads(line) for line in checked.stdout.splitlines()]
    assert [(r["patient_id"], r["match"]) for r in reports] == [("P001", True), ("P002", True)]


def test_batch_verify_finds_the_changed_bundle(tmp_path):
    source = tmp_path / "patients.csv"
    source.write_text(PATIENTS, encoding="utf-8")
    out = tmp_path / "orders.ndjson"
    assert run("batch", str(source), "-f", "fhir", "-o", str(out)).exit_code == 0
    first, second = out.read_text(encoding="utf-8").splitlines()
    document = json.loads(second)
    resources(document, "MedicationRequest")[1]["dispenseRequest"]["quantity"]["value"] = 430
    out.write_text(first + "\n" + json.dumps(document) + "\n", encoding="utf-8")
    checked = run("batch", "--verify", str(out), "-f", "jsonl")
    assert checked.exit_code == 1
    reports = [json.loads(line) for line in checked.stdout.splitlines()]
    assert [(r["patient_id"], r["match"]) for r in reports] == [("P001", True), ("P002", False)]


def test_batch_verify_does_not_write_fhir(tmp_path):
    source = tmp_path / "orders.ndjson"
    source.write_text("", encoding="utf-8")
    result = run("batch", "--verify", str(source), "-f", "fhir")
    assert result.exit_code == 2 and "--verify" in result.stderr


# --- whatever a bundle holds, no traceback -----------------------------------------------------

def _paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(value, dict):
        found += [p for k, v in value.items() for p in _paths(v, (*at, k))]
    elif isinstance(value, list):
        found += [p for i, v in enumerate(value) for p in _paths(v, (*at, i))]
    return found


SAMPLE = json.loads(bundle_text("--weight", "72.35", *START, "--course-weight", "week4=70kg"))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.decimals(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12) | st.sampled_from(["g", "mL", "kg", "mg", "inpatient", "home", "baseline", "Bundle"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=300)
@given(st.lists(st.tuples(st.sampled_from(_paths(SAMPLE)[1:]), JSON_VALUES), min_size=1, max_size=3))
def test_any_change_to_a_bundle_is_read_checked_or_refused(changes):
    from ivig_dose.app.plan import setup
    from ivig_dose.app.verify import check_order
    from ivig_dose.core.errors import InputError
    from ivig_dose.core.tolerance import Tolerance
    from ivig_dose.parse.order_json import order_from_document
    from ivig_dose.parse.plan_inputs import PlanInputs

    document = json.loads(json.dumps(SAMPLE))
    for path, value in changes:
        target = document
        try:
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed the place
    try:
        order = order_from_document(document, "bundle.json")
        check_order(order, PlanInputs(weight=""), setup(), Tolerance())
    except InputError as exc:
        assert exc.message.strip() and "\n" not in exc.message


def test_a_resource_id_is_the_name_based_uuid_of_the_patient_and_the_place():
    import uuid

    from ivig_dose.render.plan_fhir import NAMESPACE, named_url

    for patient_id in ("P1", "TIM-001", "患者-7", "a\x1fb", ""):
        for name in ("timeismuscle\x1fmedication", "standard-5-day\x1fbag\x1fbaseline\x1f2\x1fhome"):
            assert named_url(patient_id, name) == f"urn:uuid:{uuid.uuid5(NAMESPACE, patient_id + chr(31) + name)}"


def test_each_bag_says_its_own_pump_where_bags_share_pump_programs():
    # a bundle makes each pump's text and rates once per Dispense it is of; keyed wrongly (by the
    # course, the day), the 300 mL and 400 mL bags of baseline day 1 would say each other's pump
    from datetime import UTC, datetime

    import ivig_dose
    from ivig_dose.render.plan_fhir import _Bag, plan_bundle

    plan = ivig_dose.plan("70", start="2027-01-04")
    bundle = plan_bundle(plan, False, "P1", datetime(2027, 1, 1, tzinfo=UTC))
    requests = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MedicationRequest"]
    bags = [(course, day, segment) for course in plan.courses for day in course.days for segment in day.segments]
    assert len(requests) == len(bags) == 7
    pumps = {request["dosageInstruction"][0]["text"].split(". Pump ")[1] for request in requests}
    assert len(pumps) == 3  # 300, 400 and 700 mL bags at 70 kg
    for request, (course, day, segment) in zip(requests, bags, strict=True):
        assert request["dosageInstruction"] == [_Bag(plan, course, day, segment, False).dosage()]


@given(st.lists(st.sampled_from(['"', "a", ",", '{"t":"w ', '"}', "\ue000", "patient", "warnings", "3", "9"]),
                max_size=16).map("".join))
def test_a_bundle_is_cut_at_its_holes_as_a_regular_expression_of_them_cuts_it(text):
    # batch cuts a FHIR bundle at its holes with str.split; it must cut exactly where the regular
    # expression of all the holes would, the holes that begin first winning
    import re

    from ivig_dose.render.batch_writers import _cut_at_marks
    from ivig_dose.render.plan_template import PATIENT_ID, PATIENT_ID_IN_TEXT, WARNINGS, Place

    holes = {'"\ue000patient\ue000"': PATIENT_ID, "\ue000patient\ue000": PATIENT_ID_IN_TEXT,
             ',{"t":"w \ue000warnings\ue000"}': WARNINGS, "\ue0003\ue000": Place("bag")}
    pattern = re.compile("(" + "|".join(re.escape(key) for key in holes) + ")")
    expected = [holes[piece] if index % 2 else piece for index, piece in enumerate(pattern.split(text))]
    cut = _cut_at_marks(text, holes)
    assert cut == expected
    assert [type(part) for part in cut] == [type(part) for part in expected]
