"""Babel's extractor of ``--help``: every command built as ``ivig-dose`` builds it, and each of its
texts yielded exactly as typer hands it to click (``pybabel extract`` runs it, see
``pyproject.toml``, ``[tool.babel]``), so that :mod:`ivig_dose.cli.help_texts` finds it in the
catalogue at run time. Never imported by a command.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any


def help_texts() -> Iterator[str]:
    """Every text of every command's help, as typer hands it to click: each command built as ``ivig-dose`` builds it."""
    import typer.main
    from typer._click import Context

    from ivig_dose.cli.main import app

    def walk(command: Any) -> Iterator[str]:
        for attribute in ("help", "short_help", "epilog"):
            text = getattr(command, attribute, None)
            if isinstance(text, str) and text:
                yield text
        for param in command.params:
            text = getattr(param, "help", None)
            if isinstance(text, str) and text:
                yield text
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(command.get_command(Context(command), name) if hasattr(sub, "load") else sub)
            if getattr(sub, "help", None):  # the summary a group lists
                yield sub.help

    yield from walk(typer.main.get_command(app))


def extract(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any) -> Iterator[
        tuple[int, str | None, str, list[str]]]:
    """The extractor: every help text of the commands, once. This file marks no message itself, so
    nothing is lost by not reading it as Python."""
    seen: set[str] = set()
    for text in help_texts():
        if text not in seen:
            seen.add(text)
            yield 0, None, text, ["Translators: a text of ivig-dose --help; keep option names and values as they are."]
