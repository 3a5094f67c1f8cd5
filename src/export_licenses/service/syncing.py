"""``licenses sync``: take the team's changes (merged record by record) and
give ours, with the current branch's upstream.

A clone syncs with the branch it follows (``git branch -u``), whatever its own
branch is called: a clone on ``master`` that follows ``origin/main`` pushes to
``main``. A branch that follows nothing is pushed (and made to follow) only
when the remote has no branch at all, the team's first push; otherwise sync
would start a second line of history that nobody else merges, so it refuses and
names the command that sets the upstream. "synced" is said only once the
remote's branch is our commit: both sides then hold the same store. What a
merge renumbered is said and recorded by ``renumbering``.

Every network step (fetch, push) is bounded, so that a remote that accepts and
never answers cannot keep a cron sync, or the store's lock, for ever: ssh and
curl give up after ``LICENSES_GIT_TIMEOUT`` seconds without an answer (60), and
git is stopped after ten times that whatever it is doing (exit 75).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, NamedTuple

from export_licenses.errors import (
    GitProblem,
    RemoteUnreachable,
    UsageProblem,
)
from export_licenses.storage import store
from export_licenses.storage.git_command import TimedOut, lock_problem
from export_licenses.storage.gitrepo import Repo

from .merging import MOVES_VARIABLE, NOTES_VARIABLE, moves_said, read_notes
from .renumbering import moves_between, record_merge, said_moves, yours_moved
from .sync_failures import failed_merge, said
from .sync_network import Network, config, network, stopped, waited

if TYPE_CHECKING:
    import subprocess
    from pathlib import Path


_UNRELATED: Final = "refusing to merge unrelated histories"  # git's words, LC_ALL=C


class Synced(NamedTuple):
    merged: int  # commits taken from the remote
    upstream: str  # "origin/main"
    renumbered: list[str]  # "their license 8 is now license 9", "your license 8 …"
    # Commits the remote did not have, pushed: 0 after a fast-forward (merged
    # without a merge commit) or when both sides held the same already.
    given: int = 0


class Upstream(NamedTuple):
    remote: str
    branch: str  # the remote's branch: pushed to, merged from
    tracked: bool  # False: the first push, which sets it


def sync(path: Path) -> Synced:
    """Pull (merge, with the store's merge driver) and push."""
    repo = Repo.require(path)
    repo.check_author()
    net = network(repo)
    renumbered: list[str] = []
    upstream = _upstream(repo, net)
    # The first fetch runs before the store's lock is taken: it changes git's
    # record of the remote (objects, refs/remotes), never the store, the index
    # or the branch, so the team's writes go on while a slow remote answers.
    # Another sync fetching at the same moment holds git's ref lock: then the
    # fetch is made again under the store's lock, after that sync.
    fetched = _fetch(repo, upstream.remote, net, early=True)
    with store.locked(path):
        store.read(path)  # a hand edit a read refuses is never committed, nor pushed
        repo.commit_hand_edits()
        if not fetched:
            _fetch(repo, upstream.remote, net)
        merged = _merge(repo, upstream, renumbered)
        given = _ahead(repo, upstream)
        pushed = _push(repo, upstream, net)
        if pushed.returncode != 0:  # someone pushed first: once more
            _fetch(repo, upstream.remote, net)
            merged += _merge(repo, upstream, renumbered)
            given = _ahead(repo, upstream)
            pushed = _push(repo, upstream, net)
        if pushed.returncode != 0:
            raise RemoteUnreachable(
                f"cannot push to {upstream.remote}: {said(pushed.stderr)}; "
                "nothing was lost locally, try again"
            )
        _check_same(repo, upstream)
    return Synced(merged, f"{upstream.remote}/{upstream.branch}", renumbered, given)


def _branch(repo: Repo) -> str:
    branch = repo.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
    if branch.returncode != 0:
        raise UsageProblem(
            "the store's repository is not on a branch (detached HEAD); "
            "check out the team's branch, e.g. git switch main, and sync again"
        )
    return branch.stdout.strip()


def _upstream(repo: Repo, net: Network) -> Upstream:
    """The remote branch this one follows; or, for the very first push, the
    remote's (empty) branch of the same name."""
    branch = _branch(repo)
    remote = config(repo, f"branch.{branch}.remote")
    merge = config(repo, f"branch.{branch}.merge")
    if remote and merge:
        return Upstream(remote, merge.removeprefix("refs/heads/"), tracked=True)
    remotes = repo.run("remote").stdout.split()
    if not remotes:
        raise UsageProblem(
            "the store's repository has no remote; add one with "
            "git remote add origin URL"
        )
    remote = "origin" if "origin" in remotes else remotes[0]
    _fetch(repo, remote, net, "--prune")
    theirs = _remote_branches(repo, remote)
    if theirs:
        pick = _likely(repo, remote, branch, theirs)
        listed = ", ".join(f"{remote}/{name}" for name in theirs)
        raise UsageProblem(
            f"the branch {branch} follows no remote branch and {remote} already has "
            f"{listed}; choose the team's with git branch "
            f"--set-upstream-to={remote}/{pick} (nothing was pulled or pushed)"
        )
    return Upstream(remote, branch, tracked=False)


def _remote_branches(repo: Repo, remote: str) -> list[str]:
    refs = repo.run(
        "for-each-ref", "--format=%(refname)", f"refs/remotes/{remote}/"
    ).stdout.split()
    prefix = f"refs/remotes/{remote}/"
    return sorted(r.removeprefix(prefix) for r in refs if r != f"{prefix}HEAD")


def _likely(repo: Repo, remote: str, branch: str, theirs: list[str]) -> str:
    """The remote branch a person most likely means: the same name, the
    remote's default branch, main or master, or the only one."""
    if branch in theirs:
        return branch
    head = repo.run(
        "symbolic-ref", "--quiet", "--short", f"refs/remotes/{remote}/HEAD", check=False
    ).stdout.strip()
    for name in (head.removeprefix(f"{remote}/"), "main", "master"):
        if name in theirs:
            return name
    return theirs[0]


def _fetch(
    repo: Repo, remote: str, net: Network, *more: str, early: bool = False
) -> bool:
    """Fetch, or RemoteUnreachable (75); False when an ``early`` fetch met
    another git's lock on a ref (it is to be made again under the store's)."""
    try:
        fetched = repo.run(
            "fetch",
            "--quiet",
            *more,
            remote,
            check=False,
            env=net.env,
            timeout=net.timeout,
        )
    except TimedOut as exc:
        raise stopped(f"cannot reach {remote}", exc) from None
    if fetched.returncode != 0:
        stuck = lock_problem("fetch", fetched.stderr)
        if early and (stuck is not None or "cannot lock ref" in fetched.stderr):
            return False
        if stuck is not None:  # a lock of our own, not the remote's fault
            raise stuck
        words = said(fetched.stderr) + waited(fetched.stderr, net)
        raise RemoteUnreachable(
            f"cannot reach {remote}: {words}; nothing was lost locally, try again"
        )
    return True


def _merge(repo: Repo, upstream: Upstream, said: list[str]) -> int:
    """Merge the fetched remote branch: the number of commits taken."""
    theirs = f"refs/remotes/{upstream.remote}/{upstream.branch}"
    if repo.run("rev-parse", "--verify", "--quiet", theirs, check=False).returncode:
        return 0  # the remote has no such branch yet: the push creates it
    count = repo.run("rev-list", "--count", f"HEAD..{theirs}").stdout.strip()
    if count == "0":
        return 0
    before = repo.run("rev-parse", "HEAD").stdout.strip()
    theirs_commit = repo.run("rev-parse", theirs).stdout.strip()
    notes = repo.git_dir / "licenses-merge-notes"
    notes.unlink(missing_ok=True)
    merging = repo.run(
        "merge",
        "--no-edit",
        "--quiet",
        theirs,
        check=False,
        env={
            NOTES_VARIABLE: str(notes),
            # What each line's merges moved since they parted: changes follow.
            MOVES_VARIABLE: moves_said(
                {
                    "ours": moves_between(repo, theirs, "HEAD"),
                    "theirs": moves_between(repo, "HEAD", theirs),
                }
            ),
        },
    )
    moves = read_notes(notes)
    if merging.returncode != 0 and _UNRELATED in merging.stderr:
        raise UsageProblem(
            f"sync: {upstream.remote}/{upstream.branch} has no history in common with "
            "this repository (each was started on its own, e.g. by two 'licenses "
            "init --git'); nothing was merged. Keep the team's: git clone it, and "
            "bring this store's licenses over with licenses export --format csv "
            "and licenses import"
        )
    if merging.returncode != 0:
        failed = failed_merge(repo, merging)  # read before the abort undoes it
        aborted = repo.run("merge", "--abort", check=False)
        stuck = lock_problem(
            "merge", f"{merging.stderr}\n{merging.stdout}\n{aborted.stderr}"
        )
        if stuck is not None:
            # A lock a killed git left: the merge stopped before the index and
            # the store changed, but its MERGE_HEAD stays, and --abort needs
            # the lock. Forget the merge (index and store as they are), so the
            # sync after the lock is gone runs as any other.
            repo.run("merge", "--quit", check=False)
            raise stuck
        raise failed
    parents = repo.run("rev-parse", "HEAD^1", "HEAD^2", check=False).stdout.split()
    if parents == [before, theirs_commit]:  # a merge commit, not a fast-forward
        record_merge(repo, moves)
        said.extend(said_moves(moves))
    said.extend(yours_moved(repo, before, theirs))
    return int(count)


def _push(
    repo: Repo, upstream: Upstream, net: Network
) -> subprocess.CompletedProcess[str]:
    args = ["push", "--quiet"]
    if not upstream.tracked:
        args.append("--set-upstream")  # the first push: from now on, its upstream
    try:
        return repo.run(
            *args,
            upstream.remote,
            f"HEAD:refs/heads/{upstream.branch}",
            check=False,
            env=net.env,
            timeout=net.timeout,
        )
    except TimedOut as exc:
        raise stopped(f"cannot push to {upstream.remote}", exc) from None


def _check_same(repo: Repo, upstream: Upstream) -> None:
    """The remote's branch is our commit (the push updated our record of it)."""
    ours = repo.run("rev-parse", "HEAD").stdout.strip()
    theirs = repo.run(
        "rev-parse",
        "--verify",
        "--quiet",
        f"refs/remotes/{upstream.remote}/{upstream.branch}",
        check=False,
    ).stdout.strip()
    if ours != theirs:
        raise GitProblem(
            f"sync: {upstream.remote}/{upstream.branch} is not this clone's commit "
            "after the push; run licenses sync again (nothing was lost locally)"
        )


def _ahead(repo: Repo, upstream: Upstream) -> int:
    """The commits the push gives the remote's branch (all, when it has none)."""
    theirs = f"refs/remotes/{upstream.remote}/{upstream.branch}"
    known = repo.run("rev-parse", "--verify", "--quiet", theirs, check=False)
    span = "HEAD" if known.returncode else f"{theirs}..HEAD"
    return int(repo.run("rev-list", "--count", span).stdout)
