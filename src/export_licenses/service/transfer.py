"""Import from CSV and export: the store's side of ``interchange``."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from export_licenses import fsio, interchange, store
from export_licenses.errors import StoreIOError

from . import journal
from .common import rows_for

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date
    from pathlib import Path

    from export_licenses.model import License
    from export_licenses.store import StoreHead


class ImportResult(NamedTuple):
    imported: tuple[License, ...]
    dry_run: bool


def import_csv(
    path: Path,
    file: Path,
    *,
    dayfirst: bool = False,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """All or nothing: validate every row, then append them all in one write."""
    parsed = interchange.read_rows(file, dayfirst=dayfirst)

    def build(head: StoreHead) -> tuple[tuple[License, ...], tuple[License, ...]]:
        licenses = interchange.licenses_from(file, parsed, head, progress)
        return licenses, licenses

    if dry_run:
        return ImportResult(build(store.head(path))[1], dry_run=True)
    added = store.append(
        path,
        build,
        create=True,
        record=lambda licenses: journal.imported(licenses, file.name),
    )
    return ImportResult(added, dry_run=False)


def export(
    path: Path, fmt: str, *, include_all: bool, today: date, remind_days: int
) -> tuple[str, int]:
    """The store's licenses as ``fmt`` (json, csv or ics) text, and how many."""
    data = store.read(path)
    licenses = [lic for lic in data.licenses if include_all or lic.active]
    if fmt == "ics":
        text = interchange.to_ics(rows_for(data, today, licenses), today, remind_days)
    elif fmt == "csv":
        text = interchange.to_csv(licenses)
    else:
        text = interchange.to_json(licenses)
    return text, len(licenses)


def write_file(target: Path, text: str) -> None:
    """Write an export atomically, like the store: never half a file."""
    try:
        fsio.write_atomic(target, text)
    except OSError as exc:
        raise StoreIOError(f"{target}: cannot write: {exc.strerror or exc}") from None
