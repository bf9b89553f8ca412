"""The one rich console every terminal table is printed through.

rich answers a closed standard output (``ivig-dose verify order.json | head -c 10``) by
raising ``SystemExit(1)``, which a script reads as the verdict "does not match" or "not
eligible" although the answer was never written whole. This console lets the
``BrokenPipeError`` through instead, so the shell gives the one status that says the output
was cut short (``cli.main``).
"""

from __future__ import annotations

from typing import TextIO

from rich.console import Console


class TextConsole(Console):
    """Plain text, no markup, no emoji, no highlighting: a file's text is printed as written."""

    def __init__(self, out: TextIO, width: int) -> None:
        super().__init__(file=out, highlight=False, soft_wrap=False, width=width, markup=False, emoji=False)

    def on_broken_pipe(self) -> None:
        """The reader went away: say so to the caller rather than exit with a verdict's status."""
        self.quiet = True
        raise BrokenPipeError
