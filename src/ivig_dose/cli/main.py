"""The ``ivig-dose`` command: a thin Typer shell over the dosing core.

Each subcommand lives in its own module under :mod:`ivig_dose.cli`, listed in
:data:`COMMANDS` and imported only when that command is named, and each imports its heavy
libraries (rich, pint) only when it runs, so ``--help`` and a plain
``plan --weight 70`` start fast however many commands there are. Errors of every
kind leave as one line on stderr and an :class:`~ivig_dose.core.errors.ExitStatus`, never as a
traceback.
"""

# ruff: noqa: E402  (Ctrl-C is noted before typer is imported, see below)
from __future__ import annotations

# signal's C module: signal.py itself builds its enums on import, a millisecond of every start-up
import _signal  # type: ignore[import-not-found]
import os
import sys


def _run_as_the_command() -> bool:
    """True in the ``ivig-dose`` script and ``python -m ivig_dose``; False where the module is
    imported by other code (tests, a notebook), whose signals are not ours."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    script = os.path.splitext(os.path.basename(sys.argv[0] if sys.argv else ""))[0]
    return script == "ivig-dose" or getattr(spec, "name", None) == "ivig_dose.__main__"


#: True when this process is the command: only then is SIGINT's handling ours.
_THE_COMMAND = _run_as_the_command()

#: Ctrl-C during start-up (the imports below and the command's own, about a tenth of a second) would
#: end in a KeyboardInterrupt traceback from whichever import it hit, and nothing can yet say
#: "interrupted" in the user's language. So until the command starts, Ctrl-C is only noted, and
#: the command then stops at once with the one line (:func:`started`). Installed before typer is
#: imported; only where Python's own handler is in place (not where SIGINT was ignored, as by nohup).
_INTERRUPTED_WHILE_STARTING = False


def _note_interrupt(signum: int, frame: object) -> None:
    global _INTERRUPTED_WHILE_STARTING
    _INTERRUPTED_WHILE_STARTING = True


_NOTING_INTERRUPTS = _THE_COMMAND and _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler
if _NOTING_INTERRUPTS:
    _signal.signal(_signal.SIGINT, _note_interrupt)


def started() -> None:
    """Start-up is over: Ctrl-C raises KeyboardInterrupt again (so that a file being written is
    removed on the way out), and one pressed during start-up stops the command now."""
    global _NOTING_INTERRUPTS
    if _NOTING_INTERRUPTS:
        _NOTING_INTERRUPTS = False
        _signal.signal(_signal.SIGINT, _signal.default_int_handler)
        if _INTERRUPTED_WHILE_STARTING:
            raise KeyboardInterrupt




import importlib
from collections.abc import Sequence
from contextlib import suppress
from typing import Annotated, Any

import typer
import typer.main
from typer._click import Command, Context, HelpFormatter
from typer._click.exceptions import NoArgsIsHelpError
from typer.core import TyperCommand, TyperGroup

from ivig_dose import __version__
from ivig_dose.cli.language import add_lang_option, choose, lang_option
from ivig_dose.core.errors import ExitStatus, InputError, Terminated
from ivig_dose.core.messages import N_, message

#: Every subcommand, in the order ``--help`` lists them: its name and where it lives, as
#: "module:attribute" naming a command function or a Typer app of subcommands. Building a
#: command costs its module's imports and typer's reading of its signature; done only for
#: the command that runs, one command's cost never lands on another. Add a command here,
#: and its summary to :data:`SUMMARIES`.
COMMANDS: dict[str, str] = {
    "plan": "ivig_dose.cli.plan:plan",
    "screen": "ivig_dose.cli.screen:screen",
    "order": "ivig_dose.cli.order:order",
    "labels": "ivig_dose.cli.labels:labels",
    "calendar": "ivig_dose.cli.calendar:calendar",
    "rates": "ivig_dose.cli.rates:rates",
    "verify": "ivig_dose.cli.verify:verify",
    "batch": "ivig_dose.cli.batch:batch",
    "protocol": "ivig_dose.cli.protocol:app",
    "products": "ivig_dose.cli.products:app",
    "record": "ivig_dose.cli.record:app",
}

#: The first paragraph of each command's own help, which ``ivig-dose --help`` shortens to the
#: one line it lists. Knowing it here lets the list be printed without importing and building
#: all the commands, which would cost ``--help`` as much as every command's start-up together.
#: tests/test_help_summaries.py holds each against the built command's help, so the two
#: cannot drift; a command missing here is built to list it, correct but slower.
SUMMARIES: dict[str, str] = {
    "plan": "Plan every course of the protocol for one patient, and say why each number is what it is.",
    "screen": "Screen a patient against the trial's criteria. Exit status: 0 eligible, 1 not eligible, "
              "2 bad input, 3 undecided (answers missing, none failing).",
    "order": "Write the order sheet to prepare, double-check and sign: every bag, caps, warnings, sign-off.",
    "labels": "Write a label for every bag: patient, product, volume, course, day, date, setting, batch, expiry.",
    "calendar": "Write an .ics file with one event per bag; re-importing an updated plan updates the same events.",
    "rates": "Print the pump program for one bag: rate steps, minutes per step, total time.",
    "verify": "Check an order (or one bag at the bedside) against the protocol, value by value.",
    "batch": "Plan every patient of a CSV list (patient_id, weight, start; optional arm, days, week4_weight, "
             "week8_weight, height, sex, dosing_weight, pregnant, risk, age), or with --verify check every order "
             "of a file.",
    "protocol": "List, show and check protocols and the sources of their numbers.",
    "products": "List, show and check product catalogues and the sources of their numbers.",
    "record": "Record what was given at the bedside: each bag's start, rates, pauses, reactions and stop; the time "
              "left after a slow-down; the vials and lots that went into each bag, and a recall by lot; check, "
              "export and merge the record.",
}

def fail(message: str, status: ExitStatus | int = ExitStatus.INPUT_ERROR) -> int:
    """Prints one line on stderr in the run's language, its control characters escaped (a value
    quoted in it cannot drive the terminal or forge a line), and returns the status to exit with."""
    from ivig_dose.cli.language import current
    from ivig_dose.parse.text import printable

    tr = current()
    with suppress(OSError):  # stderr itself gone (2>&1 | head): the status still says it
        sys.stderr.write(tr(N_("ivig-dose: error: {message}"), message=printable(' '.join(tr.say(message).split())))
                         + "\n")
    return int(status)


#: the statuses that give an answer: given only when the whole answer was written.
VERDICTS = frozenset({ExitStatus.OK, ExitStatus.NOT_OK, ExitStatus.UNDECIDED})


def _typer_saw_a_closed_pipe() -> bool:
    """typer answers EPIPE by wrapping the standard streams and exiting 1, the status of "no":
    the wrapping tells that exit from every other, and is undone here."""
    from typer._click.utils import PacifyFlushWrapper

    if not isinstance(sys.stdout, PacifyFlushWrapper):
        return False
    sys.stdout = sys.stdout.wrapped
    if isinstance(sys.stderr, PacifyFlushWrapper):
        sys.stderr = sys.stderr.wrapped
    return True


def output_closed() -> int:
    """Standard output's reader went away: what is still buffered goes to /dev/null (so that
    Python's own flush at exit cannot fail again) and the status says the answer was cut short.
    Silent, as every filter is when ``| head`` stops reading."""
    spare = os.open(os.devnull, os.O_WRONLY)
    os.dup2(spare, 1)
    os.close(spare)
    return int(ExitStatus.OUTPUT_CLOSED)


class ClosedStream:
    """Stands for a standard stream that was closed when the command started (``>&-``, ``<&-``):
    using it is an input error that says so, never an AttributeError on None."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __getattr__(self, attribute: str) -> Any:
        what = N_("standard input") if self.name == "input" else N_("standard output")
        raise InputError(message(N_("{stream} is closed; accepted: a terminal, a file or a pipe "
                                    "(or -o FILE for the output)"), stream=message(what)))

    def flush(self) -> None:
        """Nothing was written, so there is nothing to flush (Python flushes it at exit)."""


