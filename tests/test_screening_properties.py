"""Hypothesis properties of the screen: the period arithmetic, each date rule's boundary on any date,
the verdict over any set of answers, and the answers file reading back what it wrote."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from ivig_dose.core.screening import Criterion, DateRule, Period, Status, anniversary, evaluate
from ivig_dose.files.answers import answers_text, read_answers_text
from ivig_dose.files.checklist import load_checklist

CHECKLIST = load_checklist("timeismuscle")
SCREENING = date(2027, 1, 15)
DAY = timedelta(days=1)

periods = st.builds(Period, st.integers(min_value=0, max_value=120), st.sampled_from(["year", "month"]))
any_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(any_dates, periods)
def test_anniversary_is_relativedelta_unless_the_day_is_missing(start, period):
    clipped = start + relativedelta(**{f"{period.unit}s": period.count})
    ends = anniversary(start, period)
    if clipped.day == start.day:
        assert ends == clipped
    else:  # the target month is too short: the first day of the next month, never the clipped last day
        assert (ends, ends.day, clipped.day < start.day) == (clipped + DAY, 1, True)


@given(any_dates, periods)
def test_a_shorter_period_never_ends_later(start, period):
    if period.count:
        shorter = Period(period.count - 1, period.unit)
        assert anniversary(start, shorter) < anniversary(start, period)


def failed(relation: str, event: date, period: Period, screening: date) -> bool:
    return DateRule(relation, period).check(event, screening, "")[0]  # type: ignore[arg-type]


@given(any_dates, periods)
def test_each_date_relation_turns_on_the_anniversary(event, period):
    ends = anniversary(event, period)
    # less_than (I1 age): still failing the day before, met on the day and after
    assert [failed("less_than", event, period, ends + d * DAY) for d in (-1, 0, 1)] == [True, False, False]
    # at_least (I3 duration): met the day before, failing on the day and after
    assert [failed("at_least", event, period, ends + d * DAY) for d in (-1, 0, 1)] == [False, True, True]
    # within (E2, E10): failing up to and including the day, met the day after
    assert [failed("within", event, period, ends + d * DAY) for d in (-1, 0, 1)] == [True, True, False]


# --- any set of answers ------------------------------------------------------------------------

def answer_for(criterion: Criterion, born: date) -> st.SearchStrategy[object]:
    """Valid answers for one criterion: dates between birth and the screening date, numbers in range."""
    between = st.dates(min_value=born, max_value=SCREENING)
    if criterion.answer_type in ("yes_no", "choice"):
        return st.sampled_from(criterion.choices)
    if criterion.answer_type == "date_or_never":
        return st.one_of(st.just("never"), between)
    if criterion.answer_type == "date":
        return between
    assert criterion.minimum is not None and criterion.maximum is not None
    places = 0 if criterion.whole else 1
    return st.decimals(min_value=criterion.minimum, max_value=criterion.maximum, places=places)


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, object]:
    born = draw(st.dates(min_value=date(1920, 1, 1), max_value=SCREENING))
    answers: dict[str, object] = {}
    for criterion in CHECKLIST.criteria:
        value = born if criterion.key == CHECKLIST.birth_date_key else draw(answer_for(criterion, born))
        if draw(st.booleans()):
            answers[criterion.key] = value
    return answers


@given(answer_sets(), st.booleans())
def test_verdict_follows_failed_and_missing(answers, ivig_only):
    screen = evaluate(CHECKLIST, answers, SCREENING, ivig_only)  # type: ignore[arg-type]
    selected = CHECKLIST.selected(ivig_only)
    assert [r.criterion.id for r in screen.results] == [c.id for c in selected]
    # a missing answer is "not answered", never "no": exactly the absent keys are missing
    assert set(screen.missing) == {c.id for c in selected if c.key not in answers}
    assert not set(screen.failed) & set(screen.missing)
    assert all((r.status is Status.NOT_ANSWERED) == (r.answer is None) for r in screen.results)
    expected = False if screen.failed else (None if screen.missing else True)
    assert screen.eligible is expected


@given(answer_sets(), st.data())
def test_dropping_an_answer_never_fails_another_criterion(answers, data):
    full = evaluate(CHECKLIST, answers, SCREENING)  # type: ignore[arg-type]
    if not answers:
        return
    dropped = data.draw(st.sampled_from(sorted(answers)))
    fewer = evaluate(CHECKLIST, {k: v for k, v in answers.items() if k != dropped}, SCREENING)  # type: ignore[arg-type]
    assert set(fewer.failed) <= set(full.failed)
    assert fewer.eligible is not True or full.eligible is True


@given(answer_sets(), any_dates.filter(lambda d: d >= SCREENING))
def test_saved_answers_read_back_the_same(answers, screening):
    text = answers_text(CHECKLIST, answers, screening)  # type: ignore[arg-type]
    assert read_answers_text(text, CHECKLIST) == (answers, screening)


@given(st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2))
def test_i4_fails_exactly_below_10(percent):
    screen = evaluate(CHECKLIST, {"mmt_loss_percent": percent}, SCREENING)
    assert (screen.results[3].status is Status.NOT_MET) == (percent < 10)
