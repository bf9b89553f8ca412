"""A bag's pump program as the nurse reads it: product, bag, then one row per rate step."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, TextIO

from ivig_dose.core.amounts import amount, duration, grams, kilograms, millilitres
from ivig_dose.core.dispensing import UNVERIFIED
from ivig_dose.core.products import risk_text

if TYPE_CHECKING:
    from ivig_dose.core.dispensing import BagProgram


def render_rates_table(bag: BagProgram, out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=out, highlight=False, soft_wrap=True, width=None if out.isatty() else 100)
    volume = millilitres(bag.volume_ml)
    if bag.dose_g is not None:
        volume += f" ({grams(bag.dose_g)})"
    check = "verified against the label" if bag.product.verified else UNVERIFIED
    # Text, not markup: a catalogue's names are a file's text ("[/]" once raised a MarkupError)
    console.print(Text(f"Product: {bag.product.name} ({bag.product.id}), rate steps {check}"))
    console.print(f"Dosing weight: {kilograms(bag.weight_kg)}   Bag: {volume}")
    if bag.product.indication:
        console.print(Text(f"Rate table: {bag.product.indication}"))
    if bag.at_risk is not None:
        console.print(Text(f"At risk of {risk_text(bag.at_risk.risks)}: capped at {bag.at_risk.limit}; "
                           f"why: {bag.at_risk.source}"))
    elif bag.max_rate:
        console.print(Text(f"Capped at: --max-rate {bag.max_rate}"))
    console.print()
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for name in ("Step", "Rate", "Runs", "Volume", "From", "To"):
        table.add_column(name, justify="right", no_wrap=True)
    start = Decimal(0)
    for number, step in enumerate(bag.program.steps, 1):
        end = start + step.minutes
        rate = f"{amount(step.rate_ml_per_h)} mL/h" + (" (capped)" if step.capped else "")
        table.add_row(str(number), rate, f"{amount(step.minutes)} min", millilitres(step.volume_ml),
                      f"{amount(start)} min", f"{amount(end)} min")
        start = end
    console.print(table)
    console.print()
    console.print(f"Total: {duration(bag.program.duration_min)}, {millilitres(bag.program.volume_ml)}")
