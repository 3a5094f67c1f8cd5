"""What the operations share: finding a license (keys.py), the checks a changed license
passes (the verdicts for rows are license_rows.py's and pipeline.py's, imported
from here too). Errors name fields, not options."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from export_licenses.domain.application import (
    Application,
    application_from_table,
    application_to_table,
)
from export_licenses.domain.license import Status
from export_licenses.domain.license_table import (
    license_from_table,
    license_to_table,
    number_taken,
)
from export_licenses.domain.review import ahead_of
from export_licenses.errors import FieldProblem, InvalidValue, UsageProblem

# Re-exports, the names the operations import from here: finding a record
# (keys.py) and the verdicts (license_rows.py, pipeline.py). `name as name` makes
# each explicit, as mypy wants; ruff's PLC0414 calls that a useless alias.
from .keys import find as find  # noqa: PLC0414
from .keys import find_application as find_application  # noqa: PLC0414
from .license_rows import iter_rows as iter_rows  # noqa: PLC0414
from .license_rows import row_for as row_for  # noqa: PLC0414
from .license_rows import rows_for as rows_for  # noqa: PLC0414
from .pipeline import Pipeline as Pipeline  # noqa: PLC0414
from .pipeline import calendar_of as calendar_of  # noqa: PLC0414
from .pipeline import check_calendar as check_calendar  # noqa: PLC0414

R = TypeVar("R")

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import date

    from export_licenses.domain.application import Filing
    from export_licenses.domain.license import License
    from export_licenses.domain.store_data import StoreData

# What a license completed by a shipment ahead is, as ``StoreData.on`` shows it.
_IN_USE = frozenset({Status.ACTIVE, Status.RENEWAL_FILED})


def seen_on(
    today: date, change: Callable[[StoreData], tuple[StoreData, R]]
) -> Callable[[StoreData], tuple[StoreData, R]]:
    """``change`` (what ``store.update`` runs) judging the store as the read
    commands show it on ``today`` (``StoreData.on``): a license whose one
    export completes with a shipment dated tomorrow is still in use today, so
    ``apply``, ``close``, ``change`` or another ``ship`` take it as ``warn``
    and ``show`` do. What it writes keeps that export's completion: the
    license stays ``exported`` from the shipment's day unless the command
    ended its use otherwise (closed, suspended, renewed)."""

    def judged(data: StoreData) -> tuple[StoreData, R]:
        seen = data.on(today)
        if seen is data:  # nothing ahead: nearly always
            return change(data)
        new_data, result = change(seen)
        return _completions_kept(data, new_data), result

    return judged


def _completions_kept(read: StoreData, written: StoreData) -> StoreData:
    """``written`` with each license ``StoreData.on`` showed in use, and still
    in use with its completing shipment, exported again from that day. A
    second completing export on such a license is refused: its one export is
    the shipment ahead (Order 792 art. 15; audit s10-review, 4)."""
    ahead = {lic.id: lic for lic in read.licenses if lic.status == Status.EXPORTED}
    licenses = []
    for lic in written.licenses:
        was = ahead.get(lic.id)
        if (
            was is not None
            and lic.status == Status.EXPORTED
            and lic.closed != was.closed
        ):
            raise UsageProblem(
                f"license {lic.id}'s one export is recorded for {was.closed}: "
                "ship part of it with --partial, or correct that shipment; "
                "nothing was changed"
            )
        if (
            was is None
            or lic.status not in _IN_USE
            or all(shipment.on != was.closed for shipment in lic.shipments)
        ):
            licenses.append(lic)
            continue
        reason = was.close_reason
        done = lic._replace(status=was.status, closed=was.closed, close_reason=reason)
        licenses.append(done)
    return written._replace(licenses=tuple(licenses))


def validated(lic: License) -> License:
    """Run a license built in code through the store's own validation."""
    return _through_the_store(lic, license_to_table, license_from_table)


def checked(app: Application) -> Application:
    """Run an application built in code through the store's own validation."""
    return _through_the_store(app, application_to_table, application_from_table)


def _through_the_store(
    record: R,
    to_table: Callable[[R], dict[str, Any]],
    from_table: Callable[[dict[str, Any]], R],
) -> R:
    """What a write then a read would make of ``record``; errors name the field."""
    try:
        return from_table(to_table(record))
    except InvalidValue as exc:
        raise FieldProblem.of(exc) from None


def check_number_free(numbers: Mapping[str, str], lic: License) -> None:
    """``numbers`` is what ``license_table.numbers_in`` gives for every other
    license."""
    taken = number_taken(numbers, lic.number)
    if taken is not None:
        raise FieldProblem("number", f"{lic.number} is already {taken}")


def happened(field: str, day: date | None, today: date) -> None:
    """An event recorded (filed, accepted, stopped, decided) is one that has
    happened: a later day is a typo or a plan, and would show a decision as
    made while the review-time statistics still wait for it."""
    if ahead_of(day, today):
        raise FieldProblem(field, not_yet(day, today))


def not_yet(day: date | None, today: date) -> str:
    """Why a day after today is refused (``happened``)."""
    return f"{day} is after today ({today}): record it once it has happened"


def filing_happened(filing: Filing, today: date) -> None:
    """``happened`` for an application's filing and acceptance days."""
    happened("on", filing.filed, today)
    happened("accepted", filing.accepted, today)


def day_problem(given: date | None, day: date, problem: str) -> UsageProblem:
    """A day a record refuses: the fault of the option that gave it (the field
    ``on``), or, when none was given, of today, which was taken instead — never
    an option the user did not give."""
    if given is not None:
        return FieldProblem("on", f"{day} {problem}")
    return UsageProblem(
        f"today ({day}) {problem}; no day was given, so today was taken"
    )


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


def with_application(data: StoreData, app: Application) -> StoreData:
    by_id = {a.id: a for a in data.applications}
    by_id[app.id] = app
    return data._replace(applications=tuple(sorted(by_id.values(), key=lambda a: a.id)))
