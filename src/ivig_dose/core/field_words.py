"""The words a person reads for a value of an order: ``dose`` for ``dose_g``, ``pump step 2 rate``
for ``pump.steps[1].rate_ml_per_h``, said in the reader's language.

An order's keys are a contract (the plan's JSON, its CSV columns): verify's JSON names a value by
them, exactly. A pharmacist doing the double check reads words, in either language. A key this
vocabulary does not know (a FHIR element's path, a column the tool does not write) is shown as the
file writes it: it is the only name that finds the value in the file.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ivig_dose.core.messages import N_, Message, message, neutral

#: a key's words, whatever it sits under; a key's unit is never part of its name (the value shows it).
KEY_WORDS = {
    "protocol": N_("protocol"),
    "protocol_version": N_("protocol version"),
    "protocol_name": N_("protocol name"),
    "schema": N_("file format"),
    "arm": N_("arm"),
    "weight_kg": N_("weight"),
    "weight_as_typed": N_("weight as typed"),
    "weight_as_typed_kg": N_("weight as typed, in kg"),
    "dosing_weight_kg": N_("dosing weight"),
    "dosing_weight_basis": N_("dosing weight basis"),
    "dosing_weight_override": N_("dosing weight chosen by the prescriber"),
    "dosing_weight_override_basis": N_("dosing weight basis chosen by the prescriber"),
    "product": N_("product"),
    "product.name": N_("product name"),
    "concentration_mg_per_ml": N_("concentration"),
    "product.concentration_mg_per_ml": N_("concentration"),
    "product_verified": N_("product facts verified"),
    "catalogue_version": N_("catalogue version"),
    "indication": N_("indication"),
    "max_rate": N_("maximum rate"),
    "at_risk": N_("rate limit for patients at risk"),
    "at_risk.max_rate": N_("maximum rate for patients at risk"),
    "at_risk.source": N_("source of the rate limit for patients at risk"),
    "blinded": N_("blinded"),
    "input_digest": N_("input digest"),
    "course_dose_g": N_("dose per course"),
    "days_per_course": N_("days per course"),
    "total_dose_g": N_("total dose"),
    "total_volume_ml": N_("total volume"),
    "name": N_("course name"),
    "week": N_("week"),
    "start": N_("start date"),
    "days": N_("number of days"),
    "day": N_("day number"),
    "date": N_("date"),
    "setting": N_("setting"),
    "dose_g": N_("dose"),
    "volume_ml": N_("volume"),
    "hospital_dose_g": N_("hospital dose"),
    "hospital_volume_ml": N_("hospital volume"),
    "rules": N_("rules"),
    "vials": N_("vials"),
    "dispense": N_("vials to dispense"),
    "waste_g": N_("waste"),
    "waste_ml": N_("waste volume"),
    "pump_steps": N_("number of pump steps"),
    "pump_min": N_("run time"),
    "pump": N_("pump program"),
    "pump.steps": N_("pump steps"),
    "pump.duration_min": N_("run time"),
    "pump.capped": N_("pump rate capped"),
    "warnings": N_("warnings"),
    "why": N_("reasons"),
    "patient_id": N_("patient number"),
    "timestamp": N_("bundle timestamp"),
}
#: a key of a list's item, its place in the list (``{number}``, from 1) in its words.
ITEM_WORDS = {
    "why[]": N_("reason {number}"),
    "why[].rule": N_("rule of reason {number}"),
    "why[].text": N_("text of reason {number}"),
    "warnings[]": N_("warning {number}"),
    "at_risk.risks[]": N_("risk {number} of the patient at risk"),
    "dispense[]": N_("vials to dispense, line {number}"),
    "dispense[].grams": N_("vials to dispense, line {number}: vial size"),
    "dispense[].count": N_("vials to dispense, line {number}: count"),
    "vials[]": N_("vials, line {number}"),
    "vials[].grams": N_("vials, line {number}: vial size"),
    "vials[].count": N_("vials, line {number}: count"),
    "vials[].volume_ml": N_("vials, line {number}: volume"),
    "pump.steps[]": N_("pump step {number}"),
    "pump.steps[].rate_ml_per_h": N_("pump step {number} rate"),
    "pump.steps[].minutes": N_("pump step {number} duration"),
    "pump.steps[].volume_ml": N_("pump step {number} volume"),
    "pump.steps[].capped": N_("pump step {number} capped"),
}
#: a key of every item of a list (``[]``: no item in particular), in its words.
EVERY_WORDS = {
    "why[].rule": N_("rule of each reason"),
    "why[].text": N_("text of each reason"),
    "dispense[].grams": N_("each vial size to dispense"),
    "dispense[].count": N_("count of each vial size to dispense"),
    "vials[].grams": N_("each vial size"),
    "vials[].count": N_("count of each vial size"),
    "vials[].volume_ml": N_("volume of each vial size"),
    "pump.steps[].rate_ml_per_h": N_("rate of each pump step"),
    "pump.steps[].minutes": N_("duration of each pump step"),
    "pump.steps[].volume_ml": N_("volume of each pump step"),
    "pump.steps[].capped": N_("whether each pump step is capped"),
}
#: the facts of a bag's pump program (core.order_facts.step_attr), as the plan's items say them.
_STEP_FACT = re.compile(r"pump_step_(\d+)_(rate_ml_per_h|minutes)")
#: an index of a list in a key's path: ``[3]``.
_INDEX = re.compile(r"\[(\d+)\]")


@lru_cache(maxsize=512)
def key_words(key: str) -> Message:
    """``dose``, ``pump step 2 rate``: a key of an order (a fact's, or a leaf's path) in words; a key
    that is not the tool's own (a FHIR path, a column of another system) as it is written."""
    word = KEY_WORDS.get(key) or EVERY_WORDS.get(key)
    if word is not None:
        return message(word)
    step = _STEP_FACT.fullmatch(key)
    if step is not None:
        return message(ITEM_WORDS[f"pump.steps[].{step[2]}"], number=int(step[1]))
    indexes = _INDEX.findall(key)
    item = ITEM_WORDS.get(_INDEX.sub("[]", key)) if len(indexes) == 1 else None
    if item is not None:
        return message(item, number=int(indexes[0]) + 1)
    return neutral("{key}", key=key)
