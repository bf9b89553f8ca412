"""A bag's pump program as the nurse reads it: product, bag, then one row per rate step."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, TextIO

from ivig_dose.core.dispensing import UNVERIFIED, VERIFIED
from ivig_dose.core.messages import N_
from ivig_dose.core.products import risk_text
from ivig_dose.core.weight_shown import weight_text
from ivig_dose.render.translator import ENGLISH, Translator

if TYPE_CHECKING:
    from ivig_dose.core.dispensing import BagProgram


def render_rates_table(bag: BagProgram, out: TextIO, tr: Translator = ENGLISH) -> None:
    """The program at the width of ``COLUMNS`` or the terminal: a table of steps when it fits
    whole, else one line per step; a rate or a time is never parted from its unit."""
    from rich.cells import cell_len
    from rich.table import Table

    from ivig_dose.render.console import TextConsole
    from ivig_dose.render.terminal import table_width, whole, width_for, wrapped

    width = width_for(out)
    console = TextConsole(out, width)

    def say(text: str = "") -> None:
        console.print(wrapped(text, width, hanging="  ") if text else "", crop=False)

    volume = tr.millilitres(bag.volume_ml)
    if bag.dose_g is not None:
        volume += f" ({tr.grams(bag.dose_g)})"
    check = tr.say(VERIFIED if bag.product.verified else UNVERIFIED)
    say(tr(N_("Product: {product} ({id}), rate steps {verified}"), product=bag.product.name, id=bag.product.id,
           verified=check))
    weight = tr.say(weight_text(bag.weight_kg, bag.weight_as_typed))
    say(tr(N_("Dosing weight: {weight}   Bag: {volume}"), weight=weight, volume=volume))
    if bag.product.indication:
        say(tr(N_("Rate table: {indication}"), indication=bag.product.indication))
    if bag.at_risk is not None:
        say(tr(N_("At risk of {risks}: capped at {limit}; why: {source}"), risks=tr.say(risk_text(bag.at_risk.risks)),
               limit=tr.say(bag.at_risk.limit), source=tr.say(bag.at_risk.source)))
    elif bag.max_rate:
        say(tr(N_("Capped at: --max-rate {max_rate}"), max_rate=bag.max_rate))
    say()
    headers = (tr(N_("Step")), tr(N_("Rate")), tr(N_("Runs")), tr(N_("Volume")), tr(N_("From")), tr(N_("To")))
    rows, start = [], Decimal(0)
    capped = tr(N_("(capped)"))
    for number, step in enumerate(bag.program.steps, 1):
        end = start + step.minutes
        rate = f"{tr.number(step.rate_ml_per_h)} mL/h" + (f" {capped}" if step.capped else "")
        rows.append((str(number), rate, f"{tr.number(step.minutes)} min", tr.millilitres(step.volume_ml),
                     f"{tr.number(start)} min", f"{tr.number(end)} min"))
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
            parts = [tr(N_("Step {number}: {rate} for {runs}"), number=step_number, rate=rate, runs=runs), step_volume,
                     tr(N_("from {begin} to {end}"), begin=begin, end=end_text)]
            console.print(wrapped(", ".join(map(whole, parts)), width, hanging="  "), crop=False)
    say()
    say(tr(N_("Total: {duration}, {volume}"), duration=tr.duration(bag.program.duration_min),
           volume=tr.millilitres(bag.program.volume_ml)))
