"""A catalogue entry as plain text: every number with its unit and its source.

Rates are printed per kg both as the pump is set (mL/kg/h) and as labels write them
(mg/kg/min, through the entry's concentration), so the two can be held side by side.
"""

from __future__ import annotations

from decimal import Decimal

from ivig_dose.core.messages import N_
from ivig_dose.core.products import AT_RISK_WORDS, CatalogueProduct
from ivig_dose.render.protocol_text import source_line
from ivig_dose.render.translator import ENGLISH, Translator

MINUTES_PER_HOUR = 60


def product_line(product: CatalogueProduct, tr: Translator = ENGLISH) -> str:
    """One line of ``products list``: id, verified or not, name, the indications it has tables for."""
    verified = tr(N_("verified")) if product.verified else tr(N_("unverified"))
    indications = ", ".join(name for name, _ in product.indications) or "-"
    return f"{product.id}\t{verified}\t{product.name}\t" + tr(N_("indications: {indications}"),
                                                               indications=indications)


def _numbers(values: tuple[Decimal, ...] | list[Decimal], tr: Translator, approximate: bool = False) -> str:
    """Numbers in a list; a list whose numbers hold a decimal comma is separated by semicolons."""
    said = [tr.approximate(v) if approximate else tr.number(v) for v in values]
    return ("; " if any("," in item for item in said) else ", ").join(said)


def per_kg_rate(product: CatalogueProduct, ml_per_kg_h: Decimal, tr: Translator = ENGLISH) -> str:
    """A rate per kg as both units: "1.8 mL/kg/h (3 mg/kg/min)"."""
    mg_per_kg_min = ml_per_kg_h * product.concentration_mg_per_ml / MINUTES_PER_HOUR
    return f"{tr.number(ml_per_kg_h)} mL/kg/h ({tr.approximate(mg_per_kg_min)} mg/kg/min)"


def rate_table(product: CatalogueProduct, steps: tuple[Decimal, ...], minutes: int, tr: Translator = ENGLISH) -> str:
    mg = [s * product.concentration_mg_per_ml / MINUTES_PER_HOUR for s in steps]
    return tr(N_("{rates} mL/kg/h ({mg} mg/kg/min), {minutes} min a step, the last until the bag is empty; maximum "
                 "{maximum}"), rates=_numbers(steps, tr), mg=_numbers(mg, tr, approximate=True), minutes=minutes,
              maximum=per_kg_rate(product, steps[-1], tr))


def _sourced(line: str, source: str, tr: Translator = ENGLISH) -> list[str]:
    return [f"  {line}", source_line(source, tr)]


def render_product(product: CatalogueProduct, tr: Translator = ENGLISH) -> str:
    """``products show``: keys as the catalogue file writes them, the rest in the reader's language."""
    verified = tr(N_("yes")) if product.verified else tr(N_("NO: check every number against the current label "
                                                            "before use"))
    sizes = _numbers(product.presentations, tr)
    volumes = _numbers([product.volume_ml(size) for size in product.presentations], tr)
    concentration = tr.number(product.concentration_mg_per_ml)
    lines = [
        f"{product.name} ({product.id})",
        tr(N_("catalogue: {catalogue}"), catalogue=product.catalogue),
        tr(N_("verified against the label: {verified}"), verified=verified),
        tr(N_("source: {source}"), source=product.source),
        "",
        tr(N_("Numbers:")),
        *_sourced(f"concentration = {concentration} mg/mL", product.source_of("concentration"), tr),
        *_sourced("presentations = " + tr(N_("{sizes} g ({volumes} mL at {concentration} mg/mL)"), sizes=sizes,
                                          volumes=volumes, concentration=concentration),
                  product.source_of("presentations"), tr),
        *_sourced(f"rate_steps = {rate_table(product, product.rate_steps, product.step_minutes, tr)}",
                  product.source_of("rate_steps"), tr),
        *_sourced(f"step_minutes = {product.step_minutes} min", product.source_of("step_minutes"), tr),
        "",
        tr(N_("Indications (--indication NAME):")),
    ]
    if not product.indications:
        lines.append("  " + tr(N_("none: one rate table for every use")))
    for name, table in product.indications:
        lines += _sourced(f"{name}: {rate_table(product, table.rate_steps, table.step_minutes, tr)}", table.source,
                          tr)
    lines += ["", tr(N_("GTINs (record prepare checks a scanned vial by them):"))]
    if not product.gtins:
        lines.append("  " + tr(N_("none listed: a scanned vial needs its size in front, and its GTIN is not checked")))
    else:
        listed = ", ".join(f"{tr.number(size)} g {gtin}" for gtin, size in product.gtins)
        lines += _sourced(f"gtins = {listed}", product.gtin_source or product.source, tr)
    lines += ["", tr(N_("Patients at risk of thrombosis or renal dysfunction (--risk):"))]
    at_risk = product.at_risk
    if at_risk is None:
        lines.append("  " + tr(N_("not in this entry: --risk needs --max-rate (labels: '{words}')"),
                               words=AT_RISK_WORDS))
    elif at_risk.max_ml_per_kg_h is None:
        lines += _sourced("max_rate = none: " + tr(N_("the label gives no number; --risk needs --max-rate")),
                          at_risk.source, tr)
    else:
        lines += _sourced(f"max_rate = {per_kg_rate(product, at_risk.max_ml_per_kg_h, tr)}", at_risk.source, tr)
    return "\n".join(lines) + "\n"
