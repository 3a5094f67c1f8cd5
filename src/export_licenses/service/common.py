"""What the operations share: verdicts for rows, finding a license, the checks a
changed license passes. Errors name fields, not options."""

from __future__ import annotations

from typing import TYPE_CHECKING

from export_licenses import rules
from export_licenses.calendars import WorkingDays, calendar_for
from export_licenses.errors import FieldProblem, InvalidValue, UsageProblem
from export_licenses.model import (
    License,
    license_from_table,
    license_to_table,
    number_taken,
)
from export_licenses.rows import Row

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import date

    from export_licenses.settings import Settings
    from export_licenses.store import StoreData


def rows_for(
    settings: Settings,
    today: date,
    licenses: Iterable[License],
    *,
    warn_days: int | None = None,
    critical_days: int | None = None,
) -> list[Row]:
    """Each license with its verdict, soonest expiry first (then id)."""
    chosen = list(licenses)
    # Building a holiday calendar costs time: only when an active license needs it.
    calendar = (
        calendar_for(settings.calendar)
        if any(lic.active for lic in chosen)
        else WorkingDays()  # Monday to Friday: cheap, and unused by inactive ones
    )
    rows = [
        Row(
            lic,
            rules.assess(
                lic,
                settings,
                today,
                calendar,
                warn_days=warn_days,
                critical_days=critical_days,
            ),
            None if lic.expires else (lic.term_months or settings.term_months),
        )
        for lic in chosen
    ]
    rows.sort(key=lambda row: (row.verdict.expires, row.license.id))
    return rows


def row_for(settings: Settings, today: date, lic: License) -> Row:
    return rows_for(settings, today, [lic])[0]


def validated(lic: License) -> License:
    """Run a license built in code through the store's own validation."""
    try:
        return license_from_table(license_to_table(lic))
    except InvalidValue as exc:
        raise FieldProblem.of(exc) from None


def find(data: StoreData, key: str) -> License:
    """A license by id, or by its number in any case."""
    wanted = key.strip()
    if wanted.isdigit():
        found = next((lic for lic in data.licenses if lic.id == int(wanted)), None)
        if found is not None:
            return found
    folded = wanted.casefold()
    found = next(
        (
            lic
            for lic in data.licenses
            if lic.number and lic.number.casefold() == folded
        ),
        None,
    )
    if found is None:
        raise UsageProblem(f"no license with id or number {key!r}")
    return found


def check_number_free(numbers: Mapping[str, str], lic: License) -> None:
    """``numbers`` is what ``model.numbers_in`` gives for every other license."""
    taken = number_taken(numbers, lic.number)
    if taken is not None:
        raise FieldProblem("number", f"{lic.number} is already {taken}")


def require_active(lic: License, doing: str) -> None:
    if not lic.active:
        raise UsageProblem(
            f"{lic.label()} is {lic.status}; only an active license can {doing}"
        )


def replaced(data: StoreData, *changed: License) -> StoreData:
    by_id = {lic.id: lic for lic in data.licenses}
    by_id.update((lic.id, lic) for lic in changed)
    return data._replace(licenses=tuple(sorted(by_id.values(), key=lambda x: x.id)))


def check_term(fields: Mapping[str, object]) -> None:
    if fields.get("term_months") is not None and fields.get("expires") is not None:
        raise FieldProblem(("term_months", "expires"), "exclude each other: give one")
