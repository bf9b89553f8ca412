"""Writing files so that a crash or a full disk never leaves half a file where a whole one was."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from ivig_dose.errors import InputError

STDOUT = "-"


def write_atomically(path: str, text: str, what: str = "file") -> None:
    """Writes ``text`` to a temporary file beside ``path``, then renames it over ``path``."""
    try:
        with atomic_output(path, what) as stream:
            stream.write(text)
    except OSError as exc:
        raise InputError(f"cannot write {what} {path!r}: {exc.strerror or exc}") from exc


@contextmanager
def atomic_output(path: str, what: str = "file") -> Iterator[TextIO]:
    """A text file to write as a stream; it replaces ``path`` only if the block ends without error.

    The text goes to a temporary file beside ``path``, which is renamed over ``path`` once it
    is complete and on disk. The rename is atomic on one file system, so a reader sees the old
    file or the new one, never a torn one; a failure, a bad input found half way or a Ctrl-C
    leaves the old file as it was and no temporary file behind. A new file is readable by the
    owner only (mkstemp), which suits files that hold patient data; a replaced file keeps its
    permissions. ``-`` is standard output, which a pipe cannot take back: it is written as it goes.
    """
    if path == STDOUT:
        yield sys.stdout
        return
    target = Path(path)
    if target.is_dir():
        raise InputError(f"cannot write {what} {path!r}: it is a folder; accepted: a file name, or - for stdout")
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"cannot write {what} {path!r}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        _keep_mode(target, temporary)
        try:
            os.replace(temporary, target)
        except OSError as exc:
            raise InputError(f"cannot write {what} {path!r}: {exc.strerror or exc}") from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _keep_mode(target: Path, temporary: str) -> None:
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        return
    os.chmod(temporary, mode)
