"""A value click could not place, named with what to type instead.

click says "unexpected extra argument(s) (kg)" for ``--weight 70 kg``, the same for
``--course-weight week4 68``, and for ``plan 70`` only that ``--weight`` is missing, never naming
the 70. When click refuses a command line, its arguments are read again here, knowing which
options take a value, and a value that follows no option of its own is named: the words of a
value a shell split (quote them), a course weight written without its ``=``, a value typed
before its option. Loaded only on the way to an error line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ivig_dose.cli.language import OPTION as LANG_OPTION
from ivig_dose.core.messages import N_, Message, message

#: options a command takes that are not among its parameters.
_FLAGS = frozenset({"--help"})
#: a value a unit may be written straight after: ``70``, ``72.5``, ``72,5``.
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
#: the units an amount is typed with, which may be written straight after the number (``70kg``).
_UNITS = frozenset({"kg", "g", "mg", "lb", "lbs", "oz", "st", "cm", "m", "mm", "in", "ft", "ml/h", "ml/kg/h",
                    "ml/kg/min", "mg/kg/min", "ml", "years", "y", "%"})
COURSE_WEIGHT = "--course-weight"


@dataclass(frozen=True)
class Stray:
    """Values that follow no option of their own, and the option and value they came after."""

    words: tuple[str, ...]
    #: the option whose value came just before them, with that value; None after no value.
    option: str | None = None
    value: str | None = None


def strays(command: Any, args: Sequence[str]) -> list[Stray]:
    """The runs of values in ``args`` (a command's own arguments) that no option or argument of
    ``command`` (a click command) takes; none when an option is not the command's (click's own
    words say that best)."""
    takes_value = {name: not (param.is_flag or param.count) for param in command.params
                   if param.param_type_name == "option" for name in (*param.opts, *param.secondary_opts)}
    arguments = [param.nargs for param in command.params if param.param_type_name == "argument"]
    room = -1 if any(n < 0 for n in arguments) else sum(arguments)
    found: list[Stray] = []
    after: tuple[str, str] | None = None
    running = False  # whether the token before was a stray value
    tokens = iter(args)
    for token in tokens:
        name = token.partition("=")[0]
        short = token[:2] if not token.startswith("--") else ""
        if token == "--":
            break
        if name in _FLAGS or takes_value.get(name) is False:
            after, running = None, False
        elif takes_value.get(name):
            after, running = (name, token.partition("=")[2] if "=" in token else next(tokens, "")), False
        elif takes_value.get(short):
            after, running = (short, token[2:]), False  # -w70
        elif token.startswith("-") and not _NUMBER.fullmatch(token):
            return []
        elif room != 0:
            room, after, running = room - 1, None, False
        elif running:
            found[-1] = Stray((*found[-1].words, token), found[-1].option, found[-1].value)
        else:
            found.append(Stray((token,), *(after or (None, None))))
            running = True
    return found


def stray_message(command: Any, args: Sequence[str], path: str) -> Message | None:
    """What to say of the first value that follows no option of its own; None when there is none."""
    found = strays(command, args)
    if not found:
        return None
    stray = found[0]
    typed = " ".join(stray.words)
    if stray.option == COURSE_WEIGHT and stray.value is not None and "=" not in stray.value:
        weight = "".join(stray.words) if _joins(stray.words) else typed
        joined = f"{stray.value}={weight}"
        return message(N_("--course-weight {typed!r}: a course and its weight are one value joined by '=': "
                          "write {written}, e.g. week4=68kg"), typed=f"{stray.value} {typed}",
                       written=f"{COURSE_WEIGHT} {_quoted(joined)}")
    if stray.option is not None and stray.value is not None and _takes_text(command, stray.option):
        value = f"{stray.value} {typed}"
        words = len(stray.words) + 1
        if words == 2 and _joins((stray.value, typed)):
            return message(N_("{value!r} is two words: quote it, {option} \"{value}\", or write {joined}"),
                           value=value, option=stray.option, joined=f"{stray.value}{typed}")
        return message(N_("{value!r} is {words} words: quote it, {option} \"{value}\""), value=value, words=words,
                       option=stray.option)
    if _NUMBER.fullmatch(stray.words[0]) and "--weight" in _options(command):
        return message(N_("{value!r} follows no option: a weight is given as --weight {value} (see '{command} "
                          "--help')"), value=typed, command=path)
    return message(N_("{value!r} follows no option: every value follows the option it is for (see '{command} "
                      "--help')"), value=typed, command=path)


def _joins(words: tuple[str, ...]) -> bool:
    """Whether the words are a number and a unit, which may be written as one: ``68 kg`` → ``68kg``."""
    return len(words) == 2 and bool(_NUMBER.fullmatch(words[0])) and words[1].lower() in _UNITS


def _takes_text(command: Any, option: str) -> bool:
    """Whether the option reads free text (an amount with its unit, a date), which a shell may have
    split: not a whole number (``--days``), a choice (``--arm``) or the language, where a word after
    the value is a value of its own."""
    return option != LANG_OPTION and any(option in param.opts and param.type.name == "str"
                                         for param in command.params if param.param_type_name == "option")


def _quoted(text: str) -> str:
    return f'"{text}"' if " " in text else text


def _options(command: Any) -> set[str]:
    return {name for param in command.params if param.param_type_name == "option" for name in param.opts}


def command_arguments(argv: Sequence[str], path: str) -> list[str] | None:
    """The arguments that follow the command named by ``path`` (``ivig-dose plan``) in ``argv``,
    past the program's own options; None when the command's name is not found."""
    names = path.split()[1:]
    index = 0
    for name in names:
        while index < len(argv) and argv[index] != name:
            index += 1
        if index == len(argv):
            return None
        index += 1
    return list(argv[index:])
