"""Typed dates at their edges: which number is the year, the day and the month, and each refusal as
the one line a person reads. Weekdays worked from 1 January 2027, a Friday: 3 May 2027 is day 123,
122 days (17 weeks and 3 days) later, a Monday."""

from __future__ import annotations

from datetime import date

import pytest

from ivig_dose.core.errors import InputError
from ivig_dose.parse.dates import parse_date

ACCEPTED = "accepted: an ISO date such as 2027-01-04, or an unambiguous one such as '4 Jan 2027'"


def refused(text: str, day_first: bool | None = True) -> str:
    with pytest.raises(InputError) as caught:
        parse_date(text, day_first)
    return str(caught.value)


@pytest.mark.parametrize(("text", "day_first", "found"), [
    ("10 April 2027", None, date(2027, 4, 10)),  # a two-digit day
    ("Monday 3 May 2027", None, date(2027, 5, 3)),
    ("3/12/2027", True, date(2027, 12, 3)),  # December, the last month
    ("3/4/2027", True, date(2027, 4, 3)),
    ("3/4/2027", False, date(2027, 3, 4)),
])
def test_a_date_is_read_with_its_year_month_and_day_in_place(text, day_first, found):
    assert parse_date(text, day_first) == found


NOT_A_DATE = [
    "st 3 April 2027",  # an ordinal suffix with no number before it
    "100 April 2027",  # no number fits the day
    "2027 April 100",
    "2027 100 3",  # year first: a month of three digits
    "2027 4 100",  # year first: a day of three digits
    "2027 4th 3",  # year first: an ordinal month
    "2027th 4 3",  # an ordinal year
    "100/4/2027",  # a day of three digits
    "4/100/2027",  # a month of three digits
    "3/4/2027th",  # an ordinal year
]


@pytest.mark.parametrize("text", NOT_A_DATE)
def test_numbers_that_fit_no_place_of_a_date_are_not_a_date(text):
    assert refused(text) == f"date {text!r} is not a date; {ACCEPTED}"


@pytest.mark.parametrize(("text", "said"), [
    ("April 2027", "is incomplete (day, month and year needed)"),
    # three parts, but two months: not an incomplete date, no date at all
    ("3 April May", "is not a date (day, month and year needed)"),
    ("3 April May 2027", "is not a date (day, month and year needed)"),
    ("Monday Monday 3 May 2027", "is not a date (day, month and year needed)"),
    ("Monday Monday 2027 5 3", "is not a date (day, month and year needed)"),
    ("3 April 27", "has a two-digit year (a plan spans a new year)"),
    ("3 April 270", "has a 3-digit year"),
    ("3/4/27", "has a 2-digit year"),
    ("2027 13 3", "has no month 13 (a date that starts with its year is year-month-day)"),
    ("31 April 2027", "has no day 31 in month 4"),
    ("31/4/2027", "has no day 31 in month 4"),
    ("3/13/2027", "has no month 13 (day first)"),
    ("3/4th/2027", "has an ordinal day (such as 3rd) where day first puts the month"),
    ("3 May 2027 9:30", "has a time; give the date only"),
])
def test_each_refusal_says_what_is_wrong_with_the_date(text, said):
    assert refused(text) == f"date {text!r} {said}; {ACCEPTED}"


def test_a_refusal_names_the_field_order_it_read_and_a_wrong_weekday():
    assert refused("13/4/2027", False) == f"date '13/4/2027' has no month 13 (month first); {ACCEPTED}"
    assert refused("Tuesday 3 May 2027") == (
        f"date 'Tuesday 3 May 2027': 2027-05-03 is a monday, not a tuesday; {ACCEPTED}")
