"""Text for people, kept translatable without leaving the core's standard library (issue 20).

Every sentence the core (and every other layer) makes for a person is a template marked with
:func:`N_`, a no-op that ``pybabel extract`` finds, and named values: ``message(N_("{label}
{weight} is outside the plausible adult range"), label=..., weight=Quantity(...))``. The result
is a :class:`Message`, which *is* the English text (a ``str``: JSON, CSV, FHIR and every test
that compares English keep working unchanged) and also remembers its template and values, so
that a shell holding another language's catalogue can say it again in that language, numbers
included (``72,4 g``). The core imports no gettext and no Babel: a :class:`Translator` is given
to it from outside, and the English one here needs neither.

Numbers in a message are values, not text, for the same reason: ``Quantity(Decimal("0.5"),
"mL")`` is written ``0.5 mL`` in English and ``0,5 mL`` in Dutch, and never with a thousands
separator in any language (``1447 mL``: in Dutch ``1.447`` reads as one and a half).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Protocol, TypeAlias

if TYPE_CHECKING:
    from decimal import Decimal

    class Catalogue(Protocol):
        """What a translator needs of a message catalogue (``gettext.GNUTranslations`` has it); for
        the type checker only, as a Protocol class costs start-up time to create."""

        def gettext(self, message: str, /) -> str: ...

# decimal and core.amounts are imported when the first number is written, not here: choosing
# the language of a run and marking its messages must cost --help nothing.
_numbers: tuple[type[Decimal], Callable[[Decimal | int], str], Callable[[Decimal | int, int], str],
                Callable[[Decimal | int], str]] | None = None


def _number_tools() -> tuple[type[Decimal], Callable[[Decimal | int], str], Callable[[Decimal | int, int], str],
                             Callable[[Decimal | int], str]]:
    """Decimal and core.amounts' amount, approximate and duration, imported once."""
    global _numbers
    if _numbers is None:
        from decimal import Decimal

        from ivig_dose.core.amounts import amount, approximate, duration

        _numbers = (Decimal, amount, approximate, duration)
    return _numbers


def N_(template: str) -> str:
    """Marks ``template`` for extraction into the message catalogue and returns it unchanged.

    The core cannot translate (it holds no catalogue); it marks, and a shell translates."""
    return template


# The values below are plain classes with __slots__, not frozen dataclasses: this module is on
# every command's start-up path, and creating a dataclass costs about a millisecond at import
# (issue 6); they are never changed after they are made.


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
    the rest as the English translator says them."""
    kind = type(value)
    if kind is Quantity:
        quantity: Quantity = value  # type: ignore[assignment]
        if quantity.places is None and not quantity.signed:
            text = (_numbers or _number_tools())[1](quantity.value)
            return f"{text} {quantity.unit}".rstrip()  # as Translator.quantity writes it
    elif kind is int:
        return str(value)
    return ENGLISH.say(value)


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


class _English:
    """The catalogue of the language the messages are written in: every message is its own translation."""

    @staticmethod
    def gettext(message: str, /) -> str:
        return message


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def _english_long_date(day: date) -> str:
    """``Monday 4 January 2027``: fixed English names, whatever the process's C locale says."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def _english_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


class Translator:
    """One language's way of saying things: its catalogue, its digits, its lists and long dates.

    Renderers take one (English when none is given) and ask it for every word and number they
    print, so a table, a sheet or a calendar is drawn the same way in every language. Numbers
    are never grouped in thousands in any language; the decimal separator is the language's
    own (``0,5`` in Dutch), the leading zero and the absence of a trailing zero are ISMP's.
    Made once per run and never changed.
    """

    __slots__ = ("and_list", "catalogue", "decimal", "lang", "long_date")

    def __init__(self, lang: str, catalogue: Catalogue, decimal: Callable[[Decimal], str],
                 long_date: Callable[[date], str], and_list: Callable[[list[str]], str]) -> None:
        self.lang = lang
        self.catalogue = catalogue
        #: an exact decimal in the language's digits, as :func:`~ivig_dose.core.amounts.amount` writes it in English.
        self.decimal = decimal
        self.long_date = long_date
        self.and_list = and_list

    def __repr__(self) -> str:
        return f"Translator({self.lang!r})"

    @property
    def english(self) -> bool:
        return self.lang == "en"

    def __call__(self, text: str, /, **params: Param) -> str:
        """The translation of ``text`` (a template marked for extraction), its ``params`` filled in."""
        return self.fill(text, params) if params else self.catalogue.gettext(text)

    def fill(self, template: str, params: Mapping[str, Param]) -> str:
        return self.catalogue.gettext(template).format_map({name: self.say(value) for name, value in params.items()})

    def say(self, value: Param | Message) -> str:
        """Any value of a message as this language writes it; text that is no message stays as it is."""
        if isinstance(value, str):
            if not isinstance(value, Message) or self.english:  # a message's English is its text
                return value
            return self.fill(value.template, value.params) if value.params else self.catalogue.gettext(
                value.template)
        if isinstance(value, int):  # bool too: True, False
            return str(value)
        if isinstance(value, Quantity):
            return self.quantity(value)
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, AndList):
            return self.and_list([self.say(item) for item in value.items])
        if not isinstance(value, Joined):  # a Decimal, the only value left
            return self.number(value)
        items = [self.say(item) for item in value.items]
        # Dutch "0,6, 1,2, 2,4" cannot be read, "0,6; 1,2; 2,4" can; "week 0, 4, 8" stays as it is
        separator = "; " if value.separator == ", " and any("," in item for item in items) else value.separator
        return separator.join(items)

    def number(self, value: Decimal | int) -> str:
        """``72.4`` / ``72,4``: exact, no trailing zero, a leading zero, never a thousands separator."""
        decimal, amount, _, _ = _numbers or _number_tools()
        return amount(value) if self.english else self.decimal(decimal(amount(value)))

    def approximate(self, value: Decimal | int, places: int = 2) -> str:
        """As :func:`~ivig_dose.core.amounts.approximate`: exact, or rounded with a leading ``≈``."""
        Decimal, _, approximate, _ = _numbers or _number_tools()
        text = approximate(value, places)
        if self.english:
            return text
        mark = "≈" if text.startswith("≈") else ""
        return mark + self.decimal(Decimal(text.removeprefix("≈")))

    def quantity(self, value: Quantity) -> str:
        number = self.number(value.value) if value.places is None else self.approximate(value.value, value.places)
        sign = "+" if value.signed and value.value > 0 else ""
        return f"{sign}{number} {value.unit}".rstrip()

    def grams(self, value: Decimal | int) -> str:
        return f"{self.number(value)} g"

    def millilitres(self, value: Decimal | int) -> str:
        return f"{self.number(value)} mL"

    def kilograms(self, value: Decimal | int) -> str:
        return f"{self.number(value)} kg"

    def duration(self, minutes: Decimal | int) -> str:
        """``2 h 46 min``: SI's ``h`` in every language, as the pump's ``mL/h`` beside it."""
        return (_numbers or _number_tools())[3](minutes)


def _english_decimal(value: Decimal) -> str:
    return (_numbers or _number_tools())[1](value)


ENGLISH = Translator("en", _English(), _english_decimal, _english_long_date, _english_list)
