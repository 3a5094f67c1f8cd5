"""The store's git repository, through the ``git`` command (never a library).

With ``[settings] git = true`` every write of the store is one commit of the
store file alone, the way ``pass`` keeps a password store: history, audit, undo
and sharing come from git. A commit made by ``licenses`` carries two trailers,
``Licenses-Command`` and ``Licenses-Ids``, which ``log`` and ``undo`` read.

A crash between the store and its commit loses nothing and misnames nothing:
before the store is written, a note of the write (its message, and the hash of
the text it writes) goes to ``.git/licenses-pending-<store>``; the next command that
finds the store uncommitted and equal to that text commits it under its own
name, and anything else as an ``edit by hand``. A commit that fails leaves the
index as it was (``git commit -- <store>`` commits the file as it is on disk,
and git rolls its index back when it fails); a lock a killed git left behind is
named by its path, for a person to remove: no process can tell for certain
that no git holds it. Running the command itself (its environment, umask,
timeout and failures) is ``git_command``'s.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Final, NamedTuple

from export_licenses.errors import (
    GitProblem,
    LicensesError,
)

from . import fsio
from .git_command import git, literal

if TYPE_CHECKING:
    import subprocess
    from collections.abc import Mapping, Sequence

COMMAND_TRAILER: Final = "Licenses-Command"
IDS_TRAILER: Final = "Licenses-Ids"
# In a sync's merge commit: an id that changed on the merged (second) parent's
# side of history, and one that changed on this (first) parent's side.
RENUMBERED_TRAILER: Final = "Licenses-Renumbered"
RENUMBERED_HERE_TRAILER: Final = "Licenses-Renumbered-Here"
HAND_EDIT: Final = "edit by hand"
PENDING: Final = "licenses-pending-"  # in .git, + the store: a write not committed


def check_author(folder: Path) -> None:
    """git knows who commits in ``folder`` (an existing folder, in a repository
    or not), or GitProblem (exit 73) before anything is written."""
    for part, variable in (("name", "GIT_AUTHOR_NAME"), ("email", "GIT_AUTHOR_EMAIL")):
        if os.environ.get(variable):
            continue
        if not git(
            folder, "config", "--get", f"user.{part}", check=False
        ).stdout.strip():
            raise GitProblem(
                f"git has no author {part}: set it with git config user.{part} "
                "(nothing was written)"
            )


def init_private(folder: Path) -> None:
    """``git init`` in ``folder``: a repository for the user alone.

    The store is 0600, and a repository holds every version of it: ``.git`` is
    0700 whatever the umask (no one else reads the history, nor plants a hook
    that the next commit runs), and core.sharedRepository = 0600 keeps what git
    adds later private too, whoever's umask it runs under.
    """
    git(folder, "init", "--quiet")
    dot_git = folder / ".git"
    dot_git.chmod(0o700)
    git(folder, "config", "core.sharedRepository", "0600")


class Repo(NamedTuple):
    """The repository that holds a store, and the store's path inside it."""

    root: Path
    store: Path  # relative to root, as git names it
    git_dir: Path  # .git, where the tool keeps notes of its own (never committed)

    @classmethod
    def of(cls, store: Path) -> Repo | None:
        folder = Path(os.path.realpath(store)).parent
        found = git(
            folder, "rev-parse", "--show-toplevel", "--absolute-git-dir", check=False
        )
        lines = found.stdout.splitlines()
        if found.returncode != 0 or len(lines) != 2:  # noqa: PLR2004 - two answers
            return None
        root = Path(lines[0])
        return cls(
            root, Path(os.path.realpath(store)).relative_to(root), Path(lines[1])
        )

    @classmethod
    def require(cls, store: Path) -> Repo:
        repo = cls.of(store)
        if repo is None:
            raise GitProblem(
                f"{store}: not in a git repository; run 'licenses init --git' "
                "in its folder, or git init there"
            )
        return repo

    def run(
        self,
        *args: str,
        check: bool = True,
        env: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> subprocess.CompletedProcess[str]:
        return git(self.root, *args, check=check, env=env, timeout=timeout)

    def check_author(self) -> None:
        """The commit's author is known, or exit 73 before anything is written."""
        check_author(self.root)

    def has_uncommitted_store(self) -> bool:
        """The store differs from the last commit (or was never committed)."""
        status = self.run("status", "--porcelain", "--", literal(str(self.store)))
        return bool(status.stdout.strip())

    def commit(
        self, message: str, command: str, ids: Sequence[str], *paths: Path
    ) -> None:
        """Commit the store (and ``paths``) as they are on disk, only them,
        whatever else is staged; when it fails, the index is as it was."""
        files = [str(self.store), *(str(p.relative_to(self.root)) for p in paths)]
        specs = [literal(name) for name in files]
        known = self.run("ls-files", "-z", "--", *specs).stdout.split("\0")
        new = [name for name in files if name not in known]
        if new:  # git commits only files it knows: a first commit adds them
            self.run("add", "--", *map(literal, new))
        trailers = [f"{COMMAND_TRAILER}: {command}"]
        if ids:
            trailers.append(f"{IDS_TRAILER}: {' '.join(ids)}")
        body = f"{message}\n\n" + "\n".join(trailers) + "\n"
        store = self.root / self.store
        fsio.fault("committing", store)
        try:
            git(
                self.root,
                "commit",
                "--quiet",
                "--file=-",
                "--",
                *specs,
                input_text=body,
            )
        except LicensesError:
            if new:
                self.run(
                    "rm", "--cached", "--quiet", "--", *map(literal, new), check=False
                )
            raise
        fsio.fault("committed", store)

    def commit_hand_edits(self) -> None:
        """A change to the store not committed yet is committed on its own
        first, so that a tool commit never hides it: a write that was killed
        before its commit under its own name, a person's edit as ``edit by
        hand``."""
        if self.has_uncommitted_store():
            entry = self._pending() or Entry("", HAND_EDIT)
            self.commit(entry.message, entry.command, entry.ids)
        self.done()

    def commit_pending(self) -> None:
        """A write killed before its commit is committed under its own name;
        a person's edit is left alone."""
        if not self.has_uncommitted_store():
            self.done()
            return
        entry = self._pending()
        if entry is not None:
            self.commit(entry.message, entry.command, entry.ids)
            self.done()

    def intend(self, entry: Entry, text: bytes) -> None:
        """Note the write about to be made (see the module's doc)."""
        note = {
            "store": self.store.as_posix(),
            "sha256": _digest(text),
            "command": entry.command,
            "message": entry.message,
            "ids": list(entry.ids),
        }
        fsio.write_atomic(self._note, json.dumps(note) + "\n")

    def done(self) -> None:
        """The noted write is committed, or was never made."""
        self._note.unlink(missing_ok=True)

    @property
    def _note(self) -> Path:
        """Each store of a repository has its own (a repository may hold two)."""
        return self.git_dir / (PENDING + self.store.as_posix().replace("/", "%"))

    def _pending(self) -> Entry | None:
        """The noted write, when the store on disk is exactly what it wrote."""
        try:
            note = json.loads(self._note.read_bytes())
            store = (self.root / self.store).read_bytes()
        except (OSError, ValueError):
            return None
        fields = ("store", "sha256", "command", "message")
        if not isinstance(note, dict) or not all(
            isinstance(note.get(k), str) for k in fields
        ):
            return None
        ids = note.get("ids")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            return None
        if note["store"] != self.store.as_posix() or note["sha256"] != _digest(store):
            return None
        return Entry(note["command"], note["message"], tuple(ids))


def _digest(data: bytes) -> str:
    import hashlib  # noqa: PLC0415 - only a write under git needs it (12 M instructions)

    return hashlib.sha256(data).hexdigest()


class Entry(NamedTuple):
    """What a write did, for its commit: ``add 17: dysprosium oxide to US``."""

    command: str
    message: str
    ids: tuple[str, ...] = ()


def recorder(store: Path) -> Repo:
    """The repository a write is committed to; checked before anything is
    written (git installed, a repository, an author)."""
    repo = Repo.require(store)
    repo.check_author()
    return repo
