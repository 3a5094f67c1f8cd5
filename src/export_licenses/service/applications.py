"""Applications: file (new or renewal), grant, refuse, withdraw, list, find.

Art. 18 of the Regulations: a renewal is a new application, so a renewal is an
application that names the license it renews; while it is pending the license is
``renewal-filed``, and a refusal or withdrawal puts it back to ``active``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from export_licenses.domain import rules
from export_licenses.domain.application import (
    Application,
    AppStatus,
    Filing,
    app_label,
)
from export_licenses.domain.holds import close_open
from export_licenses.domain.license import RENEWED, License, Status, numbers_in
from export_licenses.errors import FieldProblem, UsageProblem
from export_licenses.storage import store

from . import journal
from .common import (
    Pipeline,
    check_number_free,
    check_term,
    checked,
    day_problem,
    find,
    find_application,
    replaced,
    require_active,
    row_for,
    validated,
    with_application,
)
from .law import known_authority, with_term

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from export_licenses.domain.rows import AppRow, Row
    from export_licenses.domain.store_data import StoreData


class NewTerm(NamedTuple):
    issued: date
    number: str | None = None
    term_months: int | None = None
    expires: date | None = None


def file_new(path: Path, fields: dict[str, Any], filing: Filing, today: date) -> AppRow:
    """Record a new application (not a renewal)."""

    given = filing.filed
    filing = filing._replace(filed=today if given is None else given)

    def change(data: StoreData) -> tuple[StoreData, AppRow]:
        app = checked(
            Application(id=data.next_application_id(), **fields, **filing._asdict())
        )
        app = app._replace(authority=known_authority(data, app.authority))
        new_data = with_application(data, app)
        return new_data, Pipeline.of(new_data, today).assess(app, today)

    return store.update(path, change, record=journal.application("apply"))


def file_renewal(path: Path, key: str, filing: Filing, today: date) -> AppRow:
    """Record the renewal application of license ``key``: it is renewal-filed."""
    given = filing.filed
    filed_on = today if given is None else given
    filing = filing._replace(filed=filed_on)

    def change(data: StoreData) -> tuple[StoreData, AppRow]:
        lic = find(data, key)
        pending = _pending_renewal(data, lic)
        if pending is not None:
            raise UsageProblem(
                f"{lic.label()} already has a pending renewal: "
                f"{app_label(pending.id)}, filed on {pending.filed or 'an unknown day'}"
            )
        if lic.status != Status.ACTIVE:
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
        filed = lic._replace(status=Status.RENEWAL_FILED, renewal_filed=filed_on)
        new_data = with_application(replaced(data, validated(filed)), app)
        return new_data, Pipeline.of(new_data, today).assess(app, today)

    return store.update(path, change, record=journal.application("apply"))


def _pending_renewal(data: StoreData, lic: License) -> Application | None:
    return next(
        (a for a in data.applications if a.pending and a.renews == lic.id), None
    )


def grant(path: Path, key: str, term: NewTerm, today: date) -> Row:
    """The application was granted: its license is added (a renewal replaces the
    license it renews, which becomes ``renewed``)."""
    check_term(term._asdict())

    def change(data: StoreData) -> tuple[StoreData, Row]:
        return _granted(data, find_application(data, key), term, today)

    return store.update(path, change, record=journal.granted("grant", key))


def renew(path: Path, key: str, term: NewTerm, today: date) -> Row:
    """Grant license ``key``'s pending renewal application, or record one filed
    on an unknown day and grant it."""
    check_term(term._asdict())

    def change(data: StoreData) -> tuple[StoreData, Row]:
        lic = find(data, key)
        require_active(lic, "be renewed")
        app = _pending_renewal(data, lic)
        if app is None:
            app = checked(
                Application(
                    id=data.next_application_id(),
                    renews=lic.id,
                    **{name: getattr(lic, name) for name in RENEWED},
                    notes="recorded by renew: filing day unknown",
                )
            )
        return _granted(data, app, term, today)

    return store.update(path, change, record=journal.granted("renew", key))


def _granted(
    data: StoreData, app: Application, term: NewTerm, today: date
) -> tuple[StoreData, Row]:
    _require_pending(app, "be granted")
    if app.started is not None and term.issued < app.started:
        raise FieldProblem(
            "issued", f"{term.issued} is before the application ({app.started})"
        )
    old = None
    if app.renews is not None:
        old = _renewed_license(data, app)
        require_active(old, "be renewed")
    changing = _changed_license(data, app)
    given = term.term_months is not None or term.expires is not None
    expires = term.expires
    if changing is not None and not given:
        # A change is not a renewal: the changed license runs to the old one's
        # expiry unless the grant says otherwise.
        expires = rules.expiry(changing, data.settings.term_months)
    draft = validated(
        License(
            id=data.next_id(),
            **{name: getattr(app, name) for name in RENEWED},
            number=term.number,
            issued=term.issued,
            term_months=term.term_months,
            expires=expires,
            renews=app.renews,
            replaces=app.changes or app.replaces,
        )
    )
    new = validated(with_term(data, draft))
    check_number_free(numbers_in(data.licenses), new)
    changed = [new]
    if old is not None:
        changed.append(old._replace(status=Status.RENEWED, superseded_by=new.id))
    if changing is not None:
        changed.append(
            changing._replace(
                status=Status.CLOSED,
                closed=term.issued,
                close_reason=f"cancelled: changed into license {new.id} "
                f"({app_label(app.id)} granted, Order 792 art. 18)",
                superseded_by=new.id,
            )
        )
    surrendered = _license(data, app.replaces)
    if surrendered is not None and surrendered.superseded_by is None:
        changed.append(surrendered._replace(superseded_by=new.id))
    decided = app._replace(
        status=AppStatus.GRANTED,
        decided=term.issued,
        license=new.id,
        holds=close_open(app.holds, term.issued),
    )
    new_data = with_application(replaced(data, *changed), checked(decided))
    return new_data, row_for(new_data, today, new)


def _license(data: StoreData, ident: int | None) -> License | None:
    return next((lic for lic in data.licenses if lic.id == ident), None)


def _renewed_license(data: StoreData, app: Application) -> License:
    """The license a renewal application renews. One removed as entered by
    mistake (its id is in removed_ids) leaves the application renewing
    nothing: the message names the application the user gave, not a license
    id they never typed."""
    lic = _license(data, app.renews)
    if lic is None:
        raise UsageProblem(
            f"application {app_label(app.id)} renews license {app.renews}, which "
            "was removed; withdraw the application, and record the license "
            "granted on it with add"
        )
    return lic


def _changed_license(data: StoreData, app: Application) -> License | None:
    """The license a change application changes: suspended while it is pending
    (Order 792 art. 18), so that is what a grant finds."""
    if app.changes is None:
        return None
    lic = _license(data, app.changes)
    if lic is None:
        raise UsageProblem(
            f"{app.label()}: license {app.changes} is no longer in the store"
        )
    if lic.status != Status.SUSPENDED:
        raise UsageProblem(
            f"{lic.label()} is {lic.status}, not suspended for the change "
            f"{app_label(app.id)} asks for"
        )
    return lic


def _require_pending(app: Application, doing: str) -> None:
    if not app.pending:
        raise UsageProblem(
            f"{app.label()} is {app.status}; only a pending application can {doing}"
        )


def decide(
    path: Path,
    key: str,
    status: AppStatus,
    on: date | None,
    reason: str | None,
    today: date,
) -> tuple[AppRow, License | None]:
    """Refused or withdrawn (on ``on``, else today): a renewed license is back
    to active, so its filing deadline counts again; so is a license suspended
    for the change. That license is returned too (None when none was: removed,
    closed, or no license at all), so that nobody is told it is active when it
    is not."""
    day = today if on is None else on

    def change(data: StoreData) -> tuple[StoreData, tuple[AppRow, License | None]]:
        app = find_application(data, key)
        _require_pending(app, f"be {status}")
        if app.started is not None and day < app.started:
            raise day_problem(on, day, f"is before the application ({app.started})")
        done = checked(
            app._replace(
                status=status,
                decided=day,
                reason=reason,
                holds=close_open(app.holds, day),
            )
        )
        new_data = with_application(data, done)
        back = None
        lic = _license(data, app.renews)
        if lic is not None and lic.status == Status.RENEWAL_FILED:
            back = lic._replace(status=Status.ACTIVE, renewal_filed=None)
        changing = _license(data, app.changes)
        if changing is not None and changing.status == Status.SUSPENDED:
            # Art. 18: refused or withdrawn, the change leaves the license in use.
            back = changing._replace(status=Status.ACTIVE)
        if back is not None:
            new_data = replaced(new_data, back)
        return new_data, (Pipeline.of(new_data, today).assess(done, today), back)

    entry = journal.application("refuse" if status == AppStatus.REFUSED else "withdraw")
    return store.update(path, change, record=lambda done: entry(done[0]))


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

    def change(data: StoreData) -> tuple[StoreData, AppRow]:
        app = find_application(data, key)
        _require_pending(app, "be accepted")
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
        new_data = with_application(data, new)
        return new_data, Pipeline.of(new_data, today).assess(new, today)

    return store.update(path, change, record=journal.application("accept"))


def list_applications(
    path: Path, today: date, *, include_all: bool, authority: str | None = None
) -> list[AppRow]:
    """Pending applications (every one with ``include_all``), oldest first;
    with ``authority``, only that authority's."""
    data = store.read(path)
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
