"""``ivig-dose batch``: plan a whole patient list, or check a whole file of orders.

Rows stream through one at a time (the protocol is loaded once, nothing per row is kept),
so a million rows run in constant memory. A bad row never stops the run: it is reported
with its row number and patient id, on stderr and in ``--errors FILE``; exit status 1 says
some rows were not done. A file that cannot be read as a whole (wrong encoding, not CSV, a
required column missing) stops the run with status 2, and because output is written to a
temporary file and renamed only at the end, the previous output is left as it was.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, TextIO, cast

import typer

from ivig_dose.cli.options import with_some_plan_options
from ivig_dose.core.errors import ExitStatus, InputError

if TYPE_CHECKING:
    from ivig_dose.app.shared_plans import Wanted, Workers
    from ivig_dose.cli.plan import Dispensing
    from ivig_dose.core.protocol import Protocol
    from ivig_dose.core.rounding import Rounding
    from ivig_dose.core.tolerance import Tolerance
    from ivig_dose.files.inputs import OpenedInput
    from ivig_dose.parse.csv_table import Row
    from ivig_dose.parse.patient_rows import PatientColumns

#: inputs at least this large get a progress bar (when stderr is a terminal): about 30,000 patients.
LARGE_INPUT = 1 << 20
#: rows read, then planned and written, together: enough to keep every core busy, few enough to stream.
CHUNK_ROWS = 512
PROGRESS_EVERY = 1024
ERROR_COLUMNS = ("row", "patient_id", "error")
#: the plan options batch takes as plan does; each row gives the patient's own.
PLAN_OPTIONS = ("blinded", "day_first", "month_first", "protocol", "products", "product", "round_to", "max_rate")


class BatchFormat(StrEnum):
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


SUFFIXES = {".csv": BatchFormat.csv, ".json": BatchFormat.json, ".jsonl": BatchFormat.jsonl,
            ".ndjson": BatchFormat.jsonl}


def output_format(output: str, fmt: BatchFormat | None) -> BatchFormat:
    """--format if given, else the output's extension; stdout defaults to CSV."""
    if fmt is not None:
        return fmt
    if output == "-":
        return BatchFormat.csv
    suffix = Path(output).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"cannot tell the output format from {output!r}; give --format csv, json or jsonl, "
                         "or name the file .csv, .json or .jsonl")
    return SUFFIXES[suffix]


@dataclass
class RowReport:
    """Counts rows, and reports each bad one on stderr and in the --errors CSV."""

    errors: Any | None
    done: int = 0
    bad: int = 0
    mismatched: int = 0
    #: warnings that hold for every row (an unverified product or protocol), said once.
    said: set[str] = field(default_factory=set)

    def fail(self, row: int, patient_id: str | None, reason: str) -> None:
        self.bad += 1
        who = f", patient_id {patient_id}" if patient_id else ""
        sys.stderr.write(f"ivig-dose: error: row {row}{who}: {reason}\n")
        if self.errors is not None:
            self.errors.writerow((row, patient_id or "", reason))

    def warn(self, row: int, patient_id: str | None, message: str, settings: Settings) -> None:
        """A patient's warning with its row; one that holds for the whole run only once, without."""
        if message in self.said:  # every row carries it: the test below is worth skipping
            return
        if settings.for_the_run(message):
            self.said.add(message)
            sys.stderr.write(f"ivig-dose: warning: {message}\n")
            return
        sys.stderr.write(f"ivig-dose: warning: row {row}, patient_id {patient_id}: {message}\n")


