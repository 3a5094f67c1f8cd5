"""The operations behind the commands. No parsing of argv and no rendering here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, NamedTuple

from . import rules, store
from .calendars import WorkingDays, calendar_for
from .countries import to_alpha2
from .errors import InvalidValue, UsageProblem
from .model import License, Shipment, license_from_table, license_to_table
from .rules import Level, Verdict

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import date
    from decimal import Decimal
    from pathlib import Path

    from .model import Settings
    from .store import StoreData, StoreHead

# The JSON row's keys, in order. Keys may be added, never removed or renamed.
ROW_KEYS: Final = (
    "id",
    "number",
    "material",
    "destination",
    "issued",
    "expires",
    "days_left",
    "level",
    "status",
    "term_months",
    "notes",
    "renew_by",
    "reasons",
    "kind",
    "exporter",
    "end_user",
    "hs_code",
    "quantity",
    "unit",
    "shipped",
    "renewal_filed",
    "renews",
    "superseded_by",
)

# Option names for the fields a command line sets, for messages.
_OPTION: Final = {"notes": "--note", "term_months": "--term"}
# Fields `edit --unset` may clear.
UNSETTABLE: Final = (
    "number",
    "kind",
    "exporter",
    "end_user",
    "quantity",
    "unit",
    "hs_code",
    "notes",
)


def option_error(exc: InvalidValue) -> UsageProblem:
    """A model complaint about a value typed on the command line, naming the option."""
    option = _OPTION.get(exc.field, "--" + exc.field.replace("_", "-"))
    return UsageProblem(f"{option}: {exc.message}")


def _number(amount: Decimal | None) -> int | float | None:
    if amount is None:
        return None
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


class Row(NamedTuple):
    """A license with its verdict for one day: what list, due, warn and show print."""

    license: License
    verdict: Verdict
    # The term in months the expiry rests on (None with an explicit expiry).
    term_months: int | None = None

    def as_json(self) -> dict[str, Any]:
        """The contract's JSON row: every key always present, null when empty."""
        lic, verdict = self.license, self.verdict
        return {
            "id": lic.id,
            "number": lic.number,
            "material": lic.material,
            "destination": lic.destination,
            "issued": lic.issued.isoformat(),
            "expires": verdict.expires.isoformat(),
            "days_left": verdict.days_left,
            "level": None if verdict.level is None else verdict.level.value,
            "status": lic.status,
            "term_months": lic.term_months,
            "notes": lic.notes,
            "renew_by": _iso(verdict.renew_by),
            "reasons": list(verdict.reasons),
            "kind": lic.kind,
            "exporter": lic.exporter,
            "end_user": lic.end_user,
            "hs_code": lic.hs_code,
            "quantity": _number(lic.quantity),
            "unit": lic.unit,
            "shipped": _number(lic.shipped),
            "renewal_filed": _iso(lic.renewal_filed),
            "renews": lic.renews,
            "superseded_by": lic.superseded_by,
        }


def _rows(
    settings: Settings,
    today: date,
    licenses: Iterable[License],
    *,
    warn_days: int | None = None,
    critical_days: int | None = None,
) -> list[Row]:
    chosen = list(licenses)
    # Building a holiday calendar costs time: only when an active license needs it.
    calendar = (
        calendar_for(settings.calendar)
        if any(lic.active for lic in chosen)
        else WorkingDays()  # Monday to Friday: cheap, and unused by inactive ones
    )
    rows = [
        Row(
            lic,
            rules.assess(
                lic,
                settings,
                today,
                calendar,
                warn_days=warn_days,
                critical_days=critical_days,
            ),
            None if lic.expires else (lic.term_months or settings.term_months),
        )
        for lic in chosen
    ]
    rows.sort(key=lambda row: (row.verdict.expires, row.license.id))
    return rows


def _row(settings: Settings, today: date, lic: License) -> Row:
    return _rows(settings, today, [lic])[0]


