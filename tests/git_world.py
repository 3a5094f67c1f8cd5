"""Real git for the sharing tests: people, clones of one remote, and git itself.

Every person has a fixed identity and no global git configuration, so a test
never depends on the machine's ~/.gitconfig.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING, Final

import pytest

from helpers import licenses_in_process, licenses_process

if TYPE_CHECKING:
    from pathlib import Path

needs_git = pytest.mark.skipif(
    shutil.which("git") is None, reason="git is not installed (.ci/run installs it)"
)
ANN: Final = {
    "GIT_AUTHOR_NAME": "Ann",
    "GIT_AUTHOR_EMAIL": "ann@example.com",
    "GIT_COMMITTER_NAME": "Ann",
    "GIT_COMMITTER_EMAIL": "ann@example.com",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "LICENSES_TODAY": "2026-11-23",
}
BEN: Final = {
    **ANN,
    "GIT_AUTHOR_NAME": "Ben",
    "GIT_AUTHOR_EMAIL": "ben@example.com",
    "GIT_COMMITTER_NAME": "Ben",
    "GIT_COMMITTER_EMAIL": "ben@example.com",
}
# Nobody: git knows no author at all.
NOBODY: Final = {k: v for k, v in ANN.items() if not k.endswith(("_NAME", "_EMAIL"))}


def run(
    store: Path, *args: str, who: dict[str, str] = ANN
) -> subprocess.CompletedProcess[str]:
    """``licenses --store STORE ARGS`` as ``who``, in this process: each person's
    run sees only their identity and the files and repositories on disk, as a
    run of their own would (git, and the merge driver git starts, are real
    processes either way)."""
    return licenses_in_process("--store", str(store), *args, env=who)


def run_process(
    store: Path, *args: str, who: dict[str, str] = ANN
) -> subprocess.CompletedProcess[str]:
    """The same in a real child process: for a run that is killed (a fault
    injected, a git hook that kills its parent)."""
    return licenses_process("--store", str(store), *args, env=who)


def lic(store: Path, *args: str, who: dict[str, str] = ANN) -> str:
    done = run(store, *args, who=who)
    assert done.returncode == 0, (args, done.stderr)
    return done.stdout


def git(folder: Path, *args: str, who: dict[str, str] = ANN) -> str:
    env = {**who, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        ["git", *args], cwd=folder, capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


def subjects(folder: Path) -> list[str]:
    return git(folder, "log", "--format=%s").splitlines()


def add(store: Path, material: str, *more: str, who: dict[str, str] = ANN) -> str:
    """``licenses add`` of one license issued 2026-11-02; its id."""
    args = ("add", "-m", material, "-d", "US", "-i", "2026-11-02", *more)
    return lic(store, *args, who=who).strip()


def team(tmp_path: Path) -> tuple[Path, Path]:
    """Ann's store with one license (1,000 kg) pushed to a bare remote, and
    Ben's clone of it, set up: the stores of both."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    one = tmp_path / "one" / "licenses.toml"
    lic(one, "init", "--git")
    git(one.parent, "remote", "add", "origin", str(remote))
    add(one, "dysprosium oxide", "--quantity", "1000", "--unit", "kg")
    lic(one, "sync")
    git(tmp_path, "clone", "--quiet", str(remote), "two")
    two = tmp_path / "two" / "licenses.toml"
    lic(two, "git-setup", who=BEN)
    return one, two
