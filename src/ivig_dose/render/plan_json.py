"""The plan as the JSON contract ``ivig-dose/plan/v1`` of the spec lays it down.

Keys of the contract keep their meaning; additions (``blinded``, ``why``, ``protocol_name``,
``protocol_version``, ``input_digest``, the dosing weight and its basis at the top and per
course, ``weight_as_typed`` beside each ``weight_kg``) only add. ``weight_as_typed`` is the weight
in the unit it was typed in (``183.9 lb``; ``72.5 kg`` for a bare number or ``72,5``), to show;
``weight_kg`` stays the exact kg every dose is computed from.
Blinded documents keep every key but set the arm, the product's concentration and every
dose to null, so a parser never mistakes a hidden dose for 0 g.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ivig_dose.core.amounts import json_number, kilograms
from ivig_dose.core.blinding import product_label, visible_reasons, visible_warnings
from ivig_dose.core.digest import input_digest
from ivig_dose.core.model import PLAN_SCHEMA, AtRiskCap, Course, Dispense, InfusionDay, Plan, Segment
from ivig_dose.core.pump import PumpProgram

SCHEMA = PLAN_SCHEMA


def plan_document(plan: Plan, blinded: bool = False, digest: str | None = None) -> dict[str, Any]:
    """The contract's document; ``digest`` is the plan's input digest when the caller has worked
    it out already (``batch`` does, to cut its template at it)."""
    def dose(value: Decimal) -> int | float | None:
        return None if blinded else json_number(value)

    concentration = plan.product.concentration_mg_per_ml
    # bags repeat (equal days, the same day in every course) and share one Dispense: one entry each
    dispensed: dict[int, dict[str, Any]] = {}

    def bag_entry(segment: Segment) -> dict[str, Any]:
        key = id(segment.dispense)
        if key not in dispensed:
            dispensed[key] = dispense_entry(segment.dispense, blinded)
        return {
            "setting": segment.setting,
            "dose_g": dose(segment.dose_g),
            "volume_ml": json_number(segment.volume_ml),
        } | dispensed[key]

    def day_entry(day: InfusionDay) -> dict[str, Any]:
        return {
            "day": day.day,
            "date": day.date.isoformat(),
            "dose_g": dose(day.dose_g),
            "volume_ml": json_number(day.volume_ml),
            "segments": [bag_entry(s) for s in day.segments],
        }

    def course_entry(course: Course) -> dict[str, Any]:
        return {
            "name": course.name,
            "week": course.week,
            "start": course.start.isoformat(),
            "weight_kg": json_number(course.weight_kg),
            "weight_as_typed": course.weight_as_typed or kilograms(course.weight_kg),
            "dosing_weight_kg": json_number(course.dosed_on_kg),
            "dosing_weight_basis": course.dosing_weight_basis,
            "dose_g": dose(course.dose_g),
            "volume_ml": json_number(course.volume_ml),
            "days": [day_entry(d) for d in course.days],
            "dispense": None if blinded or plan.dispensed_with is None else [
                {"grams": json_number(size), "count": count} for size, count in course.dispense
            ],
        }

    return {
        "schema": SCHEMA,
        "protocol": plan.protocol_id,
        "protocol_name": plan.protocol_name,
        "protocol_version": plan.protocol_version,
        "arm": None if blinded else plan.arm,
        "weight_kg": json_number(plan.weight_kg),
        "weight_as_typed": plan.weight_as_typed or kilograms(plan.weight_kg),
        "dosing_weight_kg": json_number(plan.dosing_weight_kg),
        "dosing_weight_basis": plan.dosing_weight_basis,
        "dosing_weight_override": plan.dosing_weight_override,
        "dosing_weight_override_basis": plan.dosing_weight_override_basis,
        "product": {
            "name": product_label(plan, blinded) if blinded else plan.product.name,
            "concentration_mg_per_ml": (
                None if blinded or concentration is None else json_number(concentration)
            ),
        },
        "course_dose_g": dose(plan.course_dose_g),
        "days_per_course": plan.days_per_course,
        "courses": [course_entry(c) for c in plan.courses],
        "total_dose_g": dose(plan.total_dose_g),
        "total_volume_ml": json_number(plan.total_volume_ml),
        "warnings": visible_warnings(plan, blinded),
        "product_verified": None if plan.dispensed_with is None else plan.dispensed_with.verified,
        "max_rate": None if plan.dispensed_with is None else plan.dispensed_with.max_rate,
        "catalogue_version": None if plan.dispensed_with is None else plan.dispensed_with.catalogue,
        "indication": None if plan.dispensed_with is None else plan.dispensed_with.indication,
        "at_risk": None if plan.dispensed_with is None else at_risk_entry(plan.dispensed_with.at_risk),
        "blinded": blinded,
        "why": [{"rule": rule, "text": text} for rule, text in visible_reasons(plan, blinded)],
        "input_digest": input_digest(plan, blinded) if digest is None else digest,
    }


def at_risk_entry(at_risk: AtRiskCap | None) -> dict[str, Any] | None:
    """A patient at risk: the risks, the limit the pump is capped at, and why (the label's words)."""
    if at_risk is None:
        return None
    return {"risks": list(at_risk.risks), "max_rate": at_risk.limit, "source": at_risk.source}


def dispense_entry(dispense: Dispense | None, blinded: bool = False) -> dict[str, Any]:
    hidden = blinded or dispense is None
    return {
        "vials": None if hidden or dispense is None else [
            {"grams": json_number(v.grams), "volume_ml": json_number(v.volume_ml), "count": v.count}
            for v in dispense.vials
        ],
        "waste_g": None if hidden or dispense is None else json_number(dispense.waste_g),
        "waste_ml": None if hidden or dispense is None else json_number(dispense.waste_ml),
        "pump": None if dispense is None else pump_entry(dispense.pump),
    }


def pump_entry(pump: PumpProgram) -> dict[str, Any]:
    """The pump program; identical for both arms, so it is shown blinded too."""
    return {
        "steps": [
            {"rate_ml_per_h": json_number(s.rate_ml_per_h), "minutes": json_number(s.minutes),
             "volume_ml": json_number(s.volume_ml), "capped": s.capped}
            for s in pump.steps
        ],
        "duration_min": pump.duration_min,
        "capped": pump.capped,
    }


def render_json(plan: Plan, blinded: bool = False) -> str:
    return json.dumps(plan_document(plan, blinded), indent=2, ensure_ascii=False) + "\n"
