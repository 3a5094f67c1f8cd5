"""Import from spreadsheets' CSV, export to JSON, CSV and iCalendar.

CSV columns are the store's field names, so ``export --format csv`` writes exactly
what ``import`` reads, and export -> import into an empty store gives the same
licenses (with new ids; ``renews``/``superseded_by`` follow them).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from .errors import InvalidStore, InvalidValue, StoreIOError, UsageProblem
from .model import (
    BY_KEY,
    LICENSE_KEYS,
    License,
    Status,
    license_from_table,
    license_to_table,
    number_taken,
    numbers_in,
)
from .values import DATE, QUANTITY, check_year, parse_date, quantity_to_toml

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path

    from .rows import Row
    from .settings import Settings
    from .store import StoreHead

# The CSV columns, in order: every field of a license, shipments as JSON.
CSV_COLUMNS: Final = LICENSE_KEYS
_DAY_FIRST = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")
# Semicolon CSV comes from locales that write 1.250,5: dots in groups of three are
# thousands, the comma is the decimal point. 12.5 stays 12.5.
_DECIMAL_COMMA = re.compile(r"\d{1,3}(\.\d{3})+(,\d+)?|\d+,\d+")
MAX_BAD_ROWS_SHOWN: Final = 50


class InvalidImport(InvalidStore):
    """Rows of an import file are invalid; nothing was imported (exit 65)."""


# --- import -----------------------------------------------------------------


def read_rows(
    file: Path, *, dayfirst: bool = False
) -> list[tuple[int, dict[str, Any] | list[InvalidValue]]]:
    """Each row's line and typed values (or every problem in it)."""
    header, rows, delimiter = _read_csv(file)
    return [
        (
            line,
            _parse_row(
                cells, header, dayfirst=dayfirst, decimal_comma=delimiter == ";"
            ),
        )
        for line, cells in rows
    ]


def _read_csv(file: Path) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    text = _text(file)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise InvalidImport(f"{file}: empty file, expected a header row") from None
    unknown = [name for name in header if name not in CSV_COLUMNS]
    if unknown:
        raise InvalidImport(
            f"{file}: unknown column{'s' * (len(unknown) > 1)} "
            f"{', '.join(repr(name) for name in unknown)}; "
            f"columns are the store's field names: {', '.join(CSV_COLUMNS)}"
        )
    doubled = sorted({name for name in header if header.count(name) > 1})
    if doubled:
        raise InvalidImport(f"{file}: column {', '.join(doubled)} appears twice")
    rows: list[tuple[int, list[str]]] = []
    try:
        while True:
            line = reader.line_num + 1
            cells = next(reader)
            if any(cell.strip() for cell in cells):
                rows.append((line, cells))
    except StopIteration:
        pass
    except csv.Error as exc:
        raise InvalidImport(f"{file}: line {reader.line_num}: {exc}") from None
    return header, rows, delimiter


def _text(file: Path) -> str:
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise UsageProblem(f"{file}: no such file") from None
    except OSError as exc:
        raise StoreIOError(f"{file}: cannot read: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")  # the BOM spreadsheets put first, if any
    except UnicodeDecodeError as exc:
        raise InvalidImport(
            f"{file}: not UTF-8 text (bad byte at offset {exc.start}); "
            "save the spreadsheet as 'CSV UTF-8'"
        ) from None


def _parse_row(
    cells: list[str], header: list[str], *, dayfirst: bool, decimal_comma: bool
) -> dict[str, Any] | list[InvalidValue]:
    """The row's typed values, or every problem in it."""
    if len(cells) > len(header):
        return [InvalidValue("row", f"{len(cells)} cells but {len(header)} columns")]
    fields: dict[str, Any] = {}
    problems: list[InvalidValue] = []
    for name, cell in zip(header, cells, strict=False):
        text = cell.strip()
        if not text:
            continue
        try:
            fields[name] = _parse_cell(name, text, dayfirst, decimal_comma)
        except InvalidValue as exc:
            problems.append(exc)
    return problems or fields


def _parse_cell(name: str, text: str, dayfirst: bool, decimal_comma: bool) -> Any:
    """A cell as a person typed it, read by its field's own parser.

    Spreadsheets add three ways of writing: day-first dates, decimal commas, and
    shipments as JSON text.
    """
    codec = BY_KEY[name].codec
    if codec is DATE:
        return _parse_cell_date(name, text, dayfirst)
    if codec is QUANTITY and decimal_comma and _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(".", "").replace(",", ".")
    if name == "shipments":
        return _parse_shipments(text)
    return codec.parse(name, text)


def _parse_cell_date(name: str, text: str, dayfirst: bool) -> date:
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
    try:
        items = json.loads(text)
        return [
            {
                **item,
                "on": date.fromisoformat(item["on"]),
                "quantity": Decimal(str(item["quantity"])),
            }
            for item in items
        ]
    except (ValueError, TypeError, KeyError, ArithmeticError):
        raise InvalidValue(
            "shipments",
            'expected JSON such as [{"on": "2026-01-05", "quantity": 100}]',
        ) from None


