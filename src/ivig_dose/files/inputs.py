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
from dataclasses import dataclass
from typing import BinaryIO

from ivig_dose.core.errors import InputError

STDIN = "-"
_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP file or Excel workbook (.xlsx)"),
    (b"\xd0\xcf\x11\xe0", "an Excel 97-2003 workbook (.xls)"),
    (b"\xff\xfe", "UTF-16 text"),
    (b"\xfe\xff", "UTF-16 text"),
    (b"%PDF", "a PDF file"),
)
SAVE_AS = "save it as CSV UTF-8 (Excel: File > Save As > CSV UTF-8)"


@dataclass(frozen=True)
class OpenedInput:
    """An opened input: its lines as text, the name to show in messages, its size when known."""

    lines: Iterator[str]
    name: str
    size: int | None
    raw: BinaryIO


@contextmanager
def open_input(path: str) -> Iterator[OpenedInput]:
    """UTF-8 text lines (a BOM dropped, line ends kept for the csv module), decoded one line at
    a time so that a byte that is not UTF-8 is reported with its line number."""
    name = "stdin" if path == STDIN else path
    if path == STDIN:
        raw: BinaryIO = sys.stdin.buffer
        if not hasattr(raw, "peek"):  # a stand-in stdin (tests, embedding) without a read buffer
            raw = io.BufferedReader(raw)  # type: ignore[type-var]
    else:
        try:
            raw = open(path, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise InputError(f"cannot read {path!r}: {exc.strerror}") from exc
    try:
        _refuse_binary(raw, name)
        yield OpenedInput(_decoded(raw, name), name, _size(raw), raw)
    finally:
        if path != STDIN:
            raw.close()


def _decoded(raw: BinaryIO, name: str) -> Iterator[str]:
    for number, line in enumerate(raw, start=1):
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
            raise InputError(f"{name} is {what}, not CSV or JSON text; {SAVE_AS}")
    if b"\x00" in head:
        raise InputError(f"{name} is binary, not CSV or JSON text; {SAVE_AS}")


def decoding_error(name: str, line: int | None) -> InputError:
    where = f"line {line}" if line is not None else "the file"
    return InputError(f"{name}: {where} is not UTF-8 text; {SAVE_AS}")


def looks_like_json(source: OpenedInput) -> bool:
    """True when the first character that is not a space or a BOM opens a JSON object or list."""
    peek = getattr(source.raw, "peek", None)
    head: bytes = peek(4096) if peek is not None else b""
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    return start in (b"{", b"[")
