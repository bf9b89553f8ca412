"""The plan as an HL7 FHIR R4 ``Bundle``, so a hospital system can import it instead of a pharmacist
retyping it (the step where transcription errors happen).

The target is FHIR R4 (4.0.1); every element used here has the same shape in R4B, whose models
the tests validate against (``fhir.resources``: its R4B package is the closest to R4 it ships).
The bundle is plain JSON built here: no FHIR library is needed at run time.

One ``collection`` Bundle per patient holds:

- one ``Medication``: the product's name as ``code.text``; for IVIg the ATC code and the
  concentration as ``ingredient.strength`` (mg per mL); for placebo only the protocol's name of it
  (``NaCl 0.9%``), since the protocol gives no code for it and none is guessed; blinded only
  :data:`~ivig_dose.core.blinding.BLINDED_PRODUCT`, the same for both arms;
- one body-weight ``Observation`` for the baseline weight and one for each weight measured for a
  later course (R9), which the requests of that course point to as ``supportingInformation``;
- one ``MedicationRequest`` per bag (segment), in the order of giving, grouped per course by
  ``groupIdentifier``, each with one ``dosageInstruction``.

Every code and unit, and where it comes from:

- ATC ``J06BA02`` "immunoglobulins, normal human, for intravascular adm.", system
  ``http://www.whocc.no/atc`` (WHO Collaborating Centre for Drug Statistics Methodology, ATC/DDD
  index; the system URI is the one HL7 terminology lists for ATC).
- SNOMED CT ``47625008`` "Intravenous route" (a qualifier value of the route-of-administration
  hierarchy), system ``http://snomed.info/sct``; FHIR's own route value set draws from it.
- LOINC ``29463-7`` "Body weight", system ``http://loinc.org``: the code FHIR's vital-signs
  profile requires for a body weight.
- UCUM units, system ``http://unitsofmeasure.org``: ``g``, ``mg``, ``mL``, ``kg``, ``mL/h``,
  ``min``, each its UCUM case-sensitive code.
- ``medicationrequest-category`` (``http://terminology.hl7.org/CodeSystem/medicationrequest-category``,
  FHIR R4): ``inpatient`` for the hospital part, ``community`` ("administered or consumed by the
  patient in their home") for home infusion.
- ``dose-rate-type`` ``calculated`` (``http://terminology.hl7.org/CodeSystem/dose-rate-type``):
  the doses and rates are computed by this tool, not typed by a prescriber.
- ``status`` is ``draft`` (R4: "not yet actionable ... requires sign-off, verification"): a
  computed plan becomes an order only when a prescriber signs it; ``intent`` is ``order``.

What FHIR has no element for is in two extensions of each request, named by URN (an extension's
``url`` may be a logical name), documented in docs/fhir.md: ``urn:ivig-dose:fhir:bag`` (course,
week, day, setting, dosing weight and its basis: where the bag sits in the plan, which
``verify`` reads back) and ``urn:ivig-dose:fhir:plan`` (protocol id and version, input digest,
whether the dosing-weight basis was chosen by the prescriber). Each pump step's time is an
extension ``urn:ivig-dose:fhir:step-minutes`` on its ``doseAndRate`` entry.

Resource ids (``fullUrl``) are name-based UUIDs (version 5) of the patient id, the protocol and
the bag's place, like the calendar's UIDs: an updated plan for the same patient re-imports onto
the same resources, another patient's never does, and the two arms of a blinded plan stay
byte-identical.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from hashlib import sha1
from typing import Any

from ivig_dose.core.amounts import amount, duration, grams, json_number, millilitres
from ivig_dose.core.blinding import BLINDED_PRODUCT
from ivig_dose.core.digest import input_digest
from ivig_dose.core.model import HOME, HOSPITAL, PLACEBO, Course, Dispense, InfusionDay, Plan, Segment
from ivig_dose.render.dispense_text import pump_steps

FHIR_VERSION = "4.0.1"
UCUM = "http://unitsofmeasure.org"
ATC = "http://www.whocc.no/atc"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/medicationrequest-category"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DOSE_RATE_TYPE = "http://terminology.hl7.org/CodeSystem/dose-rate-type"

IVIG_ATC = "J06BA02"
IVIG_ATC_DISPLAY = "immunoglobulins, normal human, for intravascular adm."
IV_ROUTE = "47625008"
IV_ROUTE_DISPLAY = "Intravenous route"
BODY_WEIGHT = "29463-7"
#: the plan's settings as FHIR request categories, and back.
CATEGORIES = {HOSPITAL: ("inpatient", "Inpatient"), HOME: ("community", "Community")}

BAG_EXTENSION = "urn:ivig-dose:fhir:bag"
PLAN_EXTENSION = "urn:ivig-dose:fhir:plan"
STEP_MINUTES = "urn:ivig-dose:fhir:step-minutes"
#: the systems of the identifiers this tool assigns.
COURSE_SYSTEM = "urn:ivig-dose:course"
#: the namespace of the resource ids: fixed, so the same bag of the same patient keeps its id.
NAMESPACE = uuid.UUID("1f8f2bae-c720-4555-b2a4-162a6b405576")
_NAMESPACE_BYTES = NAMESPACE.bytes


def quantity(value: Decimal | int, unit: str) -> dict[str, Any]:
    """A UCUM quantity; the unit's UCUM code is also its display."""
    return {"value": json_number(value), "unit": unit, "system": UCUM, "code": unit}


