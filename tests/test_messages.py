"""Messages that are English text and can be said again in Dutch, numbers included.

The expected Dutch numbers are written by hand: a decimal comma, the ISMP leading zero and no
trailing zero, and never a thousands separator (``1.447 mL`` would be read as one and a half mL).
"""

from __future__ import annotations

import pickle
import tomllib
from datetime import date
from decimal import Decimal
from fnmatch import fnmatch
from pathlib import Path

import pytest

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, AndList, Joined, Message, Quantity, message
from ivig_dose.render.translations import catalogue_path, translator
from ivig_dose.render.translator import ENGLISH

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def dutch():
    return translator("nl")


def test_the_marker_changes_nothing() -> None:
    assert N_("weight") == "weight"


def test_a_message_is_its_english_text_and_remembers_how_it_was_made() -> None:
    made = message(N_("{what} of {dose}, from {day}"), what="a bag", dose=Quantity(Decimal("72.40"), "g"),
                   day=date(2027, 1, 4))
    assert made == "a bag of 72.4 g, from 2027-01-04"
    assert isinstance(made, str)
    assert made.template == "{what} of {dose}, from {day}"
    assert pickle.loads(pickle.dumps(made)).params == made.params  # batch may send plans to workers


def test_text_made_from_a_message_is_plain_english() -> None:
    made = message(N_("aborted")) + "!"
    assert made == "aborted!" and not isinstance(made, Message)


def test_an_input_error_keeps_its_message_for_the_shell_to_translate() -> None:
    said = message(N_("cannot read or write: {reason}"), reason="No such file")
    error = InputError(said)
    assert error.message == "cannot read or write: No such file"
    assert error.said is said


@pytest.mark.parametrize(("value", "english", "dutch_text"), [
    (Decimal("72.4"), "72.4", "72,4"),
    (Decimal("0.5"), "0.5", "0,5"),  # the leading zero
    (Decimal("70.0"), "70", "70"),  # no trailing zero
    (Decimal("1447"), "1447", "1447"),  # no thousands separator, in either language
    (Decimal("1234567.25"), "1234567.25", "1234567,25"),
    (Decimal("71.985109119"), "71.985109119", "71,985109119"),  # every digit kept
    (Decimal("-4"), "-4", "-4"),
    (12, "12", "12"),
])
def test_numbers_in_each_language(dutch, value: Decimal | int, english: str, dutch_text: str) -> None:
    assert ENGLISH.number(value) == english
    assert dutch.number(value) == dutch_text


def test_quantities_approximations_and_durations(dutch) -> None:
    assert dutch.say(Quantity(Decimal("0.5"), "mL")) == "0,5 mL"
    assert dutch.say(Quantity(Decimal("4"), "mL", signed=True)) == "+4 mL"
    assert dutch.say(Quantity(Decimal("-4.5"), "g", signed=True)) == "-4,5 g"
    assert dutch.say(Quantity(Decimal(1) / 3 * 170, "kg", places=2)) == "≈56,67 kg"
    assert ENGLISH.say(Quantity(Decimal(1) / 3 * 170, "kg", places=2)) == "≈56.67 kg"
    assert dutch.say(Quantity(Decimal("56.5"), "kg", places=2)) == "56,5 kg"  # exact: no ≈
    assert dutch.duration(Decimal("145.2")) == "2 h 26 min"  # rounded up, SI's h as on the pump
    assert dutch.grams(Decimal("72.4")) == "72,4 g"
    assert dutch.millilitres(1447) == "1447 mL"
    assert dutch.kilograms(Decimal("83.42")) == "83,42 kg"


def test_lists_and_long_dates(dutch) -> None:
    assert dutch.say(AndList(("week 4", "week 8"))) == "week 4 en week 8"
    assert ENGLISH.say(AndList(("a", "b", "c"))) == "a, b and c"
    assert dutch.say(Joined((Quantity(Decimal("36.2"), "g"), Quantity(Decimal("36.2"), "g")), " + ")) == \
        "36,2 g + 36,2 g"
    assert dutch.long_date(date(2027, 1, 4)) == "maandag 4 januari 2027"
    assert ENGLISH.long_date(date(2027, 1, 4)) == "Monday 4 January 2027"


def test_a_message_is_said_again_in_dutch_with_its_values(dutch) -> None:
    said = message(N_("cannot read or write: {reason} ({file})"), reason="x", file="plan.pdf")
    assert dutch.say(said) == "kan niet lezen of schrijven: x (plan.pdf)"
    assert dutch.say("text that is no message") == "text that is no message"


def test_the_compiled_catalogues_are_installed_with_the_package() -> None:
    # committed .mo files install with a plain `pip install .` only if package-data names them
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["package-data"]
    package = ROOT / "src" / "ivig_dose"
    mos = list((package / "locale").glob("*/LC_MESSAGES/*.mo"))
    assert mos
    for mo in mos:
        assert any(fnmatch(str(mo.relative_to(package)), pattern) for pattern in setup["ivig_dose"]), mo
    assert catalogue_path("nl").is_file()