def licenses_from(
    file: Path,
    parsed: list[tuple[int, dict[str, Any] | list[InvalidValue]]],
    head: StoreHead,
    progress: Callable[[int, int], None] | None,
) -> tuple[License, ...]:
    problems: list[str] = []
    numbers = {
        number: f"{label} in the store" for number, label in head.numbers.items()
    }
    new_ids: dict[int, int] = {}
    next_id = head.next_id
    drafts: list[tuple[int, dict[str, Any]]] = []
    for line, fields in parsed:
        if isinstance(fields, list):
            problems.extend(
                f"line {line}: {exc.field}: {exc.message}" for exc in fields
            )
            continue
        old_id = fields.pop("id", None)
        if old_id is not None:
            new_ids[old_id] = next_id + len(drafts)
        drafts.append((line, fields))

    imported: list[License] = []
    for done, (line, fields) in enumerate(drafts, start=1):
        if progress:
            progress(done, len(drafts))
        try:
            lic = _license(next_id + done - 1, fields, new_ids, head.settings)
        except InvalidValue as exc:
            problems.append(f"line {line}: {exc.field}: {exc.message}")
            continue
        taken = number_taken(numbers, lic.number)
        if taken is not None:
            problems.append(f"line {line}: number: {lic.number} is already {taken}")
            continue
        numbers.update(dict.fromkeys(numbers_in([lic]), f"on line {line}"))
        imported.append(lic)
    _refuse_if_any(file, problems)
    return tuple(imported)


def _refuse_if_any(file: Path, problems: list[str]) -> None:
    """Each problem reads 'line N: field: message'."""
    if not problems:
        return
    rows = len({problem.split(":", 1)[0] for problem in problems})
    shown = problems[:MAX_BAD_ROWS_SHOWN]
    if len(problems) > len(shown):
        shown.append(f"... and {len(problems) - len(shown)} more")
    raise InvalidImport(
        f"{file}: {rows} invalid row{'s' * (rows != 1)}; nothing was imported",
        tuple(shown),
    )


def _license(
    new_id: int, fields: dict[str, Any], new_ids: dict[int, int], settings: Settings
) -> License:
    for required in ("material", "destination", "issued"):
        if required not in fields:
            raise InvalidValue(required, "is missing")
    for link in ("renews", "superseded_by"):
        if link in fields:
            if fields[link] not in new_ids:
                raise InvalidValue(link, f"license {fields[link]} is not in this file")
            fields[link] = new_ids[fields[link]]
    if "term_months" not in fields and "expires" not in fields:
        fields["term_months"] = settings.term_months
    shipments = fields.pop("shipments", [])
    table = license_to_table(License(id=new_id, **fields)) | {
        "shipments": [
            {**item, "quantity": quantity_to_toml(item["quantity"])}
            for item in shipments
        ]
    }
    return license_from_table(table)


# --- export -----------------------------------------------------------------


def to_json(licenses: Iterable[License]) -> str:
    """Full records: every field (null when empty), the keys written by hand too."""
    return (
        json.dumps([_record(lic) for lic in licenses], indent=2, ensure_ascii=False)
        + "\n"
    )


def _record(lic: License) -> dict[str, Any]:
    table = license_to_table(lic)
    record: dict[str, Any] = {key: _plain(table.get(key)) for key in LICENSE_KEYS}
    record["shipments"] = [_plain(item) for item in table.get("shipments", [])]
    record.update((key, _plain(value)) for key, value in lic.extra.items())
    return record


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def to_csv(licenses: Iterable[License]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for lic in licenses:
        record = _record(lic)
        record["shipments"] = (
            json.dumps(record["shipments"], ensure_ascii=False)
            if lic.shipments
            else None
        )
        writer.writerow(
            ["" if record[key] is None else record[key] for key in CSV_COLUMNS]
        )
    return out.getvalue()


def to_ics(rows: Iterable[Row], today: date, remind_days: int) -> str:
    """An all-day event on each active license's expiry and renewal deadline."""
    import icalendar  # noqa: PLC0415 - only `export --format ics` needs it

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//export-licenses//licenses//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Export licenses")
    stamp = datetime.combine(today, time(0, 0), tzinfo=UTC)
    for row in rows:
        lic, expires, deadline = row.license, row.verdict.expires, row.verdict.renew_by
        if not lic.active:
            continue
        name = f"{lic.label()}: {lic.material} to {lic.destination}"
        events = [("expires", expires, f"Expires: {name}", "last valid day")]
        if lic.status == Status.ACTIVE and deadline is not None:
            events.append(
                (
                    "renew-by",
                    deadline,
                    f"File renewal: {name}",
                    f"license expires {expires}",
                )
            )
        for kind, day, summary, description in events:
            event = icalendar.Event()
            event.add("uid", _uid(lic, kind))
            event.add("dtstamp", stamp)
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            event.add("summary", summary)
            event.add("description", f"{description}; {lic.number or 'no number'}")
            event.add("transp", "TRANSPARENT")
            if remind_days > 0:
                alarm = icalendar.Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", summary)
                alarm.add("trigger", timedelta(days=-remind_days))
                event.add_component(alarm)
            calendar.add_component(event)
    text: str = calendar.to_ical().decode("utf-8")
    return text


def _uid(lic: License, kind: str) -> str:
    """Stable across exports: calendars update the event instead of adding one."""
    seed = f"{lic.id}|{lic.issued}|{lic.destination}".encode()
    digest = hashlib.sha256(seed).hexdigest()[:12]
    return f"license-{lic.id}-{kind}-{digest}@export-licenses"
