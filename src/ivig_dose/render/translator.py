"""A language's way of saying things: its catalogue, its digits, its lists and long dates.

The core marks messages and writes them in English (:func:`~ivig_dose.core.messages.english`);
saying them in another language, and writing numbers in its digits, is done here, by the
renderers. :data:`ENGLISH` needs neither gettext nor Babel; another language's translator is
made by :mod:`ivig_dose.render.translations` from its catalogue and Babel's functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Protocol

from ivig_dose.core.messages import AndList, Joined, Message, Param, Quantity, english
from ivig_dose.core.terms import Term
from ivig_dose.core.units import GRAMS, KILOGRAMS, MILLILITRES

if TYPE_CHECKING:
    from decimal import Decimal

    class Catalogue(Protocol):
        """What a translator needs of a message catalogue (``gettext.GNUTranslations`` has it); for
        the type checker only, as a Protocol class costs start-up time to create."""

        def gettext(self, message: str, /) -> str: ...


# decimal and core.amounts are imported when the first number is written, not here: --help and a
# usage error say no number.
_numbers: tuple[type[Decimal], Callable[[Decimal | int], str], Callable[[Decimal | int, int], str],
                Callable[[Decimal | int], str], Callable[[str, str], str]] | None = None


def _number_tools() -> tuple[type[Decimal], Callable[[Decimal | int], str], Callable[[Decimal | int, int], str],
                             Callable[[Decimal | int], str], Callable[[str, str], str]]:
    """Decimal and core.amounts' amount, approximate, duration and with_unit, imported once."""
    global _numbers
    if _numbers is None:
        from decimal import Decimal

        from ivig_dose.core.amounts import amount, approximate, duration, with_unit

        _numbers = (Decimal, amount, approximate, duration, with_unit)
    return _numbers


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
    return english(AndList(tuple(items)))


def _english_decimal(value: Decimal) -> str:
    return english(value)


class Translator:
    """One language's way of saying things: its catalogue, its digits, its lists and long dates.

    Renderers take one (English when none is given) and ask it for every word and number they
    print, so a table, a sheet or a calendar is drawn the same way in every language. Numbers
    are never grouped in thousands in any language; the decimal separator is the language's
    own (``0,5`` in Dutch), the leading zero and the absence of a trailing zero are ISMP's.
    Made once per run and never changed.
    """

    __slots__ = ("and_list", "catalogue", "decimal", "lang", "long_date", "weekdays")

    def __init__(self, lang: str, catalogue: Catalogue, decimal: Callable[[Decimal], str],
                 long_date: Callable[[date], str], and_list: Callable[[list[str]], str],
                 weekdays: bool = False) -> None:
        self.lang = lang
        self.catalogue = catalogue
        #: an exact decimal in the language's digits, as :func:`~ivig_dose.core.amounts.amount` writes it in English.
        self.decimal = decimal
        self.long_date = long_date
        self.and_list = and_list
        #: whether a date in a message is said with its weekday (:meth:`dated`), as on paper and in
        #: the plan's "why" block; else ISO, as the messages are written and every log has them.
        self.weekdays = weekdays

    def with_weekdays(self) -> Translator:
        """This language, saying every date of a message with its weekday: ``Mon 2027-01-04``."""
        return Translator(self.lang, self.catalogue, self.decimal, self.long_date, self.and_list, weekdays=True)

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
        if self.english and not self.weekdays:
            return english(value)
        if isinstance(value, str):
            if isinstance(value, Term):
                return value.names.get(self.lang) or (str(value) if value.said is None else self.say(value.said))
            if not isinstance(value, Message):
                return value
            return self.fill(value.template, value.params) if value.params else self.catalogue.gettext(
                value.template)
        if isinstance(value, int):  # bool too: True, False
            return str(value)
        if isinstance(value, Quantity):
            return self.quantity(value)
        if isinstance(value, date):
            return self.dated(value) if self.weekdays else value.isoformat()
        if isinstance(value, AndList):
            return self.and_list([self.say(item) for item in value.items])
        if not isinstance(value, Joined):  # a Decimal, the only value left
            return self.number(value)
        items = [self.say(item) for item in value.items]
        return value.between(items).join(items)

    def number(self, value: Decimal | int) -> str:
        """``72.4`` / ``72,4``: exact, no trailing zero, a leading zero, never a thousands separator."""
        decimal, amount, _, _, _ = _numbers or _number_tools()
        return amount(value) if self.english else self.decimal(decimal(amount(value)))

    def approximate(self, value: Decimal | int, places: int = 2) -> str:
        """As :func:`~ivig_dose.core.amounts.approximate`: exact, or rounded with a leading ``≈``."""
        Decimal, _, approximate, _, _ = _numbers or _number_tools()
        text = approximate(value, places)
        if self.english:
            return text
        mark = "≈" if text.startswith("≈") else ""
        return mark + self.decimal(Decimal(text.removeprefix("≈")))

    def quantity(self, value: Quantity) -> str:
        number = self.number(value.value) if value.places is None else self.approximate(value.value, value.places)
        sign = "+" if value.signed and value.value > 0 else ""
        return (_numbers or _number_tools())[4](sign + number, value.unit)

    def grams(self, value: Decimal | int) -> str:
        return (_numbers or _number_tools())[4](self.number(value), GRAMS)

    def millilitres(self, value: Decimal | int) -> str:
        return (_numbers or _number_tools())[4](self.number(value), MILLILITRES)

    def kilograms(self, value: Decimal | int) -> str:
        return (_numbers or _number_tools())[4](self.number(value), KILOGRAMS)

    def dated(self, day: date) -> str:
        """``Mon 2027-01-04`` (``ma 2027-01-04``): the ISO date with its weekday, so a day that falls
        on a Saturday is seen where the date is read."""
        from ivig_dose.core.calendar_days import dated

        return self.say(dated(day))

    def duration(self, minutes: Decimal | int) -> str:
        """``2 h 46 min``: SI's ``h`` in every language, as the pump's ``mL/h`` beside it."""
        return (_numbers or _number_tools())[3](minutes)


#: the language the messages are written in; needs no catalogue and no Babel.
ENGLISH = Translator("en", _English(), _english_decimal, _english_long_date, _english_list)
