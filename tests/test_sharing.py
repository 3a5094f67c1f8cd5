"""Sharing a store through git, with real repositories: the repository the tool
creates, sync with the current branch's upstream, undo after a sync, and
renumbered licenses in the history (issue 20, "The shared store")."""

from __future__ import annotations

import json
import os
import stat
from typing import TYPE_CHECKING

import pytest

from git_world import BEN, NOBODY, add, git, lic, needs_git, run, team

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = needs_git


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The child processes start with umask 000: anything git creates with
    its default modes is then readable and writable by everyone."""
    before = os.umask(0)
    try:
        yield
    finally:
        os.umask(before)


def _shared_with_others(root: Path) -> list[str]:
    return [
        f"{place.relative_to(root.parent)} {place.lstat().st_mode:o}"
        for place in [root, *root.rglob("*")]
        if stat.S_IMODE(place.lstat().st_mode) & 0o077
    ]


@pytest.mark.usefixtures("open_umask")
def test_init_git_in_an_existing_folder_makes_a_private_repository(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "team"
    folder.mkdir(mode=0o755)
    store = folder / "licenses.toml"
    lic(store, "init", "--git")
    add(store, "dysprosium oxide")
    dot_git = folder / ".git"
    assert stat.S_IMODE(dot_git.stat().st_mode) == 0o700
    assert stat.S_IMODE((dot_git / "hooks").stat().st_mode) == 0o700
    # Nothing git made, then or at the next commit, is open to other users.
    assert _shared_with_others(dot_git) == []
    assert stat.S_IMODE(store.stat().st_mode) == 0o600


def test_init_git_without_an_author_runs_no_git_init(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    store = folder / "licenses.toml"
    done = run(store, "init", "--git", who={**NOBODY, "HOME": str(tmp_path)})
    assert done.returncode == 73, done.stderr
    assert "git has no author" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in folder.iterdir()) == []


def test_init_git_in_a_repository_keeps_its_modes(tmp_path: Path) -> None:
    """A repository a person made is theirs: the tool changes none of its modes."""
    folder = tmp_path / "team"
    folder.mkdir()
    git(folder, "init", "--quiet")
    (folder / ".git").chmod(0o750)
    lic(folder / "licenses.toml", "init", "--git")
    assert stat.S_IMODE((folder / ".git").stat().st_mode) == 0o750


# --- shipments are events --------------------------------------------------------


def test_the_same_shipment_at_two_sites_is_two_shipments(tmp_path: Path) -> None:
    """Issue 20: two sites each ship 100 kg under one license on the same day;
    after sync both clones hold both shipments."""
    one, two = team(tmp_path)
    lic(one, "ship", "1", "100")
    lic(two, "ship", "1", "100", who=BEN)
    lic(one, "sync")
    lic(two, "sync", who=BEN)
    lic(one, "sync")
    assert one.read_bytes() == two.read_bytes()
    shown = json.loads(lic(one, "show", "1", "-f", "json"))
    assert shown["shipped"] == 200
    assert one.read_text(encoding="utf-8").count("quantity = 100, id = ") == 2
