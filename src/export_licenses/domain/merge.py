"""A three-way merge of two versions of a store, record by record.

git merges text line by line; two people who each add a license at the end of
the store would collide on every line. This merge works on what the lines mean:
licenses and applications by id, their fields one by one, shipments as events
(``merge_shipments``), settings by key, ``removed_ids`` as a set, everything else
by top-level key. A field changed the same way on both sides, or on one side
only, merges; a field changed differently on each side is a conflict, and ours
is kept. A record one side removed and the other changed is a conflict too (ours
kept). Ids both sides gave to different records: theirs move (``merge_ids``).

What it promises (tests/test_merge.py checks each on random stores): nothing a
side added or changed is lost without a conflict naming it; ids stay unique and
out of ``removed_ids``; merging with an unchanged side gives the other side.
"""

from typing import Any, Final, NamedTuple

from .merge_ids import by_id, noun_of, renumber, retired
from .merge_moves import follow_moves
from .merge_shipments import check_drawdown, merge_shipments
from .toml_inline import toml_inline

_MISSING: Final = object()
_RECORDS: Final = (("application", "application"), ("license", "license"))


class Merged(NamedTuple):
    doc: dict[str, Any]  # the merged document (ours where a conflict is)
    conflicts: list[str]
    renumbered: list[str]  # "their license 8 is now license 9", for people
    # Ids of their records that changed ("8", "9"), ("A3", "A4"): for the record
    moves: list[tuple[str, str]]
    # Ids of our records that changed: a move of theirs took the id.
    ours_moved: list[tuple[str, str]]
    # A side's records that took the other side's moves: (side, old, new),
    # said by the side that made them, but for that side's history (log).
    followed: list[tuple[str, str, str]]


def merge_docs(
    base: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    claimed: dict[str, list[tuple[str, str]]] | None = None,
) -> Merged:
    """``claimed``: the moves each side's commits since the base said
    (``merge_moves``), which its records' changes on the other side follow."""
    conflicts: list[str] = []
    # A record a side renumbered since the base has its new id on all three.
    base, ours, theirs, bumped, followed = follow_moves(
        base, ours, theirs, claimed or {}
    )
    theirs, moves = renumber(base, ours, theirs)
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
    sides = [_table(d, "settings") for d in (base, ours, theirs)]
    for key in _keys(*sides):
        value = _three_way(*(side.get(key, _MISSING) for side in sides))
        _take(settings, key, value, f"[settings] {key}", conflicts)
    doc["settings"] = settings
    kept: set[Any] = set()  # removed on their side, changed on ours: ours kept
    for table, noun in _RECORDS:
        records = _records(base, ours, theirs, table, noun, conflicts, kept)
        if records:
            doc[table] = records
    removed = _removed_ids(base, ours, theirs) - kept
    if removed:
        doc["removed_ids"] = sorted(removed)
    check_drawdown(
        doc.get("license", []),
        by_id(ours, "license"),
        by_id(theirs, "license"),
        conflicts,
    )
    said = [
        f"{'your' if side == 'ours' else 'their'} {noun_of(old)} {old} is now "
        f"{noun_of(new)} {new}: the other side had moved one of its own to {old}"
        for side, old, new in bumped
    ]
    theirs_moved = [(old, new) for side, old, new in bumped if side == "theirs"]
    mine = [(old, new) for side, old, new in bumped if side == "ours"]
    return Merged(
        doc,
        conflicts,
        said + moves.said(),
        theirs_moved + moves.pairs(),
        mine,
        followed,
    )


def _table(doc: dict[str, Any], key: str) -> dict[str, Any]:
    value = doc.get(key, {})
    return value if isinstance(value, dict) else {}


def _removed_ids(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
) -> set[Any]:
    """Each id in or out as the side that changed it says: an id a side
    removed stays retired, and one a side took back (undo of a remove) is
    live again. Both sides can only agree: a set has no other change."""
    was, mine, their = retired(base), retired(ours), retired(theirs)
    return {
        key
        for key in was | mine | their
        if _three_way(key in was, key in mine, key in their)
    }


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
    """As the store spells it: the conflict is settled by hand in that file."""
    return "(removed)" if value is _MISSING else toml_inline(value)


def _records(
    base: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    table: str,
    noun: str,
    conflicts: list[str],
    kept: set[Any],
) -> list[dict[str, Any]]:
    o, a, b = by_id(base, table), by_id(ours, table), by_id(theirs, table)
    merged = []
    for key in _keys(o, a, b):
        was, mine, their = o.get(key), a.get(key), b.get(key)
        name = f"{noun} {key}"
        if mine is not None and their is not None:
            merged.append(_fields(was or {}, mine, their, name, conflicts))
        elif mine is not None:  # theirs removed it, or never had it
            if was is not None and mine != was:
                conflicts.append(f"{name}: removed on their side, changed on ours")
                kept.add(key)
            if was is None or mine != was:
                merged.append(mine)
        elif their is not None and was is None:  # added by them
            merged.append(their)
        elif their is not None and their != was:  # we removed what they changed
            conflicts.append(f"{name}: removed on our side, changed on theirs")
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
    if theirs in (ours, base):  # one side left it: the other's, as it is
        return ours
    if ours == base:
        return theirs
    row: dict[str, Any] = {}
    for key in _keys(base, ours, theirs):
        if key == "shipments" and all(
            isinstance(d.get(key, []), list) for d in (base, ours, theirs)
        ):
            shipments = merge_shipments(
                base.get(key, []),
                ours.get(key, []),
                theirs.get(key, []),
                name,
                conflicts,
            )
            if shipments:
                row[key] = shipments
            continue
        value = _three_way(*(d.get(key, _MISSING) for d in (base, ours, theirs)))
        _take(row, key, value, f"{name} {key}", conflicts)
    return row
