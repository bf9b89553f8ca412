"""The plan as the JSON contract ``ivig-dose/plan/v1`` of the spec lays it down.

Keys of the contract keep their meaning; additions (``blinded``, ``why``, ``protocol_name``,
``protocol_version``, ``input_digest``, the dosing weight and its basis at the top and per
course) only add.
Blinded documents keep every key but set the arm, the product's concentration and every
dose to null, so a parser never mistakes a hidden dose for 0 g.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ivig_dose.digest import input_digest
from ivig_dose.formatting import json_number
from ivig_dose.model import Course, InfusionDay, Plan
from ivig_dose.render.blinding import product_label, visible_reasons

SCHEMA = "ivig-dose/plan/v1"


def plan_document(plan: Plan, blinded: bool = False) -> dict[str, Any]:
    def dose(value: Decimal) -> int | float | None:
        return None if blinded else json_number(value)

    concentration = plan.product.concentration_mg_per_ml

    def day_entry(day: InfusionDay) -> dict[str, Any]:
        return {
            "day": day.day,
            "date": day.date.isoformat(),
            "dose_g": dose(day.dose_g),
            "volume_ml": json_number(day.volume_ml),
            "segments": [
                {"setting": s.setting, "dose_g": dose(s.dose_g), "volume_ml": json_number(s.volume_ml)}
                for s in day.segments
            ],
        }

    def course_entry(course: Course) -> dict[str, Any]:
        return {
            "name": course.name,
            "week": course.week,
            "start": course.start.isoformat(),
            "weight_kg": json_number(course.weight_kg),
            "dosing_weight_kg": json_number(course.dosed_on_kg),
            "dosing_weight_basis": course.dosing_weight_basis,
            "dose_g": dose(course.dose_g),
            "volume_ml": json_number(course.volume_ml),
            "days": [day_entry(d) for d in course.days],
        }

    return {
        "schema": SCHEMA,
        "protocol": plan.protocol_id,
        "protocol_name": plan.protocol_name,
        "protocol_version": plan.protocol_version,
        "arm": None if blinded else plan.arm,
        "weight_kg": json_number(plan.weight_kg),
        "dosing_weight_kg": json_number(plan.dosing_weight_kg),
        "dosing_weight_basis": plan.dosing_weight_basis,
        "dosing_weight_override": plan.dosing_weight_override,
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
        "warnings": list(plan.warnings),
        "blinded": blinded,
        "why": [{"rule": rule, "text": text} for rule, text in visible_reasons(plan, blinded)],
        "input_digest": input_digest(plan, blinded),
    }


def render_json(plan: Plan, blinded: bool = False) -> str:
    return json.dumps(plan_document(plan, blinded), indent=2, ensure_ascii=False) + "\n"
