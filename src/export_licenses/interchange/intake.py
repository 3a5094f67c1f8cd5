"""Licenses from a spreadsheet: the rows of a CSV file or of a workbook's sheet.

Both give a header and rows of cells; this module reads them the same way. The
columns are the store's field names, in any case, with spaces for underscores
("End user" is end_user). The columns that export computes (renew_by, days_left,
level) are ignored, so an exported file imports as it is. Each cell is read as
a value in ``import_cells``; here the typed rows become licenses, with new ids,
their links kept, and every problem of every row listed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from export_licenses.domain.drawdown import shipments_problem
from export_licenses.domain.license import License, Status
from export_licenses.domain.license_table import (
    license_from_table,
    license_to_table,
    number_taken,
    numbers_in,
)
from export_licenses.domain.months import add_months
from export_licenses.domain.values import quantity_to_toml
from export_licenses.errors import InvalidValue

from .import_rows import InvalidImport, Parsed, Where

if TYPE_CHECKING:
    from collections.abc import Callable

    from export_licenses.domain.settings import Settings
    from export_licenses.storage.store import StoreHead

MAX_BAD_ROWS_SHOWN: Final = 50


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