def _validated(lic: License) -> License:
    """Run a license built from options through the store's own validation."""
    try:
        return license_from_table(license_to_table(lic))
    except InvalidValue as exc:
        raise option_error(exc) from None


def _find(data: StoreData, key: str) -> License:
    wanted = key.strip()
    if wanted.isdigit():
        found = next((lic for lic in data.licenses if lic.id == int(wanted)), None)
        if found is not None:
            return found
    found = _by_number(data, wanted)
    if found is None:
        raise UsageProblem(f"no license with id or number {key!r}")
    return found


def _by_number(data: StoreData, number: str) -> License | None:
    wanted = number.casefold()
    return next(
        (
            lic
            for lic in data.licenses
            if lic.number and lic.number.casefold() == wanted
        ),
        None,
    )


def _check_number_free(data: StoreData, lic: License) -> None:
    if lic.number is None:
        return
    taken = _by_number(data, lic.number)
    if taken is not None and taken.id != lic.id:
        raise UsageProblem(f"--number: {lic.number} is already {taken.label()}")


def _replace(data: StoreData, *changed: License) -> StoreData:
    by_id = {lic.id: lic for lic in data.licenses}
    by_id.update((lic.id, lic) for lic in changed)
    return data._replace(licenses=tuple(sorted(by_id.values(), key=lambda x: x.id)))


def _change_one(
    path: Path, key: str, today: date, change: Callable[[StoreData, License], License]
) -> Row:
    """Lock, find the license, apply ``change``, write; return its new row."""

    def apply(data: StoreData) -> tuple[StoreData, Row]:
        new = change(data, _find(data, key))
        new_data = _replace(data, new)
        return new_data, _row(new_data.settings, today, new)

    return store.update(path, apply)


def _require_active(lic: License, doing: str) -> None:
    if not lic.active:
        raise UsageProblem(
            f"{lic.label()} is {lic.status}; only an active license can {doing}"
        )


# --- commands ----------------------------------------------------------------


def init(path: Path) -> bool:
    return store.create(path)


def add(path: Path, fields: dict[str, Any], today: date) -> Row:
    """Validate, then append a license; creates the store when it is missing.

    ``fields`` holds License field values (material, destination, issued, ...).
    """
    if fields.get("term_months") is not None and fields.get("expires") is not None:
        raise UsageProblem("--term and --expires exclude each other: give one")
    draft = _validated(License(id=1, **fields))

    def append(head: StoreHead) -> tuple[tuple[License, ...], Row]:
        lic = draft._replace(id=head.next_id)
        if lic.number is not None and lic.number.casefold() in head.numbers:
            taken = head.numbers[lic.number.casefold()]
            raise UsageProblem(f"--number: {lic.number} is already {taken}")
        if lic.term_months is None and lic.expires is None:
            # Record the term on the license, so that a later change of the
            # [settings] term never moves the expiry of a license already added.
            lic = lic._replace(term_months=head.settings.term_months)
        return (lic,), _row(head.settings, today, lic)

    return store.append(path, append, create=True)


def edit(
    path: Path, key: str, changes: dict[str, Any], unset: Iterable[str], today: date
) -> Row:
    """Change fields with the same validation as add."""
    changes = dict(changes)
    if "term_months" in changes and "expires" in changes:
        raise UsageProblem("--term and --expires exclude each other: give one")
    # A new term drops an explicit expiry, and the other way round.
    if "term_months" in changes:
        changes["expires"] = None
    elif "expires" in changes:
        changes["term_months"] = None
    for name in unset:
        if name not in UNSETTABLE:
            raise UsageProblem(
                f"--unset: {name!r} cannot be cleared; "
                f"choose from {', '.join(UNSETTABLE)}"
            )
        changes[name] = None
    if not changes:
        raise UsageProblem("nothing to change: give at least one option")

    def change(data: StoreData, lic: License) -> License:
        new = _validated(lic._replace(**changes))
        _check_number_free(data, new)
        if new.quantity is not None and new.shipped > new.quantity:
            raise UsageProblem(
                f"--quantity: {new.quantity} is below the {new.shipped} already shipped"
            )
        return new

    return _change_one(path, key, today, change)


