"""Patients who differ only in start date share one computed and rendered plan (``batch``).

A plan is a pure function of its request; the start date only moves it along the calendar
(see :mod:`ivig_dose.render.plan_template`). So the request without its start is the key, the
plan is made once at the reference start and rendered once into a template, and each patient's
text is the template filled with their id and start. A test holds every format of ``batch``
to rendering each patient afresh.

The key spells every decimal exactly as given (``72`` and ``72.0`` are two keys), so that no
two requests that could print differently ever share a text. At most :data:`MAX_SHARED`
templates are kept (the least recently used go first), so memory stays bounded however long
the list is.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import fields, replace
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING, Final, NamedTuple

from ivig_dose.core.calendar_days import dated_plan, warnings_after
from ivig_dose.core.digest import canonical_text, digest_of
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import Message
from ivig_dose.core.model import Plan, PlanRequest
from ivig_dose.render.batch_writers import PlanWriter
from ivig_dose.render.plan_template import REFERENCE_START, WARNINGS, PlanTemplate, cut

if TYPE_CHECKING:
    from ivig_dose.core.protocol import Holidays

#: about 7 kB a template in JSON, 2 kB in CSV: tens of MB at most.
MAX_SHARED = 4096
#: every input of a request but its start, in field order.
SHAPE_FIELDS: Final = tuple(f.name for f in fields(PlanRequest) if f.name != "start")
_shape_fields = attrgetter(*SHAPE_FIELDS)

#: a request without its start: what patients who share a plan have in common.
Shape = tuple[object, ...]


def _exact(value: object) -> object:
    # each field of a shape has one type, so a Decimal's exact spelling needs no tag
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return tuple(_exact(item) for item in value)
    return value


def shape_of(request: PlanRequest) -> Shape:
    """The request without its start date, each decimal with its exact spelling."""
    return tuple([_exact(value) for value in _shape_fields(request)])


class Wanted(NamedTuple):
    """A patient's request and its shape, worked out once for their row."""

    request: PlanRequest
    shape: Shape


def wanted(request: PlanRequest) -> Wanted:
    return Wanted(request, shape_of(request))


#: what a shape of request comes to: its template; None when its text cannot be cut (it is then
#: rendered for each patient); or the error its plan raised, said again for each of its patients.
Made = PlanTemplate | InputError | None


class SharedPlans:
    """Each patient's text and warnings, made once per shape of request and filled per patient.

    With ``today``, each patient's plan also carries the warnings of its own dates (a start
    before ``today``, a hospital day on a weekend or one of ``holidays``), as ``plan`` gives
    them: a template of JSON or FHIR has a place for them after the plan's own warnings, and a CSV
    row shows none.
    """

    def __init__(self, planner: Callable[[PlanRequest], Plan], writer: PlanWriter, today: date | None = None,
                 holidays: Holidays | None = None) -> None:
        self.planner = planner
        self.writer = writer
        self.today = today
        self.holidays = holidays
        self.templates: OrderedDict[Shape, Made] = OrderedDict()

    def text(self, patient_id: str, wanted: Wanted) -> tuple[bytes, tuple[str, ...]]:
        """The patient's text as the writer writes it, and the warnings of their plan."""
        request = wanted.request
        made = self._made(wanted)
        if isinstance(made, InputError):
            raise InputError(made.said)
        if made is None:
            return self._afresh(patient_id, request)
        dated = self._date_warnings(request.start, made.hospital_days)
        if dated and self.writer.shows_warnings and WARNINGS not in made.holes:
            return self._afresh(patient_id, request)  # a text whose warnings have no place to fill
        said = self.writer.warnings_text(len(made.warnings), dated) if dated else ""
        named = self.writer.hole_texts(patient_id, made.holes, said)
        return made.fill(named, request.start), (*made.warnings, *dated)

    def _afresh(self, patient_id: str, request: PlanRequest) -> tuple[bytes, tuple[str, ...]]:
        plan = self.planner(request)
        if self.today is not None:
            plan = dated_plan(plan, self.today, self.holidays)
        return self.writer.text(patient_id, plan), plan.warnings

    def _date_warnings(self, start: date, hospital: tuple[int, ...]) -> list[Message]:
        """The warnings a patient starting on ``start`` gets about their dates (none without ``today``)."""
        return [] if self.today is None else warnings_after(start, hospital, self.today, self.holidays)

    def make(self, request: PlanRequest) -> Made:
        """The template of a request that starts at the reference start."""
        try:
            plan = self.planner(request)
        except InputError as exc:
            return exc
        canonical = canonical_text(plan, self.writer.blinded)
        return cut(self.writer.parts(plan, digest_of(canonical)), plan, canonical)

    def _made(self, wanted: Wanted) -> Made:
        request, shape = wanted
        if shape in self.templates:
            self.templates.move_to_end(shape)
            return self.templates[shape]
        return self.keep(shape, self.make(replace(request, start=REFERENCE_START)))

    def keep(self, shape: Shape, made: Made) -> Made:
        """Keeps a shape's template, dropping the least recently used beyond :data:`MAX_SHARED`."""
        self.templates[shape] = made
        if len(self.templates) > MAX_SHARED:
            del self.templates[next(iter(self.templates))]  # the least recently used
        return made
