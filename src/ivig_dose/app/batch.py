"""A patient list in, a plan per patient out; or a file of orders in, a check per order out.

Rows stream through one at a time (the protocol is loaded once, no plan is kept per row); the
one thing kept per patient is their id (:class:`SeenIds`, to say an id listed twice), so memory
grows with the distinct ids alone, about 130 bytes each. A bad row never stops the run: :class:`RowReport` reports
it with its row number and patient id, and the rest are done. Each row is read by the same
reader as ``plan``'s options and planned by the same step, with the run's
:class:`~ivig_dose.app.plan.Setup`: so a protocol's default rounding applies to a list exactly
as to one patient.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO, cast

from ivig_dose.core.defaults import DEFAULT_PROTOCOL
from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, AndList, Message, message
from ivig_dose.core.records import frozen
from ivig_dose.render.formats import SUFFIXES, Format
from ivig_dose.render.translator import ENGLISH, Translator

if TYPE_CHECKING:
    from ivig_dose.app.plan import Setup
    from ivig_dose.app.shared_plans import Wanted
    from ivig_dose.core.rounding import Rounding
    from ivig_dose.core.tolerance import Tolerance
    from ivig_dose.files.inputs import OpenedInput
    from ivig_dose.parse.csv_table import Row
    from ivig_dose.parse.patient_rows import PatientColumns

ERROR_COLUMNS = ("row", "patient_id", "error")
#: the files batch writes, as its messages name them.
OUTPUT = message(N_("output"))
ERRORS_FILE = message(N_("errors file"))
#: rows between two reports of how far the list has been read.
PROGRESS_EVERY = 1024
OUT_OF_RANGE = message(N_("a value of this row is out of range (see docs/limits.md); the row was not planned"))


def output_format(output: str, fmt: Format | None) -> Format:
    """--format if given, else the output's extension; stdout defaults to CSV."""
    if fmt is not None:
        return fmt
    if output == "-":
        return Format.csv
    suffix = Path(output).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(message(N_("cannot tell the output format from {output!r}; give --format csv, json, jsonl or "
                                    "fhir, or name the file .csv, .json or .jsonl"), output=output))
    return SUFFIXES[suffix]


@frozen
class BatchRun:
    """Everything decided once for the whole run, so each row only reads its own cells."""

    setup: Setup
    blinded: bool = False
    day_first: bool | None = None
    #: with --verify: the roundings an order may have been made with, and the tolerance.
    roundings: tuple[tuple[str, Rounding | None], ...] = (("", None),)
    tolerance: Tolerance | None = None
    #: when the run's output was made: a FHIR order's ``authoredOn``; None: now.
    authored: datetime | None = None



def for_the_run(warning: str) -> bool:
    """True for a warning every patient's plan carries (an unverified protocol or product), known by
    its message's template: one run has one protocol and one product."""
    from ivig_dose.core.dispensing import UNVERIFIED_PRODUCT
    from ivig_dose.core.dosing import UNVERIFIED_PROTOCOL

    return getattr(warning, "template", None) in (UNVERIFIED_PROTOCOL, UNVERIFIED_PRODUCT)


#: the rows named for an id that occurs again; further rows are counted, not kept.
NAMED_ROWS = 10


@dataclass
class SeenIds:
    """Each patient id with the row it first occurs in, and the rows of an id that occurs again.

    One entry per distinct id (its text and first row: about 100 bytes each in CPython), and for
    an id seen again at most :data:`NAMED_ROWS` rows and a count: memory grows with the distinct
    ids, never with the rows. Ids are compared exactly as the list writes them (``P001`` and
    ``p001`` are two ids).
    """

    first: dict[str, int] = field(default_factory=dict)
    again: dict[str, list[int]] = field(default_factory=dict)
    times: dict[str, int] = field(default_factory=dict)

    def see(self, patient_id: str | None, row: int) -> None:
        if not patient_id:
            return
        first = self.first.setdefault(patient_id, row)
        if first == row:
            return
        rows = self.again.setdefault(patient_id, [first])
        self.times[patient_id] = self.times.get(patient_id, 1) + 1
        if len(rows) < NAMED_ROWS:
            rows.append(row)


