"""``licenses merge-driver %O %A %B %P``: git's merge driver for the store, and
the same record-level merge for ``undo``.

When ``sync`` runs the merge it names a file in ``LICENSES_MERGE_NOTES``: the
driver writes there each id it moved (``8 -> 9``), and sync records them in the
merge commit. It also says, in ``LICENSES_MERGE_MOVES``, the moves each side's
commits since the base recorded (``{"ours": [["8", "9"]], "theirs": []}``), which
the merge follows (``domain/merge_moves``); when git runs the merge itself, the
driver reads them from the history (``merge_history``).
Nothing else reads the variables.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Final, NamedTuple

from export_licenses.domain.merge import Merged, merge_docs
from export_licenses.domain.store_data import validate
from export_licenses.errors import InvalidStore
from export_licenses.storage import fsio, kept_text, store_read, toml_text

if TYPE_CHECKING:
    from typing import Any

NOTES_VARIABLE: Final = "LICENSES_MERGE_NOTES"
MOVES_VARIABLE: Final = "LICENSES_MERGE_MOVES"
CONFLICT_MARK: Final = store_read.CONFLICT_MARK  # what readers look for


class DriverResult(NamedTuple):
    conflicts: list[str]
    renumbered: list[str]


class Outcome(NamedTuple):
    text: str | None  # the merged store; None when it could not be made
    conflicts: list[str]
    renumbered: list[str]  # "their license 8 is now license 9"
    moves: list[tuple[str, str, str]]  # ("their", "8", "9"): see _whose
    # The merge, every change of both sides, when it is no valid store (two
    # licenses with one number): what git's merge driver leaves to settle.
    unchecked: str | None = None


def _document(raw: bytes, side: str, name: str) -> dict[str, Any]:
    import tomli  # noqa: PLC0415 - merges only (10 M instructions)

    raw = raw.removeprefix(b"\xef\xbb\xbf")
    if not raw.strip() and side == "base":
        return {}  # both sides added the store: no common ancestor
    try:
        return tomli.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomli.TOMLDecodeError, RecursionError) as exc:
        raise InvalidStore(f"{name} ({side}) is not a readable store: {exc}") from None
    except ValueError:  # not tomli's own error: an integer too long for Python
        raise InvalidStore(
            f"{name} ({side}) is not a readable store: {store_read.number_too_long()}"
        ) from None


def merge_texts(
    base: bytes,
    ours: bytes,
    theirs: bytes,
    name: str,
    claimed: dict[str, list[tuple[str, str]]] | None = None,
) -> Outcome:
    """Merge three versions of a store's text, record by record; ``claimed``:
    the moves each side's commits said (``merge_docs``)."""
    try:
        docs = [
            _document(base, "base", name),
            _document(ours, "ours", name),
            _document(theirs, "theirs", name),
        ]
        # Each side is a store this version reads, or there is nothing to merge.
        for doc, side in ((docs[1], "ours"), (docs[2], "theirs")):
            validate(doc, Path(f"{name} ({side})"))
    except InvalidStore as exc:
        return Outcome(None, [str(exc)], [], [])
    merged = merge_docs(docs[0], docs[1], docs[2], claimed)
    conflicts = list(merged.conflicts)
    try:
        text = toml_text.dumps(validate(merged.doc, Path(name)))
    except InvalidStore as exc:
        import tomli_w  # noqa: PLC0415 - merges that need settling only (1.0 M instructions)

        conflicts.append(
            f"the merged store is not valid until this is fixed, here: {exc}"
        )
        try:
            unchecked: str | None = tomli_w.dumps(merged.doc)
        except (TypeError, ValueError):  # no TOML to write: ours, as it was
            unchecked = None
        return Outcome(None, conflicts, merged.renumbered, _whose(merged), unchecked)
    # What each side commented, where the merge leaves its block as it was.
    text = kept_text.kept(text, ours, theirs)
    return Outcome(text, conflicts, merged.renumbered, _whose(merged))


