"""The store's history as git keeps it: the commits, their trailers, and the
ids a license had on each line of history.

A commit made by ``licenses`` carries ``Licenses-Command`` (what it was) and
``Licenses-Ids`` (what it touched). The merge commit of a ``sync`` that moved
their ids carries ``Licenses-Renumbered: 8 -> 9`` for each: on the merged
(second) parent's side of history, what is now license 9 was license 8; and
``Licenses-Renumbered-Here: 8 -> 9`` for each of ours that moved (it followed a
move the other side made, or that move took its id): the same on the first
parent's side. A merge git made on its own (``git pull``) says nothing; the
service finds its moves (``of_record``'s ``moves_of``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, NamedTuple

from .git_command import literal
from .gitrepo import (
    COMMAND_TRAILER,
    IDS_TRAILER,
    RENUMBERED_HERE_TRAILER,
    RENUMBERED_TRAILER,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from .gitrepo import Repo

_FIELD: Final = "\x1f"
_RECORD: Final = "\x1e"
_FORMAT: Final = _FIELD.join(
    (
        "%H",
        "%as",
        "%an",
        "%s",
        f"%(trailers:key={COMMAND_TRAILER},valueonly,separator=%x20)",
        f"%(trailers:key={IDS_TRAILER},valueonly,separator=%x20)",
        "%P",
        "%ae",
        f"%(trailers:key={RENUMBERED_TRAILER},valueonly,separator=%x2C)",
        f"%(trailers:key={RENUMBERED_HERE_TRAILER},valueonly,separator=%x2C)",
    )
)


class Commit(NamedTuple):
    commit: str
    date: str
    author: str
    message: str
    command: str  # "" when not made by licenses
    ids: tuple[str, ...]
    parents: tuple[str, ...] = ()
    email: str = ""
    # (their old id, its new id) for each id a sync's merge moved: ("8", "9")
    renumbered: tuple[tuple[str, str], ...] = ()
    # The same for ours (the first parent's side)
    renumbered_here: tuple[tuple[str, str], ...] = ()


def history(
    repo: Repo,
    limit: int | None = None,
    *,
    every_commit: bool = False,
    full: bool = False,
) -> list[Commit]:
    """Commits that changed the store, newest first. ``full``: every one that
    did, on any line of history merged in, not only those git's simplified
    history shows. ``every_commit``: all commits of the current branch,
    children before parents."""
    args = ["log", f"--format={_FORMAT}{_RECORD}"]
    if limit is not None:
        args.append(f"-{limit}")
    if every_commit:
        args.append("--topo-order")
    else:
        args += [*(["--full-history", "--no-merges"] if full else []), "--"]
        args.append(literal(str(repo.store)))
    done = repo.run(*args, check=False)
    if done.returncode != 0:  # no commit yet
        return []
    commits = []
    for record in done.stdout.split(_RECORD):
        fields = record.strip("\n").split(_FIELD)
        if len(fields) == len(_FORMAT.split(_FIELD)):
            sha, day, author, subject, command, ids, parents, email, moved, here = (
                fields
            )
            commits.append(
                Commit(
                    sha,
                    day,
                    author,
                    subject,
                    command.strip(),
                    tuple(ids.split()),
                    tuple(parents.split()),
                    email,
                    _moves(moved),
                    _moves(here),
                )
            )
    return commits


def _moves(text: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for part in text.split(","):
        old, arrow, new = part.partition("->")
        if arrow and old.strip() and new.strip():
            pairs.append((old.strip(), new.strip()))
    return tuple(pairs)


def of_record(
    repo: Repo,
    key: str,
    moves_of: Callable[[Commit, set[str]], Commit] | None = None,
) -> list[Commit]:
    """The commits about one license or application (``key``: "9", "A2"),
    newest first, including those from before a merge renumbered it: on the
    side a merge took in, it had its old id. ``moves_of``: a merge commit with
    its moves filled in where its trailers say none (git made it; the service
    merges its parents again), asked only of a merge the id is followed
    through, as that costs what the merge cost, with the ids followed there
    (moves of other records change nothing here)."""
    commits = history(repo, every_commit=True)
    names: dict[str, set[str]] = {commits[0].commit: {key}} if commits else {}
    found = []
    for listed in commits:
        here = names.get(listed.commit, set())
        commit = listed
        if moves_of is not None and here and len(listed.parents) > 1:
            commit = moves_of(listed, here)  # a merge the id is followed through
        moved = (*commit.renumbered, *commit.renumbered_here)
        if here & set(commit.ids) or any(new in here for _, new in moved):
            found.append(commit)
        for n, parent in enumerate(commit.parents):
            # Each side's ids as they were there: the side merged in (1), ours (0)
            side = commit.renumbered if n == 1 else commit.renumbered_here
            names.setdefault(parent, set()).update(_before(here, side))
    return found


def _before(here: set[str], moves: tuple[tuple[str, str], ...]) -> set[str]:
    """The ids ``here`` on a side of a merge whose ids ``moves`` changed: a
    moved one under its old id; an id that moved away names another record
    there, and is not followed."""
    back = {new: old for old, new in moves}
    gone = {old for old, _ in moves}
    return {back.get(k, k) for k in here if k in back or k not in gone}
