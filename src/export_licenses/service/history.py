"""The store under git: init --git, git-setup, log and undo.

Every write of a store with ``git = true`` is a commit (store.py); here is what
reads that history. ``syncing`` moves it between clones; the three-way merge of
two stores is ``domain.merge``, which git calls as the store's merge driver.

The service side of ``cli/history.py``: here the history is read and undone; the
commands parse the options and say what was done.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from export_licenses.domain.application import Application, app_label
from export_licenses.domain.settings import Settings
from export_licenses.errors import MergeConflict, UsageProblem
from export_licenses.storage import fsio, githistory, store
from export_licenses.storage.gitrepo import (
    Entry,
    Repo,
    check_author,
    init_private,
)

from .keys import find_record
from .merging import merge_texts
from .renumbering import moves_between, moves_of_merges

if TYPE_CHECKING:
    from export_licenses.domain.store_data import StoreData
    from export_licenses.storage.githistory import Commit

ATTRIBUTES = ".gitattributes"
DRIVER = "licenses"


def _driver_command() -> str:
    """The merge driver as git runs it: this Python, whatever PATH holds. Its
    arguments after ``--``: a store named ``-x.toml`` is no option."""
    return (
        f"{shlex.quote(sys.executable)} -m export_licenses merge-driver -- %O %A %B %P"
    )


def git_setup(path: Path) -> list[str]:
    """Install the store's merge driver: the .gitattributes line (shared by
    every clone) and the driver in this clone's .git/config. What was done."""
    repo = Repo.require(path)
    done = []
    store_name = f"/{repo.store.as_posix()}"
    for file, line in (
        (ATTRIBUTES, f"{_attributes_pattern(store_name)} merge={DRIVER}"),
        # the writers' lock is no record
        (".gitignore", _ignore_pattern(f"{store_name}.lock")),
    ):
        if _add_line(repo.root / file, line):
            done.append(f"{file}: {line}")
    repo.run("config", f"merge.{DRIVER}.name", "licenses store (records, not lines)")
    repo.run("config", f"merge.{DRIVER}.driver", _driver_command())
    done.append(f"git config merge.{DRIVER}.driver")
    return done


def _literal(name: str) -> str:
    """``name`` as a git pattern that matches it alone: its wildcard
    characters escaped (a store may be called ``licenses[2].toml``)."""
    return "".join(f"\\{c}" if c in "\\*?[]" else c for c in name)


def _attributes_pattern(name: str) -> str:
    """For .gitattributes, whose fields are split at white space: a name with a
    space, a quote or a character that does not print is quoted in C style,
    which git reads (gitattributes(5)), the last as octal bytes."""
    pattern = _literal(name)
    if all(c.isprintable() and not c.isspace() and c != '"' for c in pattern):
        return pattern
    quoted = "".join(
        "\\" + c
        if c in '\\"'
        else c
        if c.isprintable()
        else "".join(f"\\{byte:03o}" for byte in c.encode())
        for c in pattern
    )
    return f'"{quoted}"'


def _ignore_pattern(name: str) -> str:
    """For .gitignore, which keeps inner spaces but drops trailing ones."""
    pattern = _literal(name)
    stripped = pattern.rstrip(" ")
    return stripped + "\\ " * (len(pattern) - len(stripped))


def _add_line(file: Path, line: str) -> bool:
    """``line`` at the end of ``file`` unless it is there already."""
    text = file.read_text(encoding="utf-8") if file.exists() else ""
    if line in text.splitlines():
        return False
    joined = text + ("" if not text or text.endswith("\n") else "\n") + line + "\n"
    fsio.write_atomic(file, joined, mode=0o644)
    return True