def coding(system: str, code: str, display: str) -> dict[str, Any]:
    return {"system": system, "code": code, "display": display}


def place_name(protocol_id: str, *place: str | int) -> str:
    """What names a resource besides the patient: the protocol and the resource's place."""
    return "\x1f".join(str(part) for part in (protocol_id, *place))


def named_url(patient_id: str, name: str) -> str:
    """``urn:uuid:`` of the name-based UUID (version 5) of the patient id and a :func:`place_name`:
    the same patient, protocol and place give the same id. ``uuid.uuid5`` written out, as a batch
    makes one for each resource of each patient (tests/test_fhir.py holds the two equal)."""
    digest = bytearray(sha1(_NAMESPACE_BYTES + f"{patient_id}\x1f{name}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    hexed = digest.hex()
    return f"urn:uuid:{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"


def resource_url(patient_id: str, plan: Plan, *place: str | int) -> str:
    """``urn:uuid:`` of a name-based UUID: the same patient, protocol and place give the same id."""
    return place_url(patient_id, plan.protocol_id, *place)


def place_url(patient_id: str, protocol_id: str, *place: str | int) -> str:
    """:func:`resource_url` from the protocol's id alone: what a recorded administration points its
    ``request`` at, the bag's MedicationRequest as ``plan -f fhir`` made it."""
    return named_url(patient_id, place_name(protocol_id, *place))


#: how a bundle names its resources: :func:`resource_url`, or a stand-in that marks where each goes.
Urls = Callable[..., str]


def plan_bundle(plan: Plan, blinded: bool, patient_id: str, authored: datetime,
                digest: str | None = None, url: Urls = resource_url) -> dict[str, Any]:
    """The Bundle: the medication, the weights, then one request per bag in the order of giving."""
    subject = {"identifier": {"value": patient_id}}
    digest = input_digest(plan, blinded) if digest is None else digest
    authored_on = authored.isoformat(timespec="seconds")
    medication_url = url(patient_id, plan, "medication")
    entries = [{"fullUrl": medication_url, "resource": medication(plan, blinded)}]
    baseline = plan.courses[0]
    weights: dict[str, str] = {}
    for course in plan.courses:
        if course is baseline or course.weight_measured:
            weights[course.name] = url(patient_id, plan, "weight", course.name)
            entries.append({"fullUrl": weights[course.name],
                            "resource": body_weight(course, subject, course is baseline)})
        else:
            weights[course.name] = weights[baseline.name]
    # bags of one volume share their Dispense, and with it the pump's text and rate steps: each
    # is written once a bundle (a batch renders a bundle for every distinct plan)
    pumps: dict[int, tuple[str, list[dict[str, Any]]]] = {}
    for course in plan.courses:
        notes = course_notes(plan, course, blinded)  # the same for every bag of the course
        for day in course.days:
            for segment in day.segments:
                bag = _Bag(plan, course, day, segment, blinded, pumps)
                request = bag.request(subject, medication_url, weights[course.name], authored_on, digest, notes)
                entries.append({"fullUrl": url(patient_id, plan, "bag", course.name, day.day, segment.setting),
                                "resource": request})
    return {"resourceType": "Bundle", "type": "collection", "timestamp": authored_on, "entry": entries}


def medication(plan: Plan, blinded: bool) -> dict[str, Any]:
    """IVIg with its ATC code and strength; the placebo or the blinded medication by name alone."""
    if blinded:
        return {"resourceType": "Medication", "code": {"text": BLINDED_PRODUCT}}
    concentration = plan.product.concentration_mg_per_ml
    if plan.arm == PLACEBO or concentration is None:
        return {"resourceType": "Medication", "code": {"text": plan.product.name}}
    atc = {"coding": [coding(ATC, IVIG_ATC, IVIG_ATC_DISPLAY)], "text": plan.product.name}
    return {
        "resourceType": "Medication",
        "code": atc,
        "ingredient": [{
            "itemCodeableConcept": {"coding": [coding(ATC, IVIG_ATC, IVIG_ATC_DISPLAY)],
                                    "text": "human normal immunoglobulin (IgG)"},
            "isActive": True,
            "strength": {"numerator": quantity(concentration, "mg"), "denominator": quantity(1, "mL")},
        }],
    }


def body_weight(course: Course, subject: dict[str, Any], baseline: bool) -> dict[str, Any]:
    """The weight a course is dosed on (R9), as the vital sign a hospital system records: always in
    kg (UCUM), exactly; a weight typed in another unit is named as typed in the note."""
    measured = "baseline weight" if baseline else f"weight measured for {course.name}"
    if course.weight_as_typed is not None:
        measured += f" ({course.weight_as_typed})"
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [coding(OBSERVATION_CATEGORY, "vital-signs", "Vital Signs")]}],
        "code": {"coding": [coding(LOINC, BODY_WEIGHT, "Body weight")], "text": "Body weight"},
        "subject": subject,
        "valueQuantity": quantity(course.weight_kg, "kg"),
        "note": [{"text": f"{measured}, as the plan was given it"}],
    }


