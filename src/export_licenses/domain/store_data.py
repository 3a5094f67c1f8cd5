"""What a validated store is: the records of one store file, and the checks that
turn a parsed TOML document into them (one line naming the file, the record and
the field for anything wrong)."""

from collections.abc import (
    Iterator,
    Mapping,
)
from datetime import date
from pathlib import Path
from typing import Any, Final, NamedTuple

from export_licenses.errors import InvalidStore, InvalidValue

from .application import Application, AppStatus, application_from_table
from .control_tables import controls_from_tables
from .controls import Control
from .key_names import unknown_keys
from .license import MAX_ID, STORE_VERSION, License, Status
from .license_table import license_from_table, number_taken, numbers_in
from .settings import Settings, settings_from_table
from .store_links import check_links
from .values import describe

# Keys the tool does not know may hold tables and arrays this deep, at most.
MAX_NESTING: Final = 100
_TOP_KEYS: Final = frozenset(
    {
        "version",
        "removed_ids",
        "settings",
        "license",
        "application",
        "control",
        "authority",
    }
)


class StoreData(NamedTuple):
    settings: Settings = Settings()
    licenses: tuple[License, ...] = ()
    # Ids of removed licenses: ids are never reused.
    removed_ids: tuple[int, ...] = ()
    # Top-level keys a person added that this version does not know; never
    # changed in place, so one shared empty default is safe.
    extra: Mapping[str, Any] = {}
    applications: tuple[Application, ...] = ()
    # [[control]] blocks: announcements the package's catalogue does not know
    # yet, or replacements of its entries (issue 23).
    controls: tuple[Control, ...] = ()
    # [authority.NAME] tables as written: they override the package's profiles
    # key by key, so they are checked against them by the storage layer
    # (storage/catalogue.py), which reads the package's data.
    authorities: Mapping[str, Any] = {}

    def next_id(self) -> int:
        used = [lic.id for lic in self.licenses] + list(self.removed_ids)
        return max(used, default=0) + 1

    def next_application_id(self) -> int:
        return max((app.id for app in self.applications), default=0) + 1

    def on(self, today: date) -> "StoreData":
        """The store as it stands on ``today``, for every view of it: an export
        completed by a shipment dated after today (tomorrow, allowed for clock
        slack) has not happened yet, so its license is in use until that day
        (Order 792 art. 15: it lapses "once the export is completed"). The
        file keeps the status it was written with, ``exported`` from that day."""
        # Asked of every license on every read: ``closed`` first, None for
        # nearly all, ends the test (a call and the enum's look-up per license
        # first cost 19.5 M instructions of due at 10,000: 2.3 % of its run).
        ahead = {
            lic.id
            for lic in self.licenses
            if lic.closed is not None and lic.closed > today and lic.status == _EXPORTED
        }
        if not ahead:
            return self
        return self._replace(
            licenses=tuple(
                _before_export(lic) if lic.id in ahead else lic for lic in self.licenses
            )
        )


_EXPORTED: Final = Status.EXPORTED  # a module constant: looked up per license


def _before_export(lic: License) -> License:
    """The license as it was before its completing shipment's day: in use
    (renewal-filed if its renewal was filed), the shipment recorded ahead."""
    status = Status.RENEWAL_FILED if lic.renewal_filed else Status.ACTIVE
    return lic._replace(status=status, closed=None, close_reason=None)


def validate(doc: dict[str, Any], path: Path) -> StoreData:
    if "version" not in doc:
        # Also what an empty or truncated file looks like: never read as "no
        # licenses", which would turn monitoring green.
        raise InvalidStore(
            f"{path}: version: is missing (a store begins with version = 1); "
            "an empty or cut-off file is not a store"
        )
    version = doc["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidStore(
            f"{path}: version: expected a whole number from 1 (this licenses "
            f"writes {STORE_VERSION}), got {describe(version)}"
        )
    if version > STORE_VERSION:
        raise InvalidStore(
            f"{path}: written by a newer licenses (store version {version}; this one "
            f"reads version {STORE_VERSION}); upgrade licenses, the file is left as is"
        )
    try:
        # Before the tables: [[licence]] is a misspelling, not a store of none.
        extra = unknown_keys(doc, _TOP_KEYS)
    except InvalidValue as exc:
        raise InvalidStore(f"{path}: {exc.field}: {exc.message}") from None
    try:
        settings = settings_from_table(doc.get("settings", {}))
    except InvalidValue as exc:
        raise InvalidStore(f"{path}: [settings] {exc.field}: {exc.message}") from None

    licenses = _licenses(doc.get("license", []), path)
    removed = doc.get("removed_ids", [])
    if not isinstance(removed, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) and 0 < i <= MAX_ID
        for i in removed
    ):
        raise InvalidStore(
            f"{path}: removed_ids: expected a list of whole numbers from 1 to {MAX_ID}"
        )
    applications = _applications(doc.get("application", []), path)
    authorities = doc.get("authority", {})
    if not isinstance(authorities, dict):
        raise InvalidStore(
            f"{path}: authority: write each one as its own [authority.NAME] table"
        )
    check_links(licenses, frozenset(removed), path, applications)
    _check_nesting(
        settings, licenses, applications, extra | {"authority": authorities}, path
    )
    return StoreData(
        settings,
        licenses,
        tuple(removed),
        extra,
        applications + _renewals_filed_before_applications(licenses, applications),
        controls_from_tables(doc["control"], str(path)) if "control" in doc else (),
        authorities,
    )


