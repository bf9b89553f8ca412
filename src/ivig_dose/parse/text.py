"""Identifiers and free text from files and options: refused when they hold control characters.

A patient id or a protocol's version is printed on paper, in a calendar, in a CSV a
spreadsheet opens and on a terminal. A newline in it forges a second line ("Arm placebo"),
an ESC drives the terminal, a CR or U+2028 splits a calendar line. Escaping each of those for
every medium is easy to get wrong in one of them, and no real identifier holds them, so they
are refused where the text enters, here, and every output still escapes for its own medium.

This is the one place for the check; the bounds on sizes live in docs/limits.md.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message

#: longest identifier (patient id, product id): about twice the longest study number seen.
MAX_ID = 64
#: longest free text in a protocol, catalogue or checklist file (a source, a question, a note).
MAX_TEXT = 2000
#: longest name, id, version, rule or unit in a data file: the order sheet and the labels print
#: these on every bag and every page, so their length is paid per bag (docs/limits.md); the longest
#: shipped is a protocol's title of 92 characters.
MAX_NAME = 100
#: Unicode categories refused: controls (C0, C1 with NEL, DEL), line and paragraph separators,
#: format characters (Cf: bidi overrides and isolates reorder text; U+200B, U+2060 and U+FEFF
#: are invisible, so "TIM-001" and "\u200bTIM-001" would print alike and be two patients), and
#: surrogates (Cs: what Python makes of a byte of a command line that is not UTF-8).
_REFUSED_CATEGORIES = frozenset({"Cc", "Zl", "Zp", "Cf", "Cs"})


def is_control(character: str) -> bool:
    """True for a character no identifier or single line of free text may hold."""
    return unicodedata.category(character) in _REFUSED_CATEGORIES


def printable(text: str) -> str:
    """``text`` with every refused character written as an escape (``\\x1b``, ``\\u2028``), for
    messages that must show a bad value without letting it act on the terminal or the log."""
    if text.isprintable() or not any(is_control(c) for c in text):
        return text
    return "".join(c.encode("unicode_escape").decode("ascii") if is_control(c) else c for c in text)


def check_text(text: str, what: str, limit: int = MAX_TEXT, multiline: bool = False) -> str:
    """``text`` unchanged, or an InputError naming the first refused character and where it is.

    ``multiline`` allows newlines (and nothing else of the refused set) in a long description.
    """
    if len(text) > limit:
        raise InputError(message(N_("{what} is {length} characters long; accepted: at most {limit} characters"),
                                 what=what, length=len(text), limit=limit))
    if text.isprintable():  # holds none of the refused characters: decided in C, once a row in a batch
        return text
    for index, character in enumerate(text):
        if multiline and character == "\n":
            continue
        if is_control(character):
            raise refused_character(text, what, character, index)
    return text


def is_undecoded_byte(character: str) -> bool:
    """True for what surrogateescape keeps of a byte that is not UTF-8 (U+DC80..U+DCFF: U+DCFF is 0xFF).

    Any other lone surrogate (U+D800, which a Windows command line or a program calling ours can
    pass) stands for no byte, so it is named as the character it is, never encoded back.
    """
    return "\udc80" <= character <= "\udcff"


def refused_character(text: str, what: str, character: str, index: int) -> InputError:
    """The one line that names a refused character, what kind it is, and where it stands."""
    shown = character.encode("unicode_escape").decode("ascii")
    category = unicodedata.category(character)
    if is_undecoded_byte(character):
        undecoded = "".join(f"\\x{ord(c) & 0xFF:02x}" if is_undecoded_byte(c) else c for c in text[:40])
        return InputError(message(N_("{what} '{text}' holds a byte that is not UTF-8 ({byte}) at position {position}; "
                                     "accepted: text in UTF-8"), what=what, text=printable(undecoded),
                                  byte=f"\\x{ord(character) & 0xFF:02x}", position=index + 1))
    if category == "Cf":
        return InputError(message(N_("{what} {text!r} holds the invisible control character {code} at position "
                                     "{position}; accepted: printable text without invisible or direction-changing "
                                     "characters"),
                                  what=what, text=text[:40], code=f"U+{ord(character):04X}", position=index + 1))
    return InputError(message(N_("{what} {text!r} holds the control character {shown} at position {position}; "
                                 "accepted: printable text without line breaks or escapes"), what=what,
                              text=text[:40], shown=shown, position=index + 1))


PATIENT_ID = message(N_("patient id"))


def check_id(text: str, what: str = PATIENT_ID) -> str:
    """An identifier: printable, on one line, at most :data:`MAX_ID` characters."""
    return check_text(text, what, MAX_ID)


#: keys whose text may run over several lines: notes on where numbers come from.
MULTILINE_KEYS = frozenset({"source", "sources", "note", "notes", "help"})
#: keys whose text names or identifies something, at most :data:`MAX_NAME` characters (except in a
#: table of sources, whose keys are the names of the values they give the source of).
NAME_KEYS = frozenset({"id", "name", "version", "rule", "unit", "value", "catalogue_id", "indication", "key"})


def check_strings(value: Any, what: str, path: str = "") -> None:
    """Every string in a parsed TOML or JSON tree, checked as free text, and every key as an id;
    only a source or note may run over several lines. Raises naming the key path."""
    if isinstance(value, str):
        key = path.rsplit(".", 1)[-1].split("[", 1)[0]
        named = key in NAME_KEYS and ".sources." not in f".{path}"
        check_text(value, f"{what} {path or 'value'}", MAX_NAME if named else MAX_TEXT,
                   multiline=key in MULTILINE_KEYS)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            check_text(str(key), f"{what} key", MAX_ID)
            check_strings(item, what, where)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_strings(item, what, f"{path}[{index}]")
