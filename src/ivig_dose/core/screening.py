"""The eligibility screen's pure core: typed answers in, one result per criterion and a verdict out.

The screen never guesses. An answer that is absent is "not answered", never "no", and a
screen with an unanswered criterion and no failed one is undecided rather than eligible.
Answers are checked before anything is evaluated: a value of the wrong type, or a date that
cannot be true (after the screening date, before the date of birth), is an
:class:`~ivig_dose.core.errors.InputError`, because evaluating it would give a confident wrong
verdict.

Date rules count a period (``18 years``, ``3 months``) forward from the answered date, as
dateutil's ``relativedelta`` does, and compare the day it ends on, the *anniversary*, with the
screening date. relativedelta clips a day the target month lacks to the month's last day
(29 February 2008 + 18 years = 28 February 2026); the trial's reading of age is that one born
on 29 February turns 18 on 1 March in a common year, so :func:`anniversary` moves a clipped
day to the first day of the next month, the same way for months (30 November + 3 months =
1 March). No I/O here: the command reads files and asks questions, and typed answers are read by
:mod:`ivig_dose.parse.answers`.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, Message, Quantity, message
from ivig_dose.core.records import frozen

AnswerType = Literal["yes_no", "date", "date_or_never", "number", "choice"]
ANSWER_TYPES: tuple[AnswerType, ...] = ("yes_no", "date", "date_or_never", "number", "choice")
Kind = Literal["inclusion", "exclusion"]
KINDS: tuple[Kind, ...] = ("inclusion", "exclusion")
DateRelation = Literal["less_than", "at_least", "within"]
DATE_RELATIONS: tuple[DateRelation, ...] = ("less_than", "at_least", "within")

#: a yes/no answer is held as one of these words, so it reads the same in a file, a table and JSON.
YES, NO = "yes", "no"
#: the answer to "date of the last ..." when there never was one.
NEVER = "never"
#: the answers-file key of the date every date rule counts to.
SCREENING_DATE_KEY = "screening_date"

#: an answer, typed: "yes"/"no" or a choice (str), a date, the word "never" (str), a number.
Answer = str | date | Decimal

_PERIOD = re.compile(r"\s*(\d+)\s+(year|month)s?\s*")


@frozen
class Period:
    """A calendar period of whole years or whole months, as the trial states them."""

    count: int
    unit: Literal["year", "month"]

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PERIOD.fullmatch(text)
        if match is None:
            raise InputError(message(N_("period {text!r} is not 'N years' or 'N months'"), text=text))
        return cls(int(match[1]), "year" if match[2] == "year" else "month")

    def __str__(self) -> str:
        return self.said()

    def said(self) -> Message:
        """``18 years``, ``1 month``."""
        if self.unit == "year":
            return message(N_("{n} year") if self.count == 1 else N_("{n} years"), n=self.count)
        return message(N_("{n} month") if self.count == 1 else N_("{n} months"), n=self.count)


def anniversary(start: date, period: Period) -> date:
    """The day ``period`` after ``start`` ends on; a day the target month lacks becomes the 1st of the next.

    Clipping alone (as dateutil's relativedelta does) would give 28 February for 29 February +
    18 years, making a patient adult a day before the trial's convention does (see the module
    docstring). Counted here with the standard library, so the core needs no dateutil.
    """
    months = period.count * 12 if period.unit == "year" else period.count
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    month += 1
    moved = date(year, month, min(start.day, monthrange(year, month)[1]))
    if moved.day != start.day:  # clipped to the last day of a shorter month
        moved += timedelta(days=1)
    return moved


@frozen
class AnswerIn:
    """Fails when the answer is one of ``failing`` (yes/no and choice criteria)."""

    failing: tuple[str, ...]

    def check(self, answer: Answer, screening_date: date, unit: str) -> tuple[bool, str]:
        failed = answer in self.failing
        return failed, message(N_("answered {answer}"), answer=answer_word(str(answer)))


@frozen
class Below:
    """Fails when the number is below ``limit`` (the limit itself passes: "at least 10 %")."""

    limit: Decimal

    def check(self, answer: Answer, screening_date: date, unit: str) -> tuple[bool, str]:
        assert isinstance(answer, Decimal)
        failed = answer < self.limit
        relation = N_("{answer} is below {limit}") if failed else N_("{answer} is not below {limit}")
        return failed, message(relation, answer=Quantity(answer, unit), limit=Quantity(self.limit, unit))


@frozen
class DateRule:
    """Compares the day ``period`` after the answered date ends on with the screening date.

    ``less_than``: fails when that day is after the screening date (I1: not yet 18).
    ``at_least``: fails when that day is on or before it (I3: 12 months or more ago).
    ``within``: fails when that day is on or after it, so the last day of the period still
    counts as within (E2, E10: the boundary day excludes, the safe side).
    """

    relation: DateRelation
    period: Period

    def check(self, answer: Answer, screening_date: date, unit: str) -> tuple[bool, str]:
        if answer == NEVER:
            return False, message(N_("answered never"))
        assert isinstance(answer, date)
        ends = anniversary(answer, self.period)
        if self.relation == "less_than":
            failed = screening_date < ends
        elif self.relation == "at_least":
            failed = ends <= screening_date
        else:
            failed = screening_date <= ends
        return failed, message(N_("{period} after {answer} is {ends}{rolled}, {relative}"), period=self.period.said(),
                               answer=answer, ends=ends, rolled=_rolled_note(answer, ends),
                               relative=_relative_to(ends, screening_date))


Rule = AnswerIn | Below | DateRule


def _rolled_note(start: date, ends: date) -> str:
    if ends.day == start.day:
        return ""
    previous = ends - timedelta(days=1)
    return message(N_(" ({day} does not exist)"), day=f"{previous.year}-{previous.month:02d}-{start.day:02d}")


def _relative_to(day: date, screening_date: date) -> Message:
    if day < screening_date:
        return message(N_("before the screening date {date}"), date=screening_date)
    if day == screening_date:
        return message(N_("on the screening date {date}"), date=screening_date)
    return message(N_("after the screening date {date}"), date=screening_date)


#: how a yes/no answer or "never" is said to a person; other answers (choices) are keys and stay.
ANSWER_WORDS = {YES: N_("yes"), NO: N_("no"), NEVER: N_("never")}


def answer_word(answer: str) -> str:
    """``yes`` said in the reader's language (``ja``); a choice such as ``dermatomyositis`` as it is."""
    word = ANSWER_WORDS.get(answer)
    return message(word) if word is not None else answer


