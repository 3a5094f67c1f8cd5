"""Licenses from a spreadsheet: the rows of a CSV file or of a workbook's sheet.

Both give a header and rows of cells; this module reads them the same way. The
columns are the store's field names, in any case, with spaces for underscores
("End user" is end_user). The columns that export computes (renew_by, days_left,
level) are ignored, so an exported file imports as it is.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final

from export_licenses.domain.drawdown import shipments_problem
from export_licenses.domain.license import (
    BY_KEY,
    License,
    Status,
    number_taken,
    numbers_in,
)
from export_licenses.domain.license_table import license_from_table, license_to_table
from export_licenses.domain.months import add_months
from export_licenses.domain.values import (
    DATE,
    QUANTITY,
    RENEWAL,
    check_year,
    parse_date,
    quantity_to_toml,
)
from export_licenses.errors import (
    InvalidValue,
)

from .delimited import unguard
from .import_rows import (
    ErrorCell,
    InvalidImport,
    Parsed,
    Table,
    Where,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from export_licenses.domain.settings import Settings
    from export_licenses.domain.values import Codec
    from export_licenses.storage.store import StoreHead

_DAY_FIRST = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")
# Semicolon CSV comes from locales that write 1.250,5: dots in groups of three are
# thousands, the comma is the decimal point. 12.5 stays 12.5.
_DECIMAL_COMMA = re.compile(r"\d{1,3}(\.\d{3})+(,\d+)?|\d+,\d+")
_YES_NO: Final = {"true": True, "yes": True, "1": True, "false": False, "no": False}
MAX_BAD_ROWS_SHOWN: Final = 50


# --- cells --------------------------------------------------------------------


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


# --- rows -> licenses -----------------------------------------------------------


def licenses_from(
    source: str,
    parsed: list[Parsed],
    head: StoreHead,
    progress: Callable[[int, int], None] | None,
    problems: list[tuple[str, str]] | None = None,
    finish: Callable[[License], License] | None = None,
) -> tuple[License, ...]:
    """The licenses of every row, with new ids, links between them kept; or
    InvalidImport listing every problem (``problems`` may bring more, as (row,
    message) pairs, from another sheet). ``finish`` gives a license given no
    term its default and checks what the store's rules say of it (the cap on
    its kind's term, its authority), raising InvalidValue."""
    found = list(problems or [])
    numbers = {
        number: f"{label} in the store" for number, label in head.numbers.items()
    }
    new_ids: dict[int, int] = {}
    next_id = head.next_id
    drafts: list[tuple[Where, dict[str, Any]]] = []
    for where, fields in parsed:
        if isinstance(fields, list):
            found.extend((where.row, where.problem(e.field, e.message)) for e in fields)
            continue
        old_id = fields.pop("id", None)
        if old_id is not None:
            new_ids[old_id] = next_id + len(drafts)
        drafts.append((where, fields))

    imported: list[License] = []
    for done, (where, fields) in enumerate(drafts, start=1):
        if progress:
            progress(done, len(drafts))
        try:
            settings = None if finish is not None else head.settings
            lic = _license(next_id + done - 1, fields, new_ids, settings)
            if finish is not None:
                lic = finish(lic)
            _check_shipments(lic, head.settings.term_months)
        except InvalidValue as exc:
            found.append((where.row, where.problem(exc.field, exc.message)))
            continue
        taken = number_taken(numbers, lic.number)
        if taken is not None:
            found.append(
                (where.row, where.problem("number", f"{lic.number} is already {taken}"))
            )
            continue
        numbers.update(dict.fromkeys(numbers_in([lic]), f"on {where.row}"))
        imported.append(lic)
    _refuse_if_any(source, found)
    return tuple(imported)


def _refuse_if_any(source: str, problems: list[tuple[str, str]]) -> None:
    if not problems:
        return
    rows = len({row for row, _ in problems})
    shown = [message for _, message in problems[:MAX_BAD_ROWS_SHOWN]]
    if len(problems) > len(shown):
        shown.append(f"... and {len(problems) - len(shown)} more")
    raise InvalidImport(
        f"{source}: {rows} invalid row{'s' * (rows != 1)}; nothing was imported",
        tuple(shown),
    )


def _license(
    new_id: int,
    fields: dict[str, Any],
    new_ids: dict[int, int],
    settings: Settings | None,
) -> License:
    """One row's license; with no ``settings``, one given no term keeps none
    (``finish`` gives it its authority's)."""
    for required in ("material", "destination", "issued"):
        if required not in fields:
            raise InvalidValue(required, "is missing")
    for link in ("renews", "superseded_by"):
        if link in fields:
            if fields[link] not in new_ids:
                raise InvalidValue(
                    link,
                    f"license {fields[link]} is not in this file "
                    "(export --all writes the licenses no longer active too)",
                )
            fields[link] = new_ids[fields[link]]
            if fields[link] == new_id:
                raise InvalidValue(link, "is the license itself")
    _one_expiry(fields)
    if "term_months" not in fields and "expires" not in fields and settings:
        fields["term_months"] = settings.term_months
    shipments = fields.pop("shipments", [])
    table = license_to_table(License(id=new_id, **fields)) | {
        "shipments": [
            {**item, "quantity": quantity_to_toml(item["quantity"])}
            for item in shipments
        ]
    }
    lic = license_from_table(table)
    if lic.status == Status.RENEWED and lic.superseded_by is None:
        raise InvalidValue(
            "superseded_by", "is missing: a renewed license names its renewal"
        )
    return lic


def _check_shipments(lic: License, default_term_months: int) -> None:
    problem = shipments_problem(lic, default_term_months)
    if problem is not None:  # what ship refuses, import refuses too
        raise InvalidValue(problem.field, f"{problem.message} (shipments)")


def _one_expiry(fields: dict[str, Any]) -> None:
    """A sheet may give both the term and the expiry it leads to (export writes
    both): the term is kept when they agree; when they do not, which is meant?"""
    if "term_months" not in fields or "expires" not in fields:
        return
    term, expires = fields["term_months"], fields["expires"]
    follows = add_months(fields["issued"], term)
    if expires != follows:
        raise InvalidValue(
            "expires",
            f"{expires} is not {term} months after issued {fields['issued']} "
            f"({follows}); give term_months or expires, or make them agree",
        )
    del fields["expires"]
