"""Reading a clinic's CSV: file-level checks, the header, then rows streamed one at a time.

The file is never decoded or parsed whole: a 100,000-row file costs the memory of one read
buffer, whatever its size. What spreadsheets produce is accepted (UTF-8 with or without BOM,
Windows line endings, quoted fields with commas, trailing blank lines, spaces around cells);
everything else gets a message saying what to change.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from tracker.text_checks import control_character, control_message, printable

UTF8_HINT = "save it as 'CSV UTF-8 (comma delimited)'"


@dataclass(frozen=True)
class Problem:
    """One problem, printed as `row N, column C: message` (row 0 is the header).

    `row=None` is a problem with the file as a whole; `column=""` one with a whole row.
    """

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return f"file: {self.message}"
        if self.column:
            return f"row {self.row}, column {self.column}: {self.message}"
        return f"row {self.row}: {self.message}"

    def as_json(self) -> list:
        return [self.row, self.column, self.message]


class FileRejected(Exception):
    """The file cannot be read as a CSV of this kind at all; `problems` says why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def size_text(size: int) -> str:
    """'20.0 MB', or '1,536 bytes' below a megabyte."""
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{size:,} bytes"


def check_size(size: int, limit: int | None) -> None:
    if limit is not None and size > limit:
        raise FileRejected(
            [Problem(None, "", f"the file is {size_text(size)}, over the limit of {size_text(limit)}; split it")]
        )


def check_utf8(stream: BinaryIO, block: int = 1 << 20) -> None:
    """Fail on the first byte that is not UTF-8, naming its line; one pass, one block of memory."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, offset = 1, 0
    while True:
        data = stream.read(block)
        try:
            decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            bad = offset + exc.start
            stream.seek(0)
            line += _count_newlines(stream, bad)
            stream.seek(0)
            raise FileRejected(
                [Problem(None, "", f"the file is not UTF-8 text (line {line}, byte {bad + 1}); {UTF8_HINT}")]
            ) from None
        if not data:
            break
        offset += len(data)
    stream.seek(0)


def _count_newlines(stream: BinaryIO, upto: int) -> int:
    count, read = 0, 0
    while read < upto:
        data = stream.read(min(1 << 20, upto - read))
        if not data:
            break
        count += data.count(b"\n")
        read += len(data)
    return count


@dataclass(frozen=True)
class Header:
    """The header's column names, in file order, lower-cased and stripped."""

    columns: tuple[str, ...]


def check_header(raw: list[str], *, required: tuple[str, ...], optional: tuple[str, ...]) -> Header:
    """The header, or FileRejected listing every duplicated, unknown and missing column."""
    names = [printable(cell).strip().lower() for cell in raw]
    while names and not names[-1]:
        names.pop()
    allowed = required + optional
    problems: list[Problem] = []
    seen: set[str] = set()
    for position, name in enumerate(names, start=1):
        if not name:
            problems.append(Problem(0, f"#{position}", "the header cell is blank; name the column or delete it"))
        elif name in seen:
            problems.append(Problem(0, name, "the column appears twice; keep one"))
        elif name not in allowed:
            problems.append(Problem(0, name, f"unknown column; allowed: {', '.join(allowed)}"))
        seen.add(name)
    for name in required:
        if name not in seen:
            problems.append(Problem(0, name, "required column is missing"))
    if problems:
        raise FileRejected(problems)
    return Header(tuple(names))


class CsvRows:
    """The data rows of a CSV file as (row number, {column: stripped text}).

    Row numbers count data records from 1 (the header is row 0), blank records included, so
    they match the spreadsheet's row numbers minus one. Blank records are yielded with an
    empty dict so callers can skip them without renumbering.
    """

    def __init__(self, stream: BinaryIO, *, required: tuple[str, ...], optional: tuple[str, ...]):
        self._text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        self._reader = csv.reader(self._text, strict=True)
        raw = self._first_record()
        if raw is None:
            raise FileRejected(
                [Problem(0, "", f"the file is empty; the first row must be the header: {', '.join(required)}")]
            )
        self.header = check_header(raw, required=required, optional=optional)

    def _first_record(self) -> list[str] | None:
        for raw in self._read():
            if any(cell.strip() for cell in raw):
                return raw
        return None

    def _read(self) -> Iterator[list[str]]:
        try:
            yield from self._reader
        except csv.Error as exc:
            raise FileRejected(
                [Problem(self._reader.line_num, "", f"the CSV cannot be read ({exc}); check the quotes")]
            ) from None

    def __iter__(self) -> Iterator[tuple[int, dict[str, str] | None, str | tuple[str, str]]]:
        """(row number, cells or None for a blank row, problem or '').

        A problem is a text about the whole row, or (column, text) for one cell: a control
        character (a NUL byte above all), shown in the returned cells as U+FFFD.
        """
        columns = self.header.columns
        width = len(columns)
        number = 0
        for raw in self._read():
            number += 1
            cells = [cell.strip() for cell in raw]
            if not any(cells):
                yield number, None, ""
                continue
            if len(cells) > width and any(cells[width:]):
                yield number, None, f"the row has {len(cells)} cells but the header names {width} columns"
                continue
            row = dict(zip(columns, cells + [""] * (width - len(cells)), strict=False))
            bad = next(
                ((name, code) for name, text in row.items() if (code := control_character(text, multiline=True))), None
            )
            if bad:
                yield number, {name: printable(text) for name, text in row.items()}, (bad[0], control_message(bad[1]))
                continue
            yield number, row, ""


def open_rows(stream: BinaryIO, *, size: int, limit: int | None, required, optional) -> CsvRows:
    """Check size and encoding, read the header; raise FileRejected when the file is unusable."""
    check_size(size, limit)
    check_utf8(stream)
    return CsvRows(stream, required=tuple(required), optional=tuple(optional))
