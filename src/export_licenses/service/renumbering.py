"""The records a sync renumbered. When both clones gave the same id to
different records, the merge (``merging``) moves theirs to a free id; ``sync``
says so to the person syncing, writes the moves into the merge commit (a line
each, and ``Licenses-Renumbered`` trailers, for ``log``), and on the other
clone reads those moves back (``merge_history``: from the trailers, or from a
merge git made on its own) to say which of its own records moved. ``log``
reads a merge git made the same way (``moves_of_merges``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from export_licenses.domain.merge_ids import noun_of
from export_licenses.storage.git_command import git
from export_licenses.storage.gitrepo import (
    COMMAND_TRAILER,
    IDS_TRAILER,
    RENUMBERED_HERE_TRAILER,
    RENUMBERED_TRAILER,
)

from .merge_history import History, Identity, records, same

if TYPE_CHECKING:
    from collections.abc import Callable, Collection

    from export_licenses.storage.githistory import Commit
    from export_licenses.storage.gitrepo import Repo


def yours_moved(repo: Repo, before: str, theirs: str) -> list[str]:
    """Records of this clone that a merge elsewhere renumbered: that merge
    gave the id to its own record (and a sync's says so in a trailer of its
    commit), which arrives here now. Said here too, or the person who added
    license 9 would find someone else's license under 9 without a word."""
    moves = _history(repo).moves(before, theirs)
    if not any(not here for here, _, _ in moves):
        return []
    had, has = _records(repo, before), _records(repo, "HEAD")
    said = []
    for here, old, new in moves:
        yours = had.get(old)
        if (
            not here
            and yours is not None
            and same(yours, has.get(new))
            and not same(yours, has.get(old))
        ):
            said.append(
                f"your {noun_of(old)} {old} is now {noun_of(new)} {new}: a sync "
                f"elsewhere kept {old} for {'an' if old.startswith('A') else 'a'} "
                f"{noun_of(old)} added there"
            )
    return said


def _records(repo: Repo, commit: str) -> dict[str, Identity]:
    """The store at ``commit``: each record's id, and what tells it apart."""
    shown = repo.run("show", f"{commit}:{repo.store.as_posix()}", check=False)
    return records(shown.stdout.encode("utf-8")) if shown.returncode == 0 else {}


def _history(repo: Repo) -> History:
    return History(repo.root, repo.store.as_posix())


def moves_between(repo: Repo, since: str, until: str) -> list[tuple[str, str]]:
    """The moves the merges from ``since`` (excluded) to ``until`` made,
    oldest first: what a merge of the two lines follows (``merge_moves``)."""
    return [(old, new) for _, old, new in _history(repo).moves(since, until)]


def moves_of_merges(repo: Repo) -> Callable[[Commit, Collection[str]], Commit]:
    """For ``log``: a merge commit with the moves it made that touch the ids
    followed through it. A sync's merge says them in its trailers, moves or
    none; a merge git made says none, and is merged again when it touched the
    store and a move could touch those ids (``merge_history``: once per
    command, what the merge cost; ``History.keeps`` tells, for the cost of
    one git call). The store's merges are listed once, at the first merge
    that says nothing."""
    history = _history(repo)
    touched: list[set[str]] = []

    def moves_of(commit: Commit, ids: Collection[str]) -> Commit:
        if commit.command == "sync" or commit.renumbered or commit.renumbered_here:
            return commit
        if not touched:
            touched.append(history.store_merges())
        if commit.commit not in touched[0]:
            return commit
        if len(commit.parents) == 2 and history.keeps(*commit.parents, ids):  # noqa: PLR2004 - git's driver merges two
            return commit  # no move can touch the ids followed: not merged again
        moves = history.made_by_git(commit.commit, commit.parents)
        return commit._replace(
            renumbered=tuple((old, new) for here, old, new in moves if not here),
            renumbered_here=tuple((old, new) for here, old, new in moves if here),
        )

    return moves_of


def record_merge(repo: Repo, moves: list[tuple[str, str, str]]) -> None:
    """sync's merge commit says it is sync's and which ids moved (theirs, and
    ours that a move of theirs displaced), for people and for ``log``: a line
    each, and the trailers ``Licenses-Renumbered: 8 -> 9``. Said even when
    none moved: a sync's merge says every move it made, so a later merge
    need not merge its parents again to find them (``merge_history``)."""
    message = repo.run("log", "-1", "--format=%B").stdout.rstrip()
    said = said_moves(moves)
    lines = [message, "", *said, *([""] if said else [])]
    lines.append(f"{COMMAND_TRAILER}: sync")
    if moves:
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
