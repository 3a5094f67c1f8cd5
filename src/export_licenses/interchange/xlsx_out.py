"""The store as an Excel workbook: Licenses, Applications and Shipments sheets.

The Licenses sheet has the columns ``import`` reads (headers as "End user" for
end_user) plus what a reader of the sheet wants: the expiry, the filing deadline,
the days left and the level, coloured as on a terminal. Dates are real Excel
dates; text that would start a formula stays text.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from export_licenses.domain.holds import hold_text
from export_licenses.domain.license import LICENSE_KEYS
from export_licenses.domain.rows import APP_ROW_KEYS
from export_licenses.domain.values import quantity_to_toml

from .delimited import FORMULA_START, LIST_SEPARATOR
from .xlsx_in import APPLICATIONS_SHEET, LICENSES_SHEET, SHIPMENTS_SHEET

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from openpyxl.worksheet.worksheet import Worksheet

    from export_licenses.domain.rows import AppRow, Row

# First what a reader looks for, then every other field in the store's order.
_FIRST: Final = (
    "id",
    "number",
    "material",
    "destination",
    "end_user",
    "issued",
    "expires",
    "renew_by",
    "days_left",
    "level",
    "status",
    "quantity",
    "unit",
    "shipped",
)
_TITLES: Final = {"id": "ID", "hs_code": "HS code"}
# Fill and font colours of a level's cell: Excel's own "good/neutral/bad" styles.
_LEVEL_COLOURS: Final = {
    "ok": ("C6EFCE", "006100"),
    "warning": ("FFEB9C", "9C5700"),
    "critical": ("FFC7CE", "9C0006"),
    "expired": ("9C0006", "FFFFFF"),
}
_DATE_FORMAT: Final = "yyyy-mm-dd"
_MAX_WIDTH: Final = 48
_APP_DATES: Final = frozenset({"filed", "accepted", "decision_due", "decided"})


def title(key: str) -> str:
    """end_user -> 'End user': what import reads back as end_user."""
    return _TITLES.get(key) or key.replace("_", " ").capitalize()


def license_columns() -> tuple[str, ...]:
    rest = [k for k in LICENSE_KEYS if k not in _FIRST and k != "shipments"]
    return (*_FIRST, *rest)


def workbook(rows: Sequence[Row], applications: Sequence[AppRow] | None) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 - only export --format xlsx (329 M instructions)

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - for mypy: a new workbook has one sheet
    sheet.title = LICENSES_SHEET
    columns = license_columns()
    _fill(
        sheet, [title(k) for k in columns], (_license_cells(r, columns) for r in rows)
    )
    if applications is not None:
        _fill(
            book.create_sheet(APPLICATIONS_SHEET),
            [title(k) for k in APP_ROW_KEYS],
            (_app_cells(app) for app in applications),
        )
    _fill(
        book.create_sheet(SHIPMENTS_SHEET),
        ["License", "Number", "Date", "Quantity", "Unit", "Note"],
        (
            [r.license.id, r.license.number, s.on, s.quantity, r.license.unit, s.note]
            for r in rows
            for s in r.license.shipments
        ),
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _license_cells(row: Row, columns: Sequence[str]) -> list[Any]:
    lic, verdict = row.license, row.verdict
    computed: dict[str, Any] = {
        "expires": verdict.expires,
        "renew_by": verdict.renew_by,
        "days_left": verdict.days_left,
        "level": verdict.level.value if verdict.level else None,
        "shipped": lic.shipped,
        # false (no renewal expected) is the only value stored; true is the default
        "renewal": None if lic.renewal is None else "yes" if lic.renewal else "no",
        "term_months": row.term_months,
    }
    cells = [computed[k] if k in computed else getattr(lic, k) for k in columns]
    # A general license's end users: one cell, as in CSV ("A; B"), which
    # import splits again; openpyxl has no cell for a tuple.
    return [
        LIST_SEPARATOR.join(value) if isinstance(value, tuple) else value
        for value in cells
    ]


def _app_cells(row: AppRow) -> list[Any]:
    record = row.as_json()
    cells: list[Any] = []
    for key, value in record.items():
        if key in _APP_DATES and value is not None:
            cells.append(date.fromisoformat(value))
        elif isinstance(value, list):
            cells.append(
                "; ".join(
                    hold_text(item) if isinstance(item, dict) else str(item)
                    for item in value
                )
            )
        else:
            cells.append(value)
    return cells


def _fill(sheet: Worksheet, header: list[str], rows: Any) -> None:
    from openpyxl.styles import Font, PatternFill  # noqa: PLC0415 - xlsx only
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 - xlsx only

    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
    widths = [len(name) for name in header]
    level_at = header.index("Level") if "Level" in header else None
    fills = {
        level: (PatternFill("solid", fgColor=fill), Font(color=font, bold=True))
        for level, (fill, font) in _LEVEL_COLOURS.items()
    }
    for n, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(n, column, _cell_value(value))
            _style(cell, value)
            widths[column - 1] = max(widths[column - 1], _width(value))
        if level_at is not None:
            level = sheet.cell(n, level_at + 1)
            if isinstance(level.value, str) and level.value in fills:
                level.fill, level.font = fills[level.value]
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(header))
    sheet.auto_filter.ref = f"A1:{last}{max(sheet.max_row, 2)}"
    for column, width in enumerate(widths, start=1):
        letter = get_column_letter(column)
        # +2: room for the autofilter's drop-down arrow
        sheet.column_dimensions[letter].width = min(width + 2, _MAX_WIDTH)


def _cell_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return quantity_to_toml(value)
    return value


def _style(cell: Any, value: Any) -> None:
    if isinstance(value, date):
        cell.number_format = _DATE_FORMAT
    elif isinstance(value, str) and FORMULA_START.match(value):
        # openpyxl makes any text starting with "=" a formula; this is text, and
        # the quote prefix keeps it text when someone edits the cell in Excel.
        cell.data_type = "s"
        cell.quotePrefix = True


_WIDTHS: Final[dict[type, Callable[[Any], int]]] = {
    date: lambda _: 10,
    bool: lambda _: 5,
}


def _width(value: Any) -> int:
    if value is None:
        return 0
    measure = _WIDTHS.get(type(value))
    if measure is not None:
        return measure(value)
    return max(len(line) for line in str(value).splitlines() or [""])
