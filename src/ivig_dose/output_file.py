"""Writing an output file whole or not at all.

A half-written order sheet that opens and looks complete is worse than none, so the bytes go to
a temporary file beside the target and are renamed over it only when all of them are on disk
(a rename within one folder is atomic). Any failure removes the temporary file and becomes one
:class:`InputError` line that names the path and what is accepted.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ivig_dose.errors import InputError

ACCEPTED = "a file path in an existing folder you may write to"


def check_target(path: Path) -> Path:
    """Refuses a target that cannot be a file, before any work is done; returns its folder."""
    folder = path.parent
    if path.is_dir():
        raise InputError(f"output {str(path)!r} is a folder; accepted: {ACCEPTED}")
    if not folder.is_dir():
        raise InputError(f"output {str(path)!r}: folder {str(folder)!r} does not exist; accepted: {ACCEPTED}")
    return folder


def write_atomically(path: Path, content: bytes) -> None:
    folder = check_target(path)
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's 0600 would hide the file from colleagues
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        reason = exc.strerror or type(exc).__name__
        raise InputError(f"cannot write output {str(path)!r}: {reason}; accepted: {ACCEPTED}") from exc


def _umask() -> int:
    """The process umask (it can only be read by setting it, so it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