@dataclass
class RowReport:
    """Counts rows, and reports each bad one on stderr and in the --errors CSV."""

    errors: Any | None
    done: int = 0
    bad: int = 0
    mismatched: int = 0
    #: warnings that hold for every row (an unverified product or protocol), said once.
    said: set[str] = field(default_factory=set)
    #: the language of stderr; the --errors CSV, a file for machines, is English.
    tr: Translator = ENGLISH
    ids: SeenIds = field(default_factory=SeenIds)

    def repeated_ids(self, done: Message) -> None:
        """Each patient id that occurs more than once, with its rows: one warning line per id on
        stderr and in the --errors CSV (at its first row, in English), said once the whole list is read."""
        from ivig_dose.parse.text import printable
        from ivig_dose.render.csv_cells import safe_cells

        tr = self.tr
        for patient_id, rows in self.ids.again.items():
            shown, times = printable(patient_id), self.ids.times[patient_id]
            warning = message(N_("patient_id {id} is on {times} rows: {rows}; {done}: check that these are "
                                 "different patients, not one patient listed twice"), id=shown, times=times,
                              rows=_listed(rows, times), done=done)
            sys.stderr.write(tr(N_("ivig-dose: warning: {warning}"), warning=tr.say(warning)) + "\n")
            if self.errors is not None:
                self.errors.writerow(safe_cells((rows[0], shown, f"warning: {warning}")))

    def fail(self, row: int, patient_id: str | None, reason: str) -> None:
        """The row on stderr (the id with its control characters escaped, so it cannot forge a line or
        drive the terminal) and in the --errors CSV (as a spreadsheet cannot run it)."""
        from ivig_dose.parse.text import printable
        from ivig_dose.render.csv_cells import safe_cells

        self.bad += 1
        tr = self.tr
        said = printable(" ".join(tr.say(reason).split()))
        if patient_id:
            line = tr(N_("ivig-dose: error: row {row}, patient_id {id}: {reason}"), row=row, id=printable(patient_id),
                      reason=said)
        else:
            line = tr(N_("ivig-dose: error: row {row}: {reason}"), row=row, reason=said)
        sys.stderr.write(line + "\n")
        if self.errors is not None:
            english = printable(" ".join(str(reason).split()))
            self.errors.writerow(safe_cells((row, printable(patient_id or ""), english)))

    def warn(self, row: int, patient_id: str | None, warning: str) -> None:
        """A patient's warning with its row; one that holds for the whole run only once, without."""
        if warning in self.said:  # every row carries it: the test below is worth skipping
            return
        tr = self.tr
        if for_the_run(warning):
            self.said.add(warning)
            sys.stderr.write(tr(N_("ivig-dose: warning: {warning}"), warning=tr.say(warning)) + "\n")
            return
        from ivig_dose.parse.text import printable

        sys.stderr.write(tr(N_("ivig-dose: warning: row {row}, patient_id {id}: {warning}"), row=row,
                            id=printable(patient_id or ""), warning=printable(tr.say(warning))) + "\n")

    def ignored(self, name: str, columns: tuple[str, ...]) -> None:
        """The columns of a patient list that no plan reads."""
        sys.stderr.write(self.tr(N_("ivig-dose: warning: {name}: ignored column(s): {columns}"), name=name,
                                 columns=", ".join(columns)) + "\n")


