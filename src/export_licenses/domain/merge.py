"""A three-way merge of two versions of a store, record by record.

git merges text line by line; two people who each add a license at the end of
the store would collide on every line. This merge works on what the lines mean:
licenses and applications by id, their fields one by one, shipments as a set,
settings by key, everything else by top-level key. A field changed the same way
on both sides, or on one side only, merges; a field changed differently on each
side is a conflict, and ours is kept. Licenses (and applications) added on both
sides under one id keep ours; theirs are renumbered above every id in use, with
the links to them (renews, superseded_by, an application's license) following.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Final, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable

_MISSING: Final = object()
# The fields that hold a license id, and those that hold an application id.
_LICENSE_LINKS: Final = ("renews", "superseded_by", "license")


class Merged(NamedTuple):
    doc: dict[str, Any]  # the merged document (ours where a conflict is)
    conflicts: list[str]
    renumbered: list[str]


def merge_docs(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
) -> Merged:
    conflicts: list[str] = []
    renumbered: list[str] = []
    theirs = _renumber(base, ours, theirs, renumbered)
    doc: dict[str, Any] = {}
    special = {"license", "application", "settings", "removed_ids"}
    for key in _keys(base, ours, theirs):
        if key in special:
            continue
        value = _three_way(
            base.get(key, _MISSING), ours.get(key, _MISSING), theirs.get(key, _MISSING)
        )
        _take(doc, key, value, f"top-level {key}", conflicts)
    settings: dict[str, Any] = {}
    for key in _keys(*(d.get("settings", {}) for d in (base, ours, theirs))):
        value = _three_way(
            *(d.get("settings", {}).get(key, _MISSING) for d in (base, ours, theirs))
        )
        _take(settings, key, value, f"[settings] {key}", conflicts)
    doc["settings"] = settings
    removed = sorted(
        set(ours.get("removed_ids", [])) | set(theirs.get("removed_ids", []))
    )
    if removed:
        doc["removed_ids"] = removed
    for table, label in (("application", _app_name), ("license", _license_name)):
        records = _records(base, ours, theirs, table, label, conflicts)
        if records:
            doc[table] = records
    _check_drawdown(doc.get("license", []), _by_id(ours, "license"), conflicts)
    return Merged(doc, conflicts, renumbered)


def _keys(*docs: dict[str, Any]) -> list[str]:
    seen: dict[str, None] = {}
    for doc in docs:
        seen.update(dict.fromkeys(doc))
    return list(seen)


class _Conflict(NamedTuple):
    ours: Any
    theirs: Any


def _three_way(base: Any, ours: Any, theirs: Any) -> Any:
    if theirs in (ours, base):
        return ours
    if ours == base:
        return theirs
    return _Conflict(ours, theirs)


def _take(
    into: dict[str, Any], key: str, value: Any, where: str, conflicts: list[str]
) -> None:
    if isinstance(value, _Conflict):
        conflicts.append(
            f"{where}: ours {_shown(value.ours)}, theirs {_shown(value.theirs)}"
        )
        value = value.ours
    if value is not _MISSING:
        into[key] = value


def _shown(value: Any) -> str:
    return "(removed)" if value is _MISSING else repr(value)


def _by_id(doc: dict[str, Any], table: str) -> dict[Any, dict[str, Any]]:
    rows = doc.get(table, [])
    return {row.get("id"): row for row in rows if isinstance(row, dict)}


def _records(
    base: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    table: str,
    label: Callable[[Any], str],
    conflicts: list[str],
) -> list[dict[str, Any]]:
    o, a, b = _by_id(base, table), _by_id(ours, table), _by_id(theirs, table)
    merged = []
    for key in _keys(o, a, b):
        was, mine, their = o.get(key), a.get(key), b.get(key)
        if mine is not None and their is not None:
            merged.append(_fields(was or {}, mine, their, label(key), conflicts))
        elif mine is not None:  # theirs removed it, or never had it
            if was is not None and mine != was:
                conflicts.append(
                    f"{label(key)}: removed on their side, changed on ours"
                )
            if was is None or mine != was:
                merged.append(mine)
        elif their is not None and was is None:  # added by them
            merged.append(their)
        elif their is not None and their != was:  # we removed what they changed
            conflicts.append(f"{label(key)}: removed on our side, changed on theirs")
    return sorted(merged, key=lambda row: _order(row.get("id")))


def _order(key: Any) -> tuple[int, str]:
    if isinstance(key, int):
        return (key, "")
    text = str(key)
    digits = text.lstrip("Aa")
    return (int(digits), text) if digits.isdigit() else (0, text)


def _fields(
    base: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    name: str,
    conflicts: list[str],
) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for key in _keys(base, ours, theirs):
        if key == "shipments":
            row[key] = _shipments(
                base.get(key, []), ours.get(key, []), theirs.get(key, [])
            )
            if not row[key]:
                del row[key]
            continue
        value = _three_way(*(d.get(key, _MISSING) for d in (base, ours, theirs)))
        _take(row, key, value, f"{name} {key}", conflicts)
    return row


def _shipments(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    """Ours, less what they removed, plus what they added, by date."""
    kept = [s for s in ours if s in theirs or s not in base]
    added = [s for s in theirs if s not in base and s not in ours]
    return sorted(
        kept + added, key=lambda s: str(s.get("on", "")) if isinstance(s, dict) else ""
    )


def _license_name(key: Any) -> str:
    return f"license {key}"


def _app_name(key: Any) -> str:
    return f"application {key}"


def _renumber(
    base: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    said: list[str],
) -> dict[str, Any]:
    """Their records added under an id ours also added (or removed) get new ids."""
    used = {
        *_by_id(ours, "license"),
        *_by_id(theirs, "license"),
        *ours.get("removed_ids", []),
        *theirs.get("removed_ids", []),
    }
    licenses = _moves(base, ours, theirs, "license", used, int)
    apps_used = {*_by_id(ours, "application"), *_by_id(theirs, "application")}
    apps = _moves(base, ours, theirs, "application", apps_used, _app_number)
    if not licenses and not apps:
        return theirs
    for old, new in licenses.items():
        said.append(f"their license {old} is now license {new}")
    for old, new in apps.items():
        said.append(f"their application {old} is now application {new}")
    moved = dict(theirs)
    moved["license"] = [
        _relinked(row, licenses, apps) for row in theirs.get("license", [])
    ]
    moved["application"] = [
        _relinked(row, licenses, apps) for row in theirs.get("application", [])
    ]
    for table in ("license", "application"):
        if not moved[table]:
            del moved[table]
    return moved


def _app_number(key: Any) -> int:
    text = str(key)
    return int(text[1:]) if text[1:].isdigit() else 0


def _moves(
    base: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    table: str,
    used: set[Any],
    number: Callable[[Any], int],
) -> dict[Any, Any]:
    o, a, b = _by_id(base, table), _by_id(ours, table), _by_id(theirs, table)
    removed = set(ours.get("removed_ids", [])) if table == "license" else set()
    clashing = [
        key
        for key in b
        if key not in o and ((key in a and a[key] != b[key]) or key in removed)
    ]
    top = max((number(key) for key in used if key is not None), default=0)
    moves = {}
    for key in sorted(clashing, key=number):
        top += 1
        moves[key] = top if table == "license" else f"A{top}"
    return moves


def _relinked(row: Any, licenses: dict[Any, Any], apps: dict[Any, Any]) -> Any:
    if not isinstance(row, dict):
        return row
    new = dict(row)
    is_app = isinstance(row.get("id"), str)
    new_id = (apps if is_app else licenses).get(row.get("id"))
    if new_id is not None:
        new["id"] = new_id
    for link in _LICENSE_LINKS:
        if link in new and new[link] in licenses:
            new[link] = licenses[new[link]]
    return new


def _check_drawdown(
    licenses: list[dict[str, Any]],
    ours: dict[Any, dict[str, Any]],
    conflicts: list[str],
) -> None:
    """Shipments from both sides may together draw more than the license
    allows: a conflict, and the license keeps our shipments."""
    for row in licenses:
        try:
            allowed = Decimal(str(row["quantity"]))
            shipped = sum(
                (Decimal(str(s.get("quantity", 0))) for s in row.get("shipments", [])),
                Decimal(0),
            )
        except (KeyError, InvalidOperation, TypeError, AttributeError):
            continue
        if shipped > allowed:
            unit = f" {row['unit']}" if row.get("unit") else ""
            conflicts.append(
                f"license {row.get('id')}: shipments from both sides total "
                f"{shipped.normalize():f}{unit}, more than its quantity "
                f"{allowed.normalize():f}{unit}; ours kept"
            )
            mine = ours.get(row.get("id"), {}).get("shipments")
            if mine:
                row["shipments"] = mine
            else:
                row.pop("shipments", None)
