"""Removing a license entered by mistake: the record goes, its id is never
given out again, and what it had done is undone — the application it was
granted on, the license it renewed or replaced (Order 792 art. 18).

The service side of ``cli/removal.py`` (the same concept): here the checks, the
question's turn and the write; the command words the question, asks it and
says what was removed. The other operations on a license are in ``records``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from export_licenses.domain.application import AppStatus
from export_licenses.domain.license import Status
from export_licenses.errors import UsageProblem
from export_licenses.storage import store, store_read

from . import journal
from .common import checked, find, replaced, validated, with_application

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from export_licenses.domain.application import Application
    from export_licenses.domain.license import License
    from export_licenses.domain.store_data import StoreData


def remove(
    path: Path, key: str, confirm: Callable[[License], bool] | None = None
) -> License | None:
    """Delete a record entered by mistake; its id is never given out again.
    The license removed, or None when ``confirm`` said no.

    ``confirm`` is shown the license ``key`` finds, read without the writer's
    lock: a person's answer may take minutes, and the lock would stop every
    other writer meanwhile. A no (False) leaves the store untouched. On a yes
    the removal, under the lock, takes the license confirmed by its id, so
    that a store changed meanwhile never has another license removed in its
    place; gone meanwhile, it is not found. Errors ``confirm`` raises end
    the removal, the store untouched.

    A renewal license entered by mistake gives its predecessor back: active
    again, ``superseded_by`` cleared. The application it was granted on is
    pending again when it was really filed (and the predecessor renewal-filed),
    else it is closed as withdrawn, with the reason.
    """
    confirmed = None
    if confirm is not None:
        confirmed = find(store_read.read(path), key)
        if not confirm(confirmed):
            return None

    def change(data: StoreData) -> tuple[StoreData, License]:
        lic = find(data, key) if confirmed is None else _still_there(data, confirmed)
        rest = tuple(other for other in data.licenses if other.id != lic.id)
        new_data = data._replace(licenses=rest, removed_ids=(*data.removed_ids, lic.id))
        return _undo_grant(new_data, lic), lic

    return store.update(path, change, record=journal.removed)


def _still_there(data: StoreData, confirmed: License) -> License:
    """The license confirmed, by its id, as the store now has it."""
    lic = next((o for o in data.licenses if o.id == confirmed.id), None)
    if lic is None:
        raise UsageProblem(
            f"{confirmed.label()} is no longer in the store (removed meanwhile)"
        )
    return lic


def _undo_grant(data: StoreData, removed: License) -> StoreData:
    app = next((a for a in data.applications if a.license == removed.id), None)
    refiled = app is not None and app.filed is not None
    if app is not None:
        if refiled:
            undone = app._replace(status=AppStatus.PENDING, decided=None, license=None)
        else:
            undone = app._replace(
                status=AppStatus.WITHDRAWN,
                license=None,
                reason=f"license {removed.id} was removed as entered by mistake",
            )
        data = with_application(data, checked(undone))
    if removed.replaces is not None:
        return _undo_change(data, removed, app if refiled else None)
    old = next((o for o in data.licenses if o.id == removed.renews), None)
    if old is None or old.superseded_by != removed.id:
        return data
    if refiled and app is not None:
        back = old._replace(
            status=Status.RENEWAL_FILED, superseded_by=None, renewal_filed=app.filed
        )
    else:
        back = old._replace(status=Status.ACTIVE, superseded_by=None)
    return replaced(data, validated(back))


def _undo_change(
    data: StoreData, removed: License, app: Application | None
) -> StoreData:
    """The license a removed one replaced (Order 792 art. 18) gets its state
    back: cancelled by a granted change, it is suspended again while its change
    application is pending again, else in use; surrendered, it stays so."""
    old = next((o for o in data.licenses if o.id == removed.replaces), None)
    if old is None or old.superseded_by != removed.id:
        return data
    if old.status == Status.SURRENDERED:
        return replaced(data, validated(old._replace(superseded_by=None)))
    status = Status.SUSPENDED if app is not None else Status.ACTIVE
    back = old._replace(
        status=status, superseded_by=None, closed=None, close_reason=None
    )
    return replaced(data, validated(back))
