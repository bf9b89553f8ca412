"""The plan as CSV: one row per segment (one bag), with a header, for spreadsheets and pumps.

The ``rules`` column names the rules that shaped the row's course, so a row read on its
own still says why it holds the numbers it does.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ivig_dose.core.amounts import amount, kilograms
from ivig_dose.core.blinding import product_label
from ivig_dose.core.dispensing import DISPENSE_RULES
from ivig_dose.core.model import Dispense, Plan
from ivig_dose.render.csv_cells import safe_cell
from ivig_dose.render.dispense_text import pump_steps, vial_list

#: new columns are only ever appended (dosing_weight_kg, then vials to pump_steps, then
#: weight_as_typed), so a column keeps its position for every reader.
COLUMNS = ("course", "week", "date", "day", "setting", "weight_kg", "dose_g", "volume_ml",
           "product", "rules", "dosing_weight_kg", "vials", "waste_g", "waste_ml", "pump_min", "pump_steps",
           "weight_as_typed")


def plan_rows(plan: Plan, blinded: bool = False) -> Iterator[dict[str, str]]:
    product = product_label(plan, blinded)
    for course in plan.courses:
        shown = [r for r in plan.reasons_for(course.name)
                 if (r.blinded_text if blinded else r.text) and r.rule not in DISPENSE_RULES]
        rules = ";".join(sorted({r.rule for r in shown}, key=lambda rule: (len(rule), rule)))
        for day in course.days:
            for segment in day.segments:
                yield {
                    "course": course.name,
                    "week": str(course.week),
                    "date": day.date.isoformat(),
                    "day": str(day.day),
                    "setting": segment.setting,
                    "weight_kg": amount(course.weight_kg),
                    "dose_g": "" if blinded else amount(segment.dose_g),
                    "volume_ml": amount(segment.volume_ml),
                    "product": product,
                    "rules": rules,
                    "dosing_weight_kg": amount(course.dosed_on_kg),
                } | dispense_cells(segment.dispense, blinded) | {
                    "weight_as_typed": course.weight_as_typed or kilograms(course.weight_kg)}


def dispense_cells(dispense: Dispense | None, blinded: bool) -> dict[str, str]:
    """Vials and waste (hidden when blinded: vial sizes are grams) and the pump program."""
    if dispense is None:
        return {"vials": "", "waste_g": "", "waste_ml": "", "pump_min": "", "pump_steps": ""}
    return {
        "vials": "" if blinded else vial_list(dispense.vials),
        "waste_g": "" if blinded else amount(dispense.waste_g),
        "waste_ml": "" if blinded else amount(dispense.waste_ml),
        "pump_min": str(dispense.pump.duration_min),
        "pump_steps": pump_steps(dispense.pump),
    }


def render_csv(plan: Plan, blinded: bool = False) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in plan_rows(plan, blinded))
    return out.getvalue()
