"""Orders as the FHIR R4 Bundle that ``plan -f fhir`` writes (:mod:`ivig_dose.render.plan_fhir`), read
into the same facts as any other order, so ``verify`` checks a bundle value by value.

What each fact is read from:

- a bag's place (course, day, setting), its week and dosing weight: the request's
  ``urn:ivig-dose:fhir:bag`` extension; a ``category`` that names another setting is refused;
- its date: ``dosageInstruction[0].timing.event`` (a date, or a dateTime whose date is taken);
- its dose: a ``doseQuantity`` in g or mg; a dose in mL or L (the placebo's) is its volume;
- its pump program: each ``doseAndRate`` entry's ``rateQuantity`` with its minutes (extension
  ``urn:ivig-dose:fhir:step-minutes``), and the total run time ``timing.repeat.duration``;
- its volume: ``dispenseRequest.quantity`` in mL or L;
- the product and its concentration: the referenced ``Medication`` (``code.text``, and
  ``ingredient.strength`` in mg or g per mL or L);
- the weight of each course: the body-weight ``Observation`` (LOINC 29463-7) the request points
  to in ``supportingInformation``;
- the patient: ``subject.identifier.value`` (named as not checked: no plan decides it).

Everything else the bundle holds (codes, routes, statuses, the dosage text a nurse reads, a
``doNotPerform``, a repeat, a comparator) is compared with the bundle the tool writes for the
expected plan, element by element (:mod:`ivig_dose.parse.order_leaves`): an element the tool
does not write is a discrepancy. A bag a request marks as not to be given (cancelled, stopped,
entered in error) is refused rather than counted.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ivig_dose.core.blinding import BLINDED_PRODUCT
from ivig_dose.core.messages import N_, message
from ivig_dose.core.model import HOME, HOSPITAL
from ivig_dose.core.order_document import NotChecked, patient_not_checked
from ivig_dose.core.order_facts import OVERRIDE_BASIS, FactSheet, Node, OrderFacts, add_pump, yes_no
from ivig_dose.parse.fhir_reads import (
    GRAMS,
    KILOGRAMS,
    MILLILITRES,
    MINUTES,
    RATES,
    FhirReads,
    Resources,
    fields,
    items,
)
from ivig_dose.parse.order_leaves import BAG_EXTENSION, bundle_leaves
from ivig_dose.parse.weight import add_weight_as_typed

PLAN_EXTENSION = "urn:ivig-dose:fhir:plan"
STEP_MINUTES = "urn:ivig-dose:fhir:step-minutes"
BODY_WEIGHT = "29463-7"
#: medicationrequest-category codes and the settings they are (render.plan_fhir writes them).
CATEGORY_SETTINGS = {"inpatient": HOSPITAL, "community": HOME}
NOT_GIVEN = ("cancelled", "stopped", "entered-in-error")
#: the weight as typed in a body-weight Observation's note, as render.plan_fhir writes it.
_TYPED_WEIGHT = re.compile(r"\(([^()]+)\), as the plan was given it$")
A_VOLUME = message(N_("a volume in mL"))


def is_bundle(document: Any) -> bool:
    return isinstance(document, dict) and document.get("resourceType") == "Bundle"


def bundle_patient_id(document: dict[str, Any]) -> str | None:
    """The first request's patient identifier, to name an order in a report before it is read."""
    for entry in items(document.get("entry")):
        resource = fields(fields(entry).get("resource"))
        if resource.get("resourceType") == "MedicationRequest":
            value = fields(fields(resource.get("subject")).get("identifier")).get("value")
            return value if isinstance(value, str) else None
    return None


