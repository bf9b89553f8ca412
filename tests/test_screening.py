"""The screening core: the checklist against the trial's criteria table, every criterion's boundary, the
29 February convention, answer types, impossible dates and the verdict.

Expected dates are worked out by hand in the comments; the criteria table is restated from the
issue rather than read from the checklist file, so a drift in the data file fails here.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta

from ivig_dose.core.errors import InputError
from ivig_dose.core.screening import Period, Status, anniversary, check_dates, evaluate
from ivig_dose.files.checklist import load_checklist
from ivig_dose.files.protocols import built_in_names
from ivig_dose.parse.answers import parse_answer

CHECKLIST = load_checklist("timeismuscle")
SCREENING = date(2027, 1, 15)

# the trial's criteria: id, key, answer type, the answer or condition that fails
ISSUE_TABLE = [
    ("I1", "birth_date", "date"),
    ("I2", "diagnosis", "choice"),
    ("I3", "symptom_onset", "date"),
    ("I4", "mmt_loss_percent", "number"),
    ("I5", "abnormal_core_set_measures", "number"),
    ("I6", "prior_treatment_allowed", "yes_no"),
    ("I7", "informed_consent", "yes_no"),
    ("E1", "severe_weakness", "yes_no"),
    ("E2", "last_thrombosis", "date_or_never"),
    ("E3", "blood_product_reaction", "yes_no"),
    ("E4", "iga_deficiency_with_antibodies", "yes_no"),
    ("E5", "pregnant_or_planning", "yes_no"),
    ("E6", "loop_diuretics", "yes_no"),
    ("E7", "nephrotoxic_medication", "yes_no"),
    ("E8", "compliance_concern", "yes_no"),
    ("E9", "evaluation_concern", "yes_no"),
    ("E10", "last_immunosuppressant", "date_or_never"),
]
# the trial's criteria: which yes/no answer fails each yes/no criterion
FAILING_YES_NO = {"prior_treatment_allowed": "no", "informed_consent": "no", "severe_weakness": "yes",
                  "blood_product_reaction": "yes", "iga_deficiency_with_antibodies": "yes",
                  "pregnant_or_planning": "yes", "loop_diuretics": "yes", "nephrotoxic_medication": "yes",
                  "compliance_concern": "yes", "evaluation_concern": "yes"}


def status(key: str, value: object, on: date = SCREENING) -> Status:
    """The status of one criterion answered alone (the others are simply not answered)."""
    answer = parse_answer(CHECKLIST.by_key(key), value)
    screen = evaluate(CHECKLIST, {key: answer}, on)
    return next(r.status for r in screen.results if r.criterion.key == key)


MET, NOT_MET = Status.MET, Status.NOT_MET


# --- the checklist as data ---------------------------------------------------------------------

def test_checklist_has_exactly_the_issue_ids_keys_and_types():
    assert [(c.id, c.key, c.answer_type) for c in CHECKLIST.criteria] == ISSUE_TABLE


def test_ivig_related_exclusions_are_e2_to_e7():
    assert [c.id for c in CHECKLIST.selected(ivig_only=True)] == ["E2", "E3", "E4", "E5", "E6", "E7"]
    assert len(CHECKLIST.selected(ivig_only=False)) == 17


def test_every_criterion_quotes_its_source_and_says_its_kind():
    for criterion in CHECKLIST.criteria:
        assert criterion.source.startswith("seed: '"), criterion.id
        assert criterion.kind == ("inclusion" if criterion.id.startswith("I") else "exclusion")


def test_the_screening_subfolder_is_not_taken_for_a_dosing_protocol():
    assert "screening" not in built_in_names()


# --- the period arithmetic ---------------------------------------------------------------------

def test_29_february_turns_18_on_1_march_in_a_common_year():
    # 2008-02-29 + 18 years: 2026 is not a leap year, so the day after 28 February, 1 March.
    assert anniversary(date(2008, 2, 29), Period(18, "year")) == date(2026, 3, 1)
    # relativedelta alone clips to 28 February: the reason anniversary() exists.
    assert date(2008, 2, 29) + relativedelta(years=18) == date(2026, 2, 28)


def test_29_february_stays_29_february_in_a_leap_year():
    # 2008-02-29 + 16 years = 2024-02-29 (2024 is a leap year).
    assert anniversary(date(2008, 2, 29), Period(16, "year")) == date(2024, 2, 29)


@pytest.mark.parametrize(("start", "period", "expected"), [
    (date(2026, 11, 30), Period(3, "month"), date(2027, 3, 1)),   # 30 Feb 2027 does not exist -> 1 March
    (date(2026, 10, 31), Period(3, "month"), date(2027, 1, 31)),  # January has a 31st
    (date(2027, 1, 31), Period(1, "month"), date(2027, 3, 1)),    # 31 Feb -> 1 March
    (date(2026, 1, 15), Period(12, "month"), date(2027, 1, 15)),
])
def test_month_periods(start, period, expected):
    assert anniversary(start, period) == expected


@pytest.mark.parametrize("text", ["18", "18 weeks", "years", "-3 months", "1.5 years"])
def test_period_text_must_be_whole_years_or_months(text):
    with pytest.raises(InputError):
        Period.parse(text)


# --- date boundaries: the day before, on, and after each limit ---------------------------------

@pytest.mark.parametrize(("screening", "expected"), [
    (date(2027, 1, 14), NOT_MET),  # born 2009-01-15 turns 18 on 2027-01-15: the day before, still 17
    (date(2027, 1, 15), MET),      # the 18th birthday itself: 18
    (date(2027, 1, 16), MET),
])
def test_i1_age_18_boundary(screening, expected):
    assert status("birth_date", "2009-01-15", screening) is expected


@pytest.mark.parametrize(("screening", "expected"), [
    (date(2027, 2, 27), NOT_MET),  # the issue's example: born 2009-02-28 is 18 on 2027-02-28
    (date(2027, 2, 28), MET),
    (date(2027, 3, 1), MET),
])
def test_i1_issue_example_28_february(screening, expected):
    assert status("birth_date", date(2009, 2, 28), screening) is expected


@pytest.mark.parametrize(("screening", "expected"), [
    (date(2026, 2, 28), NOT_MET),  # born 2008-02-29: 18 on 2026-03-01 (our convention), so still 17 here
    (date(2026, 3, 1), MET),
    (date(2026, 3, 2), MET),
])
def test_i1_born_29_february(screening, expected):
    assert status("birth_date", date(2008, 2, 29), screening) is expected


@pytest.mark.parametrize(("screening", "expected"), [
    (date(2027, 1, 14), MET),      # onset 2026-01-15: 11 months and 30 days before, under 12 months
    (date(2027, 1, 15), NOT_MET),  # exactly 12 months: "< 12 months" fails
    (date(2027, 1, 16), NOT_MET),
])
def test_i3_12_months_boundary(screening, expected):
    assert status("symptom_onset", date(2026, 1, 15), screening) is expected


@pytest.mark.parametrize(("screening", "expected"), [
    (date(2027, 1, 14), NOT_MET),  # thrombosis 2017-01-15: 10 years end 2027-01-15, not yet over
    (date(2027, 1, 15), NOT_MET),  # the last day of the 10 years still counts as within
    (date(2027, 1, 16), MET),      # more than 10 years ago
])
def test_e2_10_years_boundary(screening, expected):
    assert status("last_thrombosis", date(2017, 1, 15), screening) is expected


@pytest.mark.parametrize(("screening", "expected"), [
    (date(2027, 1, 14), NOT_MET),  # last dose 2026-10-15: 3 months end 2027-01-15
    (date(2027, 1, 15), NOT_MET),  # the boundary day counts as within
    (date(2027, 1, 16), MET),
])
def test_e10_3_months_boundary(screening, expected):
    assert status("last_immunosuppressant", date(2026, 10, 15), screening) is expected


@pytest.mark.parametrize(("screening", "expected"), [
    (date(2027, 2, 28), NOT_MET),  # last dose 2026-11-30: 30 Feb 2027 does not exist -> 3 months end 1 March
    (date(2027, 3, 1), NOT_MET),   # relativedelta alone would end on 28 Feb and pass this day
    (date(2027, 3, 2), MET),
])
def test_e10_month_end(screening, expected):
    assert status("last_immunosuppressant", date(2026, 11, 30), screening) is expected


@pytest.mark.parametrize("key", ["last_thrombosis", "last_immunosuppressant"])
@pytest.mark.parametrize("never", ["never", "Never", " NEVER "])
def test_never_passes(key, never):
    assert status(key, never) is MET


def test_date_reason_shows_the_arithmetic():
    screen = evaluate(CHECKLIST, {"birth_date": date(2008, 2, 29)}, date(2026, 2, 28))
    assert screen.results[0].reason == (
        "18 years after 2008-02-29 is 2026-03-01 (2026-02-29 does not exist), after the screening date 2026-02-28")


# --- numbers, yes/no, choices ------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("9.9"), NOT_MET), (10, MET), (Decimal("10.1"), MET), (0, NOT_MET), (100, MET), ("10 %", MET),
    ("9.99", NOT_MET),
])
def test_i4_mmt_loss_at_least_10_percent(value, expected):
    assert status("mmt_loss_percent", value) is expected


@pytest.mark.parametrize(("value", "expected"), [(1, NOT_MET), (2, MET), (3, MET), (0, NOT_MET), (5, MET), ("2", MET)])
def test_i5_at_least_2_core_set_measures(value, expected):
    assert status("abnormal_core_set_measures", value) is expected


@pytest.mark.parametrize(("key", "value", "named"), [
    ("mmt_loss_percent", Decimal("-0.1"), "out of range"),
    ("mmt_loss_percent", Decimal("100.1"), "out of range"),
    ("mmt_loss_percent", "ten", "not a number with a unit"),
    ("mmt_loss_percent", "1,250", "thousands separator"),
    ("mmt_loss_percent", "12 kg", "has the unit 'kg'"),
    ("mmt_loss_percent", True, "not a number"),
    ("abnormal_core_set_measures", Decimal("2.5"), "not a whole number"),
    ("abnormal_core_set_measures", 6, "out of range"),
    ("abnormal_core_set_measures", -1, "out of range"),
    ("informed_consent", "maybe", "not a yes/no answer"),
    ("informed_consent", 1, "not a yes/no answer"),
    ("informed_consent", "", "not a yes/no answer"),
    ("diagnosis", "ibm", "not a choice"),
    ("diagnosis", True, "not a choice"),
    ("birth_date", "2027-02-30", "2027-02-30"),
    ("birth_date", "03/04/1990", "ambiguous"),
    ("birth_date", datetime(1990, 4, 3, 8, 30), "has a time"),
    ("birth_date", 19900403, "not a date"),
    ("birth_date", "never", "not a date"),
    ("last_thrombosis", "no", "not a date"),
])
def test_wrong_answers_are_input_errors_naming_key_and_accepted(key, value, named):
    with pytest.raises(InputError, match=named) as caught:
        parse_answer(CHECKLIST.by_key(key), value)
    message = caught.value.message
    assert key in message and ("accepted" in message or "ISO date" in message)


@pytest.mark.parametrize("key", sorted(FAILING_YES_NO))
def test_yes_no_criteria_fail_on_the_issue_answer(key):
    failing = FAILING_YES_NO[key]
    passing = "yes" if failing == "no" else "no"
    assert status(key, failing) is NOT_MET
    assert status(key, passing) is MET
    assert status(key, failing == "yes") is NOT_MET  # TOML booleans: true = yes
    assert status(key, failing.upper()[0]) is NOT_MET  # "Y" / "N"


@pytest.mark.parametrize("diagnosis", ["dermatomyositis", "polymyositis", "antisynthetase", "imnm", "overlap",
                                       "Dermatomyositis", " IMNM "])
def test_i2_trial_diagnoses_pass(diagnosis):
    assert status("diagnosis", diagnosis) is MET


def test_i2_other_fails():
    assert status("diagnosis", "other") is NOT_MET


# --- impossible dates --------------------------------------------------------------------------

@pytest.mark.parametrize(("answers", "named"), [
    ({"symptom_onset": date(2027, 1, 16)}, "symptom_onset 2027-01-16 is after the screening date 2027-01-15"),
    ({"birth_date": date(2030, 1, 1)}, "birth_date 2030-01-01 is after the screening date"),
    ({"last_thrombosis": date(2027, 2, 1)}, "last_thrombosis 2027-02-01 is after"),
    ({"birth_date": date(1990, 5, 1), "symptom_onset": date(1990, 4, 30)}, "before the date of birth 1990-05-01"),
    ({"birth_date": date(1990, 5, 1), "last_immunosuppressant": date(1980, 1, 1)}, "before the date of birth"),
])
def test_impossible_dates_are_refused(answers, named):
    with pytest.raises(InputError, match=named):
        evaluate(CHECKLIST, answers, SCREENING)


def test_dates_on_the_screening_date_and_on_the_birth_date_are_possible():
    check_dates(CHECKLIST, {"birth_date": date(1990, 5, 1), "symptom_onset": SCREENING,
                            "last_thrombosis": date(1990, 5, 1)}, SCREENING)


# --- the verdict -------------------------------------------------------------------------------

ELIGIBLE = {
    "birth_date": date(1968, 9, 4), "diagnosis": "dermatomyositis", "symptom_onset": date(2026, 6, 20),
    "mmt_loss_percent": Decimal(18), "abnormal_core_set_measures": Decimal(3), "prior_treatment_allowed": "yes",
    "informed_consent": "yes", "severe_weakness": "no", "last_thrombosis": "never", "blood_product_reaction": "no",
    "iga_deficiency_with_antibodies": "no", "pregnant_or_planning": "no", "loop_diuretics": "no",
    "nephrotoxic_medication": "no", "compliance_concern": "no", "evaluation_concern": "no",
    "last_immunosuppressant": date(2026, 9, 10),
}


def test_all_met_is_eligible():
    screen = evaluate(CHECKLIST, ELIGIBLE, SCREENING)
    assert (screen.eligible, screen.failed, screen.missing) == (True, (), ())


def test_a_failed_criterion_is_not_eligible_even_with_answers_missing():
    answers = {k: v for k, v in ELIGIBLE.items() if k != "abnormal_core_set_measures"} | {"loop_diuretics": "yes"}
    screen = evaluate(CHECKLIST, answers, SCREENING)
    assert (screen.eligible, screen.failed, screen.missing) == (False, ("E6",), ("I5",))


def test_missing_answers_without_a_failure_are_undecided_never_no():
    answers = {k: v for k, v in ELIGIBLE.items() if k not in ("informed_consent", "loop_diuretics")}
    screen = evaluate(CHECKLIST, answers, SCREENING)
    assert (screen.eligible, screen.failed, screen.missing) == (None, (), ("I7", "E6"))


def test_ivig_only_ignores_the_other_criteria():
    # E10 fails (2026-12-01 is within 3 months of 2027-01-15) and I7 is missing; neither is an IVIg criterion.
    answers = {k: v for k, v in ELIGIBLE.items() if k != "informed_consent"}
    answers["last_immunosuppressant"] = date(2026, 12, 1)
    assert evaluate(CHECKLIST, answers, SCREENING).eligible is False
    ivig = evaluate(CHECKLIST, answers, SCREENING, ivig_only=True)
    assert (ivig.eligible, [r.criterion.id for r in ivig.results]) == (True, ["E2", "E3", "E4", "E5", "E6", "E7"])


# --- the reasons, word for word (what the screening table shows for each criterion) -------------

@pytest.mark.parametrize(("screening", "said"), [
    # born 2009-01-15: 18 years later is 2027-01-15
    (date(2027, 1, 15), "18 years after 2009-01-15 is 2027-01-15, on the screening date 2027-01-15"),
    (date(2027, 1, 16), "18 years after 2009-01-15 is 2027-01-15, before the screening date 2027-01-16"),
    (date(2027, 1, 14), "18 years after 2009-01-15 is 2027-01-15, after the screening date 2027-01-14"),
])
def test_a_date_reason_says_before_on_or_after(screening, said):
    assert evaluate(CHECKLIST, {"birth_date": date(2009, 1, 15)}, screening).results[0].reason == said


def test_never_and_numbers_are_said_as_answered():
    screen = evaluate(CHECKLIST, {"last_thrombosis": "never", "mmt_loss_percent": Decimal("12.5")}, SCREENING)
    reasons = {r.criterion.key: r.reason for r in screen.results if r.answer is not None}
    assert reasons == {"last_thrombosis": "answered never", "mmt_loss_percent": "12.5 % is not below 10 %"}
    low = evaluate(CHECKLIST, {"mmt_loss_percent": Decimal("9.5")}, SCREENING)
    assert [r.reason for r in low.results if r.answer is not None] == ["9.5 % is below 10 %"]


def test_a_number_without_a_unit_has_no_stray_space():
    from ivig_dose.core.screening import Below

    assert Below(Decimal(2)).check(Decimal(3), SCREENING, "") == (False, "3 is not below 2")
    assert Below(Decimal(2)).check(Decimal(1), SCREENING, "") == (True, "1 is below 2")


def test_periods_are_read_and_said_in_the_singular_and_plural():
    assert Period.parse("3 months") == Period(3, "month")
    assert Period.parse("1 year") == Period(1, "year")
    assert [str(Period(1, "year")), str(Period(2, "year")), str(Period(1, "month")), str(Period(3, "month"))] == [
        "1 year", "2 years", "1 month", "3 months"]


def test_an_unknown_answer_key_names_every_key_accepted():
    with pytest.raises(InputError) as raised:
        CHECKLIST.by_key("birthdate")
    keys = ", ".join(["screening_date", *(key for _, key, _ in ISSUE_TABLE)])
    assert raised.value.message == f"unknown answer key 'birthdate'; accepted: {keys}"
