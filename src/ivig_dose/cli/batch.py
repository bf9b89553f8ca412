"""``ivig-dose batch``: plan a whole patient list, or check a whole file of orders.

The work is :mod:`ivig_dose.app.batch`; this module reads the options, opens the files and
shows progress. Output is written to a temporary file and renamed only at the end, so a file
that cannot be read as a whole (wrong encoding, not CSV, a required column missing) stops the
run with status 2 and leaves the previous output as it was.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, TextIO, cast

import typer

from ivig_dose.cli.options import format_option, with_some_plan_options
from ivig_dose.core.errors import ExitStatus, InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.render.formats import Format

if TYPE_CHECKING:
    from ivig_dose.files.inputs import OpenedInput

#: inputs at least this large get a progress bar (when stderr is a terminal): about 30,000 patients.
LARGE_INPUT = 1 << 20
PROGRESS_EVERY = 1024
#: the plan options batch takes as plan does; each row gives the patient's own.
PLAN_OPTIONS = ("blinded", "day_first", "month_first", "protocol", "products", "product", "round_to", "max_rate",
                "indication")
BATCH_FORMATS = (Format.csv, Format.json, Format.jsonl, Format.fhir)


#: the files batch writes, as its messages name them.
OUTPUT = message(N_("output"))
ERRORS_FILE = message(N_("errors file"))


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


@with_some_plan_options(*PLAN_OPTIONS)
def batch(
    values: dict[str, Any],
    file: Annotated[str, typer.Argument(
        metavar="FILE", help="Patient list CSV (or, with --verify, orders as CSV, JSON or JSON Lines); - is stdin.")],
    output: Annotated[str, typer.Option(
        "--output", "-o", help="Output file (.csv, .json or .jsonl; -f fhir: NDJSON); - is stdout.")] = "-",
    fmt: Annotated[Format | None, format_option(
        *BATCH_FORMATS, help="Output format (fhir: one FHIR R4 Bundle a line); default: from the output's "
                             "extension, CSV on stdout.")] = None,
    errors: Annotated[str | None, typer.Option(
        help="Also write every bad row (row, patient_id, error), and every patient id that occurs "
             "more than once, to this CSV file.")] = None,
    verify: Annotated[bool, typer.Option(
        "--verify", help="FILE holds orders: check each against the protocol instead of planning.")] = False,
    tolerance: Annotated[str, typer.Option(
        help="With --verify: allowed difference on doses and volumes: 0, 1%, 0.5 g or 5 mL.")] = "0",
) -> int:
    """Plan every patient of a CSV list (patient_id, weight, start; optional arm, days,
    week4_weight, week8_weight, height, sex, dosing_weight, pregnant, risk, age), or with --verify
    check every order of a file.

    Exit status 0 every row done (and every order matches), 1 some rows bad or some orders not
    matching, 2 the file itself is unusable.
    """
    import csv

    from ivig_dose.app.batch import (
        ERROR_COLUMNS,
        RowReport,
        batch_run,
        output_format,
        plan_patients,
        summary,
        verify_orders,
    )
    from ivig_dose.files.atomic import atomic_binary_output, atomic_output, check_target, refuse_same_file
    from ivig_dose.files.inputs import open_input
    from ivig_dose.parse.plan_inputs import day_order

    inputs = {"FILE": file, "--protocol": values["protocol"], "--products": values["products"]}
    refuse_same_file(output, inputs)
    refuse_same_file(errors, {**inputs, "-o": output}, "--errors")
    for path, what in ((output, OUTPUT), (errors, ERRORS_FILE)):
        if path is not None and path != "-":
            check_target(path, what)
    out_format = output_format(output, fmt)
    if verify and out_format is Format.fhir:
        raise InputError(message(N_("--verify writes its report as csv, json or jsonl, not fhir; it reads FHIR bundles "
                                    "(NDJSON, one a line) as input")))
    run = batch_run(values["protocol"], values["products"], values["product"], values["round_to"],
                    values["max_rate"], values["blinded"], day_order(values["day_first"], values["month_first"]),
                    tolerance if verify else None, values["indication"])
    if out_format is Format.fhir:
        from dataclasses import replace

        from ivig_dose.cli.outputs import generated_at

        run = replace(run, authored=generated_at())
    with ExitStack() as stack:
        source = stack.enter_context(open_input(file))
        # checked orders are written as text; plans as bytes (see PlanWriter)
        if verify:
            out: TextIO | BinaryIO = stack.enter_context(atomic_output(output, OUTPUT))
        else:
            out = stack.enter_context(atomic_binary_output(output, OUTPUT))
        log = stack.enter_context(atomic_output(errors, ERRORS_FILE) if errors else nullcontext(None))
        errors_csv = csv.writer(log, lineterminator="\n") if log is not None else None
        if errors_csv is not None:
            errors_csv.writerow(ERROR_COLUMNS)
        from ivig_dose.cli.language import current

        report = RowReport(errors_csv, tr=current())
        tick = stack.enter_context(progress_bar(source))
        try:
            if verify:
                verify_orders(source, cast(TextIO, out), out_format, report, run, tick)
            else:
                plan_patients(source, cast(BinaryIO, out), out_format, report, run, tick)
        except OSError as exc:
            raise InputError(message(N_("cannot write the output: {reason}"), reason=str(exc.strerror))) from exc
    sys.stderr.write(f"ivig-dose: {summary(report, verify)}\n")
    return int(ExitStatus.OK if not report.bad and not report.mismatched else ExitStatus.NOT_OK)
