"""The operations that change the store: init, add, edit, apply, renew, ship,
close, remove. Each locks, re-reads, checks, writes atomically (``store``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from export_licenses import rules, store
from export_licenses.errors import FieldProblem, UsageProblem
from export_licenses.model import (
    RENEWED,
    UNSETTABLE,
    License,
    Status,
    numbers_in,
)
from export_licenses.shipments import Shipment

from .common import (
    check_number_free,
    check_term,
    find,
    replaced,
    require_active,
    row_for,
    validated,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import date
    from decimal import Decimal
    from pathlib import Path

    from export_licenses.rows import Row
    from export_licenses.store import StoreData, StoreHead


def _change_one(
    path: Path, key: str, today: date, change: Callable[[StoreData, License], License]
) -> Row:
    """Lock, find the license, apply ``change``, write; return its new row."""

    def apply(data: StoreData) -> tuple[StoreData, Row]:
        new = change(data, find(data, key))
        new_data = replaced(data, new)
        return new_data, row_for(new_data.settings, today, new)

    return store.update(path, apply)


def init(path: Path) -> bool:
    return store.create(path)


def add(path: Path, fields: dict[str, Any], today: date) -> Row:
    """Validate, then append a license; creates the store when it is missing.

    ``fields`` holds License field values (material, destination, issued, ...).
    """
    check_term(fields)
    draft = validated(License(id=1, **fields))

    def append(head: StoreHead) -> tuple[tuple[License, ...], Row]:
        lic = draft._replace(id=head.next_id)
        check_number_free(head.numbers, lic)
        if lic.term_months is None and lic.expires is None:
            # Record the term on the license, so that a later change of the
            # [settings] term never moves the expiry of a license already added.
            lic = lic._replace(term_months=head.settings.term_months)
        return (lic,), row_for(head.settings, today, lic)

    return store.append(path, append, create=True)


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
        check_number_free(numbers_in(o for o in data.licenses if o.id != lic.id), new)
        if new.quantity is not None and new.shipped > new.quantity:
            raise FieldProblem(
                "quantity", f"{new.quantity} is below the {new.shipped} already shipped"
            )
        return new

    return _change_one(path, key, today, change)


def apply(path: Path, key: str, on: date, today: date) -> Row:
    """The renewal application was filed: its deadline no longer flags the license."""

    def change(_: StoreData, lic: License) -> License:
        if lic.status != Status.ACTIVE:
            raise UsageProblem(
                f"{lic.label()} is {lic.status}, not active: nothing to file"
            )
        if on < lic.issued:
            raise FieldProblem("on", f"{on} is before the issue date {lic.issued}")
        return lic._replace(status=Status.RENEWAL_FILED, renewal_filed=on)

    return _change_one(path, key, today, change)


class NewTerm(NamedTuple):
    issued: date
    number: str | None = None
    term_months: int | None = None
    expires: date | None = None


def renew(path: Path, key: str, term: NewTerm, today: date) -> Row:
    """The new license was granted: a copy with new dates; the old one is renewed."""
    check_term(term._asdict())

    def change(data: StoreData) -> tuple[StoreData, Row]:
        old = find(data, key)
        require_active(old, "be renewed")
        given_term = term.term_months is not None or term.expires is not None
        new = validated(
            License(
                id=data.next_id(),
                **{name: getattr(old, name) for name in RENEWED},
                number=term.number,
                issued=term.issued,
                term_months=term.term_months
                if given_term
                else data.settings.term_months,
                expires=term.expires,
                renews=old.id,
            )
        )
        check_number_free(numbers_in(data.licenses), new)
        done = old._replace(status=Status.RENEWED, superseded_by=new.id)
        new_data = replaced(data, done, new)
        return new_data, row_for(new_data.settings, today, new)

    return store.update(path, change)


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
        shipment = Shipment(on=on, quantity=quantity, note=note)
        return validated(lic._replace(shipments=(*lic.shipments, shipment)))

    return _change_one(path, key, today, change)


def close(path: Path, key: str, reason: str | None, revoked: bool, today: date) -> Row:
    """The license is finished or revoked; it stays in the store (art. 27)."""

    def change(_: StoreData, lic: License) -> License:
        require_active(lic, "be closed")
        status = Status.REVOKED if revoked else Status.CLOSED
        return validated(lic._replace(status=status, closed=today, close_reason=reason))

    return _change_one(path, key, today, change)


def remove(path: Path, key: str) -> License:
    """Delete a record entered by mistake; its id is never given out again."""

    def change(data: StoreData) -> tuple[StoreData, License]:
        lic = find(data, key)
        rest = tuple(other for other in data.licenses if other.id != lic.id)
        new_data = data._replace(licenses=rest, removed_ids=(*data.removed_ids, lic.id))
        return new_data, lic

    return store.update(path, change)