def plan_patients(source: OpenedInput, out: BinaryIO, fmt: Format, report: RowReport,
                  run: BatchRun, tick: Callable[[], None]) -> None:
    """Plans every row and writes each patient's plan, in row order."""
    from ivig_dose.app.clock import today as clock_today
    from ivig_dose.app.plan import plan_request
    from ivig_dose.app.shared_plans import SharedPlans
    from ivig_dose.parse.csv_table import CsvTable
    from ivig_dose.parse.patient_rows import check_header
    from ivig_dose.render.batch_writers import PlanWriter

    protocol = run.setup.protocol
    table = CsvTable(source.lines, source.name)
    columns = check_header(table, protocol)
    if columns.ignored:
        report.ignored(source.name, columns.ignored)
    writer = PlanWriter(fmt.value, out, run.blinded, run.authored)
    today = clock_today()
    plans = SharedPlans(lambda request: plan_request(request, run.setup), writer, today, protocol.holidays)
    rows: Iterable[tuple[Row, Wanted | Exception]] = (
        (row, _wanted(row, columns, run, today, tick)) for row in table.rows())
    for row, wanted in rows:
        patient_id = row.get("patient_id")
        report.ids.see(patient_id, row.line)
        try:
            if isinstance(wanted, Exception):
                raise wanted
            text, warnings = plans.text(patient_id, wanted)
        except InputError as exc:
            report.fail(row.line, patient_id, exc.said)
            continue
        except (OverflowError, ArithmeticError):  # a safety net: the bounds of the inputs should come first
            report.fail(row.line, patient_id, OUT_OF_RANGE)
            continue
        for warning in warnings:
            report.warn(row.line, patient_id, warning)
        writer.write(text)
        report.done += 1
    writer.close()
    report.repeated_ids(message(N_("each row is planned on its own")))


def _wanted(row: Row, columns: PatientColumns, run: BatchRun, today: date,
            tick: Callable[[], None]) -> Wanted | Exception:
    """The row's plan request, read as ``plan`` reads its options; or the error naming the cell,
    said when the row's turn comes."""
    from ivig_dose.app.shared_plans import wanted
    from ivig_dose.parse.patient_rows import patient_inputs
    from ivig_dose.parse.plan_inputs import parse_request

    tick()
    try:
        request, _ = parse_request(patient_inputs(row, columns, run.day_first), run.setup.rounding, today)
    except (InputError, OverflowError, ArithmeticError) as exc:
        return exc
    return wanted(request)


def verify_orders(source: OpenedInput, out: TextIO, fmt: Format, report: RowReport,
                  run: BatchRun, tick: Callable[[], None]) -> None:
    """Checks every order of the file, each as ``verify`` checks one."""
    from ivig_dose.app.verify import check_order
    from ivig_dose.core.tolerance import Tolerance
    from ivig_dose.files.inputs import looks_like_json
    from ivig_dose.parse.csv_table import CsvTable
    from ivig_dose.parse.order_csv import iter_csv_orders
    from ivig_dose.parse.order_json import iter_json_orders
    from ivig_dose.parse.plan_inputs import PlanInputs
    from ivig_dose.render.batch_writers import VerificationWriter

    if looks_like_json(source):
        results = iter_json_orders(source.lines, source.name)
    else:
        results = iter_csv_orders(CsvTable(source.lines, source.name))
    writer = VerificationWriter(fmt.value, out)
    nothing_typed = PlanInputs(weight="")
    tolerance = run.tolerance or Tolerance()
    for result in results:
        tick()
        order = result.order
        report.ids.see(result.patient_id, result.row)
        try:
            if isinstance(order, InputError):
                raise order
            verification = check_order(order, nothing_typed, run.setup, tolerance, tried=run.roundings)
        except InputError as exc:
            report.fail(result.row, result.patient_id, exc.said)
            continue
        except (OverflowError, ArithmeticError):  # a safety net, as for a patient list
            report.fail(result.row, result.patient_id, OUT_OF_RANGE)
            continue
        writer.write(result.patient_id, result.row, verification)
        report.done += 1
        report.mismatched += not verification.matches
    writer.close()
    report.repeated_ids(message(N_("each order is checked on its own")))


def batch_run(protocol: str, products: str | None, product: str | None, round_to: str | None,
              max_rate: str | None, blinded: bool, day_first: bool | None, tolerance: str | None,
              indication: str | None = None) -> BatchRun:
    """The run's options, parsed once; with a ``tolerance``, for checking orders."""
    from ivig_dose.app.plan import setup
    from ivig_dose.app.verify import load_tolerance, roundings

    if tolerance is not None:
        run = setup(protocol, products, product, round_to, max_rate, indication)
        return BatchRun(run, day_first=day_first, tolerance=load_tolerance(tolerance, run.protocol),
                        roundings=roundings(round_to, run))
    return BatchRun(setup(protocol, products, product, round_to, max_rate, indication), blinded, day_first)


