"""Every text of an order file, checked before anything prints or compares it.

An order's texts (a product name, a course name, a setting, a protocol version, a CSV cell)
reach the terminal in ``verify``'s table. A control character there can clear the screen,
retitle the window or recolour a DIFFERS line as "ok"; a format character (a zero-width space,
a bidi override) makes two different texts look the same. No order the tool writes holds one,
so every reader refuses them here, in one place, naming where the text is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message

#: control, format, line and paragraph separators, and lone surrogates: none belongs in an order.
REFUSED = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
#: keys whose text is a sentence taken from a data file's source notes, which may run over lines.
MULTILINE_KEYS = frozenset({"text", "source"})


def check_order_text(text: str, where: str, multiline: bool = False) -> str:
    """``text`` unchanged, or an InputError naming where it is and the first refused character."""
    if text.isprintable():  # decided in C: holds no refused character
        return text
    for index, character in enumerate(text):
        if multiline and character == "\n":
            continue
        if unicodedata.category(character) in REFUSED:
            shown = character.encode("unicode_escape").decode("ascii")
            raise InputError(message(N_("{where} holds the control or format character {shown} at position "
                                        "{position}; accepted: printable text, as 'ivig-dose plan' writes it"),
                                     where=where, shown=shown, position=index + 1))
    return text


def check_order_strings(value: Any, where: str, path: str = "") -> None:
    """Every key and every string of a parsed JSON order, checked; raises naming the JSON path."""
    if isinstance(value, str):
        # a sentence is an object's "text" or "source": never an item of a list
        check_order_text(value, f"{where}: {path or 'value'}", multiline=path.rsplit(".", 1)[-1] in MULTILINE_KEYS)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            check_order_text(str(key), f"{where}: {inner}")
            check_order_strings(item, where, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_order_strings(item, where, f"{path}[{index}]")
