"""click's own usage errors (a missing option, a mistyped one, a value not among the choices) in
the run's language.

click (vendored in typer) writes these in English only, and from its own parts. They are read
back here by their fixed English shapes and said again from the catalogue, the option names
and values as they are; a message of a shape not listed stays English, which is still one
clear line. Loaded only on the way to an error line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ivig_dose.core.messages import N_

if TYPE_CHECKING:
    from ivig_dose.render.translator import Translator

#: (the English shape, how to say it): each shape's named parts become the message's values.
_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"No such option: (?P<option>.+?) \(Possible options: (?P<options>.+)\)"),
     N_("no such option: {option} (possible options: {options})")),
    (re.compile(r"No such option: (?P<option>.+)"), N_("no such option: {option}")),
    (re.compile(r"Missing option (?P<name>.+?)\.(?P<rest>.*)"), N_("missing option {name}.{rest}")),
    (re.compile(r"Missing argument (?P<name>.+?)\.(?P<rest>.*)"), N_("missing argument {name}.{rest}")),
    (re.compile(r"Missing parameter:? (?P<name>.+?)\.?"), N_("missing parameter {name}.")),
    (re.compile(r"Option (?P<name>.+) requires an argument\."), N_("option {name} needs a value.")),
    (re.compile(r"Option (?P<name>.+) requires (?P<count>\d+) arguments\."), N_("option {name} needs {count} values.")),
    (re.compile(r"Option (?P<name>.+) does not take a value\."), N_("option {name} takes no value.")),
    (re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((?P<arguments>.*)\)"),
     N_("unexpected extra argument(s) ({arguments})")),
    (re.compile(r"No such command (?P<name>.+?)\. Did you mean (?P<suggestion>.+)\?"),
     N_("no such command {name}. Did you mean {suggestion}?")),
    (re.compile(r"No such command (?P<name>.+?)\."), N_("no such command {name}.")),
    (re.compile(r"Missing command\."), N_("missing command.")),
)
#: what click says is wrong with a value, inside "Invalid value for '--x': ...".
_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?P<value>.+) is not one of (?P<choices>.+)\."), N_("{value} is not one of {choices}.")),
    (re.compile(r"(?P<value>.+) is not a valid (?:int|integer)\."), N_("{value} is not a whole number.")),
    (re.compile(r"(?P<value>.+) is not a valid float\."), N_("{value} is not a number.")),
    (re.compile(r"(?P<value>.+) is not in the range (?P<range>.+)\."), N_("{value} is not in the range {range}.")),
)
#: the words typer and click write around the commands' texts in ``--help``, as they write them
#: (said in the run's language by :mod:`ivig_dose.cli.help_texts`).
HELP_WORDS = (
    N_("Usage: "), N_("Options"), N_("Arguments"), N_("Commands"), N_("Show this message and exit."),
    N_("default: {default}"), N_("required"), N_("(dynamic)"), N_("env var: {var}"),
)
_INVALID = re.compile(r"Invalid value(?: for (?P<name>.+?))?: (?P<problem>.+)")
_HINT = re.compile(r"(?P<text>.*) \(see '(?P<command>.+) --help'\)")


def _said(shapes: tuple[tuple[re.Pattern[str], str], ...], text: str, tr: Translator) -> str | None:
    for shape, template in shapes:
        found = shape.fullmatch(text)
        if found is not None:
            return tr(template, **{name: value or "" for name, value in found.groupdict().items()})
    return None


def said(text: str, tr: Translator) -> str:
    """click's English ``text`` in the language of ``tr``; as it is when its shape is not known."""
    if tr.english:
        return text
    hinted = _HINT.fullmatch(text)
    body, command = (hinted["text"], hinted["command"]) if hinted else (text, None)
    invalid = _INVALID.fullmatch(body)
    if invalid is not None:
        problem = _said(_PROBLEMS, invalid["problem"], tr) or invalid["problem"]
        translated: str | None = (tr(N_("invalid value for {name}: {problem}"), name=invalid["name"], problem=problem)
                                  if invalid["name"] else tr(N_("invalid value: {problem}"), problem=problem))
    else:
        translated = _said(_SHAPES, body, tr)
    if translated is None:
        return text
    return translated if command is None else tr(N_("{text} (see '{command} --help')"), text=translated,
                                                 command=command)
