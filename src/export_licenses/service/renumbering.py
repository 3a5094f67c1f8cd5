"""The records a sync renumbered. When both clones gave the same id to
different records, the merge (``merging``) moves theirs to a free id; ``sync``
says so to the person syncing, writes the moves into the merge commit (a line
each, and ``Licenses-Renumbered`` trailers, for ``log``), and on the other
clone reads those trailers back to say which of its own records moved.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from export_licenses.domain.application import app_label
from export_licenses.domain.merge_ids import noun_of
from export_licenses.errors import LicensesError
from export_licenses.storage import store
from export_licenses.storage.git_command import git
from export_licenses.storage.gitrepo import (
    COMMAND_TRAILER,
    IDS_TRAILER,
    RENUMBERED_HERE_TRAILER,
    RENUMBERED_TRAILER,
)

if TYPE_CHECKING:
    from pathlib import Path

    from export_licenses.storage.gitrepo import Repo

_MOVE: Final = re.compile(rf"^{RENUMBERED_TRAILER}: (A?\d+) -> (A?\d+)$", re.MULTILINE)
# Either side's moves (``moves_between``).
_ANY_MOVE: Final = re.compile(
    rf"^{RENUMBERED_TRAILER}(?:-Here)?: (A?\d+) -> (A?\d+)$", re.MULTILINE
)


def yours_moved(repo: Repo, before: str, theirs: str) -> list[str]:
    """Records of this clone that a sync elsewhere renumbered: that merge gave
    the id to its own record and said so in a trailer of its commit, which
    arrives here now. Said here too, or the person who added license 9 would
    find someone else's license under 9 without a word."""
    bodies = repo.run("log", "--format=%B", f"{before}..{theirs}").stdout
    moves = _MOVE.findall(bodies)
    if not moves:
        return []
    had, has = _records(repo, before), _records(repo, "HEAD")
    said = []
    for old, new in moves:
        yours = had.get(old)
        if (
            yours is not None
            and _same(yours, has.get(new))
            and not _same(yours, has.get(old))
        ):
            said.append(
                f"your {noun_of(old)} {old} is now {noun_of(new)} {new}: a sync "
                f"elsewhere kept {old} for {'an' if old.startswith('A') else 'a'} "
                f"{noun_of(old)} added there"
            )
    return said


def _same(yours: tuple[object, ...], there: tuple[object, ...] | None) -> bool:
    """``there`` is the record ``yours`` was: what yours left empty (the
    number, entered later) may have been filled in since (``merge_moves``)."""
    return there is not None and all(
        mine is None or mine == theirs
        for mine, theirs in zip(yours, there, strict=True)
    )


def _records(repo: Repo, commit: str) -> dict[str, tuple[object, ...]]:
    """The store at ``commit``: each record's id, and what tells it apart."""
    shown = repo.run("show", f"{commit}:{repo.store.as_posix()}", check=False)
    if shown.returncode != 0:
        return {}
    try:
        data = store.parse(shown.stdout.encode("utf-8"), repo.root / repo.store)
    except LicensesError:
        return {}
    found: dict[str, tuple[object, ...]] = {
        str(lic.id): (lic.material, lic.destination, lic.issued, lic.number)
        for lic in data.licenses
    }
    for app in data.applications:
        found[app_label(app.id)] = (app.material, app.destination, app.filed)
    return found


def moves_between(repo: Repo, since: str, until: str) -> list[tuple[str, str]]:
    """The moves the merge commits from ``since`` (excluded) to ``until`` said,
    oldest first: what a merge of the two lines follows (``merge_moves``)."""
    return moves_in_log(repo.root, since, until)


def moves_in_log(folder: Path, since: str, until: str) -> list[tuple[str, str]]:
    """``moves_between`` for a merge git runs on its own (no Repo at hand)."""
    done = git(
        folder, "log", "--reverse", "--format=%B", f"{since}..{until}", check=False
    )
    return _ANY_MOVE.findall(done.stdout) if done.returncode == 0 else []


def record_moves(repo: Repo, moves: list[tuple[str, str, str]]) -> None:
    """The merge commit says which ids moved (theirs, and ours that a move
    of theirs displaced), for people and for ``log``: a line each, and the
    trailers ``Licenses-Renumbered: 8 -> 9``."""
    message = repo.run("log", "-1", "--format=%B").stdout.rstrip()
    lines = [message, "", *said_moves(moves), ""]
    lines.append(f"{COMMAND_TRAILER}: sync")
    lines.append(f"{IDS_TRAILER}: {' '.join(new for _, _, new in moves)}")
    lines += [
        f"{RENUMBERED_HERE_TRAILER if whose.startswith('your') else RENUMBERED_TRAILER}"
        f": {old} -> {new}"
        for whose, old, new in moves
    ]
    git(
        repo.root,
        "commit",
        "--amend",
        "--quiet",
        "--no-verify",
        "--file=-",
        input_text="\n".join(lines) + "\n",
    )


def said_moves(moves: list[tuple[str, str, str]]) -> list[str]:
    """The moves that are news ("their"/"your"), not those that follow a move
    the other side made and said ("-quiet")."""
    return [
        f"{whose} {noun_of(old)} {old} is now {noun_of(new)} {new}"
        for whose, old, new in moves
        if whose in {"their", "your"}
    ]
