"""Ctrl-C, from the first moment of the ``ivig-dose`` process to its last flush.

This module is imported before anything else of the command (typer included), so that Ctrl-C
pressed while the command starts is noted instead of ending in a traceback; the command then
stops with the one line :func:`interrupted` says. Only the command's own process is touched: a
test or a notebook that imports the package keeps its own Ctrl-C.
"""

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

#: Ctrl-C during start-up (the imports of cli.main and the command's own, about a tenth of a second)
#: would end in a KeyboardInterrupt traceback from whichever import it hit, and nothing can yet say
#: "interrupted" in the user's language. So until the command starts, Ctrl-C is only noted, and
#: the command then stops at once with the one line (:func:`started`). Installed before typer is
#: imported (cli.main imports this module first); only where Python's own handler is in place (not
#: where SIGINT was ignored, as by nohup).
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


def interrupted() -> int:
    """Ctrl-C: one line, status 130; a second Ctrl-C while it is said is not let interrupt the saying."""
    # imported here, not at the top: the handler above is installed before any of the command's imports
    from ivig_dose.cli.streams import fail
    from ivig_dose.core.errors import ExitStatus
    from ivig_dose.core.messages import N_, message

    ignore_interrupts()
    return fail(message(N_("interrupted: no output file was written or replaced")), ExitStatus.INTERRUPTED)


def ignore_interrupts() -> None:
    """From now on Ctrl-C changes nothing; only in the command's own process (a test or a notebook
    that runs the command keeps its Ctrl-C), and from the main thread, where handlers are set."""
    import threading

    if _THE_COMMAND and threading.current_thread() is threading.main_thread():
        _signal.signal(_signal.SIGINT, _signal.SIG_IGN)

