"""Worker processes that make a patient list's shared plans while this process writes its rows.

Making a plan and rendering it into a template (:mod:`ivig_dose.app.shared_plans`) is most of
what a ``batch`` costs: about 0.45 ms a distinct plan, against about 35 µs to read a row, fill its
template and write it. Distinct plans do not depend on one another, so for a large list on a
machine with more than one core, :func:`made_ahead` reads rows ahead (at most :data:`AHEAD`), sends
the new shapes among them, :data:`GROUP` at a time, to worker processes, and hands each row on in
row order once its template is back. Filling, writing and every message stay in this process, in
the order one process gives them: the output is byte for byte the same (tests/test_template_pool.py).

What a worker does not bring back, this process makes when it comes to the row, exactly as it
would without workers: a plan whose making raised anything but an input error (an arithmetic
safety net, say), and everything once a worker process has stopped (killed for memory, perhaps),
which is said once on stderr. So a row's outcome never depends on the workers.

Workers are forked when the list is opened, before any output file or thread exists: they hold no
temporary file and are never forked beside a thread. They ignore Ctrl-C and die of SIGTERM and
SIGHUP; the main process handles each (its output is removed, see
:mod:`ivig_dose.files.atomic`) and stops them on its way out. Where ``fork`` is not available,
there are no workers and the list is planned in this process.
"""

from __future__ import annotations

import io
import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Generic, TypeVar

from ivig_dose.app.shared_plans import Made, Shape, SharedPlans, Wanted
from ivig_dose.core.errors import InputError
from ivig_dose.render.formats import Format
from ivig_dose.render.plan_template import REFERENCE_START

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from ivig_dose.app.plan import Setup
    from ivig_dose.core.model import PlanRequest

#: a patient list at least this large (about 1,800 patients) is planned with worker processes:
#: starting them costs a few milliseconds, making 100 plans about 45.
POOL_FROM_BYTES = 64 * 1024
#: more workers than this would wait for the rows this process reads.
MAX_WORKERS = 8
#: new shapes sent to a worker at once: about 7 ms of its work, so that sending costs little.
GROUP = 16
#: rows read ahead of the one written: enough to keep the workers busy, few enough to stream (a
#: row read ahead holds its cells and request, under 2 kB).
AHEAD = 2048

T = TypeVar("T")
#: a row and its request, or what reading the row raised (said when the row's turn comes).
Item = tuple[T, Wanted | Exception]


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every system
        return os.cpu_count() or 1


@dataclass
class Workers:
    """The worker processes of a run, or none once one of them has stopped."""

    executor: ProcessPoolExecutor | None

    def send(self, requests: list[PlanRequest]) -> Future[dict[int, Made]] | None:
        """Starts the templates of ``requests`` on a worker; None when there are no workers."""
        from concurrent.futures.process import BrokenProcessPool

        if self.executor is None:
            return None
        try:
            return self.executor.submit(_make_in_worker, requests)
        except BrokenProcessPool:
            self.lost()
            return None

    def collect(self, future: Future[dict[int, Made]] | None) -> dict[int, Made]:
        """What a worker made, by the request's place in what it was sent; nothing when it stopped."""
        from concurrent.futures.process import BrokenProcessPool

        if future is None:
            return {}
        try:
            return future.result()
        except BrokenProcessPool:
            self.lost()
            return {}

    def lost(self) -> None:
        if self.executor is not None:
            sys.stderr.write("ivig-dose: warning: a worker process stopped before its work was done; "
                             "the rest of the list is planned in the main process\n")
            self.executor = None


def workers_for(size: int | None, fmt: Format, setup: Setup, blinded: bool,
                verify: bool) -> AbstractContextManager[Workers | None]:
    """Worker processes for planning a list of ``size`` bytes (see :func:`template_pool`); none for
    ``--verify`` or FHIR, which share no templates."""
    if verify or fmt is Format.fhir:
        return nullcontext(None)
    return template_pool(size, setup, fmt.value, blinded)


@contextmanager
def template_pool(size: int | None, setup: Setup, fmt: str, blinded: bool) -> Iterator[Workers | None]:
    """Worker processes for a list of ``size`` bytes, large enough to repay starting them, on a
    machine with more than one core and ``fork``; None otherwise (or from stdin, whose size is not
    known), and everything is made in this process."""
    cores = min(usable_cores(), MAX_WORKERS)
    if size is None or size < POOL_FROM_BYTES or cores < 2:
        yield None
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    if "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    context = multiprocessing.get_context("fork")
    executor = ProcessPoolExecutor(cores, context, _start_worker, (setup, fmt, blinded))
    try:
        workers = Workers(executor)
        try:  # every process is forked now, before batch opens its output or starts a thread
            executor.submit(int).result()
        except BrokenProcessPool:
            workers.lost()
        yield workers
    finally:
        # on the way out (done, an error, Ctrl-C, SIGTERM) work not started is dropped; a worker
        # finishes the group it has (a few milliseconds)
        executor.shutdown(wait=True, cancel_futures=True)


