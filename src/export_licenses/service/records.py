"""The operations that change a license: init, add, edit, ship, close, reopen,
remove. Each locks, re-reads, checks, writes atomically (``store``). Applications
(apply, grant, renew, refuse, withdraw) are in ``applications``."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from export_licenses.domain import rules
from export_licenses.domain.application import AppStatus
from export_licenses.domain.license import (
    UNSETTABLE,
    License,
    Status,
    numbers_in,
)
from export_licenses.domain.shipment import ID_LENGTH, Shipment, new_id
from export_licenses.errors import FieldProblem, UsageProblem
from export_licenses.storage import store

from . import journal
from .common import (
    check_number_free,
    check_term,
    checked,
    find,
    known_authority,
    replaced,
    require_active,
    row_for,
    validated,
    with_application,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import date
    from decimal import Decimal
    from pathlib import Path

    from export_licenses.domain.rows import Row
    from export_licenses.domain.store_data import StoreData
    from export_licenses.storage.gitrepo import Entry


def _change_one(
    path: Path,
    key: str,
    today: date,
    change: Callable[[StoreData, License], License],
    record: Callable[[Row], Entry],
) -> Row:
    """Lock, find the license, apply ``change``, write; return its new row."""

    def apply(data: StoreData) -> tuple[StoreData, Row]:
        new = change(data, find(data, key))
        new_data = replaced(data, new)
        return new_data, row_for(new_data, today, new)

    return store.update(path, apply, record=record)


def init(path: Path) -> bool:
    return store.create(path)


def add(path: Path, fields: dict[str, Any], today: date) -> Row:
    """Validate, then append a license; creates the store when it is missing.

    ``fields`` holds License field values (material, destination, issued, ...).
    The new license's verdict comes from the store as written (observed review
    times rest on its history), worked out once the lock is released.
    """
    check_term(fields)
    draft = validated(License(id=1, **fields))

    def append(data: StoreData) -> tuple[tuple[License, ...], StoreData]:
        lic = draft._replace(
            id=data.next_id(), authority=known_authority(data, draft.authority)
        )
        check_number_free(numbers_in(data.licenses), lic)
        if lic.term_months is None and lic.expires is None:
            # Record the term on the license, so that a later change of the
            # [settings] term never moves the expiry of a license already added.
            lic = lic._replace(term_months=data.settings.term_months)
        return (lic,), data._replace(licenses=(*data.licenses, lic))

    after = store.append(
        path,
        append,
        create=True,
        record=lambda written: journal.added(written.licenses[-1]),
    )
    return row_for(after, today, after.licenses[-1])


def edit(
    path: Path, key: str, changes: dict[str, Any], unset: Iterable[str], today: date
) -> Row:
    """Change fields with the same validation as add."""
    changes = dict(changes)
    check_term(changes)
    # A new term drops an explicit expiry, and the other way round.
    if "term_months" in changes:
        changes["expires"] = None
    elif "expires" in changes:
        changes["term_months"] = None
    for name in unset:
        if name not in UNSETTABLE:
            raise FieldProblem(
                "unset",
                f"{name!r} cannot be cleared; choose from {', '.join(UNSETTABLE)}",
            )
        changes[name] = None
    if not changes:
        raise UsageProblem("nothing to change: give at least one option")

    def change(data: StoreData, lic: License) -> License:
        new = validated(lic._replace(**changes))
        if "authority" in changes:
            new = new._replace(authority=known_authority(data, new.authority))
        check_number_free(numbers_in(o for o in data.licenses if o.id != lic.id), new)
        _check_shipments_still_fit(lic, new, data.settings.term_months)
        return new

    return _change_one(path, key, today, change, journal.edited(changes))


def ship(
    path: Path, key: str, quantity: Decimal, on: date, note: str | None, today: date
) -> Row:
    """Record a shipment against the license (drawdown)."""

    def change(data: StoreData, lic: License) -> License:
        require_active(lic, "ship")
        expires = rules.expiry(lic, data.settings.term_months)
        if on < lic.issued:
            raise FieldProblem("on", f"{on} is before the issue date {lic.issued}")
        if on > expires:
            raise FieldProblem("on", f"{on} is after the license expired ({expires})")
        if lic.quantity is not None and lic.shipped + quantity > lic.quantity:
            left = lic.quantity - lic.shipped
            unit = f" {lic.unit}" if lic.unit else ""
            raise FieldProblem(
                "quantity",
                f"{quantity}{unit} is more than the {left}{unit} left on {lic.label()}",
            )
        # os.urandom is what secrets.token_hex reads, without secrets' import
        # of hmac and hashlib (2-4 ms) on every command.
        ident = new_id(lic.shipments, lambda: os.urandom(ID_LENGTH // 2).hex())
        shipment = Shipment(on=on, quantity=quantity, note=note, id=ident)
        return validated(lic._replace(shipments=(*lic.shipments, shipment)))

    return _change_one(path, key, today, change, journal.shipped)


def _check_shipments_still_fit(old: License, new: License, term: int) -> None:
    """An edit may not strand a recorded shipment outside the license."""
    if not new.shipments:
        return
    first = min(s.on for s in new.shipments)
    last = max(s.on for s in new.shipments)
    if new.issued > first:
        raise FieldProblem(
            "issued", f"{new.issued} is after the first shipment, on {first}"
        )
    expires = rules.expiry(new, term)
    if expires < last:
        field = "expires" if new.expires is not None else "term_months"
        raise FieldProblem(
            field, f"would end the license on {expires}, before the shipment on {last}"
        )
    if new.unit != old.unit:
        raise FieldProblem(
            "unit",
            f"cannot change once shipped ({old.unit or 'no unit'} in "
            f"{len(new.shipments)} shipment(s))",
        )
    if new.quantity is not None and new.shipped > new.quantity:
        raise FieldProblem(
            "quantity", f"{new.quantity} is below the {new.shipped} already shipped"
        )


def close(
    path: Path, key: str, reason: str | None, today: date, *, revoked: bool
) -> Row:
    """The license is finished or revoked; it stays in the store (art. 27)."""

    def change(_: StoreData, lic: License) -> License:
        require_active(lic, "be closed")
        status = Status.REVOKED if revoked else Status.CLOSED
        return validated(lic._replace(status=status, closed=today, close_reason=reason))

    return _change_one(path, key, today, change, journal.closed)


def reopen(path: Path, key: str, today: date) -> Row:
    """A closed or revoked license is active again; the closing stays on record."""

    def change(_: StoreData, lic: License) -> License:
        if lic.status not in {Status.CLOSED, Status.REVOKED}:
            raise UsageProblem(
                f"{lic.label()} is {lic.status}; only a closed or revoked license "
                "can be reopened"
            )
        return validated(lic._replace(status=Status.ACTIVE, reopened=today))

    return _change_one(path, key, today, change, journal.reopened)


def remove(path: Path, key: str) -> License:
    """Delete a record entered by mistake; its id is never given out again.

    A renewal license entered by mistake gives its predecessor back: active
    again, ``superseded_by`` cleared. The application it was granted on is
    pending again when it was really filed (and the predecessor renewal-filed),
    else it is closed as withdrawn, with the reason.
    """

    def change(data: StoreData) -> tuple[StoreData, License]:
        lic = find(data, key)
        rest = tuple(other for other in data.licenses if other.id != lic.id)
        new_data = data._replace(licenses=rest, removed_ids=(*data.removed_ids, lic.id))
        return _undo_grant(new_data, lic), lic

    return store.update(path, change, record=journal.removed)


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
