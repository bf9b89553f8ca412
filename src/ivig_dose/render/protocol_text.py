"""A protocol as plain text: every parameter and choice with its unit, rule and source.

Optional parameters a protocol leaves out are named as absent ("course_cap: none"), so a
reader sees that a missing cap is a decision of the file, not an oversight of this program.
"""

from __future__ import annotations

from ivig_dose.core.amounts import amount
from ivig_dose.core.model import HOSPITAL
from ivig_dose.core.protocol import PARAMS, Param, Protocol


def _param_lines(param: Param) -> list[str]:
    return [f"  {param.key} = {amount(param.value)} {param.unit}  [{param.rule}]",
            f"      source: {param.source}"]


def render_protocol(protocol: Protocol) -> str:
    verified = "yes" if protocol.verified else "NO: check every value against its source before use"
    lines = [
        f"{protocol.name}",
        f"id: {protocol.id}   version: {protocol.version}",
        f"source: {protocol.source}",
        f"verified against its sources: {verified}",
        "",
        "Parameters:",
    ]
    for key in PARAMS:
        param = protocol.params.get(key)
        unset = protocol.unset.get(key)
        if param is not None:
            lines += _param_lines(param)
        elif unset is not None:
            lines += [f"  {key} = none  [{unset.rule}]", f"      source: {unset.source}"]
        elif key != "adjusted_weight_factor":
            lines.append(f"  {key}: none (not set by this protocol)")
    lines += ["", "Choices:"]
    for option in protocol.options.values():
        lines.append(f"  {option.key} = {option.value}  [{option.rule}]")
        lines.append(f"      source: {option.source}")
    lines += ["", "Dosing weight (used when the basis is ideal or adjusted):"]
    lines += _param_lines(protocol.adjusted_factor)
    rules = protocol.weight_rules
    for key in ("ibw_male_base", "ibw_female_base", "ibw_kg_per_inch", "ibw_base_height", "cm_per_inch"):
        lines += _param_lines(rules.params[key])
    product = protocol.product
    lines += [
        "",
        f"Product: {product.name} {amount(product.concentration_mg_per_ml)} mg/mL  [{product.rule}]",
        f"      source: {product.source}",
    ]
    placebo = protocol.placebo
    if placebo is None:
        lines.append("Placebo: none (not a placebo-controlled protocol)")
    else:
        lines += [f"Placebo: {placebo.name}  [{placebo.rule}]", f"      source: {placebo.source}"]
    lines += ["", "Courses:"]
    for course in protocol.courses:
        rest = "in hospital" if protocol.rest_setting == HOSPITAL else f"at {protocol.rest_setting}"
        where = f"first part in hospital, the rest {rest}" if course.hospital else f"given {rest}"
        lines.append(f"  {course.name}: week {course.week} (day {course.offset_days}), {where}")
        if protocol.schedule_source == "listed":
            lines.append(f"      source: {course.source}")
    if protocol.schedule_source != "listed":
        lines.append(f"      source: {protocol.courses[0].source}")
    holidays = protocol.holidays
    if holidays is not None:
        listed = ", ".join(day.isoformat() for day in sorted(holidays.dates)) or "none"
        lines += ["", f"Public holidays (a hospital day on one is warned about): {listed}",
                  f"      source: {holidays.source}"]
    return "\n".join(lines) + "\n"
