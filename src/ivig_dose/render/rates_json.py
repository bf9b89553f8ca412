"""A bag's pump program as JSON (contract ``ivig-dose/rates/v1``)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ivig_dose.core.amounts import json_number, kilograms
from ivig_dose.render.plan_json import at_risk_entry, pump_entry

if TYPE_CHECKING:
    from ivig_dose.core.dispensing import BagProgram

SCHEMA = "ivig-dose/rates/v1"


def render_rates_json(bag: BagProgram) -> str:
    document = {
        "schema": SCHEMA,
        "product": {"id": bag.product.id, "name": bag.product.name},
        "product_verified": bag.product.verified,
        "weight_kg": json_number(bag.weight_kg),
        "weight_as_typed": bag.weight_as_typed or kilograms(bag.weight_kg),
        "dose_g": None if bag.dose_g is None else json_number(bag.dose_g),
        "volume_ml": json_number(bag.volume_ml),
        "max_rate": bag.max_rate,
        "indication": bag.product.indication,
        "at_risk": at_risk_entry(bag.at_risk),
        "warnings": list(bag.warnings),
        "pump": pump_entry(bag.program),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
