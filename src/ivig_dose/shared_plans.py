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
from decimal import Decimal
from typing import Final

from ivig_dose.model import Plan, PlanRequest
from ivig_dose.render.batch_writers import PlanWriter
from ivig_dose.render.plan_template import REFERENCE_START, PlanTemplate, cut

#: about 7 kB a template in JSON, 2 kB in CSV: tens of MB at most.
MAX_SHARED = 4096
#: every input of a request but its start, in field order.
SHAPE_FIELDS: Final = tuple(f.name for f in fields(PlanRequest) if f.name != "start")


def _exact(value: object) -> object:
    if isinstance(value, Decimal):
        return ("decimal", str(value))
    if isinstance(value, tuple):
        return tuple(_exact(item) for item in value)
    return value


def shape_of(request: PlanRequest) -> tuple[object, ...]:
    """The request without its start date, each decimal with its exact spelling."""
    return tuple(_exact(getattr(request, name)) for name in SHAPE_FIELDS)


class SharedPlans:
    """Each patient's text and warnings, made once per shape of request and filled per patient."""

    def __init__(self, planner: Callable[[PlanRequest], Plan], writer: PlanWriter) -> None:
        self.planner = planner
        self.writer = writer
        #: a shape's template, or None when its text cannot be cut and is rendered per patient.
        self.templates: OrderedDict[tuple[object, ...], PlanTemplate | None] = OrderedDict()

    def text(self, patient_id: str, request: PlanRequest) -> tuple[str, tuple[str, ...]]:
        """The patient's text as the writer writes it, and the warnings of their plan."""
        template = self._template(request)
        if template is None:
            plan = self.planner(request)
            return self.writer.text(patient_id, plan), plan.warnings
        return template.fill(self.writer.patient_id(patient_id), request.start), template.warnings

    def _template(self, request: PlanRequest) -> PlanTemplate | None:
        shape = shape_of(request)
        if shape in self.templates:
            self.templates.move_to_end(shape)
            return self.templates[shape]
        plan = self.planner(replace(request, start=REFERENCE_START))
        template = cut(self.writer.parts(plan), plan, self.writer.blinded)
        self.templates[shape] = template
        if len(self.templates) > MAX_SHARED:
            self.templates.popitem(last=False)
        return template