@dataclass(eq=False)
class _Group:
    """Shapes sent to a worker together, in the order sent; ``future`` is None when nothing was sent."""

    future: Future[dict[int, Made]] | None
    shapes: list[Shape]


@dataclass
class _Ahead(Generic[T]):
    """The rows read ahead, and the templates being made for them."""

    plans: SharedPlans
    workers: Workers
    rows: deque[Item[T]] = field(default_factory=deque)
    #: new shapes not yet sent, with their request at the reference start.
    unsent: dict[Shape, PlanRequest] = field(default_factory=dict)
    #: shapes sent and not yet collected, each with its group.
    sent: dict[Shape, _Group] = field(default_factory=dict)

    def read(self, item: Item[T]) -> None:
        self.rows.append(item)
        wanted = item[1]
        if not isinstance(wanted, Wanted):
            return
        shape = wanted.shape
        if shape in self.plans.templates or shape in self.sent or shape in self.unsent:
            return
        self.unsent[shape] = replace(wanted.request, start=REFERENCE_START)
        if len(self.unsent) >= GROUP:
            self.send()

    def send(self) -> None:
        if not self.unsent:
            return
        group = _Group(self.workers.send(list(self.unsent.values())), list(self.unsent))
        for shape in group.shapes:
            self.sent[shape] = group
        self.unsent = {}

    def ready(self) -> bool:
        """Whether the first row can be handed on without waiting for a worker. A shape it needs
        that is not yet sent is sent now, however few are with it: it is needed first."""
        wanted = self.rows[0][1]
        if not isinstance(wanted, Wanted):
            return True
        if wanted.shape in self.unsent:
            self.send()
        group = self.sent.get(wanted.shape)
        return group is None or group.future is None or group.future.done()

    def first(self) -> Item[T]:
        """The first row, once its template is kept (waiting for its worker if need be)."""
        item = self.rows.popleft()
        wanted = item[1]
        if isinstance(wanted, Wanted):
            if wanted.shape in self.unsent:
                self.send()
            group = self.sent.get(wanted.shape)
            if group is not None:
                self._keep(group)
        return item

    def _keep(self, group: _Group) -> None:
        """Keeps every template of the group; one not made is made here when its row comes."""
        made = self.workers.collect(group.future)
        for place, shape in enumerate(group.shapes):
            del self.sent[shape]
            if place in made:
                self.plans.keep(shape, made[place])


def made_ahead(items: Iterable[Item[T]], plans: SharedPlans, workers: Workers) -> Iterator[Item[T]]:
    """``items`` in their order, each handed on once ``plans`` holds its template: made by
    ``workers`` while the rows before are written."""
    ahead: _Ahead[T] = _Ahead(plans, workers)
    for item in items:
        ahead.read(item)
        while ahead.rows and (len(ahead.rows) > AHEAD or ahead.ready()):
            yield ahead.first()
    ahead.send()
    while ahead.rows:
        yield ahead.first()


#: the worker process's own SharedPlans, set up once by :func:`_start_worker`.
_worker: SharedPlans | None = None


def _start_worker(setup: Setup, fmt: str, blinded: bool) -> None:
    """Runs once in each worker: the run's setup; Ctrl-C and stops are the main process's to handle."""
    global _worker
    from ivig_dose.app.plan import plan_request
    from ivig_dose.render.batch_writers import PlanWriter

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    _worker = SharedPlans(lambda request: plan_request(request, setup), PlanWriter(fmt, io.BytesIO(), blinded))


def _make_in_worker(requests: list[PlanRequest]) -> dict[int, Made]:
    """The templates of ``requests`` by their place; one whose making raised anything but an input
    error is left out, for the main process to make (and raise) as one process would."""
    assert _worker is not None  # template_pool starts every worker with _start_worker
    made: dict[int, Made] = {}
    for place, request in enumerate(requests):
        try:
            template = _worker.make(request)
        except Exception:  # made again in the main process, which says why as one process would
            continue
        # a plain InputError that keeps the message to translate: a subclass (ProtocolError...) need
        # not come back through pickle
        made[place] = InputError(template.said) if isinstance(template, InputError) else template
    return made
