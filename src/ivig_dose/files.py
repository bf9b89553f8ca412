"""Writing files so that a crash or a full disk never leaves half a file where a whole one was."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ivig_dose.errors import InputError


def write_atomically(path: str, text: str, what: str = "file") -> None:
    """Writes ``text`` to a temporary file beside ``path``, then renames it over ``path``.

    The rename is atomic on one file system, so a reader sees the old file or the new one,
    never a torn one. The temporary file is created readable by the owner only (mkstemp),
    which suits files that hold patient answers.
    """
    target = Path(path)
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise InputError(f"cannot write {what} {path!r}: {exc.strerror or exc}") from exc