def _check_nesting(
    settings: Settings,
    licenses: tuple[License, ...],
    applications: tuple[Application, ...],
    extra: Mapping[str, Any],
    path: Path,
) -> None:
    """Keys the tool does not know are kept on every rewrite, so they must be
    writable: a table nested a thousand levels deep reads, but no TOML writer
    (nor JSON) recurses that far."""
    # Most records have no unknown keys: only those that do are named.
    owners: list[tuple[str, Mapping[str, Any]]] = [
        ("", extra),
        ("[settings] ", settings.extra),
    ]
    for lic in licenses:
        if lic.extra:
            owners.append((f"{lic.label()}: ", lic.extra))
        owners.extend(
            (f"{lic.label()}: shipments: ", s.extra) for s in lic.shipments if s.extra
        )
    owners.extend((f"{app.label()}: ", app.extra) for app in applications if app.extra)
    for where, table in owners:
        for key, value in table.items():
            if _deeper_than(value, MAX_NESTING - 1):
                raise InvalidStore(
                    f"{path}: {where}{key}: nested more than {MAX_NESTING} levels deep"
                )


def _deeper_than(value: Any, levels: int) -> bool:
    """Whether tables and arrays in ``value`` nest more than ``levels`` deep."""
    frontier = [value]
    for _ in range(levels + 1):
        frontier = [
            inner
            for outer in frontier
            if isinstance(outer, dict | list)
            for inner in (outer.values() if isinstance(outer, dict) else outer)
            if isinstance(inner, dict | list)
        ]
        if not frontier:
            return False
    return True


def _tables(tables: Any, path: Path, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each ``[[name]]`` table with its position, or InvalidStore."""
    if not isinstance(tables, list):
        raise InvalidStore(
            f"{path}: {name}: write each {name} as its own [[{name}]] block"
        )
    for position, table in enumerate(tables, start=1):
        if not isinstance(table, dict):
            raise InvalidStore(f"{path}: {name} #{position}: expected a table")
        yield position, table


def _applications(tables: Any, path: Path) -> tuple[Application, ...]:
    ids: dict[int, Application] = {}
    for position, table in _tables(tables, path, "application"):
        try:
            app = application_from_table(table)
        except InvalidValue as exc:
            ident = table.get("id")
            name = f"application {ident}" if isinstance(ident, str) else None
            where = name or f"application #{position}"
            raise InvalidStore(f"{path}: {where}: {exc.field}: {exc.message}") from None
        if app.id in ids:
            raise InvalidStore(
                f"{path}: {app.label()}: id: A{app.id} is used twice (ids are unique)"
            )
        ids[app.id] = app
    return tuple(sorted(ids.values(), key=lambda app: app.id))


def _renewals_filed_before_applications(
    licenses: tuple[License, ...], applications: tuple[Application, ...]
) -> tuple[Application, ...]:
    """A ``renewal-filed`` license without a pending application, as one.

    Stores written before applications existed say only ``status =
    "renewal-filed"`` and ``renewal_filed``: read as the renewal application
    filed that day, numbered after the others in license order. The next write
    stores them, under the same ids.
    """
    pending = {app.renews for app in applications if app.pending}
    next_id = max((app.id for app in applications), default=0) + 1
    made: list[Application] = []
    for lic in licenses:
        if lic.status == Status.RENEWAL_FILED and lic.id not in pending:
            made.append(
                Application(
                    id=next_id + len(made),
                    renews=lic.id,
                    material=lic.material,
                    destination=lic.destination,
                    end_user=lic.end_user,
                    exporter=lic.exporter,
                    kind=lic.kind,
                    authority=lic.authority,
                    end_users=lic.end_users,
                    end_use=lic.end_use,
                    hs_code=lic.hs_code,
                    quantity=lic.quantity,
                    unit=lic.unit,
                    filed=lic.renewal_filed,
                    status=AppStatus.PENDING,
                )
            )
    return tuple(made)


def _licenses(tables: Any, path: Path) -> tuple[License, ...]:
    ids: dict[int, License] = {}
    numbers: dict[str, str] = {}
    for position, table in _tables(tables, path, "license"):
        try:
            lic = license_from_table(table)
        except InvalidValue as exc:
            where = license_name(table, position)
            raise InvalidStore(f"{path}: {where}: {exc.field}: {exc.message}") from None
        if lic.id in ids:
            raise InvalidStore(
                f"{path}: {lic.label()}: id: {lic.id} is used twice (ids are unique)"
            )
        taken = number_taken(numbers, lic.number)
        if taken is not None:
            raise InvalidStore(
                f"{path}: {lic.label()}: number: already used by {taken}"
            )
        numbers.update(numbers_in([lic]))
        ids[lic.id] = lic
    return tuple(sorted(ids.values(), key=lambda lic: lic.id))


def license_name(table: dict[str, Any], position: int) -> str:
    """Name a license that failed validation as well as its raw table allows."""
    ident = table.get("id")
    number = table.get("number")
    name = f"license {ident}" if isinstance(ident, int) else f"license #{position}"
    return name + (f" ({number})" if isinstance(number, str) and number else "")