def _whose(merged: Merged) -> list[tuple[str, str, str]]:
    """Each move with whose record it is, ("their", "8", "9"), ("your", ...);
    "-quiet" for a move the other side made and said already, followed here."""
    quiet = [
        ("your-quiet" if side == "ours" else "their-quiet", old, new)
        for side, old, new in merged.followed
    ]
    return [
        *(("their", *pair) for pair in merged.moves),
        *(("your", *pair) for pair in merged.ours_moved),
        *quiet,
    ]


def _read(path: Path, side: str) -> bytes:
    """A side's bytes; a FIFO or a device (/dev/null) is refused, never read
    nor replaced."""
    try:
        return fsio.read_regular(path)
    except fsio.NotARegularFile as exc:
        raise InvalidStore(f"{side} ({path}) is {exc.what}, not a store") from None


def merge_files(
    base: Path,
    ours: Path,
    theirs: Path,
    name: str,
    claimed: dict[str, list[tuple[str, str]]],
) -> DriverResult:
    """Merge ``theirs`` into ``ours`` (written in place, as git wants): 0
    conflicts, or ours kept for each with the list in a comment at the top;
    ``claimed``: the moves each side's merges made (``merge_docs``)."""
    try:
        base_raw, original, theirs_raw = (
            _read(path, side)
            for path, side in ((base, "base"), (ours, "ours"), (theirs, "theirs"))
        )
    except (InvalidStore, OSError) as exc:
        return DriverResult([str(exc)], [])  # nothing written: ours may be no file
    outcome = merge_texts(base_raw, original, theirs_raw, name, claimed)
    # Never ours alone when there is a merge: what theirs changed elsewhere would
    # be gone from the file, and from the branch once the conflict is committed.
    text = (
        outcome.text or outcome.unchecked or original.decode("utf-8", errors="replace")
    )
    if outcome.conflicts:
        block = [
            (
                f"{CONFLICT_MARK} {len(outcome.conflicts)} change(s) to settle in "
                f"{name} (where both sides changed one thing, ours is below)."
            ),
            "# Settle each below, remove this comment, then commit:",
            *(f"#   {line}" for line in outcome.conflicts),
            "",
        ]
        text = "\n".join(block) + text
    fsio.write_atomic(ours, text.encode("utf-8"))
    if not outcome.conflicts:
        _note(outcome.moves)
    return DriverResult(outcome.conflicts, outcome.renumbered)


def claimed_from_sync() -> dict[str, list[tuple[str, str]]] | None:
    """The moves sync said in MOVES_VARIABLE; None when git runs the merge on
    its own (``merge_history.merge_driver`` reads them from the history)."""
    said_by_sync = os.environ.get(MOVES_VARIABLE)
    if said_by_sync is None:
        return None
    try:
        said = json.loads(said_by_sync or "{}")
    except ValueError:
        return {}
    if not isinstance(said, dict):
        return {}
    return {
        side: [
            (str(pair[0]), str(pair[1]))
            for pair in said.get(side) or []
            if isinstance(pair, list) and len(pair) == 2  # noqa: PLR2004 - a pair
        ]
        for side in ("ours", "theirs")
        if isinstance(said.get(side) or [], list)
    }


def moves_said(claimed: dict[str, list[tuple[str, str]]]) -> str:
    """``claimed`` as MOVES_VARIABLE holds it."""
    return json.dumps(
        {side: [list(pair) for pair in pairs] for side, pairs in claimed.items()}
    )


def _note(moves: list[tuple[str, str, str]]) -> None:
    """The moves, for the sync that runs this merge (see the module's doc)."""
    notes = os.environ.get(NOTES_VARIABLE)
    if not notes or not moves:
        return
    fd = os.open(notes, os.O_WRONLY | os.O_APPEND | os.O_CREAT, fsio.FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.writelines(f"{whose} {old} -> {new}\n" for whose, old, new in moves)


def read_notes(notes: Path) -> list[tuple[str, str, str]]:
    """What ``_note`` wrote, then gone: ("their", "8", "9"), ..."""
    try:
        text = notes.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    notes.unlink()
    moves = []
    for line in text.splitlines():
        moved, arrow, new = line.partition(" -> ")
        whose, _, old = moved.partition(" ")
        if arrow and whose in {"their", "your", "their-quiet", "your-quiet"}:
            moves.append((whose, old, new))
    return moves