@frozen
class Criterion:
    """One line of the checklist; ``requirement`` says what "met" means, for exclusions too."""

    id: str
    key: str
    kind: Kind
    requirement: str
    question: str
    answer_type: AnswerType
    rule: Rule
    source: str
    ivig: bool = False
    help: str = ""
    choices: tuple[str, ...] = ()
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    whole: bool = False
    unit: str = ""


@frozen
class Checklist:
    """A screening checklist as data: its criteria in the order they are asked, with its source."""

    id: str
    name: str
    source: str
    criteria: tuple[Criterion, ...]
    birth_date_key: str | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.criteria)

    def by_key(self, key: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.key == key:
                return criterion
        raise InputError(message(N_("unknown answer key {key!r}; accepted: {accepted}"), key=key,
                                 accepted=", ".join((SCREENING_DATE_KEY, *self.keys))))

    def selected(self, ivig_only: bool) -> tuple[Criterion, ...]:
        """Every criterion, or only the IVIg-related ones the pharmacist checks before each course."""
        return tuple(c for c in self.criteria if c.ivig or not ivig_only)


def check_dates(checklist: Checklist, answers: Mapping[str, Answer], screening_date: date) -> None:
    """Refuses dates that cannot be true: after the screening date, or before the date of birth."""
    born = answers.get(checklist.birth_date_key) if checklist.birth_date_key else None
    for key, value in answers.items():
        if not isinstance(value, date):
            continue
        if value > screening_date:
            raise InputError(message(N_("{key} {value} is after the screening date {screening}; accepted: a date on or "
                                        "before {screening}"), key=key, value=value, screening=screening_date))
        if isinstance(born, date) and value < born:
            raise InputError(message(N_("{key} {value} is before the date of birth {born} ({born_key}); accepted: a "
                                        "date from {born} to {screening}"), key=key, value=value, born=born,
                                     born_key=str(checklist.birth_date_key), screening=screening_date))


# --- evaluation ----------------------------------------------------------------------------------


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not met"
    NOT_ANSWERED = "not answered"


@frozen
class CriterionResult:
    """How one criterion came out for this patient, and the sentence that says why."""

    criterion: Criterion
    answer: Answer | None
    status: Status
    reason: str


@frozen
class Screen:
    """Every selected criterion's result, and what they add up to."""

    checklist: Checklist
    screening_date: date
    ivig_only: bool
    results: tuple[CriterionResult, ...]

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(r.criterion.id for r in self.results if r.status is Status.NOT_MET)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(r.criterion.id for r in self.results if r.status is Status.NOT_ANSWERED)

    @property
    def eligible(self) -> bool | None:
        """False when any criterion fails, None (undecided) when some are unanswered, else True."""
        if self.failed:
            return False
        return None if self.missing else True


NOT_ANSWERED_REASON = message(N_("no answer given"))


def evaluate(
    checklist: Checklist, answers: Mapping[str, Answer], screening_date: date, ivig_only: bool = False
) -> Screen:
    check_dates(checklist, answers, screening_date)
    results = tuple(_result(c, answers.get(c.key), screening_date) for c in checklist.selected(ivig_only))
    return Screen(checklist, screening_date, ivig_only, results)


def _result(criterion: Criterion, answer: Answer | None, screening_date: date) -> CriterionResult:
    if answer is None:
        return CriterionResult(criterion, None, Status.NOT_ANSWERED, NOT_ANSWERED_REASON)
    failed, reason = criterion.rule.check(answer, screening_date, criterion.unit)
    return CriterionResult(criterion, answer, Status.NOT_MET if failed else Status.MET, reason)
