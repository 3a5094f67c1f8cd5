"""What sync says when git could not merge or talk to the remote: a failed
merge in words that stay true once it is aborted (the store's conflicts, a
clone without the merge driver, another file by name), and git's own words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from export_licenses.errors import GitProblem, LicensesError, MergeConflict

from .merging import CONFLICT_MARK
from .sync_network import config

if TYPE_CHECKING:
    import subprocess

    from export_licenses.storage.gitrepo import Repo

_DRIVER_SAYS: Final = "licenses merge: conflict:"  # cli/history.py's merge_driver


def failed_merge(
    repo: Repo, merging: subprocess.CompletedProcess[str]
) -> LicensesError:
    """What stopped the merge, in words that stay true once it is aborted:
    the store's conflicts, a clone without the merge driver, or the other
    files git could not merge, by name."""
    listed = repo.run("diff", "--name-only", "-z", "--diff-filter=U", check=False)
    unmerged = [name for name in listed.stdout.split("\0") if name]
    store = repo.store.as_posix()
    others = [name for name in unmerged if name != store]
    also = (f"also not merged: {', '.join(others)}",) if others else ()
    if store not in unmerged and others:
        return MergeConflict(
            f"sync: git could not merge {', '.join(others)} (changed on both sides; "
            "not the store); nothing was merged: git pull, settle and commit "
            "them, then sync again"
        )
    if store not in unmerged:  # git refused to start (a local change in the way)
        said = " ".join(merging.stderr.split())  # whole: it names the files
        return GitProblem(f"sync: git could not merge: {said}; nothing was merged")
    text = (repo.root / repo.store).read_text(encoding="utf-8", errors="replace")
    found = [
        line.removeprefix("#").strip()
        for line in text.splitlines()
        if line.startswith("#   ")
    ]
    if CONFLICT_MARK in text and found:
        return MergeConflict(
            "sync: the store was changed differently on both sides; nothing was "
            f"merged ({len(found)} conflict(s)); settle them and sync again",
            (*found, *also),
        )
    driver = _driver(repo)
    if not driver:
        return MergeConflict(
            "sync: the licenses merge driver is not set up in this clone, so git "
            f"merged {store} line by line and could not; nothing was merged: run "
            "licenses git-setup, then sync again",
            also,
        )
    driver_said = [
        line.removeprefix(_DRIVER_SAYS).strip()
        for line in merging.stderr.splitlines()
        if line.startswith(_DRIVER_SAYS)
    ] or [f"the driver gave no result: {driver} (licenses git-setup sets it again)"]
    return MergeConflict(  # a side it could not read, or a driver that failed
        f"sync: the merge driver could not merge {store}; nothing was merged",
        (*driver_said, *also),
    )


def _driver(repo: Repo) -> str:
    """The command of the merge driver the store's attribute names, "" when
    this clone has none."""
    attribute = repo.run("check-attr", "merge", "--", str(repo.store), check=False)
    name = attribute.stdout.strip().rpartition(": ")[2]
    if name in ("", "unspecified", "set", "unset"):
        return ""
    return config(repo, f"merge.{name}.driver")


def said(text: str) -> str:
    """git's own words: its fatal/error line(s), whole, not a last fragment."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    main = [ln for ln in lines if ln.startswith(("fatal:", "error:", "!"))] or lines
    return " ".join(main[:2]) if main else "failed"
