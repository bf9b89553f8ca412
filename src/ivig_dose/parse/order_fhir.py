"""Orders as the FHIR R4 Bundle that ``plan -f fhir`` writes (:mod:`ivig_dose.render.plan_fhir`), read
into the same facts as any other order, so ``verify`` checks a bundle value by value.

What each fact is read from:

- a bag's place (course, day, setting), its week and dosing weight: the request's
  ``urn:ivig-dose:fhir:bag`` extension; a ``category`` that names another setting is refused;
- its date: ``dosageInstruction[0].timing.event`` (a date, or a dateTime whose date is taken);
- its dose: a ``doseQuantity`` in g or mg; a dose in mL or L (the placebo's) is its volume;
- its volume: ``dispenseRequest.quantity`` in mL or L;
- the product and its concentration: the referenced ``Medication`` (``code.text``, and
  ``ingredient.strength`` in mg or g per mL or L);
- the weight of each course: the body-weight ``Observation`` (LOINC 29463-7) the request points
  to in ``supportingInformation``;
- the patient: ``subject.identifier.value``.

Numbers arrive as exact decimals (the JSON is parsed with ``parse_float=Decimal``); units must be
UCUM and are converted exactly. Every problem names the JSON path and what is accepted. A bag a
request marks as not to be given (cancelled, stopped, entered in error) is refused rather than
counted, since an order that will not give it must not be reported as matching.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ivig_dose.core.blinding import BLINDED_PRODUCT
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.core.model import HOME, HOSPITAL
from ivig_dose.core.order_facts import OVERRIDE_BASIS, FactSheet, Node, OrderFacts, yes_no

UCUM = "http://unitsofmeasure.org"
BAG_EXTENSION = "urn:ivig-dose:fhir:bag"
PLAN_EXTENSION = "urn:ivig-dose:fhir:plan"
BODY_WEIGHT = "29463-7"
#: medicationrequest-category codes and the settings they are (render.plan_fhir writes them).
CATEGORY_SETTINGS = {"inpatient": HOSPITAL, "community": HOME}
NOT_GIVEN = ("cancelled", "stopped", "entered-in-error")
A_VOLUME = message(N_("a volume in mL"))
#: UCUM codes accepted for each kind of amount, with the factor to the unit the facts are in.
GRAMS = {"g": Decimal(1), "mg": Decimal("0.001")}
MILLILITRES = {"mL": Decimal(1), "L": Decimal(1000)}
KILOGRAMS = {"kg": Decimal(1), "g": Decimal("0.001")}
MG_PER_ML = {("mg", "mL"): Decimal(1), ("g", "mL"): Decimal(1000), ("mg", "L"): Decimal("0.001"),
             ("g", "L"): Decimal(1)}


def _items(value: Any) -> list[Any]:
    """A JSON list, or nothing: for optional lists, whose wrong type leaves nothing to read."""
    return value if isinstance(value, list) else []


def _fields(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def is_bundle(document: Any) -> bool:
    return isinstance(document, dict) and document.get("resourceType") == "Bundle"


def bundle_patient_id(document: dict[str, Any]) -> str | None:
    """The first request's patient identifier, to name an order in a report before it is read."""
    for entry in _items(document.get("entry")):
        resource = _fields(_fields(entry).get("resource"))
        if resource.get("resourceType") == "MedicationRequest":
            value = _fields(_fields(resource.get("subject")).get("identifier")).get("value")
            return value if isinstance(value, str) else None
    return None


def order_from_bundle(document: dict[str, Any], where: str, row: int | None = None) -> OrderFacts:
    """Every bag of the bundle's MedicationRequests, in the order the bundle lists them."""
    reader = _Reader(where, row)
    resources: dict[str, tuple[dict[str, Any], str]] = {}
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
    return reader.sheet.build(reader.patient_id, row)


