"""Writing files whole or not at all, with one policy for every command.

A half-written order sheet or plan list that opens and looks complete is worse than none, so
every output goes to a temporary file beside its target and is renamed over it only when all of
it is on disk (a rename within one folder is atomic: a reader sees the old file or the new one,
never a torn one). A failure, a bad input found half way or a Ctrl-C leaves the old file as it
was and no temporary file behind; so does SIGTERM or SIGHUP (a job scheduler's stop, a closed
terminal), whose handlers are set while a temporary file exists.

What the path is matters: a symbolic link is followed, so its target gets the new
content and the link stays a link; a device or a pipe (``/dev/null``, ``/dev/full``) is written
into, never renamed over; a full disk is said as such. An output that is one of the run's inputs
is refused before any work by :func:`refuse_same_file`.

Permissions: a new file gets the mode any program would give it (0666 less the umask), so a site
that keeps patient files private sets its umask once; a replaced file keeps the mode it had.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO, cast

from ivig_dose.core.errors import InputError, Terminated
from ivig_dose.core.messages import N_, message

STDOUT = "-"
ACCEPTED = message(N_("a file path in an existing folder you may write to"))
OUTPUT = message(N_("output"))


#: the longest file name most file systems take, in bytes (NAME_MAX).
MAX_NAME = 255
#: the temporary file's name keeps this much of the target's, so a long name still fits beside it.
_TEMP_NAME = 40
#: the signals that stop a run while it writes: each removes the temporary file on its way out.
_STOP_SIGNALS = ("SIGTERM", "SIGHUP")


def check_target(path: str | Path, what: str = OUTPUT) -> Path:
    """Refuses a target that cannot be a file, before any work is done; returns its folder."""
    text = str(path)
    target = Path(path)
    if len(os.fsencode(target.name)) > MAX_NAME:
        raise InputError(message(N_("cannot write {what} {path!r}...: the file name is longer than {limit} bytes; "
                                    "accepted: {accepted}"), what=what, path=text[:40], limit=MAX_NAME,
                                 accepted=ACCEPTED))
    if text.endswith(("/", os.sep)) or target.is_dir():
        raise InputError(message(N_("cannot write {what} {path!r}: it is a folder; accepted: {accepted}, or - for "
                                    "stdout"), what=what, path=text, accepted=ACCEPTED))
    try:
        folder_ok = target.parent.is_dir()
    except OSError:
        folder_ok = False
    if not folder_ok:
        raise InputError(message(N_("cannot write {what} {path!r}: folder {folder!r} does not exist; accepted: "
                                    "{accepted}"), what=what, path=text, folder=str(target.parent), accepted=ACCEPTED))
    return target.parent


def refuse_same_file(output: str | Path | None, inputs: dict[str, str | Path | None], what: str = "-o") -> None:
    """Refuses an output that is one of the run's inputs (or another output), before any work.

    Replacing ``patients.csv`` with the plans made from it destroys the list; so the paths are
    compared as the file system sees them (the same inode through a link, ``./a`` and ``a``), not
    as typed. ``-`` (stdin or stdout) is never a file.
    """
    if output is None or str(output) == STDOUT:
        return
    for name, given in inputs.items():
        if given is None or str(given) == STDOUT:
            continue
        if _same_file(Path(output), Path(given)):
            raise InputError(message(N_("{what} {path!r} is also {name}: writing it would destroy {name} before it is "
                                        "read; accepted: an output path that is none of the inputs"), what=what,
                                     path=str(output), name=name))


def _same_file(first: Path, second: Path) -> bool:
    try:
        if first.exists() and second.exists():
            return os.path.samefile(first, second)
        return os.path.realpath(first) == os.path.realpath(second)
    except OSError:
        return False


def write_atomically(path: str | Path, content: str | bytes, what: str = OUTPUT) -> None:
    """Writes ``content`` (text as UTF-8, or bytes) whole to ``path``, or leaves it untouched."""
    with _atomic_stream(path, what, binary=isinstance(content, bytes)) as stream:
        stream.write(content)


@contextmanager
def atomic_output(path: str | Path, what: str = OUTPUT) -> Iterator[TextIO]:
    """A text stream that replaces ``path`` only if the block ends without error.

    ``-`` is standard output, which a pipe cannot take back: it is written as it goes.
    """
    with _atomic_stream(path, what, binary=False) as stream:
        yield cast(TextIO, stream)


@contextmanager
def atomic_binary_output(path: str | Path, what: str = OUTPUT) -> Iterator[BinaryIO]:
    """:func:`atomic_output` for bytes: text already encoded as UTF-8 is written as it is."""
    with _atomic_stream(path, what, binary=True) as stream:
        yield cast(BinaryIO, stream)


def _open_mode(binary: bool) -> dict[str, Any]:
    return {"mode": "wb" if binary else "w",
            "encoding": None if binary else "utf-8", "newline": None if binary else ""}


@contextmanager
def _atomic_stream(path: str | Path, what: str, binary: bool) -> Iterator[IO[Any]]:
    if str(path) == STDOUT:
        yield sys.stdout.buffer if binary else sys.stdout
        return
    check_target(path, what)
    # a link is followed, so the link stays a link and its target gets the new content
    target = Path(os.path.realpath(path))
    if _is_special(target):
        with _device_stream(target, path, what, binary) as stream:
            yield stream
        return
    # a stop between making the temporary file and handling stops would leave the file behind: it is
    # held back meanwhile, and handled (the file removed) as soon as the handlers are set
    held = _hold_stops()
    try:
        try:
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:_TEMP_NAME]}.",
                                                 suffix=".part")
        except OSError as exc:
            raise _cannot_write(what, path, exc) from exc
    except BaseException:
        _release(held)
        raise
    try:
        with _removing_on_signals():
            _release(held)
            options = _open_mode(binary)
            stream = os.fdopen(handle, options.pop("mode"), **options)
            with stream:
                yield stream
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, _mode_for(target))
            os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise _cannot_write(what, path, exc) from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    finally:
        _release(held)  # already let through above, unless setting the handlers failed


def _is_special(target: Path) -> bool:
    """True for an existing file that is not a regular file: a device (/dev/null, /dev/full), a pipe."""
    try:
        return not stat.S_ISREG(target.stat().st_mode)
    except OSError:
        return False


@contextmanager
def _device_stream(target: Path, path: str | Path, what: str, binary: bool) -> Iterator[IO[Any]]:
    """A device or pipe is written into, never renamed over (a rename would replace /dev/null
    itself with a plain file); it cannot be written whole or not at all, and a full device says so."""
    options = _open_mode(binary)
    try:
        with open(target, options.pop("mode"), **options) as stream:
            yield stream
            stream.flush()
    except OSError as exc:
        raise _cannot_write(what, path, exc) from exc


def _hold_stops() -> set[int] | None:
    """Holds SIGTERM and SIGHUP back (delivered when released), in the main thread where the
    system can; returns what to give :func:`_release`."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        return None
    stops = {getattr(signal, name) for name in _STOP_SIGNALS if hasattr(signal, name)}
    return set(signal.pthread_sigmask(signal.SIG_BLOCK, stops))


