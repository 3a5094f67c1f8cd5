"""Records found by the key a person types, with their verdicts: ``show``'s
licenses and applications.

A key is a license's id, its number (any case, or a part only one has) or an
application's id (A1). List, due and warn, which read every record, are
``reports.py`` (their commands in ``cli/reports.py`` and ``cli/monitor.py``);
they never load this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from export_licenses.domain.application import app_id_of
from export_licenses.storage import store_read

from .common import Pipeline, row_for
from .common import find as find_license

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from export_licenses.domain.rows import AppRow, Row


def lookup_all(path: Path, today: date, keys: list[str]) -> list[Row | AppRow]:
    """Licenses by id or number (see ``find``), or applications by their id
    (A1, any case), in the order asked, from one read of the store.

    A license whose number looks like an application id is found when no
    application has that id.
    """
    data = store_read.read(path)
    context = Pipeline.of(data, today)  # once for every key
    found: list[Row | AppRow] = []
    for key in keys:
        number = app_id_of(key)
        app = next((a for a in data.applications if a.id == number), None)
        if app is not None:
            found.append(context.assess(app, today))
        else:
            lic = find_license(data, key, or_application=True)
            found.append(row_for(data, today, lic, context))
    return found


def find(path: Path, today: date, key: str) -> Row:
    """One license by id or by license number (any case)."""
    data = store_read.read(path)
    return row_for(data, today, find_license(data, key))
