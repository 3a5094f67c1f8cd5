"""Excel workbooks in: the licenses of a sheet, with their shipments.

Read with python-calamine (a Rust reader, about 10x faster than openpyxl on
10,000 rows, and 1 ms to import against 80 ms), imported only here, so no other
command pays for it. ``xlsx_out`` writes the workbooks this reads.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from export_licenses.domain.license import LICENSE_KEYS
from export_licenses.domain.value_codecs import DATE, NOTE, QUANTITY, TEXT
from export_licenses.errors import InvalidValue, UsageProblem

from .import_cells import parse_cell, parse_rows
from .import_rows import (
    ErrorCell,
    InvalidImport,
    Parsed,
    Table,
    Where,
    header_of,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

ZIP_MAGIC: Final = b"PK\x03\x04"  # an .xlsx file is a zip archive
LICENSES_SHEET: Final = "Licenses"
SHIPMENTS_SHEET: Final = "Shipments"
APPLICATIONS_SHEET: Final = "Applications"
SHIPMENT_COLUMNS: Final = ("license", "number", "date", "quantity", "unit", "note")


def is_workbook(raw: bytes) -> bool:
    return raw.startswith(ZIP_MAGIC)


class Sheets(NamedTuple):
    source: str  # "q3.xlsx, sheet Licenses"
    parsed: list[Parsed]
    problems: list[tuple[str, str]]  # from the Shipments sheet: (row, message)


def read(
    file: Path, raw: bytes, sheet: str | None, *, dayfirst: bool = False
) -> Sheets:
    """The licenses of one sheet (``sheet``, else "Licenses", else the first),
    with the rows of a "Shipments" sheet attached to them.

    The workbook is checked first (``xlsx_check``): the reader would abort the
    process on a sheet spanning A1:XFD1048576, and reads error cells as empty.
    """
    from python_calamine import CalamineWorkbook  # noqa: PLC0415 - xlsx only (1.9 M instructions)

    from .xlsx_check import InvalidWorkbook, inspect  # noqa: PLC0415 - xlsx only (26 M instructions)

    try:
        checked = inspect(raw)
    except InvalidWorkbook as exc:
        raise InvalidImport(f"{file}: {exc}".splitlines()[0]) from None
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        names: list[str] = list(book.sheet_names)
    except Exception as exc:  # noqa: BLE001 - CalamineError and its kin, on a hostile file
        raise InvalidImport(
            f"{file}: not a readable Excel workbook: {exc}".splitlines()[0]
        ) from None
    if not names:
        raise InvalidImport(f"{file}: the workbook has no sheet")
    name = _sheet_name(file, names, sheet)
    errors = {key: sheet.errors for key, sheet in checked.items()}
    table = _table(file, name, _cells(file, book, name, errors), LICENSE_KEYS)
    parsed = parse_rows(table, dayfirst=dayfirst)
    problems: list[tuple[str, str]] = []
    shipments = _find(names, SHIPMENTS_SHEET)
    if shipments is not None and shipments != name:
        ship_table = _table(
            file, shipments, _cells(file, book, shipments, errors), SHIPMENT_COLUMNS
        )
        problems = _attach_shipments(parsed, ship_table, name, dayfirst=dayfirst)
    return Sheets(f"{file}, sheet {name}", parsed, problems)


def _find(names: Sequence[str], wanted: str) -> str | None:
    return next((n for n in names if n.strip().lower() == wanted.lower()), None)


def _sheet_name(file: Path, names: list[str], asked: str | None) -> str:
    if asked is None:
        return _find(names, LICENSES_SHEET) or names[0]
    found = _find(names, asked)
    if found is None:
        raise UsageProblem(
            f"{file}: no sheet named {asked!r}; its sheets are "
            + ", ".join(repr(n) for n in names)
        )
    return found


def _cells(
    file: Path,
    book: Any,
    name: str,
    errors: Mapping[str, Mapping[tuple[int, int], ErrorCell]],
) -> list[list[object]]:
    # Empty leading rows and columns are kept, so row and column numbers are
    # the ones Excel shows.
    try:
        rows: list[list[object]] = book.get_sheet_by_name(name).to_python(
            skip_empty_area=False
        )
    except Exception as exc:  # noqa: BLE001 - the reader's every failure means one thing
        raise InvalidImport(
            f"{file}, sheet {name}: cannot be read: {exc}".splitlines()[0]
        ) from None
    # The reader gives an error cell as an empty one: put the error back.
    for (row, column), error in errors.get(name, {}).items():
        if row <= len(rows) and column <= len(rows[row - 1]):
            rows[row - 1][column - 1] = error
    return rows


def _table(
    file: Path, name: str, rows: list[list[object]], allowed: Sequence[str]
) -> Table:
    filled = [n for n, row in enumerate(rows) if any(_filled(c) for c in row)]
    if not filled:
        raise InvalidImport(f"{file}, sheet {name}: empty, expected a header row")
    top = filled[0]
    header = header_of(f"{file}, sheet {name}", rows[top], allowed)
    letters = {key: column_letter(n) for n, key in enumerate(header) if key is not None}
    return Table(
        header,
        [(Where(f"sheet {name}, row {n + 1}", letters), rows[n]) for n in filled[1:]],
    )


def _filled(cell: object) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _attach_shipments(
    parsed: list[Parsed], table: Table, licenses_sheet: str, *, dayfirst: bool
) -> list[tuple[str, str]]:
    """Each shipment row joins the license its "license" cell names: the id in
    the licenses sheet, or else the license number."""
    by_key: dict[str, dict[str, Any]] = {}
    for _, fields in parsed:
        if isinstance(fields, dict):
            for key in (fields.get("id"), fields.get("number")):
                if key is not None:
                    by_key.setdefault(str(key).lower(), fields)
    problems: list[tuple[str, str]] = []
    for where, cells in table.rows:
        values = dict(zip(table.header, cells, strict=False))
        try:
            shipment = _shipment(values, dayfirst=dayfirst)
            owner = _owner(by_key, values, licenses_sheet)
        except InvalidValue as exc:
            problems.append((where.row, where.problem(exc.field, exc.message)))
            continue
        owner.setdefault("shipments", []).append(shipment)
    return problems


def _owner(
    by_key: dict[str, dict[str, Any]],
    values: dict[str | None, object],
    licenses_sheet: str,
) -> dict[str, Any]:
    key = parse_cell(
        "license", values.get("license") or values.get("number"), codec=TEXT
    )
    if key is None:
        raise InvalidValue("license", "is missing")
    owner = by_key.get(str(key).lower())
    if owner is None:
        raise InvalidValue("license", f"{key} is no license of sheet {licenses_sheet}")
    return owner


def _shipment(values: dict[str | None, object], *, dayfirst: bool) -> dict[str, Any]:
    day = parse_cell("date", values.get("date"), dayfirst=dayfirst, codec=DATE)
    quantity = parse_cell("quantity", values.get("quantity"), codec=QUANTITY)
    if day is None or quantity is None:
        raise InvalidValue("date" if day is None else "quantity", "is missing")
    note = parse_cell("note", values.get("note"), codec=NOTE)
    return {"on": day, "quantity": quantity} | ({"note": note} if note else {})
