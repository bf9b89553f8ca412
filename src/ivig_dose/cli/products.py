"""``ivig-dose products``: list, show and check product catalogues, and where each of their numbers comes from.

Like ``ivig-dose protocol``: a pharmacist can see, before any plan, which vial sizes and rate
tables an entry holds, which of them were read in a label and which are ours or placeholders.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

app = typer.Typer(help="List, show and check product catalogues and the sources of their numbers.",
                  no_args_is_help=True)

ProductsFile = Annotated[str | None, typer.Option(
    "--products", help="Product catalogue TOML file to use instead of the built-in one.")]


@app.command("list")
def list_products(products: ProductsFile = None) -> None:
    """List the catalogue's entries: id, whether verified against the label, name and indications."""
    from ivig_dose.cli.language import current
    from ivig_dose.files.catalogue import load_catalogue
    from ivig_dose.render.product_text import product_line

    for product in load_catalogue(products).products:
        sys.stdout.write(product_line(product, current()) + "\n")


@app.command("show")
def show(
    product_id: Annotated[str, typer.Argument(metavar="ID", help="Catalogue product id, e.g. nanogam.")],
    products: ProductsFile = None,
) -> None:
    """Print every number of a catalogue entry with its source."""
    from ivig_dose.cli.language import current
    from ivig_dose.files.catalogue import load_catalogue
    from ivig_dose.render.product_text import render_product

    sys.stdout.write(render_product(load_catalogue(products).get(product_id), current()))


@app.command("check")
def check(
    path: Annotated[str, typer.Argument(metavar="FILE", help="Product catalogue TOML file to check.")],
) -> None:
    """Check a product catalogue file and print every problem, one a line.

    Exit status 0 when the file can be used, 2 when it has problems (each printed on stdout).
    """
    from ivig_dose.cli.protocol import report_problems
    from ivig_dose.core.messages import N_, message
    from ivig_dose.files.catalogue import catalogue_problems, catalogue_text

    report_problems(catalogue_problems(catalogue_text(path), path), path, message(N_("product catalogue")),
                    message(N_("a file with the keys described in the built-in data/products.toml")))