def order_from_bundle(document: dict[str, Any], where: str, row: int | None = None) -> OrderFacts:
    """Every bag of the bundle's MedicationRequests, in the order the bundle lists them."""
    reader = _Reader(where, row)
    resources: Resources = {}
    requests: list[tuple[dict[str, Any], str]] = []
    for index, entry_value in enumerate(reader.array(document.get("entry"), "entry")):
        entry = reader.object(entry_value, f"entry[{index}]")
        path = f"entry[{index}].resource"
        resource = reader.object(entry.get("resource"), path)
        kind = resource.get("resourceType")
        if isinstance(entry.get("fullUrl"), str):
            resources[entry["fullUrl"]] = (resource, path)
        if isinstance(resource.get("id"), str) and isinstance(kind, str):
            resources[f"{kind}/{resource['id']}"] = (resource, path)
        if kind == "MedicationRequest":
            requests.append((resource, path))
    if not requests:
        raise reader.fail("entry", message(N_("no MedicationRequest; an order has at least one bag")))
    for resource, path in requests:
        reader.request(resource, path, resources)
    authored = document.get("timestamp")
    if not isinstance(authored, str):
        raise reader.fail("timestamp", message(N_("missing; accepted: the time the bundle was made, as 'ivig-dose "
                                                  "plan -f fhir' writes it")))
    reader.read.add("timestamp")
    patient = reader.patient_id or ""
    not_checked = (patient_not_checked(patient),
                   NotChecked("timestamp", authored, message(N_("when the bundle was made; each request's authoredOn "
                                                                "is compared with it"))))
    leaves = bundle_leaves(document, row).build("fhir", reader.read, not_checked, authored, patient, reader.digest)
    return reader.sheet.build(reader.patient_id, row, leaves)


