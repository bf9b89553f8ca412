"""The ``ivig-dose`` command: a thin Typer shell over the dosing core.

Each subcommand lives in its own module under :mod:`ivig_dose.commands` and imports
its heavy libraries (rich, pint, dateutil) only when it runs, so ``--help`` and a plain
``plan --weight 70`` start fast. Errors of every kind leave as one line on stderr and an
:class:`~ivig_dose.errors.ExitStatus`, never as a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from ivig_dose import __version__
from ivig_dose.commands import batch as batch_command
from ivig_dose.commands import calendar as calendar_command
from ivig_dose.commands import labels as labels_command
from ivig_dose.commands import order as order_command
from ivig_dose.commands import plan as plan_command
from ivig_dose.commands import protocol as protocol_command
from ivig_dose.commands import rates as rates_command
from ivig_dose.commands import screen as screen_command
from ivig_dose.commands import verify as verify_command
from ivig_dose.errors import ExitStatus, InputError


def fail(message: str, status: ExitStatus = ExitStatus.INPUT_ERROR) -> int:
    """Prints one line on stderr and returns the status to exit with."""
    sys.stderr.write(f"ivig-dose: error: {' '.join(message.split())}\n")
    return int(status)


class OneLineErrors(TyperGroup):
    """Runs the command and turns every usage or input error into one line on stderr."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        status = self._run(args, prog_name, complete_var, **extra)
        if standalone_mode:
            sys.exit(status)
        return status

    def _run(
        self, args: Sequence[str] | None, prog_name: str | None, complete_var: str | None,
        **extra: Any,
    ) -> int:
        try:
            result = super().main(args, prog_name or "ivig-dose", complete_var,
                                  standalone_mode=False, **extra)
        except InputError as exc:
            return fail(exc.message)
        except typer.Abort:
            return fail("aborted", ExitStatus.INTERRUPTED)
        except Exception as exc:  # click's usage errors: one line, with where to find help
            if not hasattr(exc, "format_message"):
                raise
            hint = ""
            ctx = getattr(exc, "ctx", None)
            if ctx is not None:
                hint = f" (see '{ctx.command_path} --help')"
            return fail(f"{exc.format_message()}{hint}", ExitStatus(getattr(exc, "exit_code", 2)))
        return result if isinstance(result, int) else int(ExitStatus.OK)


app = typer.Typer(
    cls=OneLineErrors,
    name="ivig-dose",
    help="Turns a body weight into a complete, checked IVIg treatment plan.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _show_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"ivig-dose {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Turns a body weight into a complete, checked IVIg treatment plan.

    Exit status: 0 done; 1 the answer is "no" (an order that does not match, a failed screen,
    a batch with bad rows); 2 bad input; 3 undecided (screen with missing answers).
    """


app.command("plan")(plan_command.plan)
app.command("screen")(screen_command.screen)
app.command("order")(order_command.order)
app.command("labels")(labels_command.labels)
app.command("calendar")(calendar_command.calendar)
app.command("rates")(rates_command.rates)
app.command("verify")(verify_command.verify)
app.command("batch")(batch_command.batch)
app.add_typer(protocol_command.app, name="protocol")


def main() -> None:
    """Console-script entry point."""
    app()
