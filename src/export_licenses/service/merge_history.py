"""The ids the history's merges moved, which a later merge follows
(``domain/merge_moves``), and ``undo`` and ``log`` follow.

A merge made by ``sync`` says its moves in trailers (``Licenses-Renumbered:
8 -> 9``, ``-Here`` for ours). A merge git made on its own (``git pull``,
``git merge``) says nothing: git writes that commit. Its moves are found again
by merging its parents once more, as git's merge driver did (the merge is
deterministic, and follows the moves their own histories said). Without them a
change made to license 8 on a clone that had not merged yet lands on the
record that now has id 8, someone else's. A move counts only when the merge
commit holds the moved record under its new id (a person may have settled the
merge by hand).

Merging again costs what the merge cost (3 s of CPU at a large trader's 5,000
licenses), so only a merge git made, where both sides changed the store, is
merged again (git ran no driver for the others), once per command (``_FOUND``);
a sync's merge says it is one, moves or none. ``log`` of one id asks only the
merges the id is followed through, only those the store's own history lists
(``store_merges``), and only where a move could have touched the id
(``keeps``: one git call); ``log`` of the whole store asks none.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Final

from export_licenses.domain.application import app_label
from export_licenses.errors import LicensesError
from export_licenses.storage import store
from export_licenses.storage.git_command import git, literal
from export_licenses.storage.gitrepo import COMMAND_TRAILER, RENUMBERED_TRAILER

from .merge_graph import Node, apart, holds
from .merging import DriverResult, claimed_from_sync, merge_files, merge_texts

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

# "-Here": a move of the first parent's record (ours, for that merge).
_ANY_MOVE: Final = re.compile(
    rf"^{RENUMBERED_TRAILER}(-Here)?: (A?\d+) -> (A?\d+)$", re.MULTILINE
)
_BY_SYNC: Final = re.compile(rf"^{COMMAND_TRAILER}: sync$", re.MULTILINE)
_FIELD: Final = "\x1f"
_RECORD: Final = "\x1e"
# Merges within merges are merged again, each once per command; deeper than
# this, a history is taken as saying nothing more (no store history comes near).
_DEPTH: Final = 40

Claimed = dict[str, list[tuple[str, str]]]
Identity = tuple[object, ...]
Move = tuple[bool, str, str]  # here (ours), old id, new id


# Each merge is merged again at most once per command (a sync reads the history
# three times: each side's moves, and yours that moved): by commit, which
# never changes, in this repository and for this store.
_FOUND: dict[tuple[str, str, str], list[Move]] = {}


class History:
    """A reading of one repository's history, for one store."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder, self.name = folder, name
        self._read: dict[str, Node] | None = None

    def git(self, *args: str) -> str | None:
        done = git(self.folder, *args, check=False)
        return done.stdout if done.returncode == 0 else None

    def moves(self, since: str, until: str, depth: int = 0) -> list[Move]:
        """The moves the merges from ``since`` (excluded) to ``until`` made,
        oldest first: (here, old id, new id), ``here`` for a record of the
        merge's first parent."""
        shown = self.git(
            "log", "--reverse", f"--format=%H{_FIELD}%P{_FIELD}%B{_RECORD}",
            f"{since}..{until}",
        )  # fmt: skip
        if shown is None:
            return []
        moves: list[Move] = []
        for entry in shown.split(_RECORD):
            commit, _, rest = entry.strip("\n").partition(_FIELD)
            parents, _, body = rest.partition(_FIELD)
            said = _ANY_MOVE.findall(body)
            if said or _BY_SYNC.search(body):  # sync's merge says all it moved
                moves += [(bool(here), old, new) for here, old, new in said]
                continue
            moves += self.made_by_git(commit, parents.split(), depth)
        return moves

    def made_by_git(
        self, merge: str, parents: Sequence[str], depth: int = 0
    ) -> list[Move]:
        """The moves of a commit that says none: a merge git made (or one that
        moved nothing), found by merging its two parents again; none for any
        other commit (git runs no driver for an octopus merge)."""
        match parents:
            case [ours, theirs]:
                return self.replayed(merge, ours, theirs, depth)
        return []

    def keeps(self, ours: str, theirs: str, ids: Collection[str]) -> bool:
        """Whether merging ``ours`` and ``theirs`` again surely moves none of
        ``ids``, so that ``log`` need not (the merge costs what it cost).

        Exact, from how the merge moves records (``domain/merge_ids``,
        ``merge_moves``): with no move said or made on either line since the
        merge base (``claimed`` empty), the only moves are of ids a side gave
        since the base, to ids a side gave or above every id: an id the base
        holds is none of them. Anything this cannot read cheaply (an odd
        history, a store written by hand) is merged again."""
        graph = self._graph()
        split = apart(graph, ours, theirs)
        if split is None or len(split[1]) != 1:
            return False  # no single merge base to read: merged again
        if any(_moved_here(graph[c].body, graph[c].parents) for c in split[0]):
            return False  # a line moved records: the merge follows (claimed)
        text = self.git("cat-file", "blob", f"{split[1][0]}:{self.name}")
        return text is not None and all(holds(text, key) for key in ids)

    def _graph(self) -> dict[str, Node]:
        """The current branch's commits, read once (``log`` asks each merge)."""
        if self._read is None:
            shown = self.git(
                "log", "--topo-order", f"--format=%H{_FIELD}%P{_FIELD}%B{_RECORD}",
            )  # fmt: skip
            self._read = {} if shown is None else _nodes(shown)
        return self._read

    def store_merges(self) -> set[str]:
        """The current branch's merges whose store differs from a parent's
        (``--full-history`` keeps those): any other merged no records, so it
        need not be asked (four git calls) whether it did."""
        shown = self.git(
            "log", "--merges", "--full-history", "--format=%H",
            "--", literal(self.name),
        )  # fmt: skip
        return set((shown or "").split())

    def replayed(self, merge: str, ours: str, theirs: str, depth: int) -> list[Move]:
        """What merging ``merge``'s parents again moves, when ``merge`` holds it."""
        if depth > _DEPTH:
            return []
        key = (str(self.folder), self.name, merge)
        if key not in _FOUND:
            _FOUND[key] = self._merged(merge, ours, theirs, depth)
        return _FOUND[key]

    def _merged(self, merge: str, ours: str, theirs: str, depth: int) -> list[Move]:
        base = (self.git("merge-base", ours, theirs) or "").strip()
        blobs = [self._blob(commit) for commit in (base, ours, theirs)] if base else []
        if (
            not base
            or None in blobs[1:]
            or blobs[0] in blobs[1:]
            or blobs[1] == blobs[2]
        ):
            return []  # one side left the store as it was: git merged no records
        texts = [self._text(blob) if blob else b"" for blob in blobs]
        claimed = self.claimed(ours, theirs, depth + 1)
        outcome = merge_texts(texts[0], texts[1], texts[2], self.name, claimed)
        if not outcome.moves:
            return []
        made = self._text(self._blob(merge))
        if outcome.text is not None and made == outcome.text.encode("utf-8"):
            return [
                (whose.startswith("your"), old, new)
                for whose, old, new in outcome.moves
            ]
        held = records(made)  # settled by hand: the moves the merge holds
        sides = {"your": records(texts[1]), "their": records(texts[2])}
        return [
            (whose.startswith("your"), old, new)
            for whose, old, new in outcome.moves
            if same(sides[whose.partition("-")[0]].get(old), held.get(new))
        ]

    def claimed(self, ours: str, theirs: str, depth: int = 0) -> Claimed:
        """What each line's merges moved since they parted, for a merge of
        ``theirs`` into ``ours``: changes made before a move follow it."""
        return {
            side: [(old, new) for _, old, new in self.moves(since, until, depth)]
            for side, since, until in (("ours", theirs, ours), ("theirs", ours, theirs))
        }

    def _blob(self, commit: str) -> str | None:
        named = self.git("rev-parse", "--verify", "--quiet", f"{commit}:{self.name}")
        return named.strip() if named else None

    def _text(self, blob: str | None) -> bytes:
        shown = self.git("cat-file", "blob", blob) if blob else None
        return (shown or "").encode("utf-8")


