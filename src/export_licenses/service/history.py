"""The store under git: init --git, git-setup, log and undo.

Every write of a store with ``git = true`` is a commit (store.py); here is what
reads that history. ``syncing`` moves it between clones; the three-way merge of
two stores is ``domain.merge``, which git calls as the store's merge driver.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from export_licenses.domain.application import app_id_of, app_label
from export_licenses.domain.settings import Settings
from export_licenses.errors import UsageProblem
from export_licenses.storage import fsio, githistory, store
from export_licenses.storage.gitrepo import (
    Entry,
    Repo,
    check_author,
    init_private,
)

from .common import find

if TYPE_CHECKING:
    from export_licenses.domain.store_data import StoreData
    from export_licenses.storage.githistory import Commit

ATTRIBUTES = ".gitattributes"
DRIVER = "licenses"


def _driver_command() -> str:
    """The merge driver as git runs it: this Python, whatever PATH holds."""
    return f"{shlex.quote(sys.executable)} -m export_licenses merge-driver %O %A %B %P"


def git_setup(path: Path) -> list[str]:
    """Install the store's merge driver: the .gitattributes line (shared by
    every clone) and the driver in this clone's .git/config. What was done."""
    repo = Repo.require(path)
    done = []
    store_name = f"/{repo.store.as_posix()}"
    for file, line in (
        (ATTRIBUTES, f"{store_name} merge={DRIVER}"),
        (".gitignore", f"{store_name}.lock"),  # the writers' lock is no record
    ):
        if _add_line(repo.root / file, line):
            done.append(f"{file}: {line}")
    repo.run("config", f"merge.{DRIVER}.name", "licenses store (records, not lines)")
    repo.run("config", f"merge.{DRIVER}.driver", _driver_command())
    done.append(f"git config merge.{DRIVER}.driver")
    return done


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
        return githistory.history(repo)
    app_id = app_id_of(key)
    wanted = (
        app_label(app_id) if app_id is not None else str(find(store.read(path), key).id)
    )
    return githistory.of_record(repo, wanted)


class Undone(NamedTuple):
    undone: Commit
    entry: Entry


def undo(path: Path) -> Undone:
    """Revert the newest change to the store when licenses made it: the store
    as it was before that commit, committed as ``undo: …``."""
    repo = Repo.require(path)
    repo.check_author()
    if repo.has_uncommitted_store():
        raise UsageProblem(
            f"{path}: the store has changes not committed yet (an edit by hand); "
            "commit or discard them first, nothing was undone"
        )
    latest = githistory.history(repo, limit=1)
    if not latest:
        raise UsageProblem(f"{path}: the store has no history to undo")
    commit = latest[0]
    named = f"{commit.commit[:10]} ({commit.message!r} by {commit.author})"
    if not commit.command:
        raise UsageProblem(
            f"the newest change to the store, {named}, was not made by licenses; "
            "use git revert for it"
        )
    if commit.command == "init":
        raise UsageProblem(f"the newest change to the store, {named}, is its start")
    before = repo.run("show", f"{commit.commit}^:{repo.store.as_posix()}", check=False)
    if before.returncode != 0:
        raise UsageProblem(f"{named}: the store did not exist before it")
    entry = Entry("undo", f"undo: {commit.message}", commit.ids)
    store.restore(path, before.stdout.encode("utf-8"), entry)
    return Undone(commit, entry)