def apply(path: Path, key: str, on: date, today: date) -> Row:
    """The renewal application was filed: its deadline no longer flags the license."""

    def change(_: StoreData, lic: License) -> License:
        if lic.status != "active":
            raise UsageProblem(
                f"{lic.label()} is {lic.status}, not active: nothing to file"
            )
        if on < lic.issued:
            raise UsageProblem(f"--on: {on} is before the issue date {lic.issued}")
        return lic._replace(status="renewal-filed", renewal_filed=on)

    return _change_one(path, key, today, change)


class NewTerm(NamedTuple):
    issued: date
    number: str | None = None
    term_months: int | None = None
    expires: date | None = None


def renew(path: Path, key: str, term: NewTerm, today: date) -> Row:
    """The new license was granted: a copy with new dates; the old one is renewed."""
    if term.term_months is not None and term.expires is not None:
        raise UsageProblem("--term and --expires exclude each other: give one")

    def change(data: StoreData) -> tuple[StoreData, Row]:
        old = _find(data, key)
        _require_active(old, "be renewed")
        new = _validated(
            License(
                id=data.next_id(),
                number=term.number,
                material=old.material,
                destination=old.destination,
                issued=term.issued,
                term_months=term.term_months
                if term.term_months is not None or term.expires is not None
                else data.settings.term_months,
                expires=term.expires,
                kind=old.kind,
                exporter=old.exporter,
                end_user=old.end_user,
                quantity=old.quantity,
                unit=old.unit,
                hs_code=old.hs_code,
                renews=old.id,
            )
        )
        _check_number_free(data, new)
        done = old._replace(status="renewed", superseded_by=new.id)
        new_data = _replace(data, done, new)
        return new_data, _row(new_data.settings, today, new)

    return store.update(path, change)


def ship(
    path: Path, key: str, quantity: Decimal, on: date, note: str | None, today: date
) -> Row:
    """Record a shipment against the license (drawdown)."""

    def change(data: StoreData, lic: License) -> License:
        _require_active(lic, "ship")
        expires = rules.expiry(lic, data.settings.term_months)
        if on < lic.issued:
            raise UsageProblem(f"--on: {on} is before the issue date {lic.issued}")
        if on > expires:
            raise UsageProblem(f"--on: {on} is after the license expired ({expires})")
        if lic.quantity is not None and lic.shipped + quantity > lic.quantity:
            left = lic.quantity - lic.shipped
            unit = f" {lic.unit}" if lic.unit else ""
            raise UsageProblem(
                f"QUANTITY: {quantity}{unit} is more than the {left}{unit} left "
                f"on {lic.label()}"
            )
        shipment = Shipment(on=on, quantity=quantity, note=note)
        return _validated(lic._replace(shipments=(*lic.shipments, shipment)))

    return _change_one(path, key, today, change)


def close(path: Path, key: str, reason: str | None, revoked: bool, today: date) -> Row:
    """The license is finished or revoked; it stays in the store (art. 27)."""

    def change(_: StoreData, lic: License) -> License:
        _require_active(lic, "be closed")
        status = "revoked" if revoked else "closed"
        return _validated(
            lic._replace(status=status, closed=today, close_reason=reason)
        )

    return _change_one(path, key, today, change)


def remove(path: Path, key: str) -> License:
    """Delete a record entered by mistake; its id is never given out again."""

    def change(data: StoreData) -> tuple[StoreData, License]:
        lic = _find(data, key)
        rest = tuple(other for other in data.licenses if other.id != lic.id)
        new_data = data._replace(licenses=rest, removed_ids=(*data.removed_ids, lic.id))
        return new_data, lic

    return store.update(path, change)


