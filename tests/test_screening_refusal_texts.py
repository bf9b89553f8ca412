"""The whole sentence a pharmacist reads when a screening date or a checklist period is refused.

tests/test_screening.py checks that impossible dates are refused and names the start of each
sentence; here each refusal is read to its end, because the end is what says which date would
be accepted (and, for a date before birth, which answer holds that birth date). The sentences are
written out by hand from the answers given.
"""

from __future__ import annotations

from datetime import date

import pytest

from ivig_dose.core.errors import InputError
from ivig_dose.core.screening import Answer, Period, check_dates
from ivig_dose.files.checklist import load_checklist

CHECKLIST = load_checklist("timeismuscle")  # its date of birth is the answer "birth_date"
SCREENING = date(2027, 1, 15)
BORN = date(1990, 5, 1)


@pytest.mark.parametrize(("answers", "sentence"), [
    ({"symptom_onset": date(2027, 1, 16)},
     "symptom_onset 2027-01-16 is after the screening date 2027-01-15; accepted: a date on or before 2027-01-15"),
    ({"birth_date": date(2030, 1, 1)},
     "birth_date 2030-01-01 is after the screening date 2027-01-15; accepted: a date on or before 2027-01-15"),
    ({"birth_date": BORN, "symptom_onset": date(1990, 4, 30)},
     "symptom_onset 1990-04-30 is before the date of birth 1990-05-01 (birth_date); accepted: a date from "
     "1990-05-01 to 2027-01-15"),
    ({"birth_date": BORN, "last_immunosuppressant": date(1980, 1, 1)},
     "last_immunosuppressant 1980-01-01 is before the date of birth 1990-05-01 (birth_date); accepted: a date "
     "from 1990-05-01 to 2027-01-15"),
])
def test_an_impossible_date_is_refused_with_the_dates_that_are_accepted(answers: dict[str, Answer],
                                                                        sentence: str) -> None:
    with pytest.raises(InputError) as refused:
        check_dates(CHECKLIST, answers, SCREENING)
    assert refused.value.message == sentence


@pytest.mark.parametrize(("text", "sentence"), [
    ("18 weeks", "period '18 weeks' is not 'N years' or 'N months'"),
    ("1.5 years", "period '1.5 years' is not 'N years' or 'N months'"),
])
def test_a_checklist_period_that_is_not_years_or_months_is_refused_saying_what_is(text: str, sentence: str) -> None:
    with pytest.raises(InputError) as refused:
        Period.parse(text)
    assert refused.value.message == sentence
