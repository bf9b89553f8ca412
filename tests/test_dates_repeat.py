"""A free-form date asked again (as a patient list does) gets the same answer, refusals included."""

from __future__ import annotations

from datetime import date

import pytest

from ivig_dose.core.errors import InputError
from ivig_dose.parse.dates import parse_date


def test_a_repeated_date_reads_the_same_each_time() -> None:
    # 03/04/2027 read day first is 3 April 2027; month first it is 4 March 2027.
    for _ in range(3):
        assert parse_date("03/04/2027", True) == date(2027, 4, 3)
        assert parse_date("03/04/2027", False) == date(2027, 3, 4)
        assert parse_date("4 Jan 2027") == date(2027, 1, 4)


@pytest.mark.parametrize("text", ["4 Jan", "4 Jan 2027 10:00", "not a date"])
def test_a_repeated_refusal_is_refused_each_time(text: str) -> None:
    for _ in range(3):
        with pytest.raises(InputError, match="date"):
            parse_date(text)