class _Bag:
    """One segment as a MedicationRequest."""

    def __init__(self, plan: Plan, course: Course, day: InfusionDay, segment: Segment, blinded: bool,
                 pumps: dict[int, tuple[str, list[dict[str, Any]]]] | None = None) -> None:
        self.plan, self.course, self.day, self.segment, self.blinded = plan, course, day, segment, blinded
        #: the pump's text and rate steps by the Dispense they are of, shared by the bags of one bundle
        self.pumps = {} if pumps is None else pumps

    def pump(self, dispense: Dispense) -> tuple[str, list[dict[str, Any]]]:
        """The pump program as the text says it, and its steps as FHIR rates: made once per Dispense."""
        key = id(dispense)  # the Dispense is alive while the bundle is made: its id is not reused
        if key not in self.pumps:
            calculated = {"coding": [coding(DOSE_RATE_TYPE, "calculated", "Calculated")]}
            self.pumps[key] = (f"Pump {pump_steps(dispense.pump)}; total {duration(dispense.pump.duration_min)}", [{
                "extension": [{"url": STEP_MINUTES, "valueDuration": quantity(step.minutes, "min")}],
                "type": calculated,
                "rateQuantity": quantity(step.rate_ml_per_h, "mL/h"),
            } for step in dispense.pump.steps])
        return self.pumps[key]

    @property
    def placebo(self) -> bool:
        return self.plan.arm == PLACEBO or self.plan.product.concentration_mg_per_ml is None

    def request(self, subject: dict[str, Any], medication_url: str, weight_url: str, authored_on: str,
                digest: str, notes: list[dict[str, str]]) -> dict[str, Any]:
        code, display = CATEGORIES[self.segment.setting]
        return {
            "resourceType": "MedicationRequest",
            "extension": [self.bag_extension(), self.plan_extension(digest)],
            "status": "draft",
            "intent": "order",
            "category": [{"coding": [coding(CATEGORY, code, display)], "text": self.segment.setting}],
            "medicationReference": {"reference": medication_url},
            "subject": subject,
            "authoredOn": authored_on,
            "supportingInformation": [{"reference": weight_url}],
            "groupIdentifier": {"system": COURSE_SYSTEM, "value": f"{subject['identifier']['value']} "
                                f"{self.plan.protocol_id} {self.course.name}"},
            "note": notes,
            "dosageInstruction": [self.dosage()],
            "dispenseRequest": {"quantity": quantity(self.segment.volume_ml, "mL")},
        }

    def bag_extension(self) -> dict[str, Any]:
        return {"url": BAG_EXTENSION, "extension": [
            {"url": "course", "valueString": self.course.name},
            {"url": "week", "valueInteger": self.course.week},
            {"url": "day", "valueInteger": self.day.day},
            {"url": "setting", "valueCode": self.segment.setting},
            {"url": "dosingWeight", "valueQuantity": quantity(self.course.dosed_on_kg, "kg")},
            {"url": "dosingWeightBasis", "valueCode": self.course.dosing_weight_basis},
        ]}

    def plan_extension(self, digest: str) -> dict[str, Any]:
        return {"url": PLAN_EXTENSION, "extension": [
            {"url": "protocol", "valueString": self.plan.protocol_id},
            {"url": "protocolVersion", "valueString": self.plan.protocol_version},
            {"url": "inputDigest", "valueString": digest},
            {"url": "dosingWeightOverride", "valueBoolean": self.plan.dosing_weight_override},
            *([] if self.plan.dosing_weight_override_basis is None else
              [{"url": "dosingWeightOverrideBasis", "valueCode": self.plan.dosing_weight_override_basis}]),
        ]}

    def dosage(self) -> dict[str, Any]:
        """The dose (none when blinded; the placebo's is its volume), then each pump step's rate."""
        calculated = {"coding": [coding(DOSE_RATE_TYPE, "calculated", "Calculated")]}
        dose_and_rate: list[dict[str, Any]] = []
        if not self.blinded:
            dose = (quantity(self.segment.volume_ml, "mL") if self.placebo
                    else quantity(self.segment.dose_g, "g"))
            dose_and_rate.append({"type": calculated, "doseQuantity": dose})
        timing: dict[str, Any] = {"event": [self.day.date.isoformat()]}
        dispense = self.segment.dispense
        if dispense is not None:
            timing["repeat"] = {"duration": dispense.pump.duration_min, "durationUnit": "min"}
            dose_and_rate += self.pump(dispense)[1]
        return {
            "sequence": 1,
            "text": self.text(),
            "timing": timing,
            "route": {"coding": [coding(SNOMED, IV_ROUTE, IV_ROUTE_DISPLAY)], "text": "intravenous"},
            "doseAndRate": dose_and_rate,
        }

    def text(self) -> str:
        """The bag as the plan reads: what, how much, where, when, and the pump program."""
        segment, day = self.segment, self.day
        if self.blinded:
            what = f"{BLINDED_PRODUCT} {millilitres(segment.volume_ml)}"
        elif self.placebo:
            what = f"{self.plan.product.name} {millilitres(segment.volume_ml)}"
        else:
            concentration = self.plan.product.concentration_mg_per_ml or Decimal(0)
            what = (f"{self.plan.product.name} {amount(concentration)} mg/mL {grams(segment.dose_g)} "
                    f"({millilitres(segment.volume_ml)})")
        when = f"{self.course.name} day {day.day} of {len(self.course.days)}, {day.date.isoformat()}"
        dispense = segment.dispense
        pump = "Pump program not computed" if dispense is None else self.pump(dispense)[0]
        return f"{what} intravenously, {segment.setting}; {when}. {pump}."

def course_notes(plan: Plan, course: Course, blinded: bool) -> list[dict[str, str]]:
    """The notes of each request of a course: the rules that shaped its numbers, then the plan's warnings."""
    reasons = [(r.rule, r.blinded_text if blinded else r.text) for r in plan.reasons_for(course.name)]
    return ([{"text": f"{rule}: {text}"} for rule, text in reasons if text]
            + [warning_note(warning) for warning in plan.warnings])


def warning_note(warning: str) -> dict[str, str]:
    """A warning of the plan as a request's note."""
    return {"text": f"warning: {warning}"}


def render_fhir(plan: Plan, blinded: bool, patient_id: str, authored: datetime) -> str:
    """The Bundle as indented JSON, for ``plan -f fhir``."""
    return json.dumps(plan_bundle(plan, blinded, patient_id, authored), indent=2, ensure_ascii=False) + "\n"
