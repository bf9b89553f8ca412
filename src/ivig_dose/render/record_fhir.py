"""What was given as HL7 FHIR R4 ``MedicationAdministration`` resources: one per stretch at one rate.

FHIR models a rate change as a new administration, so each run of a bag at one rate (from its
start, rate change or resume to the next rate change, pause or stop) is one resource:

- ``status``: ``in-progress`` while it runs, ``on-hold`` while the bag is paused, ``completed``
  when a later entry ended it or the bag was emptied, ``stopped`` for the last run of a bag
  stopped before it was empty (R4 MedicationAdministration status codes);
- ``effectivePeriod`` from the entry that set the rate to the one that ended it, with the
  clock's UTC offset;
- ``dosage.rateQuantity`` the rate and ``dosage.dose`` the volume it delivered, both UCUM (``mL/h``,
  ``mL``): the rate times the time, rounded down to 0.1 mL, except that the last run of a
  stopped bag takes what the pump showed less the runs before it, so a bag's runs add up to the
  pump's figure. A run still going has no dose yet;
- ``request`` points at the bag's MedicationRequest as ``plan -f fhir`` identifies it (the
  name-based id of patient, protocol and the bag's place), ``subject`` at the patient's
  identifier, ``performer`` the initials of who set the rate;
- the medication by name (``medicationCodeableConcept``), with its ATC code for IVIg; a blinded
  order's record holds only :data:`~ivig_dose.core.blinding.BLINDED_PRODUCT`. When the bag's
  preparation may be shown (an open order, or ``--unblinded``), a contained ``Medication`` with
  ``batch.lotNumber`` and ``batch.expirationDate`` instead (R4's MedicationAdministration has no lot
  of its own): the lot of the vial running when the stretch began, and a note where another lot
  starts within it;
- reactions during a run, and why a rate passed the program, as ``note``.

Plain JSON, streamed a resource at a time: no FHIR library at run time (the tests validate every
resource with fhir.resources' R4B models, whose MedicationAdministration is R4's).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, TextIO

from ivig_dose.core.amounts import amount, millilitres
from ivig_dose.core.blinding import BLINDED_PRODUCT
from ivig_dose.core.preparation import Preparation, lot_starts, standing, vial_at
from ivig_dose.core.pump import VOLUME_STEP, floor_to
from ivig_dose.core.record import PAUSE, REACTION, STOP, local
from ivig_dose.core.record_bag import PAUSED, BagRecord, Event, OrderRecord, Run
from ivig_dose.core.record_order import Registered
from ivig_dose.core.remaining import run_volume
from ivig_dose.render.plan_fhir import (
    ATC,
    IV_ROUTE,
    IV_ROUTE_DISPLAY,
    IVIG_ATC,
    IVIG_ATC_DISPLAY,
    NAMESPACE,
    SNOMED,
    coding,
    place_url,
    quantity,
)

ENTRY_SYSTEM = "urn:ivig-dose:record-entry"


def administrations(record: OrderRecord) -> Iterator[dict[str, Any]]:
    """Every administration of an order, bag by bag as they are read, each with its ``fullUrl``."""
    for bag_record in record.bags:
        yield from _bag_administrations(record, bag_record)


def _bag_administrations(record: OrderRecord, bag_record: BagRecord) -> Iterator[dict[str, Any]]:
    state, bag = bag_record.state, bag_record.bag
    runs = state.runs
    delivered = Decimal(0)
    request = {"reference": place_url(record.patient, record.order.protocol, "bag", bag.course, bag.day, bag.setting)}
    about = f"bag {bag.number} of {len(record.order.bags)}: {bag.course} day {bag.day}, {bag.setting}, " \
            f"{millilitres(bag.volume_ml)}"
    prep = standing(bag_record.preparations) if record.lots_shown else None
    for index, run in enumerate(runs):
        last = index == len(runs) - 1
        began = delivered
        dose: Decimal | None = None
        if run.end is not None:
            dose = floor_to(run_volume(run, run.end.moment), VOLUME_STEP)
            if last and run.end.kind == STOP and state.infused is not None and state.infused >= delivered:
                dose = state.infused - delivered
            delivered += dose
        status = _status(run, last, bag_record)
        notes = [about, *_notes(run, state.reactions)]
        medication: dict[str, Any] = {"medicationCodeableConcept": _product(record.order)}
        if prep is not None and prep.vials:
            medication = _medication(record.order, prep, began)
            notes += _lot_notes(prep, bag.volume_ml, began, None if dose is None else began + dose)
        resource = {
            "resourceType": "MedicationAdministration",
            "identifier": [{"system": ENTRY_SYSTEM, "value": run.begin.uuid}],
            "status": status,
            **medication,
            "subject": {"identifier": {"value": record.patient}},
            "effectivePeriod": _period(run),
            "performer": [{"actor": {"display": run.begin.by}}],
            "request": request,
            "note": [{"text": text} for text in notes],
            "dosage": _dosage(run.rate, dose),
        }
        yield {"fullUrl": f"urn:uuid:{uuid.uuid5(NAMESPACE, 'administration' + run.begin.uuid)}", "resource": resource}


def _status(run: Run, last: bool, record: BagRecord) -> str:
    if run.end is None:
        return "in-progress"
    if last and run.end.kind == PAUSE and record.state.status == PAUSED:
        return "on-hold"
    if last and run.end.kind == STOP and (record.state.infused or Decimal(0)) < record.bag.volume_ml:
        return "stopped"
    return "completed"


def _period(run: Run) -> dict[str, str]:
    period = {"start": local(run.begin.at, run.begin.zone).isoformat()}
    if run.end is not None:
        period["end"] = local(run.end.at, run.end.zone).isoformat()
    return period


def _notes(run: Run, reactions: Iterable[Event]) -> list[str]:
    notes = []
    override = run.begin.text("override")
    if override is not None:
        notes.append(f"rate above the bag's program: {override}")
    end = run.end.at if run.end is not None else None
    for reaction in reactions:
        if reaction.kind == REACTION and run.begin.at <= reaction.at and (end is None or reaction.at <= end):
            notes.append(f"reaction grade {reaction.grade} at {local(reaction.at, reaction.zone).isoformat()}: "
                         f"{reaction.text('symptoms')}; action: {reaction.text('action')}")
    if run.end is not None and run.end.kind == PAUSE:
        notes.append(f"paused: {run.end.text('reason')}")
    return notes


def _medication(order: Registered, prep: Preparation, began: Decimal) -> dict[str, Any]:
    """A contained Medication with the batch of the vial running when the stretch began: R4 keeps a
    lot on the Medication, not on the administration."""
    vial = vial_at(prep.vials, began)
    contained = {"resourceType": "Medication", "id": "medication", "code": _product(order),
                 "batch": {"lotNumber": vial.lot, "expirationDate": vial.expiry.isoformat()}}
    return {"contained": [contained], "medicationReference": {"reference": "#medication"}}


def _lot_notes(prep: Preparation, volume_ml: Decimal, began: Decimal, ended: Decimal | None) -> list[str]:
    """Where another lot starts within a stretch (the titration starts again there)."""
    return [f"lot {start.lot} from {millilitres(start.infused_ml)} infused"
            for start in lot_starts(prep.vials, volume_ml)
            if began < start.infused_ml and (ended is None or start.infused_ml < ended)]


def _product(order: Registered) -> dict[str, Any]:
    if order.product is None:
        return {"text": BLINDED_PRODUCT}
    if order.product.concentration_mg_per_ml is None:
        return {"text": order.product.name}
    return {"coding": [coding(ATC, IVIG_ATC, IVIG_ATC_DISPLAY)],
            "text": f"{order.product.name} {amount(order.product.concentration_mg_per_ml)} mg/mL"}


def _dosage(rate: Decimal, dose: Decimal | None) -> dict[str, Any]:
    dosage: dict[str, Any] = {"route": {"coding": [coding(SNOMED, IV_ROUTE, IV_ROUTE_DISPLAY)]}}
    if dose is not None:
        dosage["dose"] = quantity(dose, "mL")
    dosage["rateQuantity"] = quantity(rate, "mL/h")
    return dosage


def render_fhir_bundle(orders: Iterable[OrderRecord], out: TextIO, timestamp: str) -> None:
    """A ``collection`` Bundle, written a resource at a time (FHIR allows no empty ``entry`` list,
    so a record with nothing given yet has none)."""
    out.write(json.dumps({"resourceType": "Bundle", "type": "collection", "timestamp": timestamp})[:-1])
    first = True
    for record in orders:
        for entry in administrations(record):
            out.write((', "entry": [' if first else ",") + "\n" + json.dumps(entry, ensure_ascii=False))
            first = False
    out.write("}\n" if first else "\n]}\n")


def render_fhir_ndjson(orders: Iterable[OrderRecord], out: TextIO) -> None:
    """One resource a line (FHIR bulk data's NDJSON)."""
    for record in orders:
        for entry in administrations(record):
            out.write(json.dumps(entry["resource"], ensure_ascii=False, separators=(",", ":")) + "\n")
