"""The rows of an import file as a header and cells: CSV read here, a workbook's
sheet in xlsx_in. Reads are bounded (MAX_IMPORT_BYTES) and never wait on a FIFO;
intake turns the cells into licenses.
"""

from __future__ import annotations

import csv
import io
import os
import re
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from export_licenses.domain.license import LICENSE_KEYS
from export_licenses.errors import (
    InvalidStore,
    InvalidValue,
    StoreIOError,
    UsageProblem,
)
from export_licenses.storage import fsio

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

# Computed by export (the Licenses sheet of a workbook has them): read past.
DERIVED_COLUMNS: Final = frozenset({"renew_by", "days_left", "level", "shipped"})
# About 500,000 licenses as CSV: an import is read whole, so it is bounded.
MAX_IMPORT_BYTES: Final = 128 * 2**20


class InvalidImport(InvalidStore):
    """Rows of an import file are invalid; nothing was imported (exit 65)."""


class ErrorCell(NamedTuple):
    """A workbook cell that holds an error (``#DIV/0!``) instead of a value."""

    text: str

    def __str__(self) -> str:
        return self.text


def read_import(file: Path) -> bytes:
    """The bytes of a file to import, read whole but never beyond
    MAX_IMPORT_BYTES; a FIFO or a device is refused at once, never waited on
    nor read without end."""
    try:
        fd = fsio.open_regular(file)
    except (FileNotFoundError, NotADirectoryError):
        raise UsageProblem(f"{file}: no such file") from None
    except fsio.NotARegularFile as exc:
        raise StoreIOError(
            f"{file}: is {exc.what}, not a regular file; nothing imported"
        ) from None
    except OSError as exc:
        raise StoreIOError(f"{file}: cannot read: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise StoreIOError(f"{file}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_IMPORT_BYTES:
        raise InvalidImport(
            f"{file}: larger than the {MAX_IMPORT_BYTES:,} bytes an import may "
            "have; import it in parts"
        )
    return raw


class Where(NamedTuple):
    """A row's place, as its problems name it."""

    row: str  # "line 4" in CSV, "sheet Licenses, row 4" in a workbook
    columns: Mapping[str, str] = {}  # field -> column letter, in a workbook

    def problem(self, field: str, message: str) -> str:
        column = self.columns.get(field)
        return f"{self.row}{f', column {column}' if column else ''}: {field}: {message}"


class Table(NamedTuple):
    """A header (field names; None for a column read past) and its rows."""

    header: list[str | None]
    rows: list[tuple[Where, Sequence[object]]]
    decimal_comma: bool = False
    quoted: bool = False  # CSV: a quote before a formula's sign is export's guard


Parsed = tuple[Where, dict[str, Any] | list[InvalidValue]]


def column_key(name: object) -> str:
    """'End user ' -> 'end_user': headers as people type them."""
    return re.sub(r"[\s-]+", "_", str(name or "").strip().lower())


def header_of(
    source: str, names: Sequence[object], allowed: Sequence[str]
) -> list[str | None]:
    """The field of each column; every unknown or doubled name is refused."""
    keys = [column_key(name) for name in names]
    while keys and not keys[-1]:  # empty trailing header cells
        keys.pop()
    unknown = [
        str(names[n]).strip() or f"(empty, column {n + 1})"
        for n, key in enumerate(keys)
        if key not in allowed and key not in DERIVED_COLUMNS
    ]
    if unknown:
        raise InvalidImport(
            f"{source}: unknown column{'s' * (len(unknown) > 1)} "
            f"{', '.join(repr(name) for name in unknown)}; "
            f"columns are the store's field names: {', '.join(allowed)}"
        )
    doubled = sorted({key for key in keys if keys.count(key) > 1})
    if doubled:
        raise InvalidImport(f"{source}: column {', '.join(doubled)} appears twice")
    return [None if key in DERIVED_COLUMNS else key for key in keys]


# --- CSV ----------------------------------------------------------------------


def read_csv(file: Path, raw: bytes) -> Table:
    text = _text(file, raw)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = header_of(str(file), next(reader), LICENSE_KEYS)
    except StopIteration:
        raise InvalidImport(f"{file}: empty file, expected a header row") from None
    except csv.Error as exc:  # a field over 131,072 characters, a NUL byte
        raise InvalidImport(f"{file}: line {reader.line_num}: {exc}") from None
    rows: list[tuple[Where, Sequence[object]]] = []
    try:
        while True:
            line = reader.line_num + 1
            cells = next(reader)
            if any(cell.strip() for cell in cells):
                rows.append((Where(f"line {line}"), cells))
    except StopIteration:
        pass
    except csv.Error as exc:
        raise InvalidImport(f"{file}: line {reader.line_num}: {exc}") from None
    return Table(header, rows, decimal_comma=delimiter == ";", quoted=True)


def _text(file: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")  # the BOM spreadsheets put first, if any
    except UnicodeDecodeError as exc:
        raise InvalidImport(
            f"{file}: not UTF-8 text (bad byte at offset {exc.start}); "
            "save the spreadsheet as 'CSV UTF-8'"
        ) from None
