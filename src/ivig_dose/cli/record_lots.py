"""``ivig-dose record prepare`` and ``record lot``: the vials and lots that went into a bag, and a recall.

Apart from the bedside commands because they read the catalogue and GS1 codes, which a nurse's
``record rate`` should not pay for.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ivig_dose.cli.record import At, BagNumber, By, Db, Patient, db_path, format_option, say
from ivig_dose.render.formats import Format


def prepare(
    patient_id: Patient, bag: BagNumber, by: By,
    vial: Annotated[list[str], typer.Option(
        "--vial", help="One vial of the bag, once for each: the pack's GS1 DataMatrix as the scanner types it, "
                       "or with parentheses, (01)GTIN(17)YYMMDD(10)LOT(21)SERIAL; with its size in front when "
                       "the catalogue lists no GTIN for the product (20 g/(01)...); or typed, 20 g/LOT/2027-12. "
                       "For the placebo, each container by its volume (500 mL/LOT/2027-12).")],
    products: Annotated[str | None, typer.Option(
        "--products", help="Product catalogue TOML file to use instead of the built-in one (its GTINs check a "
                           "scanned vial).")] = None,
    at: At = None, db: Db = None,
) -> None:
    """Record the vials that went into a bag, each with its lot and expiry (the pharmacy's record).

    The vials must be the bag's pick list, of the order's product, not expired before the bag's planned date, and
    of one brand for all the bags of a day.
    """
    from ivig_dose.app.record_lots import PrepareInput
    from ivig_dose.app.record_lots import prepare as prepare_bag
    from ivig_dose.cli.language import current, warn
    from ivig_dose.render.record_text import prepared_text

    prepared = prepare_bag(db_path(db, write=True), PrepareInput(patient_id, bag, by, tuple(vial), at, products))
    say(prepared_text(prepared, current()))
    warn(prepared.written.warnings)


def lot(
    lot: Annotated[str, typer.Argument(metavar="LOT", help="The lot (batch) as the vial prints it.")],
    db: Db = None,
    fmt: Annotated[Format, format_option(Format.table, Format.json, Format.csv)] = Format.table,
) -> None:
    """Every patient and bag prepared with a lot, and what was given of it: a recall, across merged records."""
    from ivig_dose.app.record_lots import recall

    wanted, found = recall(db_path(db, write=False), lot)
    if fmt is Format.json:
        from ivig_dose.render.record_json import render_recall_json

        sys.stdout.write(render_recall_json(wanted, found))
    elif fmt is Format.csv:
        from ivig_dose.render.record_csv import render_recall_csv

        render_recall_csv(wanted, found, sys.stdout)
    else:
        from ivig_dose.cli.language import current
        from ivig_dose.render.record_text import render_recall_table

        render_recall_table(wanted, found, sys.stdout, current())
