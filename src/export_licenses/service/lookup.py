"""Records found by the key a person types, with their verdicts: ``show``'s
licenses and applications.

A key is a license's id, its number (any case, or a part only one has) or an
application's id (A1). List, due and warn, which read every record, are
``reports.py`` (their commands in ``cli/reports.py`` and ``cli/monitor.py``);
they never load this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from export_licenses.domain.application import Application
from export_licenses.storage import store_read

from .common import Pipeline, row_for
from .common import find as find_license
from .keys import find_record

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from export_licenses.domain.rows import AppRow, Row


def lookup_all(path: Path, today: date, keys: list[str]) -> list[Row | AppRow]:
    """Licenses by id or number, or applications by their id (A1, any case),
    in the order asked, from one read of the store (see ``keys.py``: an
    ``A3`` that is both an application's id and a license's number is
    refused, naming both)."""
    data = store_read.read(path).on(today)
    context = Pipeline.of(data, today)  # once for every key
    found: list[Row | AppRow] = []
    for key in keys:
        record = find_record(data, key)
        if isinstance(record, Application):
            found.append(context.assess(record, today))
        else:
            found.append(row_for(data, today, record, context))
    return found


def find(path: Path, today: date, key: str) -> Row:
    """One license by id or by license number (any case)."""
    data = store_read.read(path).on(today)
    return row_for(data, today, find_license(data, key))
