"""Records one side of a merge renumbered since the base, followed on the other.

A sync that finds both clones gave id 1 to different licenses keeps 1 for its
own and moves the other clone's to a free id, say 2 (``merge_ids``). The clone
whose license moved may have changed its license 1 since (an edit, a shipment,
a close) before it syncs. Merged by id alone, those changes landed on the
license now numbered 1, someone else's, without a conflict (audit s9-journey,
1). So before the merge by id, each move a side made (``claimed``: what its
merge commits said, ``Licenses-Renumbered: 1 -> 2``, oldest first) is made on
the base and on the other side too: their changes follow the record to its new
id. A move is made only where the record is the one that moved, by what tells
records apart (a license's material, destination, issue date and number; an
application's material, destination and filing day, as ``service/renumbering``
tells them): content alone cannot tell a move from a correction plus an
addition. Where the other side gave the new id to a record of its own in the
meantime, that record moves above every id in use, and the move is said.
"""

from typing import Any, Final, NamedTuple

from .merge_ids import by_id, renumbered, top_id

# What tells a record apart, per table (the id aside).
_IDENTITY: Final = {
    "license": ("material", "destination", "issued", "number"),
    "application": ("material", "destination", "filed"),
}


class Followed(NamedTuple):
    base: dict[str, Any]
    ours: dict[str, Any]
    theirs: dict[str, Any]
    # Records of one side moved off an id the other side's move took:
    # (side, old, new), side "ours" or "theirs".
    bumped: list[tuple[str, str, str]]
    # The other side's moves made on a side's records: (side, old, new). Not
    # news to anyone (the side that moved them said so), but that side's
    # history has them under the old ids (``log``).
    followed: list[tuple[str, str, str]]


def follow_moves(
    base: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    claimed: dict[str, list[tuple[str, str]]],
) -> Followed:
    """``base``, ``ours`` and ``theirs`` with each side's moves made on the
    others, so that a record has one id on all three. ``claimed``: per side
    ("ours", "theirs"), the moves its commits since the base said."""
    bumped: list[tuple[str, str, str]] = []
    followed: list[tuple[str, str, str]] = []
    for side, other in (("theirs", "ours"), ("ours", "theirs")):
        docs = {"base": base, "ours": ours, "theirs": theirs}
        said, also = claimed.get(side, []), claimed.get(other, [])
        moves = {t: _moved(base, docs[side], t, said) for t in _IDENTITY}
        made = {t: _moved(base, docs[other], t, also) for t in _IDENTITY}
        for table in _IDENTITY:  # a move both sides made is made already
            moves[table] = {
                k: v for k, v in moves[table].items() if made[table].get(k) is None
            }
        if not moves["license"] and not moves["application"]:
            continue
        base = renumbered(base, moves["license"], moves["application"])
        taken = _bump(docs[other], docs[side], moves, (base, ours, theirs))
        bumped += [(other, str(old), str(new)) for old, new in taken.items()]
        followed += [
            (other, str(old), str(new))
            for table in _IDENTITY
            for old, new in moves[table].items()
            if old in by_id(docs[other], table)
        ]
        licenses = {**moves["license"], **_only(taken, int)}
        apps = {**moves["application"], **_only(taken, str)}
        if other == "ours":
            ours = renumbered(ours, licenses, apps)
        else:
            theirs = renumbered(theirs, licenses, apps)
    return Followed(base, ours, theirs, bumped, followed)


def _same_record(was: Any, now: Any, table: str) -> bool:
    """Whether ``now`` is the record ``was`` (of the base) became: what tells
    records apart, except what the base left empty and a side filled in since
    (the official number, entered when it came)."""
    if not isinstance(was, dict) or not isinstance(now, dict):
        return False
    return all(
        was.get(key) is None or now.get(key) == was.get(key) for key in _IDENTITY[table]
    )


def _moved(
    base: dict[str, Any],
    side: dict[str, Any],
    table: str,
    said: list[tuple[str, str]],
) -> dict[Any, Any]:
    """The moves ``said`` of ``table``'s records, each from the base's id to
    the side's, kept where the side holds the base's record under the new id
    and another (or none) under the old one: old id -> new id.

    Each merge's trailer names ids as they were on its own parents, and two
    merges may each have moved a different record off one id: every path the
    trailers allow (a record moved twice: from the first id to the last) is a
    candidate, and the record itself decides."""
    paths: list[tuple[Any, Any]] = []
    for old_text, new_text in said:
        old, new = _key(old_text, table), _key(new_text, table)
        if old is None or new is None:
            continue
        paths += [(first, new) for first, last in paths if last == old]
        paths.append((old, new))
    was, now = by_id(base, table), by_id(side, table)
    found: dict[Any, set[Any]] = {}
    for old, new in paths:
        record = was.get(old)
        if (
            new not in was
            and _same_record(record, now.get(new), table)
            and not _same_record(record, now.get(old), table)
        ):
            found.setdefault(old, set()).add(new)
    taken = [new for news in found.values() for new in news]
    return {
        old: next(iter(news))
        for old, news in found.items()
        if len(news) == 1 and taken.count(next(iter(news))) == 1
    }


def _key(text: str, table: str) -> Any:
    """A trailer's id as the table keys it: 8 for a license, "A3" for an
    application; None when it names the other table's records."""
    if table == "license":
        return int(text) if text.isdigit() else None
    return text if text[:1] in {"A", "a"} and text[1:].isdigit() else None


def _bump(
    other: dict[str, Any],
    side: dict[str, Any],
    moves: dict[str, dict[Any, Any]],
    docs: tuple[dict[str, Any], ...],
) -> dict[Any, Any]:
    """The records ``other`` added under an id ``side``'s moves take: each to a
    free id, above every id in use (or once used) on any side."""
    taken: dict[Any, Any] = {}
    for table in ("license", "application"):
        own = by_id(other, table)
        clashing = sorted((new for new in moves[table].values() if new in own), key=str)
        top = top_id((*docs, side), table)
        for key in clashing:
            top += 1
            taken[key] = top if table == "license" else f"A{top}"
    return taken


def _only(moves: dict[Any, Any], kind: type) -> dict[Any, Any]:
    return {old: new for old, new in moves.items() if isinstance(new, kind)}
