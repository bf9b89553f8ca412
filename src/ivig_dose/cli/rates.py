"""``ivig-dose rates``: one pump program on its own, for the bedside.

Given the patient's weight and the bag (``--dose 70g``, or ``--volume 700mL`` for a nurse who only
sees the blinded bag), it prints the rate steps in mL/h, how long each runs and the total time,
exactly as ``plan`` would for that bag.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ivig_dose.cli.options import IndicationOption, RiskOption, format_option
from ivig_dose.render.formats import Format


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
    risk: RiskOption = None,
    indication: IndicationOption = None,
    fmt: Annotated[Format, format_option(Format.table, Format.json)] = Format.table,
) -> None:
    """Print the pump program for one bag: rate steps, minutes per step, total time."""
    import ivig_dose

    bag = ivig_dose.rates(weight, dose, volume, protocol=protocol, products=products, product=product,
                          max_rate=max_rate, risk=[r.value for r in risk or ()], indication=indication)
    from ivig_dose.cli.language import current, warn

    warn(bag.warnings)
    if fmt is Format.json:
        from ivig_dose.render.rates_json import render_rates_json

        sys.stdout.write(render_rates_json(bag))
    else:
        from ivig_dose.render.rates_table import render_rates_table

        render_rates_table(bag, sys.stdout, current())