def get(path: Path, key: str) -> License:
    return _find(store.read(path), key)


def list_licenses(
    path: Path,
    today: date,
    *,
    include_all: bool = False,
    material: str | None = None,
    destination: str | None = None,
    status: str | None = None,
    kind: str | None = None,
) -> list[Row]:
    data = store.read(path)
    wanted_material = material.casefold() if material else None
    wanted_destination = _destination_needle(destination)
    chosen = [
        lic
        for lic in data.licenses
        if (lic.status == status if status else include_all or lic.active)
        and (kind is None or lic.kind == kind)
        and (wanted_material is None or wanted_material in lic.material.casefold())
        and (
            wanted_destination is None
            or wanted_destination in lic.destination.casefold()
        )
    ]
    return _rows(data.settings, today, chosen)


def _destination_needle(text: str | None) -> str | None:
    """Match on the alpha-2 code; a longer name or alpha-3 code is resolved first."""
    if not text:
        return None
    if len(text.strip()) > 2:  # noqa: PLR2004 - alpha-2 codes are two letters
        try:
            return to_alpha2(text).casefold()
        except InvalidValue:
            pass  # no such country: an ordinary substring that matches nothing
    return text.strip().casefold()


def due(path: Path, today: date, within: int | None = None) -> list[Row]:
    """Active licenses whose expiry, or renewal deadline unless filed, is near."""
    data = store.read(path)
    limit = data.settings.warn_days if within is None else within
    return [
        row
        for row in _rows(
            data.settings, today, (lic for lic in data.licenses if lic.active)
        )
        if row.verdict.days_left <= limit
        or (
            row.license.status == "active"
            and row.verdict.renew_by is not None
            and (row.verdict.renew_by - today).days <= limit
        )
    ]


class WarnReport(NamedTuple):
    state: str  # "OK" | "WARNING" | "CRITICAL"
    rows: list[Row]  # flagged only, worst first
    ok_count: int = 0  # active licenses not flagged

    @property
    def exit_code(self) -> int:
        return {"OK": 0, "WARNING": 1, "CRITICAL": 2}[self.state]


def warn(
    path: Path, today: date, within: int | None = None, critical: int | None = None
) -> WarnReport:
    """The monitoring check: flagged licenses, worst first, and the overall state."""
    if within is not None and critical is not None and critical > within:
        raise UsageProblem(
            f"--critical ({critical}) must not be above --within ({within})"
        )
    data = store.read(path)
    warn_days = data.settings.warn_days if within is None else within
    if critical is not None and critical > warn_days:
        raise UsageProblem(
            f"--critical ({critical}) must not be above the warning threshold "
            f"({warn_days}, from [settings] warn_days)"
        )
    critical_days = data.settings.critical_days if critical is None else critical
    # A lone --within below the stored critical_days narrows both thresholds.
    critical_days = min(critical_days, warn_days)
    rows = _rows(
        data.settings,
        today,
        (lic for lic in data.licenses if lic.active),
        warn_days=warn_days,
        critical_days=critical_days,
    )
    flagged = [r for r in rows if r.verdict.level not in {None, Level.OK}]
    flagged.sort(key=lambda r: -_severity(r))  # stable: expiry, id within a level
    worst = rules.worst([r.verdict.level for r in flagged if r.verdict.level])
    state = {Level.OK: "OK", Level.WARNING: "WARNING"}.get(worst, "CRITICAL")
    return WarnReport(state, flagged, len(rows) - len(flagged))


def _severity(row: Row) -> int:
    return 0 if row.verdict.level is None else row.verdict.level.severity


def find(path: Path, today: date, key: str) -> Row:
    """One license by id or by license number (any case)."""
    data = store.read(path)
    return _row(data.settings, today, _find(data, key))
