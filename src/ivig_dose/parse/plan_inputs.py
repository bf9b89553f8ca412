"""One patient's plan inputs as typed, read into a :class:`~ivig_dose.core.model.PlanRequest`.

The plan options of every command, a row of a ``batch`` patient list and the Python API each
fill a :class:`PlanInputs` with text as a person typed it, and :func:`parse_request` is the
one place that reads it. So ``72,0`` in a list and ``--weight 72,0`` on the command line can
never be read two ways, and a new input is added in one place for every path.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.core.model import IVIG, PlanRequest
from ivig_dose.core.products import RISKS
from ivig_dose.core.records import frozen
from ivig_dose.core.weight_shown import course_weight_label

if TYPE_CHECKING:
    from ivig_dose.core.rounding import Rounding

COURSE_WEIGHT_ACCEPTED = message(N_("e.g. week4=68kg"))
#: ours: an age outside this is a typo (a weight or a year typed as the age).
MAX_AGE_YEARS = 120
AGE_ACCEPTED = message(N_("years from 0 to {max}, e.g. 17 or 45"), max=MAX_AGE_YEARS)
RISK_ACCEPTED = message(N_("{risks} (several: thrombosis+renal), or empty for none"), risks=", ".join(RISKS))
_RISK_SEPARATORS = re.compile(r"[\s,;+/|&]+")
PREGNANT = message(N_("pregnant"))
YES = ("yes", "y", "true", "1")
NO = ("no", "n", "false", "0", "")


@frozen
class CourseWeight:
    """A weight measured for a later course (R9), as typed, and the name its errors give it."""

    course: str
    weight: str
    #: how an error names the value: "week4 weight" for an option, the column for a list.
    label: str


@frozen
class PlanInputs:
    """Everything one patient's plan depends on, exactly as typed; None and "" mean not given."""

    weight: str
    start: str | None = None
    arm: str | None = None
    #: a whole number of days (the CLI's typed int) or its text (a list's cell).
    days: int | str | None = None
    course_weights: tuple[CourseWeight, ...] = ()
    height: str | None = None
    sex: str | None = None
    dosing_weight: str | None = None
    #: a flag, or a list's yes/no cell.
    pregnant: bool | str = False
    #: how to read a numeric date such as 03/04/2027: True day first, False month first, None refuse.
    day_first: bool | None = None
    #: what the patient is at risk of: the repeated ``--risk`` options, or a list's cell ("thrombosis+renal").
    risk: tuple[str, ...] | str | None = None
    #: age in years as typed (``--age``, a list's ``age`` cell).
    age: str | None = None


def parse_request(inputs: PlanInputs, rounding: Rounding | None, today: date) -> tuple[PlanRequest, bool]:
    """The request, and whether the start was defaulted to ``today``; raises InputError naming the value."""
    from ivig_dose.parse.weight import read_weight

    weight_kg, weight_as_typed = read_weight(inputs.weight)
    course_weights = parse_course_weights(inputs.course_weights)
    start = parse_start(inputs.start, inputs.day_first)
    request = PlanRequest(
        weight_kg=weight_kg,
        weight_as_typed=weight_as_typed,
        start=start or today,
        arm=word(inputs.arm) or IVIG,
        days=parse_days(inputs.days),
        course_weights=tuple((course, kg) for course, kg, _ in course_weights),
        course_weights_as_typed=typed_course_weights(course_weights),
        height_cm=parse_height_text(inputs.height),
        sex=word(inputs.sex),
        pregnant=parse_yes_no(inputs.pregnant, PREGNANT),
        dosing_weight=word(inputs.dosing_weight),
        rounding=rounding,
        risks=parse_risks(inputs.risk),
        age_years=parse_age(inputs.age),
    )
    return request, start is None


def word(text: str | None) -> str | None:
    """A choice such as an arm or a sex, as the core spells it; None when not given."""
    return text.strip().lower() or None if text is not None else None


