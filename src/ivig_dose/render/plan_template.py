"""A rendered plan with its patient id, dates and input digest left open, to be filled per patient.

In a patient list, many patients share every input but the start date (weights are written to
0.1 kg, most lists hold one arm or two). The start date only moves a plan along the calendar:
each course and day date moves with it, R7 quotes it, and the input digest hashes it. So
``batch`` renders such a plan once, at a reference start that no other text of a plan contains,
cuts the text at each of the plan's dates and at its digest, and fills the cuts for every
patient. Rendering is the expensive part of a row; filling is string joining.

What fills a date is worked out from the cut, not trusted: a hole holds the date's distance in
days from the start, so it is right for any start. Should a renderer ever print an ISO date
derived from the start that is not one of the plan's own (the day before, say), :func:`cut` finds
it by its year near the reference and refuses to make a template, and that plan is rendered
afresh for each patient instead. Anything else derived from the start (a weekday name) would
not be seen here: tests/test_shared_plans.py, which holds every format to rendering each patient
afresh over random starts, is what stands guard over that. A plan whose warnings quote one of its
dates is not shared either: warnings are printed as they stand.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from ivig_dose.core.calendar_days import hospital_days
from ivig_dose.core.digest import digest_of
from ivig_dose.core.model import Plan
from ivig_dose.core.records import frozen

#: the start a shared plan is made at: a year no protocol, product or number could print.
REFERENCE_START = date(1000, 1, 6)
#: the years a date derived from the reference start can fall in (a protocol spans weeks, not
#: years), as an ISO date begins; a substring test is cheap where a regular expression over 7 kB is not.
NEAR_REFERENCE = tuple(f"{year:04d}-" for year in range(REFERENCE_START.year - 1, REFERENCE_START.year + 2))
ISO_DATE = re.compile(r"(?<!\d)\d{4}-\d\d-\d\d(?!\d)")
#: an ISO date in the year of the reference start or the next (a plan spans weeks): where a plan's
#: own dates are; its literal prefix lets re scan a long text for it quickly.
_REFERENCE_YEARS_DATE = re.compile(r"(100[01]-\d\d-\d\d)")


class Hole(str):
    """A named place in a template for text that differs per patient (the id, the digest)."""


PATIENT_ID = Hole("patient id")
#: the id inside a longer text (a FHIR group's name): as the id is escaped there, without quotes.
PATIENT_ID_IN_TEXT = Hole("patient id in text")
DIGEST = Hole("digest")
#: where a patient's own warnings go after the plan's (the warnings of their dates: a start in the
#: past, a hospital day on a weekend), already written as the text writes them; none for most.
WARNINGS = Hole("warnings")


class Place(Hole):
    """A FHIR resource id: a name-based UUID of the patient id and this place (protocol, bag...)."""

#: a place to fill: a named hole, or a date given as days after the start.
Slot = Hole | int


@frozen
class PlanTemplate:
    """``pieces[0] text[fills[0]] pieces[1] ... text[fills[-1]] pieces[-1]``, as UTF-8, where a
    patient's texts are those of the named ``holes`` (their id...), the digest (when the text shows
    one), then the ISO date ``days[i]`` days after their start for each ``i``; and the warnings the
    plan carries."""

    pieces: tuple[bytes, ...]
    #: which of the patient's texts goes between each two pieces, by its place among them.
    fills: tuple[int, ...]
    #: the named holes the text holds, in the order :meth:`fill` takes their texts.
    holes: tuple[Hole, ...]
    #: the distinct dates the text holds, in days after the start: each is written out once a patient.
    days: tuple[int, ...]
    #: the canonical inputs' JSON text, before and after the start date: the digest is its hash;
    #: None when the text shows no digest (CSV rows), so none is worked out for each patient.
    digest_around: tuple[str, str] | None
    warnings: tuple[str, ...]
    #: the days a bag is given in hospital, in days after the start: a patient whose hospital day
    #: falls on a weekend or a holiday is warned (their warning fills the ``WARNINGS`` hole).
    hospital_days: tuple[int, ...] = ()

    def fill(self, named: Sequence[str], start: date) -> bytes:
        """The text for one patient (``named``: the texts of :attr:`holes`): the same as rendering the
        plan at ``start`` for them."""
        texts = [text.encode() for text in named]
        if self.digest_around is not None:
            before, after = self.digest_around
            texts.append(digest_of(before + start.isoformat() + after).encode())
        day = start.toordinal()
        texts += [iso_day(day + offset) for offset in self.days]
        out = [self.pieces[0]]
        for place, text in enumerate(self.fills, start=1):
            out += (texts[text], self.pieces[place])
        return b"".join(out)


def iso_day(ordinal: int) -> bytes:
    """The ISO date of a day number, as the template's UTF-8 text holds it."""
    return date.fromordinal(ordinal).isoformat().encode()


