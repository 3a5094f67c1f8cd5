"""The operations behind the commands. No parsing of argv and no rendering here."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from . import rules, store
from .countries import to_alpha2
from .errors import InvalidValue, UsageProblem
from .model import MAX_TERM_MONTHS, License, check_expires, check_int, check_text
from .rules import Level, Verdict

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date
    from pathlib import Path

    from .store import StoreData

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
)

# Option names for the fields a command line sets, for messages.
_OPTION: Final = {"notes": "--note", "term_months": "--term"}


def option_error(exc: InvalidValue) -> UsageProblem:
    """A model complaint about a value typed on the command line, naming the option."""
    option = _OPTION.get(exc.field, "--" + exc.field.replace("_", "-"))
    return UsageProblem(f"{option}: {exc.message}")


@dataclass(frozen=True, slots=True)
class Row:
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
        }


def _rows(
    data: StoreData,
    today: date,
    licenses: Iterable[License] | None = None,
    *,
    warn_days: int | None = None,
    critical_days: int | None = None,
) -> list[Row]:
    rows = [
        Row(
            lic,
            rules.assess(
                lic,
                data.settings,
                today,
                warn_days=warn_days,
                critical_days=critical_days,
            ),
            None if lic.expires else (lic.term_months or data.settings.term_months),
        )
        for lic in (data.licenses if licenses is None else licenses)
    ]
    rows.sort(key=lambda row: (row.verdict.expires, row.license.id))
    return rows


# --- commands ----------------------------------------------------------------


def init(path: Path) -> bool:
    return store.create(path)


@dataclass(frozen=True, slots=True)
class NewLicense:
    material: str
    destination: str  # alpha-2, already resolved from what the user typed
    issued: date
    number: str | None = None
    term_months: int | None = None
    expires: date | None = None
    notes: str | None = None


def add(path: Path, new: NewLicense, today: date) -> Row:
    """Validate, then append a license; creates the store when it is missing."""
    if new.term_months is not None and new.expires is not None:
        raise UsageProblem("--term and --expires exclude each other: give one")
    try:
        if new.term_months is not None:
            check_int("term_months", new.term_months, 1, MAX_TERM_MONTHS)
        material = check_text("material", new.material)
        number = None if new.number is None else check_text("number", new.number)
        notes = (
            None
            if new.notes is None
            else check_text("notes", new.notes, multiline=True)
        )
        if new.expires is not None:
            check_expires(new.issued, new.expires)
    except InvalidValue as exc:
        raise option_error(exc) from None

    def append(data: StoreData) -> tuple[StoreData, Row]:
        if number is not None:
            taken = _by_number(data, number)
            if taken is not None:
                raise UsageProblem(f"--number: {number} is already {taken.label()}")
        # Record the term on the license, so that a later change of the
        # [settings] term never moves the expiry of a license already added.
        term = new.term_months
        if term is None and new.expires is None:
            term = data.settings.term_months
        lic = License(
            id=data.next_id(),
            number=number,
            material=material,
            destination=new.destination,
            issued=new.issued,
            term_months=term,
            expires=new.expires,
            notes=notes,
        )
        new_data = dataclasses.replace(data, licenses=(*data.licenses, lic))
        return new_data, _rows(new_data, today, [lic])[0]

    return store.update(path, append, create=True)


def list_licenses(
    path: Path,
    today: date,
    *,
    include_all: bool = False,
    material: str | None = None,
    destination: str | None = None,
) -> list[Row]:
    data = store.read(path)
    wanted_material = material.casefold() if material else None
    wanted_destination = _destination_needle(destination)
    chosen = [
        lic
        for lic in data.licenses
        if (include_all or lic.active)
        and (wanted_material is None or wanted_material in lic.material.casefold())
        and (
            wanted_destination is None
            or wanted_destination in lic.destination.casefold()
        )
    ]
    return _rows(data, today, chosen)


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
    """Active licenses with at most ``within`` days left (default warn_days)."""
    data = store.read(path)
    limit = data.settings.warn_days if within is None else within
    return [
        row
        for row in _rows(data, today, (lic for lic in data.licenses if lic.active))
        if row.verdict.days_left <= limit
    ]


@dataclass(frozen=True, slots=True)
class WarnReport:
    state: str  # "OK" | "WARNING" | "CRITICAL"
    rows: list[Row]  # flagged only, worst first

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
    critical_days = data.settings.critical_days if critical is None else critical
    # A lone --within below the stored critical_days narrows both thresholds.
    critical_days = min(critical_days, warn_days)
    rows = _rows(
        data,
        today,
        (lic for lic in data.licenses if lic.active),
        warn_days=warn_days,
        critical_days=critical_days,
    )
    flagged = [r for r in rows if r.verdict.level not in {None, Level.OK}]
    flagged.sort(key=lambda r: -_severity(r))  # stable: expiry, id within a level
    worst = rules.worst([r.verdict.level for r in flagged if r.verdict.level])
    state = {Level.OK: "OK", Level.WARNING: "WARNING"}.get(worst, "CRITICAL")
    return WarnReport(state, flagged)


def _severity(row: Row) -> int:
    return 0 if row.verdict.level is None else row.verdict.level.severity


def find(path: Path, today: date, key: str) -> Row:
    """One license by id or by license number (any case)."""
    data = store.read(path)
    wanted = key.strip()
    found: License | None = None
    if wanted.isdigit():
        found = next((lic for lic in data.licenses if lic.id == int(wanted)), None)
    if found is None:
        found = _by_number(data, wanted)
    if found is None:
        raise UsageProblem(f"no license with id or number {key!r} in {path}")
    return _rows(data, today, [found])[0]


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