def parse_start(text: str | None, day_first: bool | None) -> date | None:
    if text is None:
        return None
    from ivig_dose.parse.dates import parse_date

    return parse_date(text, day_first)


def parse_height_text(text: str | None) -> Decimal | None:
    if not text:
        return None
    from ivig_dose.parse.height import parse_height

    return parse_height(text)


def parse_course_weights(typed: tuple[CourseWeight, ...]) -> tuple[tuple[str, Decimal, str | None], ...]:
    """Later-course weights (R9) by course name, in kg and as typed in another unit (None: in kg);
    an error names the option or the column."""
    from ivig_dose.parse.weight import read_weight

    return tuple((c.course, *read_weight(c.weight, what=c.label)) for c in typed)


def typed_course_weights(weights: tuple[tuple[str, Decimal, str | None], ...]) -> tuple[tuple[str, str], ...]:
    """The course weights typed in another unit than kg, as the request keeps them for display."""
    return tuple((course, typed) for course, _, typed in weights if typed is not None)


def split_course_weights(values: list[str] | tuple[str, ...]) -> tuple[CourseWeight, ...]:
    """``--course-weight week4=68kg`` options as typed; the core checks the course names."""
    pairs = []
    for value in values:
        name, sep, weight = value.partition("=")
        if not sep or not name.strip() or not weight.strip():
            raise InputError(message(N_("--course-weight {value!r} is not COURSE=WEIGHT; accepted: {accepted}"),
                                     value=value, accepted=COURSE_WEIGHT_ACCEPTED))
        pairs.append(CourseWeight(name.strip(), weight, course_weight_label(name.strip())))
    return tuple(pairs)


def day_order(day_first: bool, month_first: bool) -> bool | None:
    """``--day-first`` / ``--month-first`` as the date parser takes them."""
    if day_first and month_first:
        raise InputError(message(N_("--day-first and --month-first contradict each other; give one of them")))
    return True if day_first else False if month_first else None


def parse_days(value: int | str | None) -> int | None:
    """Days per course: a whole number in ASCII digits (``²`` and ``①`` pass ``isdigit`` but are no number)."""
    if value is None or isinstance(value, int):
        return value
    text = value.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise InputError(message(N_("days {value!r} is not a whole number of days; accepted: e.g. 3, or empty for "
                                    "the default"), value=value))
    return int(text)


def parse_yes_no(value: bool | str, what: str) -> bool:
    if isinstance(value, bool):
        return value
    answer = value.strip().lower()
    if answer not in YES + NO:
        raise InputError(message(N_("{what} {value!r} is not yes or no; accepted: yes, no (or empty for no)"),
                                 what=what, value=value))
    return answer in YES


def parse_risks(value: tuple[str, ...] | str | None) -> tuple[str, ...]:
    """``--risk thrombosis --risk renal`` or a cell ``thrombosis+renal``: the risks, each once, sorted."""
    if value is None:
        return ()
    texts = [value] if isinstance(value, str) else list(value)
    words = [w for text in texts for w in _RISK_SEPARATORS.split(text.strip().lower()) if w and w != "none"]
    for found in words:
        if found not in RISKS:
            raise InputError(message(N_("risk {risk!r} is not known; accepted: {accepted}"), risk=found,
                                     accepted=RISK_ACCEPTED))
    return tuple(sorted(set(words)))


def parse_age(text: str | None) -> Decimal | None:
    """Age in years, a whole or decimal number (17, 17.5); None when not given."""
    if text is None or not text.strip():
        return None
    cleaned = text.strip().lower().removesuffix("years").removesuffix("y").strip()
    try:
        age = Decimal(cleaned) if cleaned.isascii() else None
    except ArithmeticError:
        age = None
    if age is None or not age.is_finite() or not 0 <= age <= MAX_AGE_YEARS:
        raise InputError(message(N_("age {text!r} is not an age in years; accepted: {accepted}"), text=text.strip(),
                                 accepted=AGE_ACCEPTED))
    return age