def plan_dates(plan: Plan) -> dict[str, int]:
    """Every date the plan holds, as text, with its distance in days from the plan's start."""
    start = plan.request.start
    found = {}
    for course in plan.courses:
        found[course.start.isoformat()] = (course.start - start).days
        for day in course.days:
            found[day.date.isoformat()] = (day.date - start).days
    return found


def cut(parts: Sequence[str | Hole], plan: Plan, canonical: str) -> PlanTemplate | None:
    """The template of ``parts`` (the plan rendered at :data:`REFERENCE_START`, with holes where
    the patient id goes); None when a date near the reference that is not one of the plan's own
    would be left in the text. ``canonical`` is the plan's canonical inputs text
    (:func:`~ivig_dose.core.digest.canonical_text`), whose digest ``parts`` may show."""
    if plan.request.start != REFERENCE_START:
        raise ValueError(f"a template is cut from a plan that starts on {REFERENCE_START}")
    before, found, after = canonical.partition(f'"{REFERENCE_START.isoformat()}"')
    if not found:
        return None
    dates = plan_dates(plan)
    digest = digest_of(canonical)
    pieces: list[str] = [""]
    slots: list[Slot] = []
    for part in parts:
        if isinstance(part, Hole):
            slots.append(part)
            pieces.append("")
            continue
        for index, around_digest in enumerate(part.split(digest)):
            if index:
                slots.append(DIGEST)
                pieces.append("")
            for position, text in enumerate(_REFERENCE_YEARS_DATE.split(around_digest)):
                if not position % 2:
                    pieces[-1] += text
                elif text in dates:
                    slots.append(dates[text])
                    pieces.append("")
                else:  # derived from the start, but none of the plan's dates: it cannot be filled
                    return None
    # a warning is printed as it stands, not filled: one that quotes a date (the start, a course's)
    # would tell every patient the reference start, so such a plan is rendered for each patient
    if _holds_a_near_date("\n".join([*pieces, *plan.warnings])):
        return None
    digest_around = (before + '"', '"' + after) if DIGEST in slots else None
    # the patient's texts in the order fill() makes them: the named holes (the id, the patient's own
    # warnings...), the digest if shown, the dates
    holes = tuple(dict.fromkeys(slot for slot in slots if isinstance(slot, Hole) and slot != DIGEST))
    days = tuple(sorted({slot for slot in slots if not isinstance(slot, Hole)}))
    texts: list[Slot] = [*holes, *([DIGEST] if digest_around else []), *days]
    place = {text: index for index, text in enumerate(texts)}
    hospital = tuple((day - REFERENCE_START).days for day in hospital_days(plan))
    return PlanTemplate(tuple(piece.encode() for piece in pieces), tuple(place[slot] for slot in slots), holes,
                        days, digest_around, plan.warnings, hospital)


def _holds_a_near_date(text: str) -> bool:
    """Whether a date derived from the start, but not one of the plan's own, was left in the text."""
    return any(year in text for year in NEAR_REFERENCE) and any(
        found.group().startswith(NEAR_REFERENCE) for found in ISO_DATE.finditer(text))
