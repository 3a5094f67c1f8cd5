"""A write whose command shows a verdict (edit, close, reopen, ship, grant,
renew, apply, accept, hold, resume, change, refuse, withdraw): the change is
checked and written under the store's writer lock; the verdict it shows is
worked out from the store as written once the lock is released.

A verdict may import ``holidays`` and fit the review-time model on a cold
cache (0.15-0.25 s), and every other writer of a team would wait that long for
the lock (issue 21). ``add`` does the same through ``store.append``; ``ack``
alone works its verdict out under the lock, as it stores the level it saw.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from export_licenses.errors import LicensesError, ShownAfterWrite
from export_licenses.storage import store

from . import journal
from .common import Pipeline, row_for, seen_on

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date
    from pathlib import Path

    from export_licenses.domain.application import Application
    from export_licenses.domain.license import License
    from export_licenses.domain.rows import AppRow, Row
    from export_licenses.domain.store_data import StoreData
    from export_licenses.storage.gitrepo import Entry

R = TypeVar("R")  # what the change made: the record(s) written
V = TypeVar("V")  # what the command shows of it: with the verdicts


def write_then_judge(
    path: Path,
    change: Callable[[StoreData], tuple[StoreData, R]],
    judge: Callable[[StoreData, R], V],
    record: Callable[[R], Entry],
    *,
    today: date,
    seen: bool = False,
) -> V:
    """``store.update`` with ``change``, its git commit named by ``record`` of
    what the change made; then, with the lock released, ``judge`` of the store
    the change made and of what it made. With ``seen``, the change sees the
    store as the read commands show it on ``today`` (``seen_on``), and so does
    ``judge``: the verdict is the one a read would give."""

    def kept(data: StoreData) -> tuple[StoreData, tuple[StoreData, R]]:
        # Inside seen_on: the store written as that day shows it (an export
        # completed ahead is in use yet), which the verdict was always of.
        new_data, made = change(data)
        return new_data, (new_data, made)

    run = seen_on(today, kept) if seen else kept
    new_data, made = store.update(path, run, record=lambda done: record(done[1]))
    try:
        return judge(new_data, made)
    except LicensesError as exc:
        msg = f"{path}: the change was written, but what to show of it failed: {exc}"
        raise ShownAfterWrite(msg, exc.exit_code) from exc
    except Exception as exc:  # a bug: said as one, and that the store changed
        msg = (
            f"{path}: the change was written, but what to show of it failed "
            f"(internal error, {type(exc).__name__}: {exc}); this is a bug, "
            "please report it with the command that caused it"
        )
        raise ShownAfterWrite(msg, LicensesError.exit_code) from exc  # EX_SOFTWARE


def license_row(today: date) -> Callable[[StoreData, License], Row]:
    """A ``judge``: the license's row on ``today``."""
    return lambda data, lic: row_for(data, today, lic)


def application_row(today: date) -> Callable[[StoreData, Application], AppRow]:
    """A ``judge``: the application's row on ``today``."""
    return lambda data, app: Pipeline.of(data, today).assess(app, today)


def write_application(
    path: Path,
    change: Callable[[StoreData], tuple[StoreData, Application]],
    today: date,
    command: str,
    *,
    seen: bool = False,
) -> AppRow:
    """``write_then_judge`` of a change to one application (apply, accept,
    hold, resume): committed under ``command``'s name, shown as its row."""
    return write_then_judge(
        path,
        change,
        application_row(today),
        journal.application(command),
        today=today,
        seen=seen,
    )
