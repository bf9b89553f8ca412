"""``ivig-dose protocol``: what a protocol says, and where each of its numbers comes from."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

app = typer.Typer(help="Show protocols and the sources of their numbers.", no_args_is_help=True)


@app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="Protocol name or TOML file.")] = "timeismuscle",
) -> None:
    """Print a protocol's parameters, the rule each feeds and where each comes from."""
    from ivig_dose.protocol import load_protocol
    from ivig_dose.render.protocol_text import render_protocol

    sys.stdout.write(render_protocol(load_protocol(name)))


@app.command("list")
def list_protocols() -> None:
    """List the built-in protocols."""
    from ivig_dose.protocol import built_in_names, load_protocol

    for name in built_in_names():
        sys.stdout.write(f"{name}\t{load_protocol(name).name}\n")
