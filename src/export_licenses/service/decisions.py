"""The decision on an application: granted (grant; renew grants a license's
renewal), refused or withdrawn (decide). A grant adds the license, and the one
it renews becomes ``renewed``, the one it changes is cancelled (Order 792 art.
18); a refusal or withdrawal puts the license it renewed or changed back in use.

Filing, acceptance and the list of applications are in ``applications``; the
CLI side is ``cli/decisions.py`` (the same concept).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from export_licenses.domain import rules
from export_licenses.domain.application import Application, AppStatus, app_label
from export_licenses.domain.holds import close_open
from export_licenses.domain.license import RENEWED, License, Status
from export_licenses.domain.license_table import numbers_in
from export_licenses.errors import FieldProblem, UsageProblem

from . import journal
from .applications import pending_renewal, require_pending
from .common import (
    check_number_free,
    check_term,
    checked,
    day_problem,
    find,
    find_application,
    happened,
    replaced,
    require_active,
    validated,
    with_application,
)
from .law import with_term
from .written import application_row, license_row, write_then_judge

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


def grant(path: Path, key: str, term: NewTerm, today: date) -> Row:
    """The application was granted: its license is added (a renewal replaces the
    license it renews, which becomes ``renewed``)."""
    check_term(term._asdict())
    happened("issued", term.issued, today)

    def change(data: StoreData) -> tuple[StoreData, License]:
        return _granted(data, find_application(data, key), term)

    granted = journal.granted("grant", key)
    return write_then_judge(
        path, change, license_row(today), granted, today=today, seen=True
    )


def renew(path: Path, key: str, term: NewTerm, today: date) -> Row:
    """Grant license ``key``'s pending renewal application, or record one filed
    on an unknown day and grant it."""
    check_term(term._asdict())
    happened("issued", term.issued, today)

    def change(data: StoreData) -> tuple[StoreData, License]:
        lic = find(data, key)
        require_active(lic, "be renewed")
        app = pending_renewal(data, lic)
        if app is None:
            app = checked(
                Application(
                    id=data.next_application_id(),
                    renews=lic.id,
                    **{name: getattr(lic, name) for name in RENEWED},
                    notes="recorded by renew: filing day unknown",
                )
            )
        return _granted(data, app, term)

    granted = journal.granted("renew", key)
    return write_then_judge(
        path, change, license_row(today), granted, today=today, seen=True
    )


def _granted(
    data: StoreData, app: Application, term: NewTerm
) -> tuple[StoreData, License]:
    require_pending(app, "be granted")
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
    # A renewal filed while the change was pending renews what the change
    # makes: the new license, with the old one's expiry, is renewal-filed.
    renewal = None
    if changing is not None and changing.renewal_filed is not None:
        renewal = pending_renewal(data, changing)
    if changing is not None and renewal is not None:
        new = new._replace(
            status=Status.RENEWAL_FILED, renewal_filed=changing.renewal_filed
        )
        data = with_application(data, renewal._replace(renews=new.id))
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
    return with_application(replaced(data, *changed), checked(decided)), new


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
    is not. The row's application's ``decided`` is the day taken, for the
    command to say."""
    happened("on", on, today)
    day = today if on is None else on

    def change(
        data: StoreData,
    ) -> tuple[StoreData, tuple[Application, License | None]]:
        app = find_application(data, key)
        require_pending(app, f"be {status}")
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
        elif lic is not None and lic.renewal_pending:  # suspended: stays so
            back = lic._replace(renewal_filed=None)
        changing = _license(data, app.changes)
        if changing is not None and changing.status == Status.SUSPENDED:
            # Art. 18: refused or withdrawn, the change leaves the license in
            # use, renewal-filed if its renewal was filed meanwhile.
            filed = changing.renewal_filed is not None
            back = changing._replace(
                status=Status.RENEWAL_FILED if filed else Status.ACTIVE
            )
        if back is not None:
            new_data = replaced(new_data, back)
        return new_data, (done, back)

    def judge(
        new_data: StoreData, made: tuple[Application, License | None]
    ) -> tuple[AppRow, License | None]:
        return application_row(today)(new_data, made[0]), made[1]

    entry = journal.application("refuse" if status == AppStatus.REFUSED else "withdraw")
    return write_then_judge(
        path, change, judge, lambda made: entry(made[0]), today=today, seen=True
    )
