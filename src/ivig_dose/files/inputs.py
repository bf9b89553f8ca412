"""Opening an input file (or stdin) as UTF-8 text, refusing what is plainly not text first.

A pharmacy's "CSV" is often an Excel workbook or UTF-16 text saved by mistake; saying so in
one line beats a decoding error at byte 0.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO, cast

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.core.records import frozen

STDIN = "-"
_SIGNATURES = (
    (b"PK\x03\x04", N_("a ZIP file or Excel workbook (.xlsx)")),
    (b"\xd0\xcf\x11\xe0", N_("an Excel 97-2003 workbook (.xls)")),
    (b"\xff\xfe", N_("UTF-16 text")),
    (b"\xfe\xff", N_("UTF-16 text")),
    (b"%PDF", N_("a PDF file")),
)
SAVE_AS = message(N_("save it as CSV UTF-8 (Excel: File > Save As > CSV UTF-8)"))
#: the largest protocol, catalogue, checklist, answers or single order file read whole: the
#: shipped ones are under 20 KiB; a larger one is a wrong file (or /dev/zero), not a protocol.
MAX_FILE = 1 << 20
#: the longest line of a CSV or JSON Lines file: a patient row is under 200 bytes.
MAX_LINE = 1 << 20
NO_NUL = message(N_("a file name cannot hold a NUL character"))
#: bytes read at a time from a streamed input.
CHUNK = 1 << 16


def read_text_file(path: str, what: str, limit: int = MAX_FILE) -> str:
    """A whole UTF-8 file of at most ``limit`` bytes, without reading more than that to find out.
    ``-`` is a file of that name here, not stdin."""
    with open_input(path, limit, what, stdin=False) as source:
        data = source.raw.read()
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(message(N_("{what} {path!r} is not UTF-8 text; accepted: a UTF-8 text file"), what=what,
                                 path=path)) from exc


@frozen
class OpenedInput:
    """An opened input: its lines as text, the name to show in messages, its size when known."""

    lines: Iterator[str]
    name: str
    size: int | None
    raw: BinaryIO


@contextmanager
def open_input(path: str, limit: int | None = MAX_FILE, what: str | None = None,
               stdin: bool = True) -> Iterator[OpenedInput]:
    """UTF-8 text lines (a BOM dropped, line ends kept for the csv module), decoded one line at
    a time so that a byte that is not UTF-8 is reported with its line number.

    Every input is read through here, and none further than ``limit`` bytes: a file larger than
    that is refused by its size before a byte is read, and stdin, a pipe or a device (``/dev/zero``)
    as soon as one byte more than ``limit`` has come. Only a reader that streams (a patient list,
    ``batch --verify``) passes ``limit=None``. ``what`` names the input in messages (a protocol
    file, an answers file); without it the input is a CSV or JSON file, and is first looked at for
    the signatures of a workbook, a PDF or UTF-16 text.
    """
    name = "stdin" if stdin and path == STDIN else path
    shown = what if what is not None else message(N_("input file"))
    raw = _open_raw(path, what, stdin)
    try:
        if limit is not None:
            raw = _bounded(raw, limit, name, shown)
        if what is None:
            _refuse_binary(raw, name)
        yield OpenedInput(_decoded(raw, name), name, _size(raw), raw)
    finally:
        if not (stdin and path == STDIN):
            raw.close()


def _open_raw(path: str, what: str | None, stdin: bool) -> BinaryIO:
    if stdin and path == STDIN:
        raw: BinaryIO = sys.stdin.buffer
        if not hasattr(raw, "peek"):  # a stand-in stdin (tests, embedding) without a read buffer
            raw = io.BufferedReader(raw)  # type: ignore[type-var]
        return raw
    try:
        return open(path, "rb")  # closed by open_input
    except OSError as exc:
        raise _unreadable(path, what, exc.strerror or type(exc).__name__) from exc
    except ValueError as exc:  # a NUL in the name, which only the Python API can pass (argv cannot hold one)
        raise _unreadable(path, what, NO_NUL) from exc


def _unreadable(path: str, what: str | None, reason: str) -> InputError:
    if what is None:
        return InputError(message(N_("cannot read {path!r}: {reason}"), path=path, reason=reason))
    return InputError(message(N_("cannot read {what} {path!r}: {reason}"), what=what, path=path, reason=reason))


def _too_large(name: str, what: str, limit: int) -> InputError:
    return InputError(message(N_("{what} {path!r} is larger than {kib} KiB; accepted: at most {kib} KiB (see "
                                 "docs/limits.md)"), what=what, path=name, kib=limit // 1024))


def _bounded(raw: BinaryIO, limit: int, name: str, what: str) -> BinaryIO:
    """``raw``, refused at once when it is a regular file larger than ``limit`` (its size says so),
    else read through a counter that refuses the first byte past ``limit``."""
    size = _size(raw)
    if size is not None and size > limit:
        raise _too_large(name, what, limit)
    return cast(BinaryIO, _Bounded(raw, limit, name, what))


class _Bounded:
    """A binary reader that reads at most ``limit`` + 1 bytes from ``raw`` and refuses the last."""

    def __init__(self, raw: BinaryIO, limit: int, name: str, what: str) -> None:
        self._raw, self._limit, self._name, self._what = raw, limit, name, what
        self._used = 0

    def read(self, size: int = -1) -> bytes:
        if size < 0:  # all of it: to the end, or to the byte that is one too many
            parts = []
            while chunk := self.read(CHUNK):
                parts.append(chunk)
            return b"".join(parts)
        data = self._raw.read(min(size, self._limit + 1 - self._used))
        self._used += len(data)
        if self._used > self._limit:
            raise _too_large(self._name, self._what, self._limit)
        return data

    def peek(self, size: int = 0) -> bytes:
        peek = getattr(self._raw, "peek", None)
        return peek(size) if peek is not None else b""

    def fileno(self) -> int:
        return self._raw.fileno()

    def close(self) -> None:
        self._raw.close()


def _lines(raw: BinaryIO, name: str) -> Iterator[bytes]:
    """The lines of ``raw`` with any line end (CRLF, LF, or the CR alone of old Excel for Mac)
    written as LF, read in chunks so that a file without a single LF is not one line in memory."""
    rest = b""
    number = 0
    while chunk := raw.read(CHUNK):
        lines = (rest + chunk).splitlines(keepends=True)
        # the last piece may go on in the next chunk: no line end yet, or a CR whose LF is still to come
        rest = lines.pop() if not lines[-1].endswith(b"\n") else b""
        for line in lines:
            number += 1
            yield line.rstrip(b"\r\n") + b"\n"
        if len(rest) > MAX_LINE:
            raise InputError(message(N_("{name}: line {line} is longer than {kib} KiB; accepted: a CSV or JSON Lines "
                                        "file (see docs/limits.md)"), name=name, line=number + 1,
                                     kib=MAX_LINE // 1024))
    if rest:
        yield rest.rstrip(b"\r\n") + (b"\n" if rest.endswith(b"\r") else b"")


def _decoded(raw: BinaryIO, name: str) -> Iterator[str]:
    for number, line in enumerate(_lines(raw, name), start=1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise decoding_error(name, number) from exc
        yield text.removeprefix("\ufeff") if number == 1 else text


def _size(raw: BinaryIO) -> int | None:
    try:
        status = os.fstat(raw.fileno())
    except (OSError, io.UnsupportedOperation):
        return None
    import stat

    return status.st_size if stat.S_ISREG(status.st_mode) else None


def _refuse_binary(raw: BinaryIO, name: str) -> None:
    peek = getattr(raw, "peek", None)
    head: bytes = peek(512)[:512] if peek is not None else b""
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            raise InputError(message(N_("{name} is {what}, not CSV or JSON text; {save_as}"), name=name,
                                     what=message(what), save_as=SAVE_AS))
    if b"\x00" in head:
        raise InputError(message(N_("{name} is binary, not CSV or JSON text; {save_as}"), name=name, save_as=SAVE_AS))


def decoding_error(name: str, line: int | None) -> InputError:
    where = message(N_("line {line}"), line=line) if line is not None else message(N_("the file"))
    return InputError(message(N_("{name}: {where} is not UTF-8 text; {save_as}"), name=name, where=where,
                              save_as=SAVE_AS))


def looks_like_json(source: OpenedInput) -> bool:
    """True when the first character that is not a space or a BOM opens a JSON object or list."""
    peek = getattr(source.raw, "peek", None)
    head: bytes = peek(4096) if peek is not None else b""
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    return start in (b"{", b"[")
