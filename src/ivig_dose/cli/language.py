"""The language a run speaks: ``--lang en|nl`` on every command, else the locale variables.

Without ``--lang``, ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` decide, in that order, as POSIX
has it: the first that is set and not empty is the one that counts. ``C``, ``POSIX`` and a
language without a catalogue (``de_DE.UTF-8``) are English, the fallback; only an explicit
``--lang de`` is refused, as a mistake the user can mend.

The language is read from the command line before click parses it, so that an error in parsing
the other options is already said in it; :func:`lang_option` only declares ``--lang`` to click
(for ``--help`` and to accept it) and leaves its value alone.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ivig_dose.core.errors import InputError
from ivig_dose.core.languages import LANGUAGES

if TYPE_CHECKING:
    from typer._click import Command

    from ivig_dose.render.translator import Translator

#: the option on every command.
OPTION = "--lang"
#: the locale variables, most binding first (POSIX).
VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
HELP = "Language of everything printed for people: " + ", ".join(
    f"{code} ({name})" for code, name in LANGUAGES.items()) + ". Default: LC_ALL, LC_MESSAGES or LANG, else en."

#: the run's translator when it is not English; None: English, made only when something is said.
_current: Translator | None = None


def current() -> Translator:
    """The translator of the run: what :func:`choose` chose, English before that."""
    if _current is not None:
        return _current
    from ivig_dose.render.translator import ENGLISH

    return ENGLISH


def from_environment(environ: Mapping[str, str]) -> str:
    """The language the locale variables name, when it has a catalogue; else ``en``."""
    for variable in VARIABLES:
        value = environ.get(variable, "")
        if value:
            code = value.partition(".")[0].partition("@")[0].partition("_")[0].lower()
            return code if code in LANGUAGES else "en"
    return "en"


def given(args: Sequence[str]) -> str | None:
    """The value of the last ``--lang`` on the command line (``--lang nl`` or ``--lang=nl``)."""
    found = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == OPTION and index + 1 < len(args):
            found = args[index + 1]
        elif arg.startswith(OPTION + "="):
            found = arg[len(OPTION) + 1:]
    return found


def checked(code: str) -> str:
    """``code`` as one of the languages there are; anything else is one error line."""
    wanted = code.strip().lower()
    if wanted not in LANGUAGES:
        from ivig_dose.core.messages import N_, message

        known = ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())
        raise InputError(message(N_("--lang {code!r} is not a language ivig-dose speaks; accepted: {known}"),
                                 code=code, known=known))
    return wanted


def choose(args: Sequence[str], environ: Mapping[str, str] | None = None) -> None:
    """Sets the run's translator, from ``args`` or else the environment.

    English is set first, so that a refused ``--lang`` is said in English. English loads nothing:
    neither the message machinery nor, of course, a catalogue or Babel."""
    global _current
    _current = None
    code = given(args)
    lang = checked(code) if code is not None else from_environment(os.environ if environ is None else environ)
    if lang != "en":
        from ivig_dose.cli.help_texts import install
        from ivig_dose.render.translations import translator

        _current = translator(lang)
        install(current)


def warn(warnings: Iterable[str]) -> None:
    """Each warning on stderr in the run's language, wrapped at a terminal, one line in a log."""
    from ivig_dose.core.messages import N_
    from ivig_dose.parse.text import printable
    from ivig_dose.render.terminal import warning_lines

    tr = current()
    prefix = tr(N_("ivig-dose: warning:")) + " "
    for warning in warnings:  # a value quoted in a warning cannot drive the terminal, as in an error (cli.streams)
        sys.stderr.write(warning_lines(prefix, printable(tr.say(warning)), sys.stderr))


def lang_option() -> Any:
    """``--lang`` as click declares it: accepted and shown in ``--help``; its value is read by :func:`choose`."""
    from typer.core import TyperOption

    return TyperOption(param_decls=[OPTION], type=str, metavar="|".join(LANGUAGES), expose_value=False, help=HELP)


def add_lang_option(command: Command) -> None:
    """Gives ``command`` (and, for a group, each of its subcommands) the ``--lang`` option."""
    if not any(OPTION in getattr(param, "opts", ()) for param in command.params):
        command.params.append(lang_option())
    for sub in getattr(command, "commands", {}).values():
        add_lang_option(sub)