def _listed(rows: list[int], times: int) -> AndList:
    """``2, 5 and 9``; ``2, 3, ... 11 and 990 more`` when only the first rows were kept."""
    if times > len(rows):
        return AndList((*rows, message(N_("{count} more"), count=times - len(rows))))
    return AndList(tuple(rows))


def summary(report: RowReport, verify: bool) -> str:
    if verify:
        return report.tr(N_("{matched} order(s) match, {mismatched} do not, {bad} could not be checked"),
                         matched=report.done - report.mismatched, mismatched=report.mismatched, bad=report.bad)
    return report.tr(N_("{done} patient(s) planned, {bad} row(s) could not be planned"), done=report.done,
                     bad=report.bad)


def run_batch(file: str, output: str = "-", fmt: Format | None = None, errors: str | None = None, *,
              verify: bool = False, tolerance: str = "0", protocol: str = DEFAULT_PROTOCOL,
              products: str | None = None, product: str | None = None, round_to: str | None = None,
              max_rate: str | None = None, indication: str | None = None, blinded: bool = False,
              day_first: bool | None = None, authored: datetime | None = None, tr: Translator = ENGLISH,
              progress: Callable[[int, int], None] | None = None) -> RowReport:
    """Plans every patient of ``file`` (or with ``verify`` checks every order) into ``output``,
    each file written whole or not at all; ``progress`` hears (bytes read, bytes in all) now and
    then when the size is known. Bad rows are counted and said on stderr, never raised; a file that
    cannot be used at all raises InputError."""
    import csv
    from contextlib import ExitStack, nullcontext

    from ivig_dose.files.atomic import atomic_binary_output, atomic_output, check_target, refuse_same_file
    from ivig_dose.files.inputs import open_input

    inputs: dict[str, str | Path | None] = {"FILE": file, "--protocol": protocol, "--products": products}
    refuse_same_file(output, inputs)
    refuse_same_file(errors, {**inputs, "-o": output}, "--errors")
    for path, what in ((output, OUTPUT), (errors, ERRORS_FILE)):
        if path is not None and path != "-":
            check_target(path, what)
    out_format = output_format(output, fmt)
    if verify and out_format is Format.fhir:
        raise InputError(message(N_("--verify writes its report as csv, json or jsonl, not fhir; it reads FHIR bundles "
                                    "(NDJSON, one a line) as input")))
    run = batch_run(protocol, products, product, round_to, max_rate, blinded, day_first,
                    tolerance if verify else None, indication)
    if out_format is Format.fhir:
        run = replace(run, authored=authored or datetime.now().astimezone())
    with ExitStack() as stack:
        source = stack.enter_context(open_input(file, limit=None))  # streamed: a list has no size bound
        # checked orders are written as text; plans as bytes (see PlanWriter)
        if verify:
            out: TextIO | BinaryIO = stack.enter_context(atomic_output(output, OUTPUT))
        else:
            out = stack.enter_context(atomic_binary_output(output, OUTPUT))
        log = stack.enter_context(atomic_output(errors, ERRORS_FILE) if errors else nullcontext(None))
        errors_csv = csv.writer(log, lineterminator="\n") if log is not None else None
        if errors_csv is not None:
            errors_csv.writerow(ERROR_COLUMNS)
        report = RowReport(errors_csv, tr=tr)
        tick = _ticker(source, progress)
        try:
            if verify:
                verify_orders(source, cast(TextIO, out), out_format, report, run, tick)
            else:
                plan_patients(source, cast(BinaryIO, out), out_format, report, run, tick)
        except BrokenPipeError:  # the reader of standard output went away: its own exit status (cli.main)
            raise
        except OSError as exc:
            raise InputError(message(N_("cannot write the output: {reason}"), reason=str(exc.strerror))) from exc
    return report


def _ticker(source: OpenedInput, progress: Callable[[int, int], None] | None) -> Callable[[], None]:
    """Called once a row: tells ``progress`` how far the file is read, every :data:`PROGRESS_EVERY` rows."""
    size = source.size
    if progress is None or size is None:
        return lambda: None
    calls = 0

    def tick() -> None:
        nonlocal calls
        calls += 1
        if calls % PROGRESS_EVERY == 0:
            progress(source.raw.tell(), size)

    return tick
