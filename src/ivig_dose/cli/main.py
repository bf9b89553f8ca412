"""The ``ivig-dose`` command: a thin Typer shell over the dosing core.

The root command and its one way out: whatever happens, the command ends with one line on
stderr and an :class:`~ivig_dose.core.errors.ExitStatus`, never a traceback. The subcommands
are registered in :mod:`ivig_dose.cli.commands` and built only when named; Ctrl-C is handled by
:mod:`ivig_dose.cli.interrupts` (imported first of all), and the standard streams and the
one-line error by :mod:`ivig_dose.cli.streams`.
"""

from __future__ import annotations

# first of all: from here on Ctrl-C while the command starts is noted, not a traceback
from ivig_dose.cli.interrupts import ignore_interrupts, interrupted, started

# isort: split
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer._click import Context
from typer._click.exceptions import NoArgsIsHelpError

from ivig_dose import __version__
from ivig_dose.cli.commands import CommandTable
from ivig_dose.cli.language import choose, lang_option
from ivig_dose.cli.streams import VERDICTS, fail, flush_stdout, output_closed, prepare_streams, typer_saw_a_closed_pipe
from ivig_dose.core.errors import ExitStatus, InputError, Terminated
from ivig_dose.core.messages import N_, message


class OneLineErrors(CommandTable):
    """Runs the command and turns every usage or input error into one line on stderr."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.append(lang_option())

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
            choose(sys.argv[1:] if args is None else list(args))
            started()
            result = super().main(args, prog_name or "ivig-dose", complete_var,
                                  standalone_mode=False, **extra)
        except KeyboardInterrupt:
            return interrupted()
        except InputError as exc:
            return fail(exc.said)
        except Terminated as exc:
            return fail(message(N_("terminated by {signal}: no output file was written or replaced"),
                                signal=exc.name), 128 + exc.signum)
        except BrokenPipeError:  # standard output's reader went away: no verdict, whatever was decided
            return output_closed()
        except SystemExit:
            if not typer_saw_a_closed_pipe():
                raise
            return output_closed()
        except OSError as exc:  # standard output full, a file that vanished mid-run
            reason = exc.strerror or type(exc).__name__
            if exc.filename:
                return fail(message(N_("cannot read or write: {reason} ({file})"), reason=reason,
                                    file=str(exc.filename)))
            return fail(message(N_("cannot read or write: {reason}"), reason=reason))
        except typer.Abort:
            return fail(message(N_("aborted")), ExitStatus.INTERRUPTED)
        except NoArgsIsHelpError as exc:  # a bare "ivig-dose" or "ivig-dose protocol" asks for help
            sys.stdout.write(exc.ctx.get_help() + "\n")
            return int(ExitStatus.OK)
        except Exception as exc:  # click's usage errors: one line, with where to find help
            if not hasattr(exc, "format_message"):
                raise
            from ivig_dose.cli.click_messages import said
            from ivig_dose.cli.language import current

            hint = ""
            ctx = getattr(exc, "ctx", None)
            if ctx is not None:
                stray = _stray(ctx, sys.argv[1:] if args is None else list(args))
                if stray is not None:
                    return fail(stray)
                hint = f" (see '{ctx.command_path} --help')"
            return fail(said(f"{exc.format_message()}{hint}", current()), ExitStatus(getattr(exc, "exit_code", 2)))
        if result == ExitStatus.INTERRUPTED:  # typer turns Ctrl-C into this status without a word
            return interrupted()
        return result if isinstance(result, int) else int(ExitStatus.OK)


def _stray(ctx: Context, argv: list[str]) -> str | None:
    """A value of the command line that follows no option of its own, said with what to type
    instead (:mod:`ivig_dose.cli.stray_values`); None when click's refusal is about something else."""
    if hasattr(ctx.command, "list_commands"):  # a group: its refusal names a command, not a value
        return None
    from ivig_dose.cli.stray_values import command_arguments, stray_message

    arguments = command_arguments(argv, ctx.command_path)
    return None if arguments is None else stray_message(ctx.command, arguments, ctx.command_path)


app = typer.Typer(
    cls=OneLineErrors,
    name="ivig-dose",
    help="Turns a body weight into a complete, checked IVIg treatment plan.",
    no_args_is_help=True,
    # typer's --install-completion and --show-completion (and _IVIG_DOSE_COMPLETE for the shell):
    # about 0.6 % of --help's instructions and 0.2 % of a plan's, for completion that needs no code.
    add_completion=True,
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
    a batch with bad rows); 2 bad input; 3 undecided (screen with missing answers); 130
    interrupted; 141 standard output closed before the whole answer was written.
    """


def main() -> None:
    """Console-script entry point."""
    try:
        status = _run_command()
    except KeyboardInterrupt:  # between the command's end and the last flush
        status = interrupted()
    ignore_interrupts()  # the answer is written whole (or its failure said)
    sys.exit(status)


def _run_command() -> Any:
    prepare_streams()
    status: Any = 0
    try:
        app()
    except SystemExit as exc:
        status = exc.code
    failed = flush_stdout()
    return failed if failed is not None and status in VERDICTS else status
