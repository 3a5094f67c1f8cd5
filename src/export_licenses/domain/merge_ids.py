"""Ids that both sides of a merge gave to different records: theirs move.

An id names one record for ever: a removed license's id stays in
``removed_ids`` and is never given again. So a license each side added under
the same id is two licenses, and so is a license one side added under an id the
other side gave to a license it then removed. Ours keep their ids; theirs move
above every id in use (or once used), and the links to them follow: a license's
``renews``, ``superseded_by`` and ``replaces``, an application's ``renews``,
``changes``, ``replaces`` and ``license``.
"""

from typing import Any, Final, NamedTuple

# The fields that hold a license id, in licenses and in applications.
LICENSE_LINKS: Final = ("renews", "superseded_by", "replaces", "changes", "license")
_RETIRED: Final = object()  # an id a side gave and then removed


class Moves(NamedTuple):
    """Their ids that changed: license 8 -> 9, application "A3" -> "A4"."""

    licenses: dict[int, int]
    applications: dict[str, str]

    def pairs(self) -> list[tuple[str, str]]:
        """Each move as text, licenses first: ("8", "9"), ("A3", "A4")."""
        moved = [(str(a), str(b)) for a, b in self.licenses.items()]
        return moved + list(self.applications.items())

    def said(self) -> list[str]:
        return [
            f"their license {old} is now license {new}"
            for old, new in self.licenses.items()
        ] + [
            f"their application {old} is now application {new}"
            for old, new in self.applications.items()
        ]


def by_id(doc: dict[str, Any], table: str) -> dict[Any, dict[str, Any]]:
    rows = doc.get(table, [])
    if not isinstance(rows, list):
        return {}
    return {_key(row.get("id")): row for row in rows if isinstance(row, dict)}


def _key(value: Any) -> Any:
    """An id as a key: a value no store should hold (a list) still is one."""
    return value if _hashable(value) else repr(value)


def retired(doc: dict[str, Any]) -> set[Any]:
    """The ids of removed licenses (``removed_ids``), never to be given again."""
    ids = doc.get("removed_ids", [])
    return set(ids) if isinstance(ids, list) else set()


def renumber(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
) -> tuple[dict[str, Any], Moves]:
    """``theirs`` with the ids that clash with ours moved, and the moves."""
    docs = (base, ours, theirs)
    same = _same(base, ours, theirs, "license", {})
    top = top_id(docs, "license")
    licenses = same | _moves(base, ours, theirs, "license", top, same)
    same_apps = _same(base, ours, theirs, "application", licenses)
    top = top_id(docs, "application")
    apps = same_apps | _moves(base, ours, theirs, "application", top, same_apps)
    moves = Moves(
        {old: int(new) for old, new in licenses.items()},
        {str(old): str(new) for old, new in apps.items()},
    )
    return renumbered(theirs, licenses, apps), moves


def renumbered(
    doc: dict[str, Any], licenses: dict[Any, Any], apps: dict[Any, Any]
) -> dict[str, Any]:
    """``doc`` with the ids moved (license 8 -> 9, "A3" -> "A4"), every link to
    a moved license followed, and a removed license retired under its new id."""
    if not licenses and not apps:
        return doc
    moved = dict(doc)
    for table in ("license", "application"):
        rows = doc.get(table)
        if isinstance(rows, list):
            moved[table] = [_relinked(row, licenses, apps) for row in rows]
    ids = doc.get("removed_ids")
    if isinstance(ids, list) and licenses:
        moved["removed_ids"] = [
            licenses.get(key, key) if _hashable(key) else key for key in ids
        ]
    return moved


def top_id(docs: tuple[dict[str, Any], ...], table: str) -> int:
    """The highest id in use on any of ``docs`` (a license's: or once used):
    a new one goes above it. An application's "A7" counts as 7."""
    if table == "license":
        keys = {key for doc in docs for key in (*by_id(doc, table), *retired(doc))}
        return max((_license_number(key) for key in keys), default=0)
    keys = {key for doc in docs for key in by_id(doc, table)}
    return max((_app_number(key) for key in keys), default=0)


def noun_of(key: str) -> str:
    """What an id names: "A3" an application, 8 a license."""
    return "application" if key.startswith(("A", "a")) else "license"


