"""CSV files as pharmacies save them: streamed row by row, whatever the dialect details.

Handled without asking: a UTF-8 byte-order mark, CRLF or LF line ends, blank lines (also
rows of empty cells), spaces around names and values, header names in any case, and a
``,``, ``;`` or tab delimiter, chosen from the header line. Rows keep the line number a
spreadsheet shows (the header is row 1), so every problem can be found in the file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from ivig_dose.core.errors import InputError
from ivig_dose.core.messages import N_, message
from ivig_dose.core.records import frozen

DELIMITERS = (",", ";", "\t")


@frozen
class Row:
    """One CSV row by column name, with the line a person finds it on in a spreadsheet."""

    #: the line the row starts on, counting the header as line 1 (as a spreadsheet does).
    line: int
    cells: dict[str, str]
    #: why the row cannot be read as a whole (more cells than the header has), else "".
    problem: str = ""

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


class CsvTable:
    """A CSV file with a header row, read one row at a time in constant memory."""

    def __init__(self, lines: Iterator[str], name: str) -> None:
        self.name = name
        self.header_line, header = self._header(lines)
        self.delimiter = max(DELIMITERS, key=header.count) if any(d in header for d in DELIMITERS) else ","
        names = next(csv.reader([header], delimiter=self.delimiter))
        self.columns = tuple(n.strip().lstrip("\ufeff").strip().lower() for n in names)
        seen: set[str] = set()
        for column in self.columns:
            if column and column in seen:
                raise InputError(message(N_("{name}: column {column!r} appears twice in the header; give it once"),
                                         name=name, column=column))
            seen.add(column)
        self._lines = lines

    def _header(self, lines: Iterator[str]) -> tuple[int, str]:
        for line, text in enumerate(lines, start=1):
            if text.strip(" \t\r\n\ufeff,;"):
                return line, text.rstrip("\r\n")
        raise InputError(message(N_("{name} is empty; expected a CSV header row"), name=self.name))

    def require(self, columns: tuple[str, ...], what: str) -> None:
        """Refuses a file without every column ``what`` needs (exit 2: the file is unusable)."""
        missing = [c for c in columns if c not in self.columns]
        if missing:
            found = ", ".join(c for c in self.columns if c) or message(N_("none"))
            raise InputError(message(
                N_("{name}: missing column(s) {missing} for {what}; found: {found}; accepted: a CSV file whose header "
                   "names {columns}"), name=self.name, missing=", ".join(missing), what=what, found=found,
                columns=", ".join(columns)))

    def rows(self) -> Iterator[Row]:
        """Every non-blank row, as ``{column: stripped cell}``; a short row's missing cells are ""."""
        reader = csv.reader(self._lines, delimiter=self.delimiter, strict=True)
        width = len(self.columns)
        end = 0
        while True:
            start = self.header_line + end + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(message(N_("{name}: line {line} is not valid CSV ({problem})"), name=self.name,
                                         line=start, problem=str(exc))) from exc
            end = reader.line_num
            values = [c.strip() for c in cells]
            if not any(values):
                continue
            problem = ""
            if len(values) > width and any(values[width:]):
                problem = message(N_("row has {cells} cells but the header has {width}"), cells=len(values),
                                  width=width)
            yield Row(start, dict(zip(self.columns, values, strict=False)), problem)
