"""The first number a process writes is written right, though its tools are imported only then.

core.messages and render.translator import ``decimal`` and core.amounts when the first number is written, not at
import (``--help`` must not pay for them), and keeps them. In a test run some earlier test has
always written a number, so every other test sees the tools already there: these tests empty
them first and write a number through each way in, as a fresh ``ivig-dose`` process does.
Expected texts are the ISMP forms written by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from ivig_dose.core import messages
from ivig_dose.core.messages import Quantity, message
from ivig_dose.render import translator
from ivig_dose.render.translator import ENGLISH


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a new process: no number written yet, so the number tools are not imported yet."""
    monkeypatch.setattr(messages, "_numbers", None)
    monkeypatch.setattr(translator, "_numbers", None)


FIRST_NUMBERS: list[tuple[str, Callable[[], str], str]] = [
    # a message's English text: a dose as ISMP writes it, no trailing zero
    ("message", lambda: message("{dose} in {volume}", dose=Quantity(Decimal("72.40"), "g"),
                                volume=Quantity(Decimal("724"), "mL")), "72.4 g in 724 mL"),
    # a number alone: the leading zero kept, the trailing zero dropped
    ("number", lambda: ENGLISH.number(Decimal("0.50")), "0.5"),
    # an inexact ideal weight, rounded to 0.01 kg and marked (CHANGELOG: "≈73.18 kg")
    ("approximate", lambda: ENGLISH.approximate(Decimal("73.18110236220473")), "≈73.18"),
    # 166 min = 2 × 60 + 46
    ("duration", lambda: ENGLISH.duration(166), "2 h 46 min"),
    # English's own digits for an exact decimal: every digit, none added, no thousands separator
    ("decimal", lambda: ENGLISH.decimal(Decimal("1447")), "1447"),
]


@pytest.mark.parametrize(("way", "write", "expected"), FIRST_NUMBERS, ids=[way for way, _, _ in FIRST_NUMBERS])
@pytest.mark.usefixtures("fresh_process")
def test_the_first_number_a_process_writes_is_right(way: str, write: Callable[[], str], expected: str) -> None:
    assert write() == expected


@pytest.mark.usefixtures("fresh_process")
def test_the_number_tools_are_imported_once_and_kept() -> None:
    assert message("{dose}", dose=Quantity(Decimal("35"), "g")) == "35 g"
    kept = messages._numbers
    assert kept is not None
    assert messages._number_tools() is kept
    assert ENGLISH.number(Decimal("2.5")) == "2.5"
    assert messages._numbers is kept