def _moved_here(body: str, parents: Sequence[str]) -> bool:
    """Whether a commit may have moved records, as ``moves`` reads it: its
    trailers say a move, or it is a merge that says none (git made it)."""
    return bool(_ANY_MOVE.search(body)) or (
        len(parents) > 1 and not _BY_SYNC.search(body)
    )


def _nodes(shown: str) -> dict[str, Node]:
    nodes = {}
    for order, entry in enumerate(shown.split(_RECORD)):
        commit, _, rest = entry.strip("\n").partition(_FIELD)
        parents, _, body = rest.partition(_FIELD)
        if commit:
            nodes[commit] = Node(order, tuple(parents.split()), body)
    return nodes


def merge_driver(base: Path, ours: Path, theirs: Path, name: str) -> DriverResult:
    """git's merge driver: ``merging.merge_files``, following the moves each
    line's merges made. sync says them (``merging.MOVES_VARIABLE``); a merge
    git runs on its own names the commit it merges in ``GITHEAD_<commit>``, and
    the moves are read from the history (git runs a driver at the top of the
    work tree)."""
    claimed = claimed_from_sync()
    if claimed is None:
        heads = [k[len("GITHEAD_") :] for k in os.environ if k.startswith("GITHEAD_")]
        one = len(heads) == 1 and re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", heads[0])
        claimed = History(Path.cwd(), name).claimed("HEAD", heads[0]) if one else {}
    return merge_files(base, ours, theirs, name, claimed)


def records(text: bytes) -> dict[str, Identity]:
    """A store's records: each one's id, and what tells it apart."""
    try:
        data = store.parse(text, Path("store.toml"))
    except LicensesError:
        return {}
    found: dict[str, Identity] = {
        str(lic.id): (lic.material, lic.destination, lic.issued, lic.number)
        for lic in data.licenses
    }
    for app in data.applications:
        found[app_label(app.id)] = (app.material, app.destination, app.filed)
    return found


def same(yours: Identity | None, there: Identity | None) -> bool:
    """``there`` is the record ``yours`` was: what yours left empty (the
    number, entered later) may have been filled in since (``merge_moves``)."""
    return (
        yours is not None
        and there is not None
        and all(
            mine is None or mine == theirs
            for mine, theirs in zip(yours, there, strict=True)
        )
    )
