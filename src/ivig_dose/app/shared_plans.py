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
from operator import attrgetter
from typing import TYPE_CHECKING, Final, NamedTuple

from ivig_dose.core.digest import canonical_text, digest_of
from ivig_dose.core.errors import InputError
from ivig_dose.core.model import Plan, PlanRequest
from ivig_dose.render.batch_writers import PlanWriter
from ivig_dose.render.plan_template import REFERENCE_START, PlanTemplate, cut

if TYPE_CHECKING:
    from ivig_dose.core.protocol import Protocol

#: about 7 kB a template in JSON, 2 kB in CSV: tens of MB at most.
MAX_SHARED = 4096
#: every input of a request but its start, in field order.
SHAPE_FIELDS: Final = tuple(f.name for f in fields(PlanRequest) if f.name != "start")
_shape_fields = attrgetter(*SHAPE_FIELDS)

#: a request without its start: what patients who share a plan have in common.
Shape = tuple[object, ...]


def _exact(value: object) -> object:
    if isinstance(value, Decimal):
        return ("decimal", str(value))
    if isinstance(value, tuple):
        return tuple(_exact(item) for item in value)
    return value


def shape_of(request: PlanRequest) -> Shape:
    """The request without its start date, each decimal with its exact spelling."""
    return tuple([_exact(value) for value in _shape_fields(request)])


class SharedIvigPlans:
    """:func:`~ivig_dose.core.dosing.ivig_plan` for a patient list, the two arms of the same inputs sharing
    one: the placebo arm is given the IVIg plan's bags (R8), and the arm is the only input the IVIg
    plan does not read. The last :attr:`KEPT` are kept (7 kB each)."""

    KEPT = 1024

    def __init__(self, protocol: Protocol) -> None:
        self.protocol = protocol
        self.recent: OrderedDict[tuple[object, ...], Plan] = OrderedDict()

    def __call__(self, request: PlanRequest, protocol: Protocol) -> Plan:
        from ivig_dose.core.dosing import ivig_plan

        if protocol is not self.protocol:  # kept plans are this protocol's only
            return ivig_plan(request, protocol)
        key = _either_arm(request)
        plan = self.recent.get(key)
        if plan is None:
            plan = self.recent[key] = ivig_plan(request, protocol)
            if len(self.recent) > self.KEPT:
                self.recent.popitem(last=False)
        return plan


_ARM = SHAPE_FIELDS.index("arm")


def _either_arm(request: PlanRequest, shape: Shape | None = None) -> tuple[object, ...]:
    """Every input of a request but its arm, decimals with their exact spelling."""
    shape = shape_of(request) if shape is None else shape
    return request.start, shape[:_ARM] + shape[_ARM + 1:]


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
    """Each patient's text and warnings, made once per shape of request and filled per patient."""

    def __init__(self, planner: Callable[[PlanRequest], Plan], writer: PlanWriter) -> None:
        self.planner = planner
        self.writer = writer
        self.templates: OrderedDict[Shape, Made] = OrderedDict()

    def text(self, patient_id: str, wanted: Wanted) -> tuple[bytes, tuple[str, ...]]:
        """The patient's text as the writer writes it, and the warnings of their plan."""
        request = wanted.request
        if not self.writer.shared:
            plan = self.planner(request)
            return self.writer.text(patient_id, plan), plan.warnings
        made = self._made(wanted)
        if isinstance(made, InputError):
            raise InputError(made.message)
        if made is None:
            plan = self.planner(request)
            return self.writer.text(patient_id, plan), plan.warnings
        return made.fill(self.writer.patient_id(patient_id), request.start), made.warnings

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
        return self._keep(shape, self.make(replace(request, start=REFERENCE_START)))

    def _keep(self, shape: Shape, made: Made) -> Made:
        self.templates[shape] = made
        if len(self.templates) > MAX_SHARED:
            self.templates.popitem(last=False)
        return made
