"""``--help`` in the run's language: the commands' own texts and typer's and click's words around them.

A command's help is its docstring and its options' ``help=`` texts, written in English where the
command is defined. They are found for the catalogue by :mod:`ivig_dose.cli.help_extract`, which
builds every command as ``ivig-dose`` does and yields each text exactly as typer hands it to
click, so a lookup at run time finds it. The words typer
and click add ("Usage:", "Options", "[default: ...]", the help option's own line) are marked
in :mod:`ivig_dose.cli.click_messages`. A help page in another language is said again from the
catalogue just before it is written (:func:`install`); English loads none of this, so English
start-up is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typer._click import Command, Context

    from ivig_dose.render.translator import Translator

#: the run's translator, as :mod:`ivig_dose.cli.language` chose it; set by :func:`install`.
_current: Callable[[], Translator] | None = None


def _say(text: str) -> str:
    """``text`` in the run's language; unchanged in English or when the catalogue has no translation."""
    tr = None if _current is None else _current()
    return text if tr is None or tr.english or not text else tr(text)


def _say_own(command: Command) -> None:
    """Says ``command``'s own texts in the run's language (again is harmless: a said text stays as it is)."""
    for attribute in ("help", "short_help", "epilog"):
        text = getattr(command, attribute, None)
        if isinstance(text, str):
            setattr(command, attribute, _say(text))


def translate(command: Command, ctx: Context | None = None) -> None:
    """Says ``command``'s texts and its options' in the run's language; a group's commands are
    said as they are listed (they may be built only then)."""
    _say_own(command)
    params = list(command.params)
    if ctx is not None:
        found = command.get_help_option(ctx)
        params += [found] if found is not None else []
    for param in params:
        text = getattr(param, "help", None)
        if isinstance(text, str):
            param.help = _say(text)  # type: ignore[attr-defined]


def install(current: Callable[[], Translator]) -> None:
    """Has every help page of this process said in the language ``current`` gives (once; a later
    English run of the same process, as in the tests, is English again: each text is looked up as
    it is written)."""
    global _current
    if _current is not None:
        return
    _current = current
    import typer.core
    from typer._click import Command, Context
    from typer._click.formatting import HelpFormatter

    setattr(typer.core, "_", _say)  # noqa: B010 - typer's own words: "Options", "[default: ...]", "required"
    get_help, write_usage, short_help = Context.get_help, HelpFormatter.write_usage, Command.get_short_help_str

    def help_in_language(self: Context) -> str:
        translate(self.command, self)
        return get_help(self)

    def usage_in_language(self: HelpFormatter, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, _say("Usage: ") if prefix is None else prefix)

    def short_help_in_language(self: Command, limit: int = 45) -> str:
        _say_own(self)  # a group lists its commands by their first sentence
        return short_help(self, limit)

    Context.get_help = help_in_language  # type: ignore[method-assign]
    Command.get_short_help_str = short_help_in_language  # type: ignore[method-assign]
    HelpFormatter.write_usage = usage_in_language  # type: ignore[method-assign]
