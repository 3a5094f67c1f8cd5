"""A crash during a commit (issue 20, "The shared store"): a stale git lock, a
commit that fails, and a write killed between the store and its commit.

Every crash is injected at a named step, never timed: the tool kills itself
with LICENSES_FAULT=<step>:<file> (fsio.py), and git is killed by a hook of the
repository at the moment it holds its locks, exactly as a SIGKILL would leave it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from git_world import (
    ANN,
    BEN,
    add,
    git,
    lic,
    needs_git,
    run,
    run_process,
    subjects,
    team,
)

# Crash tests: git killed at each step of a commit, locks left behind.
pytestmark = [needs_git, pytest.mark.slow]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    store = tmp_path / "team" / "licenses.toml"
    lic(store, "init", "--git")
    add(store, "dysprosium oxide", "--quantity", "1000", "--unit", "kg")
    return store


def _hook(store: Path, name: str, body: str) -> Path:
    hook = store.parent / ".git" / "hooks" / name
    hook.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    hook.chmod(0o700)
    return hook


def _index(store: Path) -> str:
    """What the index stages: each file's mode, blob and name (git status may
    refresh the cached file times, which stage nothing)."""
    return git(store.parent, "ls-files", "--stage")


def _named_lock(stderr: str) -> Path:
    found = re.search(r"(/\S+\.lock)", stderr)
    assert found, stderr
    return Path(found.group(1))


# --- git killed while it holds its locks -----------------------------------------


@pytest.mark.parametrize(
    ("hook", "body"),
    [
        # git commit holds index.lock while the pre-commit hook runs
        ("pre-commit", "kill -9 $PPID"),
        # and HEAD.lock and the branch's ref lock while the refs are prepared
        ("reference-transaction", '[ "$1" = prepared ] && kill -9 $PPID; exit 0'),
    ],
)
def test_a_git_killed_mid_commit_leaves_locks_each_named_with_its_path(
    repo: Path, hook: str, body: str
) -> None:
    killer = _hook(repo, hook, body)
    before, index, head = repo.read_bytes(), _index(repo), subjects(repo.parent)
    done = run_process(repo, "close", "1", "--reason", "finished")
    assert done.returncode == 73, done.stderr
    killer.unlink()
    assert repo.read_bytes() == before  # the change git could not record is undone

    # Every later write names the lock git left, by its exact path, and leaves
    # the store, the index and the history as they were; once it is removed,
    # the write goes through.
    for _ in range(4):
        done = run_process(repo, "close", "1", "--reason", "finished")
        if done.returncode == 0:
            break
        assert done.returncode == 73, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
        lock = _named_lock(done.stderr)
        assert lock.exists()
        assert lock.is_relative_to(repo.parent / ".git")
        assert f"remove {lock}" in done.stderr
        assert repo.read_bytes() == before
        assert _index(repo) == index
        assert git(repo.parent, "diff", "--cached", "--name-only") == ""
        assert subjects(repo.parent) == head
        lock.unlink()
    assert done.returncode == 0, done.stderr
    assert subjects(repo.parent)[0] == "close 1: finished"
    assert git(repo.parent, "status", "--porcelain") == ""


def test_a_failed_commit_leaves_the_index_as_it_was(repo: Path) -> None:
    """The audit: after a failed commit the store stayed staged, so a later
    plain `git commit` recorded a change the tool had called failed."""
    (repo.parent / ".git" / "HEAD.lock").touch()
    index = _index(repo)
    done = run_process(repo, "ship", "1", "200")
    assert done.returncode == 73, done.stderr
    assert str(repo.parent / ".git" / "HEAD.lock") in done.stderr
    assert _index(repo) == index
    assert git(repo.parent, "diff", "--cached", "--name-only") == ""


# --- the tool killed between the store and its commit -----------------------------


@pytest.mark.parametrize(
    "fault",
    [
        "replaced:licenses.toml",  # the store written, nothing committed
        "committing:licenses.toml",  # about to run git commit
    ],
)
def test_a_killed_write_is_committed_by_the_next_command_under_its_own_name(
    repo: Path, fault: str
) -> None:
    done = run_process(
        repo, "close", "1", "--reason", "finished", who={**ANN, "LICENSES_FAULT": fault}
    )
    assert done.returncode == -9
    assert 'status = "closed"' in repo.read_text(encoding="utf-8")
    assert git(repo.parent, "status", "--porcelain").strip()  # not committed

    add(repo, "terbium metal")
    assert subjects(repo.parent)[:3] == [
        "add 2: terbium metal to US",
        "close 1: finished",
        "add 1: dysprosium oxide to US",
    ]
    trailers = git(repo.parent, "log", "-1", "--skip=1", "--format=%(trailers)")
    assert "Licenses-Command: close" in trailers
    assert "Licenses-Ids: 1" in trailers
    assert git(repo.parent, "status", "--porcelain") == ""


@pytest.mark.parametrize(
    "fault",
    [
        "replaced:licenses-pending-licenses.toml",  # the note of the write made, the store not yet
        "committed:licenses.toml",  # committed, the note not yet gone
    ],
)
def test_a_write_killed_before_or_after_its_change_leaves_nothing_to_commit(
    repo: Path, fault: str
) -> None:
    before = subjects(repo.parent)
    done = run_process(
        repo, "close", "1", "--reason", "finished", who={**ANN, "LICENSES_FAULT": fault}
    )
    assert done.returncode == -9
    committed = fault.startswith("committed")
    add(repo, "terbium metal")
    expected = ["add 2: terbium metal to US"]
    if committed:
        expected.append("close 1: finished")
    assert subjects(repo.parent) == [*expected, *before]
    assert git(repo.parent, "status", "--porcelain") == ""


def test_a_killed_write_edited_by_hand_afterwards_is_an_edit_by_hand(
    repo: Path,
) -> None:
    done = run_process(
        repo,
        "close",
        "1",
        "--reason",
        "finished",
        who={**ANN, "LICENSES_FAULT": "committing:licenses.toml"},
    )
    assert done.returncode == -9
    text = repo.read_text(encoding="utf-8")
    repo.write_text(text.replace("warn_days = 90", "warn_days = 60"), encoding="utf-8")
    add(repo, "terbium metal")
    assert subjects(repo.parent)[:2] == ["add 2: terbium metal to US", "edit by hand"]


def test_undo_commits_a_killed_write_under_its_own_name_first(repo: Path) -> None:
    fault = {**ANN, "LICENSES_FAULT": "committing:licenses.toml"}
    assert (
        run_process(repo, "close", "1", "--reason", "finished", who=fault).returncode
        == -9
    )
    said = lic(repo, "undo")
    assert "close 1: finished" in said
    assert subjects(repo.parent)[:2] == ["undo: close 1: finished", "close 1: finished"]


def test_sync_commits_a_killed_write_under_its_own_name_first(tmp_path: Path) -> None:
    one, _ = team(tmp_path)
    fault = {**ANN, "LICENSES_FAULT": "committing:licenses.toml"}
    assert (
        run_process(one, "close", "1", "--reason", "finished", who=fault).returncode
        == -9
    )
    lic(one, "sync")
    remote = tmp_path / "remote.git"
    assert git(remote, "log", "-1", "--format=%s").strip() == "close 1: finished"


def test_a_killed_write_keeps_its_name_past_a_write_to_another_store(
    repo: Path,
) -> None:
    """Two stores in one repository: each write's note is its store's own."""
    other = repo.parent / "other" / "licenses.toml"
    lic(other, "init", "--git")
    fault = {**ANN, "LICENSES_FAULT": "committing:licenses.toml"}
    assert (
        run_process(repo, "close", "1", "--reason", "finished", who=fault).returncode
        == -9
    )
    add(other, "gallium")
    add(repo, "terbium metal")
    assert subjects(repo.parent)[:3] == [
        "add 2: terbium metal to US",
        "close 1: finished",
        "add 1: gallium to US",
    ]


@pytest.mark.parametrize(
    "lock",
    [
        "index.lock",
        "HEAD.lock",
        "refs/heads/{branch}.lock",
        "refs/remotes/origin/{branch}.lock",
    ],
)
def test_sync_with_a_lock_left_behind_names_it_and_the_next_sync_merges(
    tmp_path: Path, lock: str
) -> None:
    """With the other side's change to merge, a lock a killed git left made
    sync say "changed differently on both sides" (65, the lock unnamed), and
    git's half-begun merge (MERGE_HEAD) failed the next sync too."""
    one, two = team(tmp_path)
    lic(two, "close", "1", "--reason", "finished", who=BEN)
    lic(two, "sync", who=BEN)
    add(one, "terbium metal")
    branch = git(one.parent, "symbolic-ref", "--short", "HEAD").strip()
    planted = one.parent / ".git" / lock.format(branch=branch)
    planted.write_bytes(b"")
    store, head = one.read_bytes(), git(one.parent, "rev-parse", "HEAD")
    done = run(one, "sync")
    assert done.returncode == 73, done.stderr
    assert _named_lock(done.stderr) == planted
    assert len(done.stderr.splitlines()) == 1
    assert (one.read_bytes(), git(one.parent, "rev-parse", "HEAD")) == (store, head)
    assert not (one.parent / ".git" / "MERGE_HEAD").exists()
    planted.unlink()
    lic(one, "sync")
    lic(two, "sync", who=BEN)
    assert one.read_bytes() == two.read_bytes()
    assert "closed" in lic(one, "show", "1")
