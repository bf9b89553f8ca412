"""``ivig-dose batch``: plan a whole patient list, or check a whole file of orders.

The work is :func:`ivig_dose.batch` (:mod:`ivig_dose.app.batch`); this module reads the options,
shows progress and sets the exit status. Output is written to a temporary file and renamed only at the end, so a file
that cannot be read as a whole (wrong encoding, not CSV, a required column missing) stops the
run with status 2 and leaves the previous output as it was.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from ivig_dose.cli.options import format_option, with_some_plan_options
from ivig_dose.core.errors import ExitStatus
from ivig_dose.render.formats import Format

#: inputs at least this large get a progress bar (when stderr is a terminal): about 30,000 patients.
LARGE_INPUT = 1 << 20
#: the plan options batch takes as plan does; each row gives the patient's own.
PLAN_OPTIONS = ("blinded", "day_first", "month_first", "protocol", "products", "product", "round_to", "max_rate",
                "indication")
BATCH_FORMATS = (Format.csv, Format.json, Format.jsonl, Format.fhir)


@contextmanager
def progress_bar() -> Iterator[Callable[[int, int], None]]:
    """Shows how far a large file is read, on a rich bar on stderr when a person is watching; a
    no-op in pipes and logs, and for small files."""
    if not sys.stderr.isatty():
        yield lambda read, size: None
        return
    bar: Any = None
    task: Any = None

    def show(read: int, size: int) -> None:
        nonlocal bar, task
        if size < LARGE_INPUT:
            return
        if bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

            bar = Progress(BarColumn(), DownloadColumn(), TimeRemainingColumn(), console=Console(file=sys.stderr),
                           transient=True)
            bar.start()
            task = bar.add_task("batch", total=size)
        bar.update(task, completed=read)

    try:
        yield show
    finally:
        if bar is not None:
            bar.stop()


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
    import ivig_dose
    from ivig_dose.app.batch import summary
    from ivig_dose.cli.language import current
    from ivig_dose.cli.outputs import generated_at
    from ivig_dose.parse.plan_inputs import day_order

    with progress_bar() as show:
        report = ivig_dose.batch(
            file, output, fmt=fmt.value if fmt else None, errors=errors, verify=verify, tolerance=tolerance,
            protocol=values["protocol"], products=values["products"], product=values["product"],
            round_to=values["round_to"], max_rate=values["max_rate"], indication=values["indication"],
            blinded=values["blinded"], day_first=day_order(values["day_first"], values["month_first"]),
            authored=generated_at() if fmt is Format.fhir else None, lang=current().lang, progress=show)
    sys.stderr.write(f"ivig-dose: {summary(report, verify)}\n")
    return int(ExitStatus.OK if not report.bad and not report.mismatched else ExitStatus.NOT_OK)
