"""Plan documents for the renderer tests: a real plan's JSON document, optionally with vials and
pump programs added by hand in the shape the plan document gives them (``vials`` [{grams, volume_ml, count}],
``waste_g``, ``waste_ml``, ``pump`` {steps [{rate_ml_per_h, minutes, volume_ml}], duration_min}).

The added numbers follow two made-up rules, simple enough to check by hand in the tests:
- vials: only 10 g / 100 mL vials, as many as cover the bag's IgG dose; the rest of the last vial is waste.
- pump: 30 min at 60 mL/h (30 mL), then the rest of the bag at 240 mL/h, i.e. (volume - 30) / 4 minutes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_CEILING, Decimal
from typing import Any

from ivig_dose.core.amounts import json_number
from ivig_dose.core.model import Plan
from ivig_dose.render.plan_json import plan_document
from ivig_dose.render.provenance import Provenance

GENERATED = datetime(2027, 1, 2, 8, 30, tzinfo=UTC)
PROVENANCE = Provenance(tool_version="9.9.9", generated=GENERATED, patient_id="TIM-001")


def fake_dispense(dose_g: Decimal, volume_ml: Decimal) -> dict[str, Any]:
    count = int((dose_g / 10).to_integral_value(rounding=ROUND_CEILING))
    waste = count * 10 - dose_g
    rest_minutes = (volume_ml - 30) / 4
    return {
        "vials": [{"grams": 10, "volume_ml": 100, "count": count}],
        "waste_g": json_number(waste),
        "waste_ml": json_number(waste * 10),
        "pump": {
            "steps": [
                {"rate_ml_per_h": 60, "minutes": 30, "volume_ml": 30},
                {"rate_ml_per_h": 240, "minutes": json_number(rest_minutes), "volume_ml": json_number(volume_ml - 30)},
            ],
            "duration_min": json_number(30 + rest_minutes),
        },
    }


def document(plan: Plan, blinded: bool = False, dispense: bool = False) -> dict[str, Any]:
    doc = plan_document(plan, blinded)
    if dispense:
        for course, course_doc in zip(plan.courses, doc["courses"], strict=True):
            for day, day_doc in zip(course.days, course_doc["days"], strict=True):
                for segment, segment_doc in zip(day.segments, day_doc["segments"], strict=True):
                    segment_doc.update(fake_dispense(segment.dose_g, segment.volume_ml))
            # the course's pick list, as a dispensed plan's document has it (all 10 g vials here)
            vials = sum(v["count"] for d in course_doc["days"] for s in d["segments"] for v in s["vials"])
            course_doc["dispense"] = [{"grams": 10, "count": vials}] if not blinded else None
    return doc


def pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
