"""Applications: file (new or renewal), accept, list. Their decision (grant,
renew, refuse, withdraw) is in ``decisions``.

Art. 18 of the Regulations: a renewal is a new application, so a renewal is an
application that names the license it renews; while it is pending the license is
``renewal-filed``, and a refusal or withdrawal puts it back to ``active``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from export_licenses.domain.application import Application, Filing, app_label
from export_licenses.domain.license import RENEWED, License, Status
from export_licenses.errors import UsageProblem
from export_licenses.storage import store

from .common import (
    Pipeline,
    checked,
    day_problem,
    filing_happened,
    find,
    find_application,
    happened,
    replaced,
    validated,
    with_application,
)
from .law import known_authority
from .written import write_application

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from export_licenses.domain.rows import AppRow
    from export_licenses.domain.store_data import StoreData


def file_new(path: Path, fields: dict[str, Any], filing: Filing, today: date) -> AppRow:
    """Record a new application (not a renewal)."""
    filing_happened(filing, today)
    given = filing.filed
    filing = filing._replace(filed=today if given is None else given)

    def change(data: StoreData) -> tuple[StoreData, Application]:
        app = checked(
            Application(id=data.next_application_id(), **fields, **filing._asdict())
        )
        app = app._replace(authority=known_authority(data, app.authority))
        return with_application(data, app), app

    return write_application(path, change, today, "apply")


def file_renewal(path: Path, key: str, filing: Filing, today: date) -> AppRow:
    """Record the renewal application of license ``key``: it is renewal-filed."""
    filing_happened(filing, today)
    given = filing.filed
    filed_on = today if given is None else given
    filing = filing._replace(filed=filed_on)

    def change(data: StoreData) -> tuple[StoreData, Application]:
        lic = find(data, key)
        pending = pending_renewal(data, lic)
        if pending is not None:
            raise UsageProblem(
                f"{lic.label()} already has a pending renewal: "
                f"{app_label(pending.id)}, filed on {pending.filed or 'an unknown day'}"
            )
        if lic.status not in {Status.ACTIVE, Status.SUSPENDED}:
            raise UsageProblem(
                f"{lic.label()} is {lic.status}, not active: nothing to file"
            )
        if filed_on < lic.issued:
            raise day_problem(given, filed_on, f"is before the issue date {lic.issued}")
        app = checked(
            Application(
                id=data.next_application_id(),
                renews=lic.id,
                **{name: getattr(lic, name) for name in RENEWED},
                **filing._asdict(),
            )
        )
        # Suspended for a change (art. 18), it stays so: not to be used until
        # the change is decided, its renewal filed meanwhile.
        status = Status.SUSPENDED if lic.status == Status.SUSPENDED else None
        filed = lic._replace(
            status=status or Status.RENEWAL_FILED, renewal_filed=filed_on
        )
        return with_application(replaced(data, validated(filed)), app), app

    return write_application(path, change, today, "apply", seen=True)


def pending_renewal(data: StoreData, lic: License) -> Application | None:
    """The license's renewal application still pending (``decisions`` grants it)."""
    return next(
        (a for a in data.applications if a.pending and a.renews == lic.id), None
    )


def require_pending(app: Application, doing: str) -> None:
    """Only a pending application is accepted or decided (``decisions``)."""
    if not app.pending:
        raise UsageProblem(
            f"{app.label()} is {app.status}; only a pending application can {doing}"
        )


def accept(
    path: Path,
    key: str,
    on: date | None,
    reference: str | None,
    today: date,
    unbounded: str | None = None,
) -> AppRow:
    """MOFCOM accepted the application: the review time counts from ``on``
    (default: today, or the acceptance already recorded when only
    ``unbounded`` is given). ``unbounded``: why the review has no statutory
    time limit (art. 17: a case for the State Council; art. 26: an end user on
    the watch list)."""
    happened("on", on, today)

    def change(data: StoreData) -> tuple[StoreData, Application]:
        app = find_application(data, key)
        require_pending(app, "be accepted")
        day = on or (app.accepted if unbounded and app.accepted else today)
        if app.filed is not None and day < app.filed:
            raise day_problem(on, day, f"is before filing ({app.filed})")
        new = checked(
            app._replace(
                accepted=day,
                reference=reference or app.reference,
                unbounded=unbounded or app.unbounded,
            )
        )
        return with_application(data, new), new

    return write_application(path, change, today, "accept")


def list_applications(
    path: Path, today: date, *, include_all: bool, authority: str | None = None
) -> list[AppRow]:
    """Pending applications (every one with ``include_all``), oldest first;
    with ``authority``, only that authority's."""
    data = store.read(path).on(today)
    issuer = known_authority(data, authority)
    chosen = [
        a
        for a in data.applications
        if (include_all or a.pending) and (issuer is None or a.issuer == issuer)
    ]
    context = Pipeline.of(data, today, needed=bool(chosen))
    rows = [context.assess(app, today) for app in chosen]
    rows.sort(key=lambda row: (_age(row.application, today), row.application.id))
    return rows


def _age(app: Application, today: date) -> date:
    return app.started or app.decided or today
