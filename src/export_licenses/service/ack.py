"""licenses ack: "seen" on a license or an application, kept in the store so the
team shares it (and git records it). It holds back notifications until a day or
until the level worsens; it never changes a verdict: warn still reports the truth."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from export_licenses.domain.application import Application
from export_licenses.errors import FieldProblem
from export_licenses.storage import store
from export_licenses.storage.gitrepo import Entry

from .common import (
    Pipeline,
    checked,
    replaced,
    row_for,
    validated,
    with_application,
)
from .keys import find_record

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from export_licenses.domain.rules import Level
    from export_licenses.domain.store_data import StoreData


class Acked(NamedTuple):
    label: str  # "license 7 (MOFCOM-…)", "application A3"
    level: Level | None  # the level it was seen at
    until: date | None
    note: str | None


def ack(
    path: Path, key: str, today: date, until: date | None, note: str | None
) -> Acked:
    """Record the ack on the license or application ``key`` (id, number, A<n>)."""
    if until is not None and until <= today:
        raise FieldProblem("until", f"{until} is not after today ({today})")

    # The level is worked out here, under the writer lock, unlike the verdicts
    # the other writes show (``written``): the ack stores it (ack_level), so
    # it is the level of the store as re-read under the lock.
    def change(data: StoreData) -> tuple[StoreData, Acked]:
        found = find_record(data, key)
        if isinstance(found, Application):
            app = found
            level = Pipeline.of(data, today).assess(app, today).verdict.level
            new_app = checked(
                app._replace(
                    acked=today, ack_level=_value(level), ack_until=until, ack_note=note
                )
            )
            return with_application(data, new_app), Acked(
                app.label(), level, until, note
            )
        lic = found
        level = row_for(data, today, lic).verdict.level
        new = validated(
            lic._replace(
                acked=today, ack_level=_value(level), ack_until=until, ack_note=note
            )
        )
        return replaced(data, new), Acked(lic.label(), level, until, note)

    def record(done: Acked) -> Entry:
        ids = (done.label.split()[1],)
        until_text = f" until {done.until}" if done.until else ""
        return Entry("ack", f"ack {ids[0]}: seen{until_text}", ids)

    return store.update(path, change, record=record)


def _value(level: Level | None) -> str | None:
    return None if level is None else level.value
