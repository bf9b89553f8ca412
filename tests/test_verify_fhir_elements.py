"""A FHIR bundle edited in a way that changes what is ordered, with an element the tool does not write
or another value in one it does, is never a match: each is a discrepancy (exit 1) or refused in one
line (exit 2).

The bundle is the tool's own for 72.35 kg: its first pump step is 0.6 mL/kg/h × 72.35 kg = 43.41,
rounded down to 43.4 mL/h.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ivig_dose.cli.main import app

runner = CliRunner()
Bundle = dict[str, Any]


def bundle() -> Bundle:
    made = runner.invoke(app, ["plan", "-w", "72.35", "--start", "2027-01-04", "-f", "fhir", "--patient-id",
                               "TIM-001"], env={"SOURCE_DATE_EPOCH": str(int(datetime(2027, 1, 2).timestamp()))})
    assert made.exit_code == 0, made.stderr
    return json.loads(made.stdout)


def request(document: Bundle, number: int = 0) -> dict[str, Any]:
    return [e["resource"] for e in document["entry"] if e["resource"]["resourceType"] == "MedicationRequest"][number]


def observation(document: Bundle) -> dict[str, Any]:
    return next(e["resource"] for e in document["entry"] if e["resource"]["resourceType"] == "Observation")


def dosage(document: Bundle) -> dict[str, Any]:
    return request(document)["dosageInstruction"][0]


def first_rate(document: Bundle) -> dict[str, Any]:
    return next(d["rateQuantity"] for d in dosage(document)["doseAndRate"] if "rateQuantity" in d)


def dose(document: Bundle) -> dict[str, Any]:
    return dosage(document)["doseAndRate"][0]


def plan_part(document: Bundle, url: str) -> dict[str, Any]:
    plan = next(e for e in request(document)["extension"] if e["url"] == "urn:ivig-dose:fhir:plan")
    return next(part for part in plan["extension"] if part["url"] == url)


EDITS: dict[str, Callable[[Bundle], None]] = {
    "doNotPerform": lambda b: request(b).update(doNotPerform=True),
    "repeat.count 3": lambda b: dosage(b)["timing"]["repeat"].update(count=3),
    "frequency 3 a day": lambda b: dosage(b)["timing"]["repeat"].update(frequency=3, period=1, periodUnit="d"),
    "numberOfRepeatsAllowed 5": lambda b: request(b).setdefault("dispenseRequest", {}).update(
        numberOfRepeatsAllowed=5),
    "timing code BID": lambda b: dosage(b)["timing"].update(code={"coding": [
        {"system": "http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation", "code": "BID"}]}),
    "a dose comparator": lambda b: dose(b)["doseQuantity"].update(comparator="<"),
    "a doseRange": lambda b: dose(b).update(doseRange={"low": {"value": 30, "unit": "g"},
                                                       "high": {"value": 60, "unit": "g"}}),
    "route oral": lambda b: dosage(b)["route"]["coding"][0].update(code="26643006", display="Oral route"),
    "ATC J06BA01": lambda b: b["entry"][0]["resource"]["code"]["coding"][0].update(code="J06BA01"),
    "status revoked": lambda b: request(b).update(status="revoked"),
    "status cancelled": lambda b: request(b, 2).update(status="cancelled"),
    "status active": lambda b: request(b).update(status="active"),
    "intent plan": lambda b: request(b).update(intent="plan"),
    "weight entered-in-error": lambda b: observation(b).update(status="entered-in-error"),
    "weight of another patient": lambda b: observation(b)["subject"]["identifier"].update(value="TIM-002"),
    "another protocol version": lambda b: plan_part(b, "protocolVersion").update(valueString="2027-01-01"),
    "rate 434 for 43.4": lambda b: first_rate(b).update(value=434),
    "a rate in another unit": lambda b: first_rate(b).update(unit="mL/min", code="mL/min"),
    "the dosage text's rate": lambda b: dosage(b).update(text=dosage(b)["text"].replace("43.4 mL/h", "44.4 mL/h")),
    "a meta element": lambda b: request(b).update(meta={"versionId": "2"}),
}


def test_the_bundle_as_made_matches(tmp_path: Path) -> None:
    path = tmp_path / "bundle.json"
    document = bundle()
    assert first_rate(document)["value"] == 43.4  # 0.6 × 72.35 = 43.41, down to 0.1 mL/h
    path.write_text(json.dumps(document))
    assert runner.invoke(app, ["verify", str(path)]).exit_code == 0


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_an_element_that_changes_what_is_ordered_is_never_a_match(edit: str, tmp_path: Path) -> None:
    document = bundle()
    EDITS[edit](document)
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(document))
    result = runner.invoke(app, ["verify", str(path), "-f", "json"])
    assert result.exit_code in (1, 2), result.stdout
    if result.exit_code == 2:
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    else:
        assert json.loads(result.stdout)["discrepancies"]
