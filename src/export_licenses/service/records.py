"""The operations that change a license: init (with --git: ``history``), add,
edit, close, reopen. Each locks, re-reads, checks, writes atomically
(``store``); the verdict it shows is worked out once the lock is released
(``written``). Applications (apply, accept) are in ``applications``, their
decision in ``decisions``; a shipment (ship) in ``shipping``; removing a license
entered by mistake in ``removal``.

The service side of ``cli/records.py``: here the checks and the write; the
commands parse the options and say what was done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, NamedTuple

from export_licenses.domain.drawdown import shipments_problem
from export_licenses.domain.law import KEY_FIELDS
from export_licenses.domain.license import UNSETTABLE, License, Status
from export_licenses.domain.license_table import numbers_in
from export_licenses.errors import FieldProblem, UsageProblem
from export_licenses.storage import store

from . import journal
from .common import (
    check_calendar,
    check_number_free,
    check_term,
    find,
    happened,
    replaced,
    require_active,
    row_for,
    validated,
)
from .law import check_cap, known_authority, with_term
from .written import license_row, write_then_judge

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import date
    from pathlib import Path

    from export_licenses.domain.rows import Row
    from export_licenses.domain.store_data import StoreData
    from export_licenses.storage.gitrepo import Entry


def change_one(
    path: Path,
    key: str,
    today: date,
    change: Callable[[StoreData, License], License],
    record: Callable[[License], Entry],
) -> Row:
    """Lock, find the license, apply ``change``, write; return its new row,
    worked out once the lock is released (``written``; for ``shipping`` too)."""

    def apply(data: StoreData) -> tuple[StoreData, License]:
        new = change(data, find(data, key))
        return replaced(data, new), new

    return write_then_judge(
        path, apply, license_row(today), record, today=today, seen=True
    )


def init(path: Path, *, git: bool = False) -> str:
    """An empty store with the default settings, unless one is there; with
    ``git``, the store under git (``history.init_git``). What happened, in a
    sentence."""
    if git:
        from .history import init_git  # noqa: PLC0415 - git's operations: init --git only (26 M instructions)

        return init_git(path)
    if store.create(path):
        return f"Created an empty store at {path}"
    return f"A store already exists at {path}; left as it is"


def add(path: Path, fields: dict[str, Any], today: date) -> Row:
    """Validate, then append a license; creates the store when it is missing.

    ``fields`` holds License field values (material, destination, issued, ...).
    The new license's verdict comes from the store as written (observed review
    times rest on its history), worked out once the lock is released.
    """
    check_term(fields)
    draft = validated(License(id=1, **fields))
    happened("issued", draft.issued, today)  # as grant refuses it

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
) -> Edited:
    """Change fields with the same validation as add; whether anything changed.

    A key element (item, destination, end user, end use) of a license that
    has shipped is not edited: that is either a typo put right (``correct``)
    or a real change, which needs a new application (Order 792 art. 18,
    ``changes.change``)."""
    changes = _cleared(changes, unset)
    check_term(changes)
    happened("issued", changes.get("issued"), today)
    # A new term drops an explicit expiry, and the other way round.
    if "term_months" in changes:
        changes["expires"] = None
    elif "expires" in changes:
        changes["term_months"] = None
    if not changes:
        raise UsageProblem("nothing to change: give at least one option")

    def change(data: StoreData, lic: License) -> License:
        _typo_or_change(lic, changes, correct=correct)
        new = _edited(lic, changes)
        if "authority" in changes:
            new = new._replace(authority=known_authority(data, new.authority))
        if _TERMS & set(changes):  # an edit of anything else keeps what was read
            check_cap(data, new)
        check_number_free(numbers_in(o for o in data.licenses if o.id != lic.id), new)
        _check_shipments_still_fit(lic, new, data.settings.term_months)
        if new == lic:  # nothing to write: never "Changed" for a file as it was
            raise _Unchanged(data, lic)
        return new

    record = journal.edited(changes, corrected=correct)
    try:
        return Edited(change_one(path, key, today, change, record), changed=True)
    except _Unchanged as same:  # its verdict too once the lock is released
        return Edited(row_for(same.data, today, same.license), changed=False)


def _edited(lic: License, changes: dict[str, Any]) -> License:
    """``lic`` with ``changes``, validated as the store validates it."""
    try:
        return validated(lic._replace(**changes))
    except FieldProblem as problem:
        # The term kept, a new issue date carries the expiry past 2199: the
        # mistake is the date typed, not a term nobody gave.
        if problem.fields == ("term_months",) and "term_months" not in changes:
            raise FieldProblem("issued", problem.message) from None
        raise


class Edited(NamedTuple):
    row: Row
    changed: bool  # False: the license already held what was given; not written


class _Unchanged(Exception):
    """Leaves ``store.update`` without a write (an exception writes nothing)."""

    def __init__(self, data: StoreData, lic: License) -> None:
        super().__init__()
        self.data = data
        self.license = lic


def _cleared(changes: dict[str, Any], unset: Iterable[str]) -> dict[str, Any]:
    """``changes`` and each field of ``unset`` cleared; a field both given and
    cleared is refused: which was meant? (Neither won silently before.)"""
    cleared = dict(changes)
    for name in unset:
        if name not in UNSETTABLE:
            raise FieldProblem(
                "unset",
                f"{name!r} cannot be cleared; choose from {', '.join(UNSETTABLE)}",
            )
        if name in changes:
            raise FieldProblem((f"unset={name}", name), "exclude each other: give one")
        cleared[name] = None
    return cleared


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

    return change_one(path, key, today, change, journal.closed)


def reopen(path: Path, key: str, today: date) -> Row:
    """A closed or revoked license is active again; the closing stays on record."""

    def change(_: StoreData, lic: License) -> License:
        if lic.status not in {Status.CLOSED, Status.REVOKED}:
            raise UsageProblem(
                f"{lic.label()} is {lic.status}; only a closed or revoked license "
                "can be reopened"
            )
        return validated(lic._replace(status=Status.ACTIVE, reopened=today))

    return change_one(path, key, today, change, journal.reopened)
