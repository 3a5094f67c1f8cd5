"""Import from CSV and workbooks, and export: the store's side of ``intake``,
``interchange.xlsx_in`` and ``interchange.exports``.

The service side of ``cli/transfer.py``: here the store is read for an export or
written by an import; the command parses the options and says what was done,
``interchange`` has the formats.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from export_licenses.domain.review import ahead_of
from export_licenses.errors import (
    FieldProblem,
    InvalidValue,
)
from export_licenses.interchange import (
    exports,
    import_cells,
    import_rows,
    intake,
    xlsx_in,
)
from export_licenses.storage import fsio, store

from . import journal
from .common import Pipeline, not_yet, rows_for
from .law import known_authority, with_term

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date
    from pathlib import Path

    from export_licenses.domain.license import License
    from export_licenses.domain.store_data import StoreData


class ImportResult(NamedTuple):
    imported: tuple[License, ...]
    dry_run: bool


def import_file(
    path: Path,
    file: Path,
    *,
    sheet: str | None = None,
    dayfirst: bool = False,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    today: date,
) -> ImportResult:
    """All or nothing: validate every row, then append them all in one write.

    A workbook (an .xlsx file, known by its content) or CSV; ``sheet`` names the
    workbook's sheet of licenses.
    """
    raw = import_rows.read_import(file)
    if xlsx_in.is_workbook(raw):
        sheets = xlsx_in.read(file, raw, sheet, dayfirst=dayfirst)
        source, parsed, problems = sheets.source, sheets.parsed, sheets.problems
    elif sheet is not None:
        raise FieldProblem("sheet", f"is for a workbook (.xlsx), not CSV ({file})")
    else:
        source, problems = str(file), []
        parsed = import_cells.parse_rows(
            import_rows.read_csv(file, raw), dayfirst=dayfirst
        )

    def build(data: StoreData) -> tuple[tuple[License, ...], tuple[License, ...]]:
        head = store.StoreHead.of(data)
        licenses = intake.licenses_from(
            source, parsed, head, progress, problems, finish=_finisher(data, today)
        )
        return licenses, licenses

    if dry_run:
        data = store.read_or_empty(path)
        return ImportResult(
            intake.licenses_from(
                source,
                parsed,
                store.StoreHead.of(data),
                progress,
                problems,
                finish=_finisher(data, today),
            ),
            dry_run=True,
        )
    added = store.append(
        path,
        build,
        create=True,
        record=lambda licenses: journal.imported(licenses, file.name),
    )
    return ImportResult(added, dry_run=False)


def _finisher(data: StoreData, today: date) -> Callable[[License], License]:
    """An imported license as ``add`` makes one: its authority as the profile
    spells it, its authority's term when it gives none, its kind's cap
    (Order 792 art. 15) kept, no issue or shipment day after today (as add
    and ship refuse them); a problem names the field (InvalidValue)."""

    def finish(lic: License) -> License:
        if ahead_of(lic.issued, today):
            raise InvalidValue("issued", not_yet(lic.issued, today))
        for number, shipment in enumerate(lic.shipments, start=1):
            if ahead_of(shipment.on, today):
                raise InvalidValue(
                    f"shipments #{number} on", not_yet(shipment.on, today)
                )
        try:
            named = lic._replace(authority=known_authority(data, lic.authority))
            return with_term(data, named)
        except FieldProblem as exc:
            raise InvalidValue(exc.fields[0], exc.message) from None

    return finish


def export(
    path: Path,
    fmt: str,
    *,
    include_all: bool,
    today: date,
    remind_days: int,
    output: Path | None = None,
) -> tuple[str | bytes | None, int]:
    """The store's licenses as ``fmt`` (json, csv, ics: text; xlsx: bytes), and
    how many; with ``output``, written there (``fsio.write_output``), and None in the
    content's place."""
    content, count = _exported(
        path, fmt, include_all=include_all, today=today, remind_days=remind_days
    )
    if output is None:
        return content, count
    fsio.write_output(output, content, store=path)
    return None, count


def _exported(
    path: Path, fmt: str, *, include_all: bool, today: date, remind_days: int
) -> tuple[str | bytes, int]:
    """The store's licenses as ``fmt``, and how many."""
    data = store.read(path).on(today)
    licenses = [lic for lic in data.licenses if include_all or lic.active]
    if fmt == "xlsx":
        from export_licenses.interchange.xlsx_out import workbook  # noqa: PLC0415 - xlsx only (16 M instructions)

        context = Pipeline.of(data, today)
        # The sheet is there once the store has applications, empty or not.
        applications = (
            [
                context.assess(a, today)
                for a in data.applications
                if include_all or a.pending
            ]
            if data.applications
            else None
        )
        # In the store's order, as CSV: imported into an empty store, each
        # license gets its id back.
        place = {lic.id: n for n, lic in enumerate(licenses)}
        rows = sorted(
            rows_for(data, today, licenses, context=context),
            key=lambda row: place[row.license.id],
        )
        return workbook(rows, applications), len(licenses)
    if fmt == "ics":
        text = exports.to_ics(
            rows_for(data, today, licenses), today, remind_days, data.settings
        )
    elif fmt == "csv":
        text = exports.to_csv(licenses)
    else:
        text = exports.to_json(licenses)
    return text, len(licenses)