class _Reader(FhirReads):
    """Reads requests into one FactSheet."""

    def __init__(self, where: str, row: int | None) -> None:
        self.sheet = FactSheet()
        super().__init__(where, self.sheet.read)
        self.row = row
        self.patient_id: str | None = None
        self.stated: set[object] = set()
        #: the first request's input digest: which inputs the bundle was made from.
        self.digest: object = None

    def add(self, node: Node, attr: str, value: Any) -> None:
        self.sheet.add(node, attr, value, self.row)

    def request(self, request: dict[str, Any], path: str, resources: Resources) -> None:
        status = request.get("status")
        if status in NOT_GIVEN:
            raise self.fail(f"{path}.status", message(N_("{status}: this bag is not to be given; verify checks the "
                                                         "bags an order gives: take it out of the bundle"),
                                                      status=repr(status)))
        self.subject(request, path)
        place = self.extension(request.get("extension"), BAG_EXTENSION, f"{path}.extension", required=True)
        course = self.text(place, "course", f"{path} {BAG_EXTENSION}")
        day = self.whole(place, "day", f"{path} {BAG_EXTENSION}")
        setting = self.text(place, "setting", f"{path} {BAG_EXTENSION}").lower()
        self.check_category(request, setting, path)
        bag: Node = (course, day, setting)
        if self.sheet.open((course,), self.row) and "dosingWeightBasis" in place:
            self.add((course,), "dosing_weight_basis", self.text(place, "dosingWeightBasis", path))
        self.sheet.open((course, day), self.row)
        if not self.sheet.open(bag, self.row):
            raise self.fail(path, message(N_("{course} day {day} {setting} appears twice; one MedicationRequest per "
                                             "bag"), course=course, day=day, setting=setting))
        if "week" in place:
            self.add(bag, "week", self.whole(place, "week", f"{path} {BAG_EXTENSION}"))
        if "dosingWeight" in place:
            weight, at = place["dosingWeight"]
            self.add(bag, "dosing_weight_kg", self.quantity(weight, at, KILOGRAMS, message(N_("a weight in kg"))))
        self.plan_extension(request, path)
        blinded = self.medication(request, path, resources)
        self.weight(request, path, resources, (course,))
        self.dosage(request, path, bag, blinded)

    def subject(self, request: dict[str, Any], path: str) -> None:
        subject = self.object(request.get("subject"), f"{path}.subject")
        identifier = self.object(subject.get("identifier"), f"{path}.subject.identifier")
        value = identifier.get("value")
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{path}.subject.identifier.value",
                            message(N_("missing; accepted: the patient's identifier")))
        if self.patient_id is not None and value.strip() != self.patient_id:
            raise self.fail(f"{path}.subject", message(N_("patient {patient!r}, but the bundle began with patient "
                                                          "{first!r}; one order is for one patient"),
                                                       patient=value, first=self.patient_id))
        self.patient_id = value.strip()
        self.read.add(f"{path}.subject.identifier.value")

    def check_category(self, request: dict[str, Any], setting: str, path: str) -> None:
        for concept in items(request.get("category")):
            for coding in items(fields(concept).get("coding")):
                code = fields(coding).get("code")
                named = CATEGORY_SETTINGS.get(code) if isinstance(code, str) else None
                if named is not None and named != setting:
                    raise self.fail(f"{path}.category", message(N_("says {named}, but the bag is {setting}: one bag "
                                                                   "has one setting"), named=named, setting=setting))

    def plan_extension(self, request: dict[str, Any], path: str) -> None:
        plan = self.extension(request.get("extension"), PLAN_EXTENSION, f"{path}.extension", required=False)
        # the plan's facts, read from the first request; the others' are compared as written
        if "digest" not in self.stated:
            self.stated.add("digest")
            self.digest = plan.get("inputDigest", (None, ""))[0]
        override, at = plan.get("dosingWeightOverride", (None, ""))
        if isinstance(override, bool) and "override" not in self.stated:
            self.stated.add("override")
            self.read.add(at)
            self.add((), "dosing_weight_override", yes_no(override))
        if "dosingWeightOverrideBasis" in plan and "override basis" not in self.stated:
            self.stated.add("override basis")
            self.add((), OVERRIDE_BASIS, self.text(plan, "dosingWeightOverrideBasis", path))

    def medication(self, request: dict[str, Any], path: str, resources: Resources) -> bool:
        """States each medication the requests give once; True when it is the blinded study medication."""
        if "medicationCodeableConcept" in request:
            concept = self.object(request["medicationCodeableConcept"], f"{path}.medicationCodeableConcept")
            return self.product(concept, None, f"{path}.medicationCodeableConcept", f"{path}/concept")
        reference = self.object(request.get("medicationReference"), f"{path}.medicationReference")
        medication, where = self.resolve(reference, f"{path}.medicationReference", resources, "Medication")
        code = self.object(medication.get("code"), f"{where}.code")
        return self.product(code, medication.get("ingredient"), f"{where}.code", where)

    def product(self, code: dict[str, Any], ingredients: Any, path: str, key: str) -> bool:
        name = code.get("text")
        if not isinstance(name, str) or not name.strip():
            raise self.fail(f"{path}.text", message(N_("missing; accepted: the product's name, e.g. Nanogam")))
        self.read.add(f"{path}.text")
        if key not in self.stated:
            self.stated.add(key)
            self.add((), "product", name.strip())
            for index, ingredient in enumerate(items(ingredients)):
                where = f"{key}.ingredient[{index}].strength"
                strength = self.object(ingredient, f"{key}.ingredient[{index}]").get("strength")
                if strength is not None:
                    self.add((), "concentration_mg_per_ml", self.ratio(strength, where))
        return name.strip().casefold() == BLINDED_PRODUCT.casefold()

    def weight(self, request: dict[str, Any], path: str, resources: Resources, course: Node) -> None:
        """The course's weight from the body-weight Observation the request points to, once per course."""
        if ("weight", *course) in self.stated:
            return
        for index, value in enumerate(items(request.get("supportingInformation"))):
            reference = self.object(value, f"{path}.supportingInformation[{index}]")
            found, where = self.resolve(reference, f"{path}.supportingInformation[{index}]", resources, None)
            codes = items(fields(found.get("code")).get("coding"))
            if found.get("resourceType") == "Observation" and any(
                    fields(c).get("code") == BODY_WEIGHT for c in codes):
                self.stated.add(("weight", *course))
                self.add(course, "weight_kg", self.quantity(found.get("valueQuantity"), f"{where}.valueQuantity",
                                                            KILOGRAMS, "a weight in kg"))
                self.typed_weight(found, where, course)
                return

    def typed_weight(self, observation: dict[str, Any], where: str, course: Node) -> None:
        """The weight as it was typed in another unit than kg, which the tool writes in the
        Observation's note (``baseline weight (158.7 lb), as the plan was given it``): read as any
        order's ``weight_as_typed``, so the expected bundle is written with it too."""
        for note in items(observation.get("note")):
            typed = _TYPED_WEIGHT.search(str(fields(note).get("text", "")))
            if typed is not None:
                add_weight_as_typed(self.sheet, course, typed[1], f"{where}.note: ", self.row)
                return

    def dosage(self, request: dict[str, Any], path: str, bag: Node, blinded: bool) -> None:
        instructions = self.array(request.get("dosageInstruction"), f"{path}.dosageInstruction")
        if len(instructions) != 1:
            raise self.fail(f"{path}.dosageInstruction", message(N_("{count} instructions; one bag has one"),
                                                                 count=len(instructions)))
        dosage_path = f"{path}.dosageInstruction[0]"
        dosage = self.object(instructions[0], dosage_path)
        timing = self.object(dosage.get("timing"), f"{dosage_path}.timing")
        events = self.array(timing.get("event"), f"{dosage_path}.timing.event")
        if len(events) != 1:
            raise self.fail(f"{dosage_path}.timing.event", message(N_("{count} dates; one bag is given on one date"),
                                                                   count=len(events)))
        self.add(bag, "date", self.date(events[0], f"{dosage_path}.timing.event[0]"))
        dose, dose_volume = self.dose(dosage, dosage_path)
        if dose is None and dose_volume is None and not blinded:
            raise self.fail(f"{dosage_path}.doseAndRate",
                            message(N_("no doseQuantity (required unless the order is blinded)")))
        self.add(bag, "dose_g", dose)
        volume = None
        if request.get("dispenseRequest") is not None:
            dispense = self.object(request["dispenseRequest"], f"{path}.dispenseRequest")
            volume = self.quantity(dispense.get("quantity"), f"{path}.dispenseRequest.quantity", MILLILITRES,
                                   A_VOLUME)
        if volume is None and dose_volume is None:
            raise self.fail(f"{path}.dispenseRequest.quantity", message(N_("missing; accepted: the bag's volume in "
                                                                           "mL")))
        # a placebo's dose is its volume: said twice alike it is one fact; said two ways, both are checked
        self.add(bag, "volume_ml", volume)
        if dose_volume is not None and dose_volume != volume:
            self.add(bag, "volume_ml", dose_volume)
        self.pump(dosage, dosage_path, timing, bag)

    def dose(self, dosage: dict[str, Any], path: str) -> tuple[Decimal | None, Decimal | None]:
        """The one doseQuantity of a bag: (grams, None), or (None, mL) for a dose given as a volume."""
        found: tuple[Decimal | None, Decimal | None] = (None, None)
        for index, entry in enumerate(items(dosage.get("doseAndRate"))):
            where = f"{path}.doseAndRate[{index}].doseQuantity"
            quantity = self.object(entry, f"{path}.doseAndRate[{index}]").get("doseQuantity")
            if quantity is None:
                continue
            if found != (None, None):
                raise self.fail(where, message(N_("a second dose; one bag has one")))
            if self.unit(quantity, where) in MILLILITRES:
                found = (None, self.quantity(quantity, where, MILLILITRES, A_VOLUME))
            else:
                found = (self.quantity(quantity, where, GRAMS, message(N_("a dose in g or mg (or mL for placebo)"))),
                         None)
        return found

    def pump(self, dosage: dict[str, Any], path: str, timing: dict[str, Any], bag: Node) -> None:
        """The pump program: each rate with its minutes, and the bag's total run time."""
        steps = []
        for index, entry in enumerate(items(dosage.get("doseAndRate"))):
            where = f"{path}.doseAndRate[{index}]"
            rate = fields(entry).get("rateQuantity")
            if rate is None:
                continue
            steps.append((self.quantity(rate, f"{where}.rateQuantity", RATES, message(N_("a rate in mL/h"))),
                          self._step_minutes(entry, where)))
        repeat = timing.get("repeat")
        total = None
        if repeat is not None:
            found = self.object(repeat, f"{path}.timing.repeat")
            unit_path = f"{path}.timing.repeat.durationUnit"
            unit = found.get("durationUnit")
            if not isinstance(unit, str) or unit not in MINUTES:
                raise self.fail(unit_path, message(N_("{unit}; accepted: min or h"), unit=repr(unit)))
            self.read.add(unit_path)
            total = self.number(found.get("duration"), f"{path}.timing.repeat.duration") * MINUTES[unit]
        if steps or total is not None:
            add_pump(self.sheet, bag, steps, total, self.row)

    def _step_minutes(self, entry: dict[str, Any], where: str) -> Decimal:
        for index, extension in enumerate(items(entry.get("extension"))):
            if fields(extension).get("url") == STEP_MINUTES:
                return self.quantity(extension.get("valueDuration"), f"{where}.extension[{index}].valueDuration",
                                     MINUTES, message(N_("a time in min")))
        raise self.fail(f"{where}.extension", message(N_("a rate without its minutes ({url}); accepted: a bundle as "
                                                         "'ivig-dose plan -f fhir' writes it"), url=STEP_MINUTES))