@contextmanager
def progress_bar(source: OpenedInput) -> Iterator[Callable[[], None]]:
    """A rich bar on stderr for large files when a person is watching; a no-op in pipes and logs."""
    size = source.size
    if size is None or size < LARGE_INPUT or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    columns = (BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task("batch", total=size)
        calls = 0

        def advance() -> None:
            nonlocal calls
            calls += 1
            if calls % PROGRESS_EVERY == 0:
                bar.update(task, completed=source.raw.tell())

        yield advance


@dataclass(frozen=True)
class Settings:
    """Everything parsed once for the whole run, so each row only parses its own cells."""

    protocol: Protocol
    blinded: bool = False
    day_first: bool | None = None
    dispensing: Dispensing | None = None
    rounding: Rounding | None = None
    #: with --verify: the roundings an order may have been made with, and the tolerance.
    roundings: tuple[tuple[str, Rounding | None], ...] = (("", None),)
    tolerance: Tolerance | None = None

    def for_the_run(self, warning: str) -> bool:
        """True for a warning every patient's plan carries: an unverified protocol or product."""
        from ivig_dose.core.dispensing import unverified_warning

        product = self.dispensing.product if self.dispensing else None
        if product is not None and warning in unverified_warning(product, "vial sizes and pump rate steps"):
            return True
        return warning.startswith(f"protocol {self.protocol.id!r} is not verified")


def plan_patients(source: OpenedInput, out: BinaryIO, fmt: BatchFormat, report: RowReport,
                  settings: Settings, tick: Callable[[], None], workers: Workers | None = None) -> None:
    """Plans every row, a chunk of rows at a time: each chunk's new plans are made together (by
    ``workers``, if there are any) while the chunk before is written."""
    from ivig_dose.app.shared_plans import SharedIvigPlans, SharedPlans
    from ivig_dose.cli.plan import plan_from_request
    from ivig_dose.parse.csv_table import CsvTable
    from ivig_dose.parse.patient_rows import check_header
    from ivig_dose.render.batch_writers import PlanWriter

    protocol = settings.protocol
    table = CsvTable(source.lines, source.name)
    columns = check_header(table, protocol)
    if columns.ignored:
        sys.stderr.write(f"ivig-dose: warning: {source.name}: ignored column(s): {', '.join(columns.ignored)}\n")
    writer = PlanWriter(fmt.value, out, settings.blinded)
    ivig = SharedIvigPlans(protocol)
    plans = SharedPlans(lambda request: plan_from_request(request, protocol, settings.dispensing, ivig), writer,
                        workers)

    def write_rows(parsed: list[tuple[Row, Wanted | InputError]], ready: Callable[[], None]) -> None:
        ready()
        for row, request in parsed:
            patient_id = row.get("patient_id")
            try:
                if isinstance(request, InputError):
                    raise request
                text, warnings = plans.text(patient_id, request)
            except InputError as exc:
                report.fail(row.line, patient_id, exc.message)
                continue
            for warning in warnings:
                report.warn(row.line, patient_id, warning, settings)
            writer.write(text)
            report.done += 1

    rows = table.rows()
    before: tuple[list[tuple[Row, Wanted | InputError]], Callable[[], None]] | None = None
    while chunk := list(islice(rows, CHUNK_ROWS)):
        parsed = [(row, _request(row, columns, settings, tick)) for row in chunk]
        ready = plans.prepare(request for _, request in parsed if not isinstance(request, InputError))
        if before is not None:
            write_rows(*before)  # while this chunk's new plans are being made
        before = parsed, ready
    if before is not None:
        write_rows(*before)
    writer.close()


def _request(row: Row, columns: PatientColumns, settings: Settings,
             tick: Callable[[], None]) -> Wanted | InputError:
    """The row's plan request, or the error that says why it has none."""
    from ivig_dose.app.shared_plans import wanted
    from ivig_dose.parse.patient_rows import patient_request

    tick()
    try:
        return wanted(patient_request(row, columns, settings.day_first, settings.rounding))
    except InputError as exc:
        return exc


def verify_orders(source: OpenedInput, out: TextIO, fmt: BatchFormat, report: RowReport,
                  settings: Settings, tick: Callable[[], None]) -> None:
    from ivig_dose.cli.verify import planner
    from ivig_dose.core.tolerance import Tolerance
    from ivig_dose.core.verification import Given, verify_order
    from ivig_dose.files.inputs import looks_like_json
    from ivig_dose.parse.csv_table import CsvTable
    from ivig_dose.parse.order_csv import iter_csv_orders
    from ivig_dose.parse.order_json import iter_json_orders
    from ivig_dose.render.batch_writers import VerificationWriter

    if looks_like_json(source):
        results = iter_json_orders(source.lines, source.name)
    else:
        results = iter_csv_orders(CsvTable(source.lines, source.name))
    writer = VerificationWriter(fmt.value, out)
    protocol = settings.protocol
    plan = planner(protocol)
    given = Given(roundings=settings.roundings)
    tolerance = settings.tolerance or Tolerance()
    for result in results:
        tick()
        order = result.order
        try:
            if isinstance(order, InputError):
                raise order
            verification = verify_order(order, given, protocol, plan, tolerance)
        except InputError as exc:
            report.fail(result.row, result.patient_id, exc.message)
            continue
        writer.write(result.patient_id, result.row, verification)
        report.done += 1
        report.mismatched += not verification.matches
    writer.close()


@with_some_plan_options(*PLAN_OPTIONS)
def batch(
    values: dict[str, Any],
    file: Annotated[str, typer.Argument(
        metavar="FILE", help="Patient list CSV (or, with --verify, orders as CSV, JSON or JSON Lines); - is stdin.")],
    output: Annotated[str, typer.Option(
        "--output", "-o", help="Output file (.csv, .json or .jsonl); - is stdout.")] = "-",
    fmt: Annotated[BatchFormat | None, typer.Option(
        "--format", "-f", help="Output format; default: from the output's extension, CSV on stdout.")] = None,
    errors: Annotated[str | None, typer.Option(
        help="Also write every bad row (row, patient_id, error) to this CSV file.")] = None,
    verify: Annotated[bool, typer.Option(
        "--verify", help="FILE holds orders: check each against the protocol instead of planning.")] = False,
    tolerance: Annotated[str, typer.Option(
        help="With --verify: allowed difference on doses and volumes: 0, 1%, 0.5 g or 5 mL.")] = "0",
) -> int:
    """Plan every patient of a CSV list (patient_id, weight, start; optional arm, days,
    week4_weight, week8_weight, height, sex, dosing_weight, pregnant), or with --verify check
    every order of a file.

    Exit status 0 every row done (and every order matches), 1 some rows bad or some orders not
    matching, 2 the file itself is unusable.
    """
    import csv

    from ivig_dose.app.shared_plans import template_pool
    from ivig_dose.files.atomic import atomic_binary_output, atomic_output
    from ivig_dose.files.inputs import open_input

    out_format = output_format(output, fmt)
    settings = batch_settings(values, tolerance if verify else None)
    with ExitStack() as stack:
        source = stack.enter_context(open_input(file))
        # checked orders are written as text; plans as bytes (see PlanWriter)
        if verify:
            out: TextIO | BinaryIO = stack.enter_context(atomic_output(output, "output"))
        else:
            out = stack.enter_context(atomic_binary_output(output, "output"))
        log = stack.enter_context(atomic_output(errors, "errors file") if errors else nullcontext(None))
        errors_csv = csv.writer(log, lineterminator="\n") if log is not None else None
        if errors_csv is not None:
            errors_csv.writerow(ERROR_COLUMNS)
        report = RowReport(errors_csv)
        # started before the progress bar's thread: a process must not fork while another thread runs
        workers = None if verify else stack.enter_context(template_pool(source, settings, out_format))
        tick = stack.enter_context(progress_bar(source))
        try:
            if verify:
                verify_orders(source, cast(TextIO, out), out_format, report, settings, tick)
            else:
                plan_patients(source, cast(BinaryIO, out), out_format, report, settings, tick, workers)
        except OSError as exc:
            raise InputError(f"cannot write the output: {exc.strerror}") from exc
    _summary(report, verify)
    return int(ExitStatus.OK if not report.bad and not report.mismatched else ExitStatus.NOT_OK)


def batch_settings(values: dict[str, Any], tolerance: str | None) -> Settings:
    """The shared plan options, parsed once: the protocol, the product and the rounding."""
    from ivig_dose.cli.plan import day_order, dispensing_for
    from ivig_dose.cli.verify import load_tolerance, roundings
    from ivig_dose.core.protocol import load_protocol
    from ivig_dose.parse.dispensing_options import parse_rounding

    protocol = load_protocol(values["protocol"])
    day_first = day_order(values["day_first"], values["month_first"])
    if tolerance is not None:
        return Settings(protocol, day_first=day_first, tolerance=load_tolerance(tolerance, protocol),
                        roundings=roundings(values["round_to"], values["products"], values["product"], protocol))
    dispensing = dispensing_for(values["products"], values["product"], values["max_rate"], protocol)
    rounding = parse_rounding(values["round_to"], dispensing.product if dispensing else None)
    return Settings(protocol, values["blinded"], day_first, dispensing, rounding)


def _summary(report: RowReport, verify: bool) -> None:
    if verify:
        text = (f"{report.done - report.mismatched} order(s) match, {report.mismatched} do not, "
                f"{report.bad} could not be checked")
    else:
        text = f"{report.done} patient(s) planned, {report.bad} row(s) could not be planned"
    sys.stderr.write(f"ivig-dose: {text}\n")