def prepare_streams() -> None:
    """Makes the standard streams safe to use before anything is written.

    A closed descriptor is first filled with /dev/null, so a file the command opens can never
    land on descriptor 1 and receive what was meant for standard output; its stream becomes a
    :class:`ClosedStream`. A stream whose encoding cannot write every character (``PYTHONIOENCODING
    =ascii``, an old terminal) writes what it cannot as ``\\u2265`` escapes rather than failing.
    """
    for number, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        try:
            os.fstat(number)
        except OSError:
            spare = os.open(os.devnull, os.O_RDWR)
            if spare != number:
                os.dup2(spare, number)
                os.close(spare)
            kind = {"stdin": "input", "stdout": "output"}.get(name)
            setattr(sys, name, ClosedStream(kind) if kind else open(os.devnull, "w"))  # noqa: SIM115
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, ClosedStream):
            continue
        encoding = str(getattr(stream, "encoding", "utf-8") or "utf-8").lower().replace("_", "-")
        if encoding not in ("utf-8", "utf8") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def flush_stdout() -> int | None:
    """Flushes standard output; when it cannot be written (``> /dev/full``), says so and returns 2."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        return output_closed()
    except OSError as exc:
        spare = os.open(os.devnull, os.O_WRONLY)
        os.dup2(spare, 1)  # what is left in the buffer goes nowhere, instead of failing again at exit
        os.close(spare)
        return fail(message(N_("cannot write to standard output: {reason}; nothing more was written; accepted: "
                               "a terminal, a file or a pipe with room, or -o FILE"),
                            reason=exc.strerror or type(exc).__name__))
    return None


class PendingCommand(TyperCommand):
    """Stands in for a command of :data:`COMMANDS` until it is named; then it is built for real.

    Being in the group's command table keeps everything that lists commands (``--help``,
    "Did you mean 'plan'?") exactly as if every command had been built up front. With its
    summary as ``help`` it can stand in for the command in the ``--help`` list as well.
    """

    def __init__(self, name: str, target: str, summary: str | None = None) -> None:
        super().__init__(name, help=summary, rich_markup_mode=None)
        self.target = target

    def load(self) -> Command:
        """Imports the module and has typer build the command, as ``app.command``/``add_typer`` would."""
        module_name, _, attribute = self.target.partition(":")
        found = getattr(importlib.import_module(module_name), attribute)
        holder = typer.Typer(rich_markup_mode=None, add_completion=False, pretty_exceptions_enable=False)
        if isinstance(found, typer.Typer):
            holder.add_typer(found, name=self.name)
        else:
            holder.command(self.name)(found)
        command: Command = typer.main.get_group(holder).commands[str(self.name)]
        add_lang_option(command)
        return command


class OneLineErrors(TyperGroup):
    """Runs the command and turns every usage or input error into one line on stderr."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: True while ``--help`` lists the commands: a summary is all it needs of each.
        self.listing = False
        self.params.append(lang_option())
        for name, target in COMMANDS.items():
            self.commands.setdefault(name, PendingCommand(name, target, SUMMARIES.get(name)))

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        command = super().get_command(ctx, cmd_name)
        if isinstance(command, PendingCommand) and not (self.listing and command.help is not None):
            command = self.commands[cmd_name] = command.load()
        return command

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        self.listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self.listing = False

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
            if not _typer_saw_a_closed_pipe():
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



def interrupted() -> int:
    """Ctrl-C: one line, status 130; a second Ctrl-C while it is said is not let interrupt the saying."""
    _ignore_interrupts()
    return fail(message(N_("interrupted: no output file was written or replaced")), ExitStatus.INTERRUPTED)


def _ignore_interrupts() -> None:
    """From now on Ctrl-C changes nothing; only in the command's own process (a test or a notebook
    that runs the command keeps its Ctrl-C), and from the main thread, where handlers are set."""
    import threading

    if _THE_COMMAND and threading.current_thread() is threading.main_thread():
        _signal.signal(_signal.SIGINT, _signal.SIG_IGN)


def main() -> None:
    """Console-script entry point."""
    try:
        status = _run_command()
    except KeyboardInterrupt:  # between the command's end and the last flush
        status = interrupted()
    _ignore_interrupts()  # the answer is written whole (or its failure said)
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
