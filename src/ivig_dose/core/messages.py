"""Text for people, kept translatable without leaving the core's standard library.

Every sentence the core (and every other layer) makes for a person is a template marked with
:func:`N_`, a no-op that ``pybabel extract`` finds, and named values: ``message(N_("{label}
{weight} is outside the plausible adult range"), label=..., weight=Quantity(...))``. The result
is a :class:`Message`, which *is* the English text (a ``str``: JSON, CSV, FHIR and every test
that compares English keep working unchanged) and also remembers its template and values, so
that a shell holding another language's catalogue can say it again in that language, numbers
included (``72,4 g``). The core imports no gettext and no Babel and translates nothing: the
translator and the writing of numbers in a language are render's
(:mod:`ivig_dose.render.translator`); the core writes values only in the English its messages
are written in (:func:`english`).

Numbers in a message are values, not text, for the same reason: ``Quantity(Decimal("0.5"),
"mL")`` is written ``0.5 mL`` in English and ``0,5 mL`` in Dutch, and never with a thousands
separator in any language (``1447 mL``: in Dutch ``1.447`` reads as one and a half).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from decimal import Decimal

# core.amounts (and with it decimal) is imported when the first number is written, not here:
# choosing the language of a run and marking its messages must cost --help nothing.
_numbers: tuple[Callable[[Decimal | int], str], Callable[[Decimal | int, int], str],
                Callable[[str, str], str]] | None = None


def _number_tools() -> tuple[Callable[[Decimal | int], str], Callable[[Decimal | int, int], str],
                             Callable[[str, str], str]]:
    """core.amounts' amount, approximate and with_unit, imported once."""
    global _numbers
    if _numbers is None:
        from ivig_dose.core.amounts import amount, approximate, with_unit

        _numbers = (amount, approximate, with_unit)
    return _numbers


def N_(template: str) -> str:
    """Marks ``template`` for extraction into the message catalogue and returns it unchanged.

    The core cannot translate (it holds no catalogue); it marks, and a shell translates."""
    return template


# The values below are plain classes with __slots__, not frozen dataclasses: this module is on
# every command's start-up path, and creating a dataclass costs about a millisecond at import;
# they are never changed after they are made.


class _Value:
    """Equal when of one class with equal fields, as a frozen dataclass would be (a pickled
    message, sent to a worker and back, is the same message). A subclass lists its ``__slots__``
    in the order its ``__init__`` takes them."""

    __slots__: tuple[str, ...] = ()

    def _fields(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Value) and type(other) is type(self) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash((type(self), self._fields()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}{self._fields()!r}"

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return type(self), self._fields()


class Quantity(_Value):
    """A number with its unit as ISMP writes it (``70 g``, ``0.5 mL``), in any language's digits.

    ``places`` rounds a value from an inexact division and marks it ``≈`` (as
    :func:`~ivig_dose.core.amounts.approximate`); ``signed`` writes ``+`` before a positive value."""

    __slots__ = ("value", "unit", "places", "signed")  # noqa: RUF023 - in __init__'s order, for _Value

    def __init__(self, value: Decimal | int, unit: str = "", places: int | None = None,
                 signed: bool = False) -> None:
        self.value, self.unit, self.places, self.signed = value, unit, places, signed


class AndList(_Value):
    """Items said as a list: ``a``, ``a and b``, ``a, b and c`` (``a, b en c``)."""

    __slots__ = ("items",)

    def __init__(self, items: tuple[Param, ...]) -> None:
        self.items = items


class Joined(_Value):
    """Items with a separator that reads the same in every language (``; ``, `` + ``, `` → ``)."""

    __slots__ = ("items", "separator")

    def __init__(self, items: tuple[Param, ...], separator: str) -> None:
        self.items, self.separator = items, separator

    def between(self, items: list[str]) -> str:
        """The separator to write between ``items`` as a language wrote them: a list whose items
        hold a comma is separated by ``; `` (Dutch "0,6, 1,2, 2,4" cannot be read, "0,6; 1,2; 2,4"
        can); "week 0, 4, 8" stays as it is."""
        return "; " if self.separator == ", " and any("," in item for item in items) else self.separator


#: a value in a message: text as it is (a name, a value the user typed), a number, a date (ISO),
#: a quantity, another message, or a list of them.
Param: TypeAlias = "str | int | Decimal | date | Quantity | AndList | Joined"


#: a message without values; never changed.
_NO_PARAMS: Mapping[str, Param] = {}


class Message(str):
    """English text that remembers how it was made: its template and its named values.

    A ``str`` subclass, so it goes wherever text goes; text made *from* it (``+``, an f-string)
    is plain English again, so a sentence built of parts is built with :func:`message` and the
    parts as values.
    """

    template: str
    #: the values by name; read only, as the message itself.
    params: Mapping[str, Param]

    def __new__(cls, template: str, params: Mapping[str, Param] = _NO_PARAMS) -> Message:
        # Text, and a message (whose English it is), go in as they are. A plan makes some thirty
        # messages and a batch makes them for every distinct plan, so the common case (text only)
        # goes straight to format_map.
        english = params
        for value in params.values():
            if not isinstance(value, str):
                english = {name: value if isinstance(value, str) else _english(value)
                           for name, value in params.items()}
                break
        text = template.format_map(english) if params else template
        made = super().__new__(cls, text)
        made.template = template
        made.params = params
        return made

    def __reduce__(self) -> tuple[type[Message], tuple[str, Mapping[str, Param]]]:
        return Message, (self.template, self.params)


def _english(value: Param) -> str:
    """A value of a message in English: the common ones directly (a batch makes tens of thousands),
    the rest as :func:`english` writes them."""
    kind = type(value)
    if kind is Quantity:
        quantity: Quantity = value  # type: ignore[assignment]
        if quantity.places is None and not quantity.signed:
            amount, _, with_unit = _numbers or _number_tools()
            return with_unit(amount(quantity.value), quantity.unit)
    elif kind is int:
        return str(value)
    return english(value)


def message(template: str, /, **params: Param) -> Message:
    """The English text of ``template`` with ``params`` filled in, able to be said in another language."""
    return Message(template, params)


def said(value: Param) -> Message:
    """A value alone as a message (``36.2 g + 36.2 g``), so it can be stored as text and still be
    written in another language's digits. Its template is no message of the catalogue."""
    return Message("{value}", {"value": value})


def neutral(template: str, /, **params: Param) -> Message:
    """Values in a form that no language words differently (``Nanogam 100 mg/mL``): a message that
    is not marked for the catalogue, so only its values (numbers, dates) change with the language."""
    return Message(template, params)


def english(value: Param | Message) -> str:
    """A value of a message as the messages are written: the English text a :class:`Message` is.

    Numbers exact, with a leading zero, no trailing zero and no thousands separator (ISMP);
    dates ISO. Another language is said by a translator (:mod:`ivig_dose.render.translator`)."""
    if isinstance(value, str):  # text, or a message (whose English it is)
        return value
    if isinstance(value, int):  # bool too: True, False
        return str(value)
    amount, approximate, with_unit = _numbers or _number_tools()
    if isinstance(value, Quantity):
        number = amount(value.value) if value.places is None else approximate(value.value, value.places)
        sign = "+" if value.signed and value.value > 0 else ""
        return with_unit(sign + number, value.unit)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, AndList):
        items = [english(item) for item in value.items]
        return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
    if isinstance(value, Joined):
        items = [english(item) for item in value.items]
        return value.between(items).join(items)
    return amount(value)  # a Decimal, the only value left
