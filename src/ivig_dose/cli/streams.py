"""The standard streams of the ``ivig-dose`` process, and the one line an error is said in.

A refusal is one line on stderr in the run's language and an exit status, never a traceback;
a closed or full standard output is said by its own status (141, or 2 with a line), never
taken for an answer; a stream closed when the command started, or one that cannot encode
every character, is made safe before anything is written.
"""

from __future__ import annotations

import os
import sys
from contextlib import suppress
from typing import Any

from ivig_dose.core.errors import ExitStatus, InputError
from ivig_dose.core.messages import N_, message


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


def typer_saw_a_closed_pipe() -> bool:
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

