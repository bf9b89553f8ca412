"""A bag's pump program as the nurse reads it: product, bag, then one row per rate step."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, TextIO

from ivig_dose.core.amounts import amount, duration, grams, millilitres, weight_text
from ivig_dose.core.dispensing import UNVERIFIED
from ivig_dose.core.products import risk_text

if TYPE_CHECKING:
    from ivig_dose.core.dispensing import BagProgram


def render_rates_table(bag: BagProgram, out: TextIO) -> None:
    """The program at the width of ``COLUMNS`` or the terminal: a table of steps when it fits
    whole, else one line per step; a rate or a time is never parted from its unit."""
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table

    from ivig_dose.render.terminal import table_width, whole, width_for, wrapped

    width = width_for(out)
    console = Console(file=out, highlight=False, soft_wrap=False, width=width, markup=False, emoji=False)

    def say(text: str = "") -> None:
        console.print(wrapped(text, width, hanging="  ") if text else "", crop=False)

    volume = millilitres(bag.volume_ml)
    if bag.dose_g is not None:
        volume += f" ({grams(bag.dose_g)})"
    check = "verified against the label" if bag.product.verified else UNVERIFIED
    say(f"Product: {bag.product.name} ({bag.product.id}), rate steps {check}")
    say(f"Dosing weight: {weight_text(bag.weight_kg, bag.weight_as_typed)}   Bag: {volume}")
    if bag.product.indication:
        say(f"Rate table: {bag.product.indication}")
    if bag.at_risk is not None:
        say(f"At risk of {risk_text(bag.at_risk.risks)}: capped at {bag.at_risk.limit}; why: {bag.at_risk.source}")
    elif bag.max_rate:
        say(f"Capped at: --max-rate {bag.max_rate}")
    say()
    headers = ("Step", "Rate", "Runs", "Volume", "From", "To")
    rows, start = [], Decimal(0)
    for number, step in enumerate(bag.program.steps, 1):
        end = start + step.minutes
        rate = f"{amount(step.rate_ml_per_h)} mL/h" + (" (capped)" if step.capped else "")
        rows.append((str(number), rate, f"{amount(step.minutes)} min", millilitres(step.volume_ml),
                     f"{amount(start)} min", f"{amount(end)} min"))
        start = end
    widths = [max(cell_len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
    if table_width(widths) <= width:
        table = Table(show_edge=False, header_style="bold", pad_edge=False)
        for name in headers:
            table.add_column(name, justify="right", no_wrap=True)
        for row in rows:
            table.add_row(*row)
        console.print(table)
    else:
        for step_number, rate, runs, step_volume, begin, end_text in rows:
            parts = [f"Step {step_number}: {rate} for {runs}", step_volume, f"from {begin} to {end_text}"]
            console.print(wrapped(", ".join(map(whole, parts)), width, hanging="  "), crop=False)
    say()
    say(f"Total: {duration(bag.program.duration_min)}, {millilitres(bag.program.volume_ml)}")
