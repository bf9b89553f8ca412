"""A protocol as plain text: every parameter with its unit, rule and source."""

from __future__ import annotations

from ivig_dose.formatting import amount
from ivig_dose.protocol import Protocol


def render_protocol(protocol: Protocol) -> str:
    lines = [
        f"{protocol.name}",
        f"id: {protocol.id}   version: {protocol.version}",
        f"source: {protocol.source}",
        "",
        "Parameters:",
    ]
    for param in protocol.params.values():
        lines.append(f"  {param.key} = {amount(param.value)} {param.unit}  [{param.rule}]")
        lines.append(f"      source: {param.source}")
    product = protocol.product
    lines += [
        "",
        f"Product: {product.name} {amount(product.concentration_mg_per_ml)} mg/mL  [{product.rule}]",
        f"      source: {product.source}",
        f"Placebo: {protocol.placebo.name}  [{protocol.placebo.rule}]",
        f"      source: {protocol.placebo.source}",
        "",
        "Courses:",
    ]
    for course in protocol.courses:
        where = "first part in hospital" if course.hospital else "at home"
        lines.append(f"  {course.name}: week {course.week} (day {course.offset_days}), {where}")
        lines.append(f"      source: {course.source}")
    return "\n".join(lines) + "\n"
