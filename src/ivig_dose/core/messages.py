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

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol, TypeAlias

from ivig_dose.core.amounts import amount, approximate, duration


def N_(template: str) -> str:
    """Marks ``template`` for extraction into the message catalogue and returns it unchanged.

    The core cannot translate (it holds no catalogue); it marks, and a shell translates."""
    return template


@dataclass(frozen=True)
class Quantity:
    """A number with its unit as ISMP writes it (``70 g``, ``0.5 mL``), in any language's digits.

    ``places`` rounds a value from an inexact division and marks it ``≈`` (as
    :func:`~ivig_dose.core.amounts.approximate`); ``signed`` writes ``+`` before a positive value."""

    value: Decimal | int
    unit: str = ""
    places: int | None = None
    signed: bool = False


@dataclass(frozen=True)
class Duration:
    """A run time in minutes, written ``2 h 46 min`` (rounded up to the minute)."""

    minutes: Decimal | int


@dataclass(frozen=True)
class AndList:
    """Items said as a list: ``a``, ``a and b``, ``a, b and c`` (``a, b en c``)."""

    items: tuple[Param, ...]


@dataclass(frozen=True)
class Joined:
    """Items with a separator that reads the same in every language (``; ``, `` + ``, `` → ``)."""

    items: tuple[Param, ...]
    separator: str


#: a value in a message: text as it is (a name, a value the user typed), a number, a date (ISO),
#: a quantity, another message, or a list of them.
Param: TypeAlias = "str | int | Decimal | date | Quantity | Duration | AndList | Joined"


class Message(str):
    """English text that remembers how it was made: its template and its named values.

    A ``str`` subclass, so it goes wherever text goes; text made *from* it (``+``, an f-string)
    is plain English again, so a sentence built of parts is built with :func:`message` and the
    parts as values.
    """

    template: str
    params: tuple[tuple[str, Param], ...]

    def __new__(cls, template: str, params: tuple[tuple[str, Param], ...] = ()) -> Message:
        text = ENGLISH.fill(template, params) if params else template
        made = super().__new__(cls, text)
        made.template = template
        made.params = params
        return made

    def __reduce__(self) -> tuple[type[Message], tuple[str, tuple[tuple[str, Param], ...]]]:
        return Message, (self.template, self.params)


def message(template: str, /, **params: Param) -> Message:
    """The English text of ``template`` with ``params`` filled in, able to be said in another language."""
    return Message(template, tuple(params.items()))


def said(value: Param) -> Message:
    """A value alone as a message (``36.2 g + 36.2 g``), so it can be stored as text and still be
    written in another language's digits. Its template is no message of the catalogue."""
    return Message("{value}", (("value", value),))


def neutral(template: str, /, **params: Param) -> Message:
    """Values in a form that no language words differently (``Nanogam 100 mg/mL``): a message that
    is not marked for the catalogue, so only its values (numbers, dates) change with the language."""
    return Message(template, tuple(params.items()))


class Catalogue(Protocol):
    """What a translator needs of a message catalogue (``gettext.GNUTranslations`` has it)."""

    def gettext(self, message: str, /) -> str: ...


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


@dataclass(frozen=True)
class Translator:
    """One language's way of saying things: its catalogue, its digits, its lists and long dates.

    Renderers take one (English when none is given) and ask it for every word and number they
    print, so a table, a sheet or a calendar is drawn the same way in every language. Numbers
    are never grouped in thousands in any language; the decimal separator is the language's
    own (``0,5`` in Dutch), the leading zero and the absence of a trailing zero are ISMP's.
    """

    lang: str
    catalogue: Catalogue
    #: an exact decimal in the language's digits, as :func:`~ivig_dose.core.amounts.amount` writes it in English.
    decimal: Callable[[Decimal], str]
    long_date: Callable[[date], str]
    and_list: Callable[[list[str]], str]

    @property
    def english(self) -> bool:
        return self.lang == "en"

    def __call__(self, text: str, /, **params: Param) -> str:
        """The translation of ``text`` (a template marked for extraction), its ``params`` filled in."""
        return self.fill(text, tuple(params.items())) if params else self.catalogue.gettext(text)

    def fill(self, template: str, params: Iterable[tuple[str, Param]]) -> str:
        return self.catalogue.gettext(template).format_map({name: self.say(value) for name, value in params})

    def say(self, value: Param | Message) -> str:
        """Any value of a message as this language writes it; text that is no message stays as it is."""
        if isinstance(value, Message):
            return self.fill(value.template, value.params) if value.params else self.catalogue.gettext(
                value.template)
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int):
            return str(value)
        if isinstance(value, Decimal):
            return self.number(value)
        if isinstance(value, Quantity):
            return self.quantity(value)
        if isinstance(value, Duration):
            return self.duration(value.minutes)
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, AndList):
            return self.and_list([self.say(item) for item in value.items])
        items = [self.say(item) for item in value.items]
        # Dutch "0,6, 1,2, 2,4" cannot be read, "0,6; 1,2; 2,4" can; "week 0, 4, 8" stays as it is
        separator = "; " if value.separator == ", " and any("," in item for item in items) else value.separator
        return separator.join(items)

    def number(self, value: Decimal | int) -> str:
        """``72.4`` / ``72,4``: exact, no trailing zero, a leading zero, never a thousands separator."""
        return amount(value) if self.english else self.decimal(Decimal(amount(value)))

    def approximate(self, value: Decimal | int, places: int = 2) -> str:
        """As :func:`~ivig_dose.core.amounts.approximate`: exact, or rounded with a leading ``≈``."""
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
        return duration(minutes)

    def say_all(self, values: Iterable[Param | Message]) -> list[str]:
        return [self.say(value) for value in values]


ENGLISH = Translator("en", _English(), lambda value: amount(value), _english_long_date, _english_list)
#: the languages there are, with their own names, in the order an error lists them.
LANGUAGES = {"en": "English", "nl": "Nederlands"}
