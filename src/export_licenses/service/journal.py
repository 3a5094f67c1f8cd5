"""What each write says in the store's git history: one line, the command,
the record and what changed (``add 17: dysprosium oxide to US (MOFCOM-…)``),
with the ids it touched for ``licenses log ID``. Each is made from the records
written, never from their verdicts, which are worked out once the writer lock
is released (``written``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from export_licenses.domain.application import app_label
from export_licenses.storage.gitrepo import Entry

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from export_licenses.domain.application import Application
    from export_licenses.domain.license import License


def _what(lic: License) -> str:
    number = f" ({lic.number})" if lic.number else ""
    return f"{lic.material} to {lic.destination}{number}"


def _amount(value: object, unit: str | None) -> str:
    return f"{value}{f' {unit}' if unit else ''}"


def added(lic: License) -> Entry:
    return Entry("add", f"add {lic.id}: {_what(lic)}", (str(lic.id),))


def edited(
    keys: Iterable[str], *, corrected: bool = False
) -> Callable[[License], Entry]:
    def entry(lic: License) -> Entry:
        changed = ", ".join(sorted(keys)) or "nothing"
        if corrected:  # edit --correct: a typo put right, not a change (art. 18)
            message = f"correct {lic.id}: {changed} corrected (a typo, not a change)"
            return Entry("edit", message, (str(lic.id),))
        return Entry("edit", f"edit {lic.id}: {changed}", (str(lic.id),))

    return entry


def shipped(lic: License) -> Entry:
    last = lic.shipments[-1]
    amount = _amount(f"{last.quantity.normalize():f}", lic.unit)
    return Entry("ship", f"ship {lic.id}: {amount}", (str(lic.id),))


def closed(lic: License) -> Entry:
    verb = "revoke" if lic.status == "revoked" else "close"
    return Entry(
        verb, f"{verb} {lic.id}: {lic.close_reason or lic.status}", (str(lic.id),)
    )


def reopened(lic: License) -> Entry:
    return Entry("reopen", f"reopen {lic.id}: {_what(lic)}", (str(lic.id),))


def removed(lic: License) -> Entry:
    return Entry("remove", f"remove {lic.id}: {_what(lic)}", (str(lic.id),))


def application(command: str) -> Callable[[Application], Entry]:
    """apply, accept, hold, resume, refuse, withdraw: the application and what
    it is about."""

    def entry(app: Application) -> Entry:
        label = app_label(app.id)
        if command == "apply":
            about = (
                f"renewal of {app.renews}"
                if app.renews
                else f"{app.material} to {app.destination}"
            )
        elif command == "accept":
            about = f"accepted {app.accepted}"
            if app.unbounded:
                about += f", no time limit: {app.unbounded}"
        elif command in {"hold", "resume"} and app.holds:
            last = app.holds[-1]
            about = (
                f"clock stopped {last.stopped}"
                + (f": {last.reason}" if last.reason else "")
                if command == "hold"
                else f"clock runs again {last.resumed}"
            )
        else:
            about = app.reason or f"{app.material} to {app.destination}"
        ids = (label, *((str(app.renews),) if app.renews else ()))
        return Entry(command, f"{command} {label}: {about}", ids)

    return entry


def granted(command: str, key: str) -> Callable[[License], Entry]:
    """grant A<n> / renew ID: the new license."""

    def entry(lic: License) -> Entry:
        what = key.upper() if command == "grant" else str(lic.renews or key)
        ids = dict.fromkeys(
            [what, str(lic.id), *([str(lic.renews)] if lic.renews else [])]
        )
        message = f"{command} {what}: license {lic.id}, {_what(lic)}"
        return Entry(command, message, tuple(ids))

    return entry


def changed(made: tuple[Application, License, tuple[str, ...]]) -> Entry:
    """change ID: the application filed, what became of the license, and the
    key elements changed (none: a change application)."""
    app, lic, key = made
    label = app_label(app.id)
    if key:
        what = ", ".join(name.replace("_", " ") for name in key)
        message = f"change {lic.id}: {what} changed; {label} filed, license surrendered"
    else:
        message = f"change {lic.id}: {label} filed, license suspended"
    return Entry("change", message, (str(lic.id), label))


def imported(licenses: tuple[License, ...], source: str) -> Entry:
    count = len(licenses)
    return Entry(
        "import",
        f"import: {count} license{'s' * (count != 1)} from {source}",
        tuple(str(lic.id) for lic in licenses),
    )
