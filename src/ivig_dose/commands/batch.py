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
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from ivig_dose.errors import ExitStatus, InputError

if TYPE_CHECKING:
    from ivig_dose.protocol import Protocol
    from ivig_dose.read.text_input import OpenedInput
    from ivig_dose.tolerance import Tolerance

#: inputs at least this large get a progress bar (when stderr is a terminal): about 30,000 patients.
LARGE_INPUT = 1 << 20
PROGRESS_EVERY = 1024
ERROR_COLUMNS = ("row", "patient_id", "error")


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

    def fail(self, row: int, patient_id: str | None, reason: str) -> None:
        self.bad += 1
        who = f", patient_id {patient_id}" if patient_id else ""
        sys.stderr.write(f"ivig-dose: error: row {row}{who}: {reason}\n")
        if self.errors is not None:
            self.errors.writerow((row, patient_id or "", reason))

    @staticmethod
    def warn(row: int, patient_id: str | None, message: str) -> None:
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


def plan_patients(source: OpenedInput, out: TextIO, fmt: BatchFormat, report: RowReport,
                  protocol: Protocol, blinded: bool, day_first: bool | None, tick: Callable[[], None]) -> None:
    from ivig_dose.commands.plan import plan_from_request
    from ivig_dose.read.csv_table import CsvTable
    from ivig_dose.read.patients import check_header, patient_request
    from ivig_dose.render.batch_writers import PlanWriter

    table = CsvTable(source.lines, source.name)
    columns = check_header(table, protocol)
    if columns.ignored:
        sys.stderr.write(f"ivig-dose: warning: {source.name}: ignored column(s): {', '.join(columns.ignored)}\n")
    writer = PlanWriter(fmt.value, out, blinded)
    for row in table.rows():
        tick()
        patient_id = row.get("patient_id")
        try:
            plan = plan_from_request(patient_request(row, columns, day_first), protocol)
        except InputError as exc:
            report.fail(row.line, patient_id, exc.message)
            continue
        for warning in plan.warnings:
            report.warn(row.line, patient_id, warning)
        writer.write(patient_id, plan)
        report.done += 1
    writer.close()


def verify_orders(source: OpenedInput, out: TextIO, fmt: BatchFormat, report: RowReport,
                  protocol: Protocol, tolerance: Tolerance, tick: Callable[[], None]) -> None:
    from ivig_dose.commands.verify import planners
    from ivig_dose.read.csv_table import CsvTable
    from ivig_dose.read.order_csv import iter_csv_orders
    from ivig_dose.read.order_json import iter_json_orders
    from ivig_dose.read.text_input import looks_like_json
    from ivig_dose.render.batch_writers import VerificationWriter
    from ivig_dose.verification import Given, verify_order

    if looks_like_json(source):
        results = iter_json_orders(source.lines, source.name)
    else:
        results = iter_csv_orders(CsvTable(source.lines, source.name))
    writer = VerificationWriter(fmt.value, out)
    ways = planners(protocol)
    for result in results:
        tick()
        order = result.order
        try:
            if isinstance(order, InputError):
                raise order
            verification = verify_order(order, Given(), protocol, ways, tolerance)
        except InputError as exc:
            report.fail(result.row, result.patient_id, exc.message)
            continue
        writer.write(result.patient_id, result.row, verification)
        report.done += 1
        report.mismatched += not verification.matches
    writer.close()


def batch(
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
    blinded: Annotated[bool, typer.Option("--blinded", help="Plans without arm and doses.")] = False,
    day_first: Annotated[bool, typer.Option("--day-first", help="Read 03/04/2027 as 3 April.")] = False,
    month_first: Annotated[bool, typer.Option("--month-first", help="Read 03/04/2027 as 4 March.")] = False,
    protocol: Annotated[str, typer.Option(help="Protocol name or TOML file.")] = "timeismuscle",
) -> int:
    """Plan every patient of a CSV list (patient_id, weight, start; optional arm, days,
    week4_weight, week8_weight), or with --verify check every order of a file.

    Exit status 0 every row done (and every order matches), 1 some rows bad or some orders not
    matching, 2 the file itself is unusable.
    """
    import csv

    from ivig_dose.commands.plan import day_order
    from ivig_dose.commands.verify import load_tolerance
    from ivig_dose.files import atomic_output
    from ivig_dose.protocol import load_protocol
    from ivig_dose.read.text_input import open_input

    rules = load_protocol(protocol)
    order = day_order(day_first, month_first)
    out_format = output_format(output, fmt)
    allowed = load_tolerance(tolerance, rules)
    with ExitStack() as stack:
        source = stack.enter_context(open_input(file))
        out = stack.enter_context(atomic_output(output, "output"))
        log = stack.enter_context(atomic_output(errors, "errors file") if errors else nullcontext(None))
        errors_csv = csv.writer(log, lineterminator="\n") if log is not None else None
        if errors_csv is not None:
            errors_csv.writerow(ERROR_COLUMNS)
        report = RowReport(errors_csv)
        tick = stack.enter_context(progress_bar(source))
        try:
            if verify:
                verify_orders(source, out, out_format, report, rules, allowed, tick)
            else:
                plan_patients(source, out, out_format, report, rules, blinded, order, tick)
        except OSError as exc:
            raise InputError(f"cannot write the output: {exc.strerror}") from exc
    _summary(report, verify)
    return int(ExitStatus.OK if not report.bad and not report.mismatched else ExitStatus.NOT_OK)


def _summary(report: RowReport, verify: bool) -> None:
    if verify:
        text = (f"{report.done - report.mismatched} order(s) match, {report.mismatched} do not, "
                f"{report.bad} could not be checked")
    else:
        text = f"{report.done} patient(s) planned, {report.bad} row(s) could not be planned"
    sys.stderr.write(f"ivig-dose: {text}\n")
