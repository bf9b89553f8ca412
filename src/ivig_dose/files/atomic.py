"""Writing files whole or not at all, with one policy for every command.

A half-written order sheet or plan list that opens and looks complete is worse than none, so
every output goes to a temporary file beside its target and is renamed over it only when all of
it is on disk (a rename within one folder is atomic: a reader sees the old file or the new one,
never a torn one). A failure, a bad input found half way or a Ctrl-C leaves the old file as it
was and no temporary file behind.

Permissions: a new file gets the mode any program would give it (0666 less the umask), so a site
that keeps patient files private sets its umask once; a replaced file keeps the mode it had.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO, cast

from ivig_dose.core.errors import InputError

STDOUT = "-"
ACCEPTED = "a file path in an existing folder you may write to"


def check_target(path: str | Path, what: str = "output") -> Path:
    """Refuses a target that cannot be a file, before any work is done; returns its folder."""
    target = Path(path)
    if target.is_dir():
        raise InputError(f"cannot write {what} {str(path)!r}: it is a folder; accepted: {ACCEPTED}, or - for stdout")
    if not target.parent.is_dir():
        raise InputError(
            f"cannot write {what} {str(path)!r}: folder {str(target.parent)!r} does not exist; accepted: {ACCEPTED}"
        )
    return target.parent


def write_atomically(path: str | Path, content: str | bytes, what: str = "output") -> None:
    """Writes ``content`` (text as UTF-8, or bytes) whole to ``path``, or leaves it untouched."""
    with _atomic_stream(path, what, binary=isinstance(content, bytes)) as stream:
        stream.write(content)


@contextmanager
def atomic_output(path: str | Path, what: str = "output") -> Iterator[TextIO]:
    """A text stream that replaces ``path`` only if the block ends without error.

    ``-`` is standard output, which a pipe cannot take back: it is written as it goes.
    """
    with _atomic_stream(path, what, binary=False) as stream:
        yield cast(TextIO, stream)


@contextmanager
def atomic_binary_output(path: str | Path, what: str = "output") -> Iterator[BinaryIO]:
    """:func:`atomic_output` for bytes: text already encoded as UTF-8 is written as it is."""
    with _atomic_stream(path, what, binary=True) as stream:
        yield cast(BinaryIO, stream)


@contextmanager
def _atomic_stream(path: str | Path, what: str, binary: bool) -> Iterator[IO[Any]]:
    if str(path) == STDOUT:
        yield sys.stdout.buffer if binary else sys.stdout
        return
    folder = check_target(path, what)
    target = Path(path)
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise _cannot_write(what, path, exc) from exc
    try:
        stream = os.fdopen(handle, "wb" if binary else "w",
                           encoding=None if binary else "utf-8", newline=None if binary else "")
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


def _cannot_write(what: str, path: str | Path, exc: OSError) -> InputError:
    reason = exc.strerror or type(exc).__name__
    return InputError(f"cannot write {what} {str(path)!r}: {reason}; accepted: {ACCEPTED}")


def _mode_for(target: Path) -> int:
    """The replaced file's own mode, or 0666 less the umask for a new file."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0o022)  # the umask can only be read by setting it, so it is set straight back
        os.umask(mask)
        return 0o666 & ~mask
