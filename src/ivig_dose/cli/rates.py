"""``ivig-dose rates``: one pump program on its own, for the bedside.

Given the patient's weight and the bag (``--dose 70g``, or ``--volume 700mL`` for a nurse who only
sees the blinded bag), it prints the rate steps in mL/h, how long each runs and the total time,
exactly as ``plan`` would for that bag.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

import typer

from ivig_dose.core.errors import InputError


class Format(StrEnum):
    table = "table"
    json = "json"


SCHEMA = "ivig-dose/rates/v1"


def bag_volume(dose: str | None, volume: str | None, ml_per_g: Decimal) -> tuple[Decimal | None, Decimal]:
    """(dose in g or None, volume in mL) from exactly one of ``--dose`` and ``--volume``."""
    from ivig_dose.parse.units import parse_positive

    if (dose is None) == (volume is None):
        raise InputError("give one of --dose (e.g. 70g) or --volume (e.g. 700mL); accepted: exactly one of them")
    if dose is not None:
        grams_ = parse_positive(dose, "g", "--dose", "an IgG amount such as 70g or 70 g (a bare number is g)")
        return grams_, grams_ * ml_per_g
    assert volume is not None
    return None, parse_positive(volume, "mL", "--volume", "a volume such as 700mL (a bare number is mL)")


def rates(
    weight: Annotated[str, typer.Option(
        "--weight", "-w", help="Dosing weight: 70, 70 kg or 154 lb (a bare number is kg).")],
    dose: Annotated[str | None, typer.Option("--dose", help="IgG in the bag, e.g. 70g.")] = None,
    volume: Annotated[str | None, typer.Option("--volume", help="Volume of the bag, e.g. 700mL.")] = None,
    product: Annotated[str | None, typer.Option(
        "--product", help="Catalogue product id. Default: the protocol's product.")] = None,
    products: Annotated[str | None, typer.Option(
        "--products", help="Product catalogue TOML file to use instead of the built-in one.")] = None,
    max_rate: Annotated[str | None, typer.Option(
        "--max-rate", help="Cap the pump: 300 mL/h (bare number = mL/h), 4.8 mL/kg/h or 3.3 mg/kg/min.")] = None,
    protocol: Annotated[str, typer.Option(
        help="Protocol whose default product and weight limits apply.")] = "timeismuscle",
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
) -> None:
    """Print the pump program for one bag: rate steps, minutes per step, total time."""
    from ivig_dose.core.dispensing import unverified_warning
    from ivig_dose.core.dosing import check_weight, weight_warnings
    from ivig_dose.core.protocol import load_protocol
    from ivig_dose.core.pump import pump_program
    from ivig_dose.parse.dispensing_options import choose_product, parse_max_rate
    from ivig_dose.parse.weight import parse_weight

    chosen_protocol = load_protocol(protocol)
    chosen = choose_product(products, product or chosen_protocol.product.catalogue_id, None)
    if chosen is None:
        raise InputError(f"protocol {chosen_protocol.id!r} names no catalogue product; give --product ID")
    limit = parse_max_rate(max_rate, chosen)
    weight_kg = parse_weight(weight)
    check_weight(weight_kg, chosen_protocol)
    grams_, volume_ml = bag_volume(dose, volume, chosen.ml_per_g)
    program = pump_program(volume_ml, weight_kg, chosen.rate_steps, chosen.step_minutes, limit)
    warnings = weight_warnings(weight_kg, chosen_protocol) + unverified_warning(chosen, "pump rate steps")
    for warning in warnings:
        sys.stderr.write(f"ivig-dose: warning: {warning}\n")
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "product": {"id": chosen.id, "name": chosen.name},
        "product_verified": chosen.verified,
        "weight_kg": weight_kg,
        "dose_g": grams_,
        "volume_ml": volume_ml,
        "max_rate": max_rate,
        "warnings": warnings,
    }
    if fmt is Format.json:
        sys.stdout.write(render_rates_json(document, program))
    else:
        render_rates_table(document, program, sys.stdout)


def render_rates_json(document: dict[str, Any], program: Any) -> str:
    import json

    from ivig_dose.core.amounts import json_number
    from ivig_dose.render.plan_json import pump_entry

    numbers = {k: (json_number(v) if isinstance(v, Decimal) else v) for k, v in document.items()}
    return json.dumps(numbers | {"pump": pump_entry(program)}, indent=2, ensure_ascii=False) + "\n"


def render_rates_table(document: dict[str, Any], program: Any, out: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    from ivig_dose.core.amounts import amount, grams, kilograms, millilitres
    from ivig_dose.core.dispensing import UNVERIFIED
    from ivig_dose.render.dispense_text import duration

    console = Console(file=out, highlight=False, soft_wrap=True, width=None if out.isatty() else 100)
    bag = millilitres(document["volume_ml"])
    if document["dose_g"] is not None:
        bag += f" ({grams(document['dose_g'])})"
    check = "verified against the label" if document["product_verified"] else UNVERIFIED
    console.print(f"Product: {document['product']['name']} ({document['product']['id']}), rate steps {check}")
    console.print(f"Dosing weight: {kilograms(document['weight_kg'])}   Bag: {bag}")
    if document["max_rate"]:
        console.print(f"Capped at: --max-rate {document['max_rate']}")
    console.print()
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for name in ("Step", "Rate", "Runs", "Volume", "From", "To"):
        table.add_column(name, justify="right", no_wrap=True)
    start = Decimal(0)
    for number, step in enumerate(program.steps, 1):
        end = start + step.minutes
        rate = f"{amount(step.rate_ml_per_h)} mL/h" + (" (capped)" if step.capped else "")
        table.add_row(str(number), rate, f"{amount(step.minutes)} min", millilitres(step.volume_ml),
                      f"{amount(start)} min", f"{amount(end)} min")
        start = end
    console.print(table)
    console.print()
    console.print(f"Total: {duration(program)}, {millilitres(program.volume_ml)}")
