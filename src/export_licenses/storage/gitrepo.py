"""The store's git repository, through the ``git`` command (never a library).

With ``[settings] git = true`` every write of the store is one commit of the
store file alone, the way ``pass`` keeps a password store: history, audit, undo
and sharing come from git. A commit made by ``licenses`` carries two trailers,
``Licenses-Command`` and ``Licenses-Ids``, which ``log`` and ``undo`` read.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Final, NamedTuple

from export_licenses.errors import GitProblem, GitUnavailable

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

COMMAND_TRAILER: Final = "Licenses-Command"
IDS_TRAILER: Final = "Licenses-Ids"
RENUMBERED_TRAILER: Final = "Licenses-Renumbered"
HAND_EDIT: Final = "edit by hand"
PRIVATE_UMASK: Final = 0o077


def git(
    folder: Path,
    *args: str,
    check: bool = True,
    input_text: str | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run git in ``folder``; GitProblem with git's own first line when it fails.

    git runs with umask 077: what it writes, in the repository or the store's
    folder (a merged store, a fetched object), is the user's alone, as every
    file the tool makes is (0600, folders 0700).
    """
    full_env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", **(env or {})}
    full_env.pop("GIT_DIR", None)  # the store's folder decides the repository
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=folder,
            capture_output=True,
            text=True,
            env=full_env,
            input=input_text,
            check=False,
            umask=PRIVATE_UMASK,
        )
    except FileNotFoundError:
        raise GitUnavailable(
            "git is not installed (the git features need it: sudo apt-get install git)"
        ) from None
    if check and done.returncode != 0:
        said = (done.stderr.strip() or done.stdout.strip()).splitlines()
        raise GitProblem(f"git {args[0]}: {said[-1] if said else 'failed'}")
    return done


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
        self, *args: str, check: bool = True, env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return git(self.root, *args, check=check, env=env)

    def check_author(self) -> None:
        """The commit's author is known, or exit 73 before anything is written."""
        check_author(self.root)

    def has_uncommitted_store(self) -> bool:
        """The store differs from the last commit (or was never committed)."""
        status = self.run("status", "--porcelain", "--", str(self.store))
        return bool(status.stdout.strip())

    def commit(
        self, message: str, command: str, ids: Sequence[str], *paths: Path
    ) -> None:
        """Commit the store (and ``paths``), only them, whatever else is staged."""
        files = [str(self.store), *(str(p.relative_to(self.root)) for p in paths)]
        self.run("add", "--", *files)
        trailers = [f"{COMMAND_TRAILER}: {command}"]
        if ids:
            trailers.append(f"{IDS_TRAILER}: {' '.join(ids)}")
        body = f"{message}\n\n" + "\n".join(trailers) + "\n"
        git(self.root, "commit", "--quiet", "--file=-", "--", *files, input_text=body)

    def commit_hand_edits(self) -> None:
        """A person's uncommitted change is committed on its own first, so that a
        tool commit never hides it."""
        if self.has_uncommitted_store():
            self.commit(HAND_EDIT, "", ())


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
