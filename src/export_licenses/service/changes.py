"""Changing a license while it is valid (Order 792 art. 18, DOMAIN.md).

A change of a **key element** — the item, the destination, the end user or the
end use — needs a new application: the old license is surrendered and exports
under it stop. Any other change (the quantity, the exporter, the HS code, ...)
is a change application, decided within 20 working days of acceptance; the
license is not used meanwhile (``suspended``); if granted a new license is
issued and the old one cancelled, if refused the old one is back in use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from export_licenses.domain import rules
from export_licenses.domain.application import Application
from export_licenses.domain.law import KEY_FIELDS, NON_KEY_FIELDS
from export_licenses.domain.license import RENEWED, License, Status
from export_licenses.domain.rows import Changed
from export_licenses.errors import FieldProblem, UsageProblem

from . import journal
from .common import (
    checked,
    day_problem,
    filing_happened,
    find,
    replaced,
    validated,
    with_application,
)
from .written import application_row, write_then_judge

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from export_licenses.domain.application import Filing
    from export_licenses.domain.store_data import StoreData

CITE: Final = "Order 792 art. 18"
# What a change writes, for its commit (journal.changed): the application
# filed, the license as it now is and the key elements changed.
Made = tuple[Application, License, tuple[str, ...]]


def change(
    path: Path, key: str, changes: dict[str, Any], filing: Filing, today: date
) -> Changed:
    """Record a change of license ``key`` (see the module's doc)."""
    filing_happened(filing, today)
    given = filing.filed
    filed = today if given is None else given  # no day given: today
    filing = filing._replace(filed=filed)
    unknown = sorted(set(changes) - set(KEY_FIELDS) - set(NON_KEY_FIELDS))
    if unknown:
        raise FieldProblem(unknown[0], "is not an element a change application changes")
    if not changes:
        raise UsageProblem(
            "nothing to change: give the new --material, --destination, --end-user, "
            "--end-users or --end-use (a new application), or the new --quantity, "
            "--unit, --exporter or --hs-code (a change application)"
        )

    def apply(data: StoreData) -> tuple[StoreData, Made]:
        lic = find(data, key)
        _require_changeable(data, lic, filed, given)
        for name, value in changes.items():
            if getattr(lic, name) == value:
                raise FieldProblem(name, f"is already {_shown(value)} on {lic.label()}")
        key_changed = tuple(name for name in KEY_FIELDS if name in changes)
        app = _application(data, lic, changes, filing, key_changed)
        if key_changed:
            what = ", ".join(name.replace("_", " ") for name in key_changed)
            now = lic._replace(
                status=Status.SURRENDERED,
                closed=filed,
                close_reason=(
                    f"surrendered: {what} changed, new application A{app.id} ({CITE})"
                ),
            )
        else:
            now = lic._replace(status=Status.SUSPENDED)
        new_data = with_application(replaced(data, validated(now)), app)
        return new_data, (app, now, key_changed)

    def judge(new_data: StoreData, made: Made) -> Changed:
        app, now, key_changed = made
        return Changed(application_row(today)(new_data, app), now, key_changed)

    return write_then_judge(path, apply, judge, journal.changed, today=today, seen=True)


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return "; ".join(map(str, value))
    return str(value)


def _require_changeable(
    data: StoreData, lic: License, on: date, given: date | None
) -> None:
    pending = next(
        (a for a in data.applications if a.pending and lic.id in {a.renews, a.changes}),
        None,
    )
    if pending is not None:
        raise UsageProblem(
            f"{lic.label()} has a pending {pending.purpose.value} application, "
            f"A{pending.id}: decide or withdraw it first"
        )
    if lic.status != Status.ACTIVE:
        raise UsageProblem(
            f"{lic.label()} is {lic.status}: only a license in use can be "
            f"changed ({CITE})"
        )
    if on < lic.issued:
        raise day_problem(given, on, f"is before the issue date {lic.issued}")
    expires = rules.expiry(lic, data.settings.term_months)
    if on > expires:
        raise UsageProblem(
            f"{lic.label()} expired on {expires}: a change is made while a license "
            f"is valid ({CITE}); file a new application (licenses apply -m ... -d ...)"
        )


def _application(
    data: StoreData,
    lic: License,
    changes: dict[str, Any],
    filing: Filing,
    key_changed: tuple[str, ...],
) -> Application:
    """The application: the license's terms with the changes made."""
    terms: dict[str, Any] = {name: getattr(lic, name) for name in RENEWED} | changes
    terms["replaces" if key_changed else "changes"] = lic.id
    return checked(
        Application(
            id=data.next_application_id(),
            **terms,
            **filing._asdict(),
        )
    )