def _introduced(
    base: dict[str, Any], side: dict[str, Any], table: str
) -> dict[Any, Any]:
    """The ids ``side`` gave since ``base``: each to its record, or to _RETIRED
    when the side removed it again."""
    live = by_id(side, table)
    gone = retired(side) if table == "license" else set()
    known = set(by_id(base, table)) | retired(base)
    return {key: live.get(key, _RETIRED) for key in (set(live) | gone) - known}


def _moves(
    base: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    table: str,
    top: int,
    same: dict[Any, Any],
) -> dict[Any, Any]:
    mine, their = _introduced(base, ours, table), _introduced(base, theirs, table)
    # The same record on both sides (both took it from a third clone) or an id
    # both removed is one, not a clash; so is one that is ours under another id
    # (``same``: it takes that id).
    clashing = [
        key
        for key in their
        if key in mine and mine[key] != their[key] and key not in same
    ]
    number = _license_number if table == "license" else _app_number
    moves = {}
    for key in sorted(clashing, key=number):
        top += 1
        moves[key] = top if table == "license" else f"A{top}"
    return moves


def _same(
    base: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    table: str,
    licenses: dict[Any, Any],
) -> dict[Any, Any]:
    """Their records both sides added that are ours field for field but
    under another id: their id -> ours. Git's add/add (both sides created the
    store: no base) gives every id to both sides, so the same license would
    otherwise be kept twice, the copy renumbered. ``licenses``: their license
    ids already moved, which an application's links follow."""
    mine, their = _introduced(base, ours, table), _introduced(base, theirs, table)
    # One at the same id on both sides is one already.
    pool = {k: r for k, r in mine.items() if r is not _RETIRED and their.get(k) != r}
    wanted = {k: r for k, r in their.items() if r is not _RETIRED and mine.get(k) != r}
    # Licenses link to licenses (renews, superseded_by): match them without
    # their links, then drop each pair whose links, followed, part, until none
    # does (each round drops one or ends). An application's links are known.
    ignored = LICENSE_LINKS if table == "license" else ()
    pairs = _pairs(pool, wanted, licenses, ignored)
    while True:
        links = licenses if table == "application" else pairs
        kept = {
            k: ours_key
            for k, ours_key in pairs.items()
            if _shape(wanted[k], links, ()) == _shape(pool[ours_key], {}, ())
        }
        if kept == pairs:
            return pairs
        pairs = kept


def _pairs(
    pool: dict[Any, Any],
    wanted: dict[Any, Any],
    links: dict[Any, Any],
    ignored: tuple[str, ...],
) -> dict[Any, Any]:
    """Each of ``wanted`` to the first record of ``pool`` it equals, its
    links followed, one to one."""
    free = {k: _shape(r, {}, ignored) for k, r in pool.items()}
    found = {}
    for key, row in wanted.items():
        shape = _shape(row, links, ignored)
        match = next((k for k, r in free.items() if r == shape), None)
        if match is not None:
            found[key] = match
            del free[match]
    return found


def _shape(row: Any, links: dict[Any, Any], ignored: tuple[str, ...]) -> Any:
    """A record as compared: its links followed, without its id (and ``ignored``)."""
    if not isinstance(row, dict):
        return row
    skip = {"id", *ignored}
    return {k: v for k, v in _relinked(row, links, {}).items() if k not in skip}


def _license_number(key: Any) -> int:
    return key if isinstance(key, int) and not isinstance(key, bool) else 0


def _app_number(key: Any) -> int:
    text = str(key)
    return int(text[1:]) if text[1:].isdigit() else 0


def _relinked(row: Any, licenses: dict[Any, Any], apps: dict[Any, Any]) -> Any:
    if not isinstance(row, dict):
        return row
    new = dict(row)
    is_app = isinstance(row.get("id"), str)
    new_id = (apps if is_app else licenses).get(row.get("id"))
    if new_id is not None:
        new["id"] = new_id
    for link in LICENSE_LINKS:
        if link in new and _hashable(new[link]) and new[link] in licenses:
            new[link] = licenses[new[link]]
    return new


def _hashable(value: Any) -> bool:
    return isinstance(value, int | str | float | bool) or value is None
