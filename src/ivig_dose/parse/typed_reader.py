"""Typed values out of a nested dict (parsed TOML or JSON), each problem one line naming where it is.

A protocol file, a product catalogue and an order are all read the same way: take a value at a
place, check its type, and on a wrong one say where it is, what it was and what is accepted.
:class:`TypedReader` does that once. Each file keeps its own voice: the line a problem becomes
(``say``), how a key is added to a place (``join``) and the words of each refusal are given by
the reader's user, so that moving a reader onto this class changes no output.

A reader either collects every problem and reads on (a file checked whole, so ``protocol
check`` can list them all) or stops at the first (``first_only``: an order, which is refused
with one line).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from string import Formatter
from typing import Any, TypeVar

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, Message, Param, message, neutral

T = TypeVar("T")

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_key(key: str) -> str:
    """A key as TOML would have it written: bare if it can be, else quoted, so that a key with no
    name (``"" = 1``) or with a dot or space in it can still be found in the file."""
    if _BARE_KEY.fullmatch(key):
        return key
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_place(where: str, key: str) -> str:
    """``params.dose_per_kg``: a key under a place, as TOML writes the path; ``where`` "" is the top."""
    return f"{where}.{toml_key(key)}" if where else toml_key(key)


def dotted_place(where: str, key: str) -> str:
    """``indications.cidp``: a key under a place, as written, without quoting."""
    return f"{where}.{key}" if where else key


def where_what(place: str, what: str) -> str:
    """``params.dose_step.value: must be above 0``: the line a problem becomes unless a reader says otherwise."""
    return neutral("{where}: {what}", where=place, what=what)


def _fill(template: str, values: dict[str, Param]) -> Message:
    """``template`` as a message with the values it names (a refusal's words may leave some out)."""
    names = {field for _, field, _, _ in Formatter().parse(template) if field}
    return message(template, **{name: value for name, value in values.items() if name in names})


class TypedReader:
    """Reads typed values, noting each problem with its place (or raising the first).

    Every typed read takes the value (``raw.get(key)``; ``None`` is "not given") and its place,
    and returns the value, or ``None`` after noting a problem. ``missing`` is the words for a
    value not given (``None``: an optional value, no problem); ``wrong`` for one of the wrong
    type or range, a template that may name ``{value}`` (its repr) and the read's bounds.
    """

    def __init__(self, say: Callable[[str, str], str] = where_what,
                 join: Callable[[str, str], str] = toml_place, *, first_only: bool = False) -> None:
        self.say = say
        self.join = join
        self.first_only = first_only
        self.problems: list[str] = []

    def problem(self, place: str, what: str) -> None:
        """Notes a problem at ``place``; a reader that stops at the first raises it as an :class:`InputError`."""
        line = self.say(place, what)
        if self.first_only:
            raise InputError(line)
        self.problems.append(line)

    def attempt(self, read: Callable[[], T]) -> T | None:
        """A value read by a parser that raises; its refusal (a whole line already) is one more problem."""
        try:
            return read()
        except InputError as exc:
            if self.first_only:
                raise
            self.problems.append(exc.said)
            return None

    def unknown(self, table: dict[str, Any], known: Iterable[str], where: str,
                what: str = N_("unknown key; accepted: {known}")) -> None:
        """One problem for each key of ``table`` that is not ``known``: a misspelt optional key
        (``daily_capp``) would otherwise silently mean "not given"."""
        allowed = tuple(known)
        for key in table:
            if key not in allowed:
                self.problem(self.join(where, key), _fill(what, {"known": ", ".join(allowed)}))

    def checked(self, value: Any, place: str, accept: Callable[[Any], bool], *, missing: str | None,
                wrong: str, **bounds: Param) -> Any:
        """``value`` when ``accept`` says so; else ``None`` and one problem in ``missing``'s or ``wrong``'s words."""
        if value is None:
            if missing is not None:
                self.problem(place, _fill(missing, {"value": repr(value), **bounds}))
            return None
        if not accept(value):
            self.problem(place, _fill(wrong, {"value": repr(value), **bounds}))
            return None
        return value

    def table(self, value: Any, place: str, *, missing: str | None = N_("missing table"),
              wrong: str = N_("must be a table")) -> dict[str, Any] | None:
        table: dict[str, Any] | None = self.checked(value, place, lambda v: isinstance(v, dict), missing=missing,
                                                    wrong=wrong)
        return table

    def text(self, value: Any, place: str, *, missing: str | None = N_("missing text"),
             wrong: str = N_("must be text, not {value}")) -> str | None:
        """Text with something in it: blank text is as wrong as a number."""
        text: str | None = self.checked(value, place, lambda v: isinstance(v, str) and bool(v.strip()),
                                        missing=missing, wrong=wrong)
        return text

    def flag(self, value: Any, place: str, *, missing: str | None = None,
             wrong: str = N_("must be true or false, not {value}")) -> bool | None:
        flag: bool | None = self.checked(value, place, lambda v: isinstance(v, bool), missing=missing, wrong=wrong)
        return flag

    def whole(self, value: Any, place: str, low: int, high: int, *,
              missing: str | None = N_("must be a whole number from {low} to {high}, not {value}"),
              wrong: str = N_("must be a whole number from {low} to {high}, not {value}")) -> int | None:
        """A whole number from ``low`` to ``high``; true and false are not numbers, though Python counts them."""
        whole: int | None = self.checked(
            value, place, lambda v: not isinstance(v, bool) and isinstance(v, int) and low <= v <= high,
            missing=missing, wrong=wrong, low=low, high=high)
        return whole