def init_git(path: Path) -> str:
    """A store under git: git init when its folder is in no repository, the
    merge driver, ``git = true``, and the first commit. What happened."""
    if path.exists():
        store.read(path)  # a store that cannot be read is not put under git
    folder = Path(os.path.realpath(path)).parent
    # Who commits is known before anything is made: no folder, no repository.
    check_author(_nearest_folder(folder))
    fsio.make_folder(path.parent)
    if Repo.of(path) is None:
        init_private(folder)
    repo = Repo.require(path)
    git_setup(path)
    attributes = repo.root / ATTRIBUTES
    ignore = repo.root / ".gitignore"
    if store.create(path, Settings(git=True)):
        repo.commit("init: new store", "init", (), attributes, ignore)
        return f"Created a store under git at {path}"
    if not store.read(path).settings.git:

        def turn_on(data: StoreData) -> tuple[StoreData, None]:
            return data._replace(settings=data.settings._replace(git=True)), None

        entry = Entry("init", "init: the store's history starts (git = true)")
        store.update(path, turn_on, record=lambda _: entry)
    if repo.run("status", "--porcelain", "--", ATTRIBUTES, ".gitignore").stdout:
        repo.commit(
            "git-setup: the store's merge driver", "init", (), attributes, ignore
        )
    return f"The store at {path} keeps its history in git"


def _nearest_folder(folder: Path) -> Path:
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return folder


def log(path: Path, key: str | None) -> list[Commit]:
    """The store's history, newest first; of one license or application."""
    repo = Repo.require(path)
    if key is None:
        # No id to follow: no merge is merged again to find its moves (that
        # costs what the merge cost), so the whole history is one git log.
        return githistory.history(repo)
    found = find_record(store.read(path), key)
    wanted = app_label(found.id) if isinstance(found, Application) else str(found.id)
    # Through a merge git made (no trailer), the id is followed by merging its
    # parents again: only for a merge that touched the store and could have
    # moved the id, once each.
    return githistory.of_record(repo, wanted, moves_of_merges(repo))


class Undone(NamedTuple):
    undone: Commit
    entry: Entry


def undo(path: Path) -> Undone:
    """Take back your newest change to the store made by licenses (never a
    merge, never someone else's), as a commit ``undo: …``. What came after it,
    the team's changes included, stays: the change is reverted through the
    record-level merge, and a conflict with what came after is exit 65 with
    the list, nothing changed."""
    repo = Repo.require(path)
    repo.check_author()
    with store.locked(path):
        repo.commit_pending()  # a write killed before its commit: its own name
    if repo.has_uncommitted_store():
        raise UsageProblem(
            f"{path}: the store has changes not committed yet (an edit by hand); "
            "commit or discard them first, nothing was undone"
        )
    commit = _yours(repo)
    named = f"{commit.commit[:10]} ({commit.message!r} by {commit.author})"
    if not commit.command:
        raise UsageProblem(
            f"your newest change to the store, {named}, was not made by licenses; "
            "use git revert for it"
        )
    if commit.command == "init":
        raise UsageProblem(f"your newest change to the store, {named}, is its start")
    name = repo.store.as_posix()
    at = repo.run("show", f"{commit.commit}:{name}", check=False)
    before = repo.run("show", f"{commit.commit}^:{name}", check=False)
    if before.returncode != 0 or at.returncode != 0:
        raise UsageProblem(f"{named}: the store did not exist before it")
    entry = Entry("undo", f"undo: {commit.message}", commit.ids)
    # A sync since may have renumbered what the change touched: undo follows.
    since = {"ours": moves_between(repo, commit.commit, "HEAD")}

    def taken_back(current: bytes) -> bytes:
        then, earlier = at.stdout.encode("utf-8"), before.stdout.encode("utf-8")
        if current == then:  # nothing since: the earlier text, byte for byte
            return earlier
        done = merge_texts(then, current, earlier, str(path), since)
        renumbered = [whose for whose, _, _ in done.moves if "-" not in whose]
        if done.conflicts or renumbered or done.text is None:
            raise MergeConflict(
                f"undo: {commit.message!r} cannot be taken back: what came after it "
                f"changed the same thing ({len(done.conflicts)} conflict(s)); "
                "nothing was undone",
                tuple(done.conflicts),
            )
        return done.text.encode("utf-8")

    store.restore(path, taken_back, entry)
    return Undone(commit, entry)


def _yours(repo: Repo) -> Commit:
    """Your newest commit that changed the store, merges aside."""
    ident = repo.run("var", "GIT_AUTHOR_IDENT").stdout
    email = ident.partition("<")[2].partition(">")[0].casefold()
    for commit in githistory.history(repo, full=True):
        if len(commit.parents) <= 1 and commit.email.casefold() == email:
            return commit
    raise UsageProblem(
        f"{repo.root / repo.store}: the store has no change of yours ({email}) to undo"
    )
