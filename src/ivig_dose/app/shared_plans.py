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

import io
import os
import signal
import sys
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
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
    from concurrent.futures import Future, ProcessPoolExecutor

    from ivig_dose.cli.batch import Settings
    from ivig_dose.cli.plan import Dispensing
    from ivig_dose.core.protocol import Protocol
    from ivig_dose.files.inputs import OpenedInput

#: about 7 kB a template in JSON, 2 kB in CSV: tens of MB at most.
MAX_SHARED = 4096
#: a patient list at least this large (about 1,800 patients) is planned with a pool of processes.
POOL_FROM_BYTES = 64 * 1024
#: a chunk of rows holds a few hundred new plans at most: more workers than this would wait.
MAX_WORKERS = 8
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
    plan does not read. Both arms of the same inputs are sent to the same worker (see
    :meth:`SharedPlans.prepare`), which keeps the last :attr:`KEPT` (7 kB each)."""

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
    """Each patient's text and warnings, made once per shape of request and filled per patient.

    With worker processes, :meth:`prepare` has the templates of a whole chunk of rows made on the
    machine's other cores while this process writes the chunk before; the patients' texts are
    still filled and written here, one row after another, so output and messages keep row order.
    """

    def __init__(self, planner: Callable[[PlanRequest], Plan], writer: PlanWriter,
                 workers: Workers | None = None) -> None:
        self.planner = planner
        self.writer = writer
        self.workers = workers
        self.templates: OrderedDict[Shape, Made] = OrderedDict()
        #: shapes being made on the workers, not yet collected.
        self.pending: set[Shape] = set()

    def prepare(self, requests: Iterable[Wanted]) -> Callable[[], None]:
        """Starts making the templates of the shapes among ``requests`` not yet known, on the
        workers, and returns the call that waits for them; meanwhile this process can write the
        rows before. Without workers there is nothing to start: each is made as its row comes."""
        new: dict[Shape, PlanRequest] = {}
        for request, shape in requests:
            if shape not in self.templates and shape not in self.pending and shape not in new:
                new[shape] = replace(request, start=REFERENCE_START)
        if self.workers is None or not new:
            return lambda: None
        self.pending.update(new)
        # both arms of the same inputs go to the same worker, whenever they come: it then makes
        # their IVIg plan once (SharedIvigPlans)
        shares: list[dict[Shape, PlanRequest]] = [{} for _ in self.workers]
        for shape, request in new.items():
            shares[hash(_either_arm(request, shape)) % len(shares)][shape] = request
        started = [(share, self._start(worker, share)) for worker, share in zip(self.workers, shares, strict=True)
                   if share]

        def wait() -> None:
            for share, future in started:
                for shape, made in zip(share, self._collected(share, future), strict=True):
                    self._keep(shape, made)
                    self.pending.discard(shape)

        return wait

    def _start(self, worker: ProcessPoolExecutor, share: dict[Shape, PlanRequest]) -> Future[list[Made]] | None:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return worker.submit(_make_in_worker, tuple(share.values()))
        except BrokenProcessPool:  # its process stopped while it had nothing to do
            return None

    def _collected(self, share: dict[Shape, PlanRequest], future: Future[list[Made]] | None) -> list[Made]:
        """What a worker made. Should its process stop first (killed, perhaps for memory), what it
        was to make is made here, and so is the rest of the list: the run never waits for it."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            if future is not None:
                return future.result()
        except BrokenProcessPool:
            pass
        if self.workers is not None:
            sys.stderr.write("ivig-dose: warning: a worker process stopped before its work was done; "
                             "the rest of the list is planned in the main process\n")
            self.workers = None
        return [self.make(request) for request in share.values()]

    def text(self, patient_id: str, wanted: Wanted) -> tuple[bytes, tuple[str, ...]]:
        """The patient's text as the writer writes it, and the warnings of their plan."""
        request = wanted.request
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


#: the worker process's own SharedPlans, set up once by :func:`_start_worker`.
_worker: SharedPlans | None = None


def _start_worker(protocol: Protocol, dispensing: Dispensing | None, fmt: str, blinded: bool) -> None:
    """Runs once in each worker: the run's settings, and Ctrl-C left to the main process to handle."""
    global _worker
    from ivig_dose.cli.plan import plan_from_request

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ivig = SharedIvigPlans(protocol)
    _worker = SharedPlans(lambda request: plan_from_request(request, protocol, dispensing, ivig),
                          PlanWriter(fmt, io.BytesIO(), blinded))


def _make_in_worker(requests: tuple[PlanRequest, ...]) -> list[Made]:
    assert _worker is not None, "template_pool starts every worker with _start_worker"
    return [_worker.make(request) for request in requests]


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every system
        return os.cpu_count() or 1


#: worker processes, each an executor of its own so that what each is sent can be chosen (and
#: so that one that stops is noticed: a multiprocessing.Pool waits for its lost work forever).
Workers = tuple["ProcessPoolExecutor", ...]


@contextmanager
def template_pool(source: OpenedInput, settings: Settings, fmt: str) -> Iterator[Workers | None]:
    """Worker processes for a list large enough to repay starting them (tens of milliseconds), on a
    machine with more than one core; None otherwise, and everything is made in this process."""
    cores = min(usable_cores(), MAX_WORKERS)
    if source.size is None or source.size < POOL_FROM_BYTES or cores < 2:
        yield None
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    settings_for_workers = (settings.protocol, settings.dispensing, fmt, settings.blinded)
    with ExitStack() as stack:
        workers = tuple(ProcessPoolExecutor(1, context, _start_worker, settings_for_workers) for _ in range(cores))
        for worker in workers:
            # on the way out, work not yet started is dropped; what a worker is doing, it finishes
            stack.callback(worker.shutdown, wait=True, cancel_futures=True)
        # each process starts now, not when it is first sent work (batch may have a thread by then)
        usable: Workers | None = workers
        try:
            for started in [worker.submit(int) for worker in workers]:
                started.result()
        except BrokenProcessPool:  # a process that cannot start: everything is made here instead
            usable = None
        yield usable
