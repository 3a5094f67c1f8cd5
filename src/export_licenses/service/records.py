"""The operations that change a license: init, add, edit, ship, close, reopen.
Each locks, re-reads, checks, writes atomically (``store``). Applications
(apply, grant, renew, refuse, withdraw) are in ``applications``; removing a
license entered by mistake is in ``removal``.

The service side of ``cli/records.py``: here the checks and the write; the
commands parse the options and say what was done.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Final

from export_licenses.domain import rules
from export_licenses.domain.application import app_label
from export_licenses.domain.drawdown import shipments_problem
from export_licenses.domain.law import KEY_FIELDS
from export_licenses.domain.license import (
    ONE_EXPORT,
    UNSETTABLE,
    License,
    Status,
    numbers_in,
    with_article,
)
from export_licenses.domain.shipment import ID_LENGTH, Shipment, new_id
from export_licenses.domain.values import check_text
from export_licenses.errors import FieldProblem, InvalidValue, UsageProblem
from export_licenses.storage import store

from . import journal
from .common import (
    check_calendar,
    check_number_free,
    check_term,
    day_problem,
    find,
    replaced,
    require_active,
    row_for,
    validated,
)
from .law import check_cap, known_authority, with_term

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
        # The term is recorded on the license, so that a later change of the
        # [settings] term never moves the expiry of a license already added.
        lic = with_term(data, lic)
        check_calendar(data.settings, lic.issued)
        return (lic,), data._replace(licenses=(*data.licenses, lic))

    after = store.append(
        path,
        append,
        create=True,
        record=lambda written: journal.added(written.licenses[-1]),
    )
    return row_for(after, today, after.licenses[-1])


# What the cap on a license's term (Order 792 art. 15) depends on.
_TERMS: Final = frozenset({"kind", "authority", "issued", "term_months", "expires"})


def edit(
    path: Path,
    key: str,
    changes: dict[str, Any],
    unset: Iterable[str],
    today: date,
    *,
    correct: bool = False,
) -> Row:
    """Change fields with the same validation as add.

    A key element (item, destination, end user, end use) of a license that
    has shipped is not edited: that is either a typo put right (``correct``)
    or a real change, which needs a new application (Order 792 art. 18,
    ``changes.change``)."""
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
        _typo_or_change(lic, changes, correct=correct)
        new = validated(lic._replace(**changes))
        if "authority" in changes:
            new = new._replace(authority=known_authority(data, new.authority))
        if _TERMS & set(changes):  # an edit of anything else keeps what was read
            check_cap(data, new)
        check_number_free(numbers_in(o for o in data.licenses if o.id != lic.id), new)
        _check_shipments_still_fit(lic, new, data.settings.term_months)
        return new

    record = journal.edited(changes, corrected=correct)
    return _change_one(path, key, today, change, record)


def _typo_or_change(lic: License, changes: dict[str, Any], *, correct: bool) -> None:
    key = [name for name in KEY_FIELDS if name in changes]
    if not key or not lic.shipments or correct:
        return
    option = "--" + key[0].replace("_", "-")
    count = len(lic.shipments)
    raise UsageProblem(
        f"{lic.label()} has {count} shipment{'s' * (count != 1)}: is the new "
        f"{key[0].replace('_', ' ')} a typo put right (edit --correct) or a real "
        f"change of a key element, which needs a new application (licenses "
        f"change {lic.id} {option} ...: Order 792 art. 18)?"
    )


def ship(
    path: Path,
    key: str,
    quantity: Decimal,
    on: date | None,
    note: str | None,
    today: date,
    *,
    partial: bool = False,
) -> Row:
    """Record a shipment against the license (drawdown), on ``on`` or today. On
    an individual or registration license it completes the one export the
    license allows, which then lapses (``exported``, Order 792 art. 15), unless
    ``partial`` says the export goes on."""
    day = today if on is None else on
    if note is not None:
        try:
            note = check_text("note", note, multiline=True)
        except InvalidValue as exc:
            raise FieldProblem.of(exc) from None

    def change(data: StoreData, lic: License) -> License:
        _require_shippable(data, lic)
        if partial and lic.kind not in ONE_EXPORT and lic.kind is not None:
            raise FieldProblem(
                "partial",
                f"{lic.label()} is a {lic.kind} license, which allows repeated "
                "exports: a partial shipment is one of an individual or "
                "registration license's single export (Order 792 art. 15)",
            )
        expires = rules.expiry(lic, data.settings.term_months)
        if day < lic.issued:
            raise day_problem(on, day, f"is before the issue date {lic.issued}")
        if day > expires:
            raise day_problem(on, day, f"is after the license expired ({expires})")
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
        shipment = Shipment(
            on=day, quantity=quantity, note=note, id=ident, partial=partial or None
        )
        shipped = lic._replace(shipments=(*lic.shipments, shipment))
        if lic.kind in ONE_EXPORT and not partial:
            shipped = shipped._replace(
                status=Status.EXPORTED, closed=day, close_reason=EXPORT_DONE
            )
        return validated(shipped)

    return _change_one(path, key, today, change, journal.shipped)


# Order 792 art. 15: "once the export is completed within the validity, the
# license lapses automatically" (individual; a registration's certificate covers
# one export too, art. 19).
EXPORT_DONE: Final = "exported: its one export is done (Order 792 art. 15)"


def _require_shippable(data: StoreData, lic: License) -> None:
    """Only a license in use ships; the law's reasons first, when there is one."""
    if lic.status == Status.EXPORTED:
        raise UsageProblem(
            f"{lic.label()} was exported on {lic.closed or 'an unknown day'}: "
            f"{with_article(lic.kind or 'individual')} license covers one export "
            "and lapses once it is done (Order 792 art. 15); a further export "
            "needs a new license"
        )
    if lic.status == Status.SUSPENDED:
        pending = next(
            (a for a in data.applications if a.pending and a.changes == lic.id), None
        )
        which = f" {app_label(pending.id)}" if pending else ""
        raise UsageProblem(
            f"{lic.label()} is suspended: its change application{which} is "
            "pending, and the license is not used meanwhile (Order 792 art. 18)"
        )
    if lic.status == Status.SURRENDERED:
        raise UsageProblem(
            f"{lic.label()} was surrendered on {lic.closed or 'an unknown day'}: "
            "a key element changed, so exports under it stopped (Order 792 art. "
            "18); ship on the license granted for the new application"
        )
    require_active(lic, "ship")


def _check_shipments_still_fit(old: License, new: License, term: int) -> None:
    """An edit may not strand a recorded shipment outside the license."""
    if not new.shipments:
        return
    problem = shipments_problem(new, term)
    if problem is not None and problem.field != "quantity":
        raise FieldProblem.of(problem)
    if new.unit != old.unit:
        raise FieldProblem(
            "unit",
            f"cannot change once shipped ({old.unit or 'no unit'} in "
            f"{len(new.shipments)} shipment(s))",
        )
    if problem is not None:
        raise FieldProblem.of(problem)


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