def _release(held: set[int] | None) -> None:
    """Lets held stops through: one that came meanwhile is handled now."""
    if held is not None:
        import signal

        signal.pthread_sigmask(signal.SIG_SETMASK, held)


@contextmanager
def _removing_on_signals() -> Iterator[None]:
    """While a temporary file is open, SIGTERM and SIGHUP raise :class:`Terminated`, so the file is
    removed on the way out as after a Ctrl-C; the previous handlers come back afterwards. Signal
    handlers can only be set in the main thread: elsewhere the block runs as it is."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise Terminated(signum, signal.Signals(signum).name)

    previous = {}
    for name in _STOP_SIGNALS:
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _cannot_write(what: str, path: str | Path, exc: OSError) -> InputError:
    reason = exc.strerror or type(exc).__name__
    if exc.errno == errno.ENOSPC:
        return InputError(message(N_("cannot write {what} {path!r}: no space left on the device; nothing was "
                                     "replaced; accepted: a file on a device with room for it"), what=what,
                                  path=str(path)))
    return InputError(message(N_("cannot write {what} {path!r}: {reason}; accepted: {accepted}"), what=what,
                              path=str(path), reason=reason, accepted=ACCEPTED))


def _mode_for(target: Path) -> int:
    """The replaced file's own mode, or 0666 less the umask for a new file."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0o022)  # the umask can only be read by setting it, so it is set straight back
        os.umask(mask)
        return 0o666 & ~mask