class _Reader:
    """Reads requests into one FactSheet; typed reads name the path and what is accepted."""

    def __init__(self, where: str, row: int | None) -> None:
        self.where = where
        self.row = row
        self.sheet = FactSheet()
        self.patient_id: str | None = None
        self.stated: set[object] = set()

    def fail(self, path: str, what: str) -> InputError:
        return InputError(message(N_("{where}: {path}: {problem}"), where=self.where, path=path, problem=what))

    def add(self, node: Node, attr: str, value: Any) -> None:
        self.sheet.add(node, attr, value, self.row)

    # --- one request -----------------------------------------------------------------------

    def request(self, request: dict[str, Any], path: str, resources: dict[str, tuple[dict[str, Any], str]]) -> None:
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
        if self.sheet.open((course,), self.row):
            basis = place.get("dosingWeightBasis")
            self.add((course,), "dosing_weight_basis", basis.strip() if isinstance(basis, str) else None)
        self.sheet.open((course, day), self.row)
        if not self.sheet.open(bag, self.row):
            raise self.fail(path, message(N_("{course} day {day} {setting} appears twice; one MedicationRequest per "
                                             "bag"), course=course, day=day, setting=setting))
        if "week" in place:
            self.add(bag, "week", self.whole(place, "week", f"{path} {BAG_EXTENSION}"))
        if "dosingWeight" in place:
            self.add(bag, "dosing_weight_kg", self.quantity(place["dosingWeight"], f"{path} {BAG_EXTENSION}"
                                                            ".dosingWeight", KILOGRAMS,
                                                            message(N_("a weight in kg"))))
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

    def check_category(self, request: dict[str, Any], setting: str, path: str) -> None:
        for concept in _items(request.get("category")):
            for coding in _items(_fields(concept).get("coding")):
                code = _fields(coding).get("code")
                named = CATEGORY_SETTINGS.get(code) if isinstance(code, str) else None
                if named is not None and named != setting:
                    raise self.fail(f"{path}.category", message(N_("says {named}, but the bag is {setting}: one bag "
                                                                   "has one setting"), named=named, setting=setting))

    def plan_extension(self, request: dict[str, Any], path: str) -> None:
        plan = self.extension(request.get("extension"), PLAN_EXTENSION, f"{path}.extension", required=False)
        override = plan.get("dosingWeightOverride")
        if isinstance(override, bool) and "override" not in self.stated:
            self.stated.add("override")
            self.add((), "dosing_weight_override", yes_no(override))
            chosen = plan.get("dosingWeightOverrideBasis")
            self.add((), OVERRIDE_BASIS, chosen.strip() if isinstance(chosen, str) else None)

    def medication(self, request: dict[str, Any], path: str,
                   resources: dict[str, tuple[dict[str, Any], str]]) -> bool:
        """States each medication the requests give once; True when it is the blinded study medication."""
        if "medicationCodeableConcept" in request:
            concept = self.object(request["medicationCodeableConcept"], f"{path}.medicationCodeableConcept")
            return self.product(concept, None, f"{path}.medicationCodeableConcept", f"{path}/concept")
        reference = self.object(request.get("medicationReference"), f"{path}.medicationReference")
        medication, where = self.resolve(reference, f"{path}.medicationReference", resources, "Medication")
        code = self.object(medication.get("code"), f"{where}.code")
        return self.product(code, medication.get("ingredient"), where, where)

    def product(self, code: dict[str, Any], ingredients: Any, path: str, key: str) -> bool:
        name = code.get("text")
        if not isinstance(name, str) or not name.strip():
            raise self.fail(f"{path}.code.text", message(N_("missing; accepted: the product's name, e.g. Nanogam")))
        if key not in self.stated:
            self.stated.add(key)
            self.add((), "product", name.strip())
            for index, ingredient in enumerate(_items(ingredients)):
                where = f"{path}.ingredient[{index}].strength"
                strength = self.object(ingredient, f"{path}.ingredient[{index}]").get("strength")
                if strength is not None:
                    self.add((), "concentration_mg_per_ml", self.ratio(strength, where))
        return name.strip().casefold() == BLINDED_PRODUCT.casefold()

    def weight(self, request: dict[str, Any], path: str, resources: dict[str, tuple[dict[str, Any], str]],
               course: Node) -> None:
        """The course's weight from the body-weight Observation the request points to, once per course."""
        if ("weight", *course) in self.stated:
            return
        for index, value in enumerate(_items(request.get("supportingInformation"))):
            reference = self.object(value, f"{path}.supportingInformation[{index}]")
            found, where = self.resolve(reference, f"{path}.supportingInformation[{index}]", resources, None)
            codes = _items(_fields(found.get("code")).get("coding"))
            if found.get("resourceType") == "Observation" and any(
                    _fields(c).get("code") == BODY_WEIGHT for c in codes):
                self.stated.add(("weight", *course))
                self.add(course, "weight_kg", self.quantity(found.get("valueQuantity"), f"{where}.valueQuantity",
                                                            KILOGRAMS, "a weight in kg"))
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

    def dose(self, dosage: dict[str, Any], path: str) -> tuple[Decimal | None, Decimal | None]:
        """The one doseQuantity of a bag: (grams, None), or (None, mL) for a dose given as a volume."""
        found: tuple[Decimal | None, Decimal | None] = (None, None)
        for index, entry in enumerate(_items(dosage.get("doseAndRate"))):
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

    # --- typed reads -----------------------------------------------------------------------

    def object(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, message(N_("missing, or not a JSON object")))
        return value

    def array(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(path, message(N_("missing, or not a JSON list")))
        return value

    def extension(self, extensions: Any, url: str, path: str, required: bool) -> dict[str, Any]:
        """A complex extension's parts by their url: {"course": "baseline", "day": 1, ...}."""
        found = [e for e in _items(extensions) if _fields(e).get("url") == url]
        if not found:
            if required:
                raise self.fail(path, message(N_("no {url} extension (course, day, setting); accepted: a bundle as "
                                                 "'ivig-dose plan -f fhir' writes it"), url=url))
            return {}
        parts: dict[str, Any] = {}
        for part in _items(found[0].get("extension")):
            if isinstance(part, dict) and isinstance(part.get("url"), str):
                values = [v for k, v in part.items() if k.startswith("value")]
                parts[part["url"]] = values[0] if values else None
        return parts

    def resolve(self, reference: dict[str, Any], path: str, resources: dict[str, tuple[dict[str, Any], str]],
                kind: str | None) -> tuple[dict[str, Any], str]:
        target = reference.get("reference")
        if not isinstance(target, str) or target not in resources:
            raise self.fail(f"{path}.reference", message(N_("{target} is not a resource of this bundle; accepted: "
                                                            "the fullUrl of one of its entries"), target=repr(target)))
        resource, where = resources[target]
        if kind is not None and resource.get("resourceType") != kind:
            raise self.fail(f"{path}.reference", message(N_("{target!r} is a {found}, not a {kind}"), target=target,
                                                         found=str(resource.get("resourceType")), kind=kind))
        return resource, where

    def text(self, parent: dict[str, Any], key: str, path: str) -> str:
        value = parent.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{path}.{key}", message(N_("{value} is missing or not a text"), value=repr(value)))
        return value.strip()

    def whole(self, parent: dict[str, Any], key: str, path: str) -> int:
        value = parent.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(f"{path}.{key}", message(N_("{value} is not a whole number; accepted: e.g. 1"),
                                                     value=repr(value)))
        return value

    def number(self, value: Any, path: str) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise self.fail(path, message(N_("{value} is not a number; accepted: a JSON number such as 53.6"),
                                          value=repr(value)))
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite() or number < 0:
            raise self.fail(path, message(N_("{value} must be a number not below 0"), value=repr(value)))
        return number

    def unit(self, quantity: Any, path: str) -> str:
        """The UCUM code of a Quantity (its ``code``, else its ``unit``); another system is refused."""
        found = self.object(quantity, path)
        system = found.get("system")
        if system is not None and system != UCUM:
            raise self.fail(f"{path}.system", message(N_("{system}; accepted: UCUM ({ucum})"), system=repr(system),
                                                      ucum=UCUM))
        unit = found.get("code", found.get("unit"))
        if not isinstance(unit, str):
            raise self.fail(f"{path}.code", message(N_("no unit; accepted: a UCUM code such as g or mL")))
        return unit

    def quantity(self, quantity: Any, path: str, units: dict[str, Decimal], what: str) -> Decimal:
        unit = self.unit(quantity, path)
        if unit not in units:
            raise self.fail(f"{path}.code", message(N_("{unit!r} is not {what}; accepted: {known}"), unit=unit,
                                                    what=what, known=", ".join(units)))
        return self.number(quantity.get("value"), f"{path}.value") * units[unit]

    def ratio(self, strength: Any, path: str) -> Decimal:
        found = self.object(strength, path)
        numerator, denominator = f"{path}.numerator", f"{path}.denominator"
        units = (self.unit(found.get("numerator"), numerator), self.unit(found.get("denominator"), denominator))
        if units not in MG_PER_ML:
            raise self.fail(path, message(N_("{unit} is not a concentration; accepted: mg/mL, g/mL, g/L, mg/L"),
                                          unit=f"{units[0]}/{units[1]}"))
        per = self.number(found["denominator"].get("value"), f"{denominator}.value")
        if per == 0:
            raise self.fail(f"{denominator}.value", message(N_("0; accepted: a positive amount, e.g. 1")))
        return self.number(found["numerator"].get("value"), f"{numerator}.value") / per * MG_PER_ML[units]

    def date(self, value: Any, path: str) -> date:
        """A FHIR date or dateTime; a dateTime gives its own calendar date."""
        if isinstance(value, str):
            try:
                return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value).date()
            except ValueError:
                pass
        raise self.fail(path, message(N_("{value} is not a FHIR date; accepted: e.g. 2027-01-04 or "
                                         "2027-01-04T09:00:00+01:00"), value=repr(value)))
