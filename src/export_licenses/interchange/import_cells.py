"""An import's cells read as the store's values: each cell by its field's own
parser, with the ways a spreadsheet writes that the store does not — date cells,
numbers as numbers, day-first dates, decimal commas, yes/no, shipments as JSON,
and the quote export puts before a cell that would start a formula. The same
for a CSV file's rows (``import_rows``) and a workbook's (``xlsx_in``); what
the typed rows become is ``intake``'s.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final

from export_licenses.domain.license import BY_KEY
from export_licenses.domain.value_codecs import DATE, QUANTITY, RENEWAL
from export_licenses.domain.values import check_year, parse_date
from export_licenses.errors import InvalidValue

from .delimited import unguard
from .import_rows import ErrorCell, Parsed, Table

if TYPE_CHECKING:
    from collections.abc import Sequence

    from export_licenses.domain.value_codecs import Codec

_DAY_FIRST = re.compile(r"([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{4})")
# Semicolon CSV comes from locales that write 1.250,5: dots in groups of three are
# thousands, the comma is the decimal point. 12.5 stays 12.5.
_DECIMAL_COMMA = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?|[0-9]+,[0-9]+")
_YES_NO: Final = {"true": True, "yes": True, "1": True, "false": False, "no": False}


def parse_rows(table: Table, *, dayfirst: bool = False) -> list[Parsed]:
    """Each row's typed values, or every problem in it."""
    return [
        (where, _parse_row(cells, table, dayfirst=dayfirst))
        for where, cells in table.rows
    ]


def _parse_row(
    cells: Sequence[object], table: Table, *, dayfirst: bool
) -> dict[str, Any] | list[InvalidValue]:
    header = table.header
    extra = [cell for cell in cells[len(header) :] if cell not in {None, ""}]
    if extra:
        return [InvalidValue("row", f"{len(cells)} cells but {len(header)} columns")]
    fields: dict[str, Any] = {}
    problems: list[InvalidValue] = []
    for name, cell in zip(header, cells, strict=False):
        if name is None:
            continue
        try:
            value = parse_cell(
                name,
                cell,
                dayfirst=dayfirst,
                decimal_comma=table.decimal_comma,
                quoted=table.quoted,
            )
        except InvalidValue as exc:
            problems.append(exc)
            continue
        if value is not None:
            fields[name] = value
    return problems or fields


def parse_cell(
    name: str,
    cell: object,
    *,
    dayfirst: bool = False,
    decimal_comma: bool = False,
    quoted: bool = False,
    codec: Codec | None = None,
) -> Any:
    """A cell as a person typed it (or a workbook typed it), read by its field's
    own parser; None for an empty cell.

    Spreadsheets add ways of writing: date cells, numbers as numbers, day-first
    dates, decimal commas, yes/no, shipments as JSON, and the quote that export
    puts before a cell that would start a formula.
    """
    codec = codec or BY_KEY[name].codec
    typed = _typed(name, cell)
    if isinstance(typed, date):
        if codec is DATE:
            return check_year(name, typed)
        typed = typed.isoformat()
    text = typed.strip()
    text = unguard(text) if quoted else text
    if not text:
        return None
    if codec is DATE:
        return _parse_date(name, text, dayfirst=dayfirst)
    if codec is QUANTITY and decimal_comma and _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(".", "").replace(",", ".")
    if codec is RENEWAL:
        if text.lower() not in _YES_NO:
            raise InvalidValue(name, f"expected true or false, got {text!r}")
        return None if _YES_NO[text.lower()] else False  # true is the default
    if name == "shipments":
        return _parse_shipments(text)
    return codec.parse(name, text)


def _typed(name: str, cell: object) -> date | str:
    """A workbook's cell (a date, a number, a boolean) as a date or as text."""
    if isinstance(cell, ErrorCell):
        if cell.text.startswith("="):
            raise InvalidValue(
                name,
                f"the cell holds the formula {cell.text} but no value (the program "
                "that wrote the file did not compute it: open and save the file "
                "in a spreadsheet)",
            )
        raise InvalidValue(name, f"the cell holds the error {cell.text}, not a value")
    if isinstance(cell, datetime):
        return cell.date()  # a date cell with a time of day: the day is what counts
    if isinstance(cell, date):
        return cell
    if isinstance(cell, bool):
        return str(cell).lower()
    if isinstance(cell, int | float):
        return str(int(cell)) if float(cell).is_integer() else repr(cell)
    return "" if cell is None else str(cell)


def _parse_date(name: str, text: str, *, dayfirst: bool) -> date:
    found = _DAY_FIRST.fullmatch(text) if dayfirst else None
    if not found:
        return parse_date(name, text)
    day, month, year = (int(part) for part in found.groups())
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise InvalidValue(name, f"{text!r} is not a day of the calendar") from None
    return check_year(name, parsed)


def _parse_shipments(text: str) -> list[dict[str, Any]]:
    """Shipments as export writes them: a JSON list of {"on", "quantity"}
    objects (and "note"); each value checked as the store checks it."""
    problem = InvalidValue(
        "shipments", 'expected JSON such as [{"on": "2026-01-05", "quantity": 100}]'
    )
    try:
        items = json.loads(text)
    except (ValueError, RecursionError):
        raise problem from None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise problem
    shipments = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item.get("on"), str) or "quantity" not in item:
            raise problem
        shipments.append(
            {
                **item,
                "on": parse_date(f"shipments #{n} on", item["on"]),
                "quantity": QUANTITY.parse(
                    f"shipments #{n} quantity", str(item["quantity"])
                ),
            }
        )
    return shipments
