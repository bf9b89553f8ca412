"""A catalogue entry as plain text: every number with its unit and its source.

Rates are printed per kg both as the pump is set (mL/kg/h) and as labels write them
(mg/kg/min, through the entry's concentration), so the two can be held side by side.
"""

from __future__ import annotations

from decimal import Decimal

from ivig_dose.core.amounts import amount, approximate
from ivig_dose.core.products import AT_RISK_WORDS, CatalogueProduct

MINUTES_PER_HOUR = 60


def product_line(product: CatalogueProduct) -> str:
    """One line of ``products list``: id, verified or not, name, the indications it has tables for."""
    verified = "verified" if product.verified else "unverified"
    indications = ", ".join(name for name, _ in product.indications) or "-"
    return f"{product.id}\t{verified}\t{product.name}\tindications: {indications}"


def per_kg_rate(product: CatalogueProduct, ml_per_kg_h: Decimal) -> str:
    """A rate per kg as both units: "1.8 mL/kg/h (3 mg/kg/min)"."""
    mg_per_kg_min = ml_per_kg_h * product.concentration_mg_per_ml / MINUTES_PER_HOUR
    return f"{amount(ml_per_kg_h)} mL/kg/h ({approximate(mg_per_kg_min)} mg/kg/min)"


def rate_table(product: CatalogueProduct, steps: tuple[Decimal, ...], minutes: int) -> str:
    rates = ", ".join(amount(step) for step in steps)
    mg = ", ".join(approximate(s * product.concentration_mg_per_ml / MINUTES_PER_HOUR) for s in steps)
    return (f"{rates} mL/kg/h ({mg} mg/kg/min), {minutes} min a step, the last until the bag is empty; "
            f"maximum {per_kg_rate(product, steps[-1])}")


def _sourced(line: str, source: str) -> list[str]:
    return [f"  {line}", f"      source: {source}"]


def render_product(product: CatalogueProduct) -> str:
    verified = "yes" if product.verified else "NO: check every number against the current label before use"
    sizes = ", ".join(amount(size) for size in product.presentations)
    volumes = ", ".join(amount(product.volume_ml(size)) for size in product.presentations)
    lines = [
        f"{product.name} ({product.id})",
        f"catalogue: {product.catalogue}",
        f"verified against the label: {verified}",
        f"source: {product.source}",
        "",
        "Numbers:",
        *_sourced(f"concentration = {amount(product.concentration_mg_per_ml)} mg/mL",
                  product.source_of("concentration")),
        *_sourced(f"presentations = {sizes} g ({volumes} mL at {amount(product.concentration_mg_per_ml)} mg/mL)",
                  product.source_of("presentations")),
        *_sourced(f"rate_steps = {rate_table(product, product.rate_steps, product.step_minutes)}",
                  product.source_of("rate_steps")),
        *_sourced(f"step_minutes = {product.step_minutes} min", product.source_of("step_minutes")),
        "",
        "Indications (--indication NAME):",
    ]
    if not product.indications:
        lines.append("  none: one rate table for every use")
    for name, table in product.indications:
        lines += _sourced(f"{name}: {rate_table(product, table.rate_steps, table.step_minutes)}", table.source)
    lines += ["", "GTINs (record prepare checks a scanned vial by them):"]
    if not product.gtins:
        lines.append("  none listed: a scanned vial needs its size in front, and its GTIN is not checked")
    else:
        listed = ", ".join(f"{amount(size)} g {gtin}" for gtin, size in product.gtins)
        lines += _sourced(f"gtins = {listed}", product.gtin_source or product.source)
    lines += ["", "Patients at risk of thrombosis or renal dysfunction (--risk):"]
    at_risk = product.at_risk
    if at_risk is None:
        lines.append(f"  not in this entry: --risk needs --max-rate (labels: '{AT_RISK_WORDS}')")
    elif at_risk.max_ml_per_kg_h is None:
        lines += _sourced("max_rate = none: the label gives no number; --risk needs --max-rate", at_risk.source)
    else:
        lines += _sourced(f"max_rate = {per_kg_rate(product, at_risk.max_ml_per_kg_h)}", at_risk.source)
    return "\n".join(lines) + "\n"
