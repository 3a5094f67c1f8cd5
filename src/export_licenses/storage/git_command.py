"""Running the ``git`` command (never a library): its environment (C locale,
no prompt for a password, the store's folder deciding the repository), umask
077, a ``timeout`` for the steps that talk to a remote, and git's own reason,
as one line, when it fails.

A git step given a ``timeout`` (sync's fetch and push) is stopped when it runs
past it, with what it started (ssh, git-remote-https); a lock file a killed git
left behind is named by its path, for a person to remove.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
from typing import TYPE_CHECKING, Final

from export_licenses.errors import (
    GitProblem,
    GitUnavailable,
    NoStore,
    RemoteUnreachable,
    StoreIOError,
)

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

PRIVATE_UMASK: Final = 0o077
_LOCKED: Final = re.compile(r"Unable to create '([^']+\.lock)': File exists")


def literal(path: str) -> str:
    """``path`` as a pathspec that names that file alone: git reads a path as a
    pattern, and a store called ``licenses[eu].toml`` also matched the user's
    ``licensese.toml`` beside it. Said per path, not by GIT_LITERAL_PATHSPECS,
    which the user's own hooks would inherit. Where the user's environment
    sets that (``git --literal-pathspecs``, Magit), every path is literal
    already and git reads no magic: ``:(literal)x`` would name a file called
    so, and every write would fail (review s11-review3)."""
    if _true(os.environ.get("GIT_LITERAL_PATHSPECS", "")):
        return path
    return f":(literal){path}"


def _true(value: str) -> bool:
    """A boolean of git's environment as git reads it (git-config(1))."""
    word = value.strip().lower()
    if word in {"true", "yes", "on"}:
        return True
    return word.lstrip("-").isdigit() and int(word) != 0


def git(
    folder: Path,
    *args: str,
    check: bool = True,
    input_text: str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run git in ``folder``; GitProblem with git's own first line when it fails,
    TimedOut when it runs past ``timeout`` seconds.

    git runs with umask 077: what it writes, in the repository or the store's
    folder (a merged store, a fetched object), is the user's alone, as every
    file the tool makes is (0600, folders 0700).
    """
    full_env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", **(env or {})}
    full_env.pop("GIT_DIR", None)  # the store's folder decides the repository
    try:
        done = _run(["git", *args], folder, full_env, input_text, timeout)
    except FileNotFoundError:
        if not folder.is_dir():  # git was not started in it: it is not there
            raise NoStore(f"{folder}: no such folder, so no store in it") from None
        raise GitUnavailable(
            "git is not installed (the git features need it: sudo apt-get install git)"
        ) from None
    except NotADirectoryError:  # a part of the store's path is a file
        raise NoStore(f"{folder}: not a folder, so no store in it") from None
    except PermissionError as exc:  # a folder this user may not enter
        raise StoreIOError(f"{folder}: cannot run git in it: {exc.strerror}") from None
    if check and done.returncode != 0:
        raise _failure(args[0], done)
    return done


class TimedOut(RemoteUnreachable):
    """A git step ran past its timeout and was stopped (exit 75: try again)."""

    def __init__(self, what: str, seconds: float) -> None:
        super().__init__(
            f"git {what} was stopped after {seconds:g} s without finishing"
        )
        self.seconds = seconds


def _run(
    argv: list[str],
    folder: Path,
    env: dict[str, str],
    input_text: str | None,
    timeout: float | None,
) -> subprocess.CompletedProcess[str]:
    # Without a terminal (cron, a service), git gets a session of its own, so
    # that the stop ends what it started too: a killed git alone would leave
    # its ssh or git-remote-https waiting on the remote for ever, holding the
    # pipes. With one, git stays in ours: ssh asks for a passphrase or a new
    # host key there (a process outside the terminal's foreground group that
    # reads it is stopped), and Ctrl-C reaches it; the stop ends git alone.
    group = timeout is not None and not _has_terminal()
    child = subprocess.Popen(
        argv,
        cwd=folder,
        stdin=None if input_text is None else subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        umask=PRIVATE_UMASK,
        start_new_session=group,
    )
    try:
        out, err = child.communicate(input_text, timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(child, group=group)
        raise TimedOut(argv[1], timeout or 0) from None
    except BaseException:  # Ctrl-C's exit: git does not outlive the run
        _stop(child, group=group)
        raise
    return subprocess.CompletedProcess(argv, child.returncode, out, err)


def _stop(child: subprocess.Popen[str], *, group: bool) -> None:
    """Kill ``child`` (and its session's processes); not wait for the pipes,
    which a process that escaped the kill may hold open."""
    try:
        if group:
            os.killpg(child.pid, signal.SIGKILL)
        else:
            child.kill()
    except ProcessLookupError:  # already gone, and everything it started
        pass
    child.wait()
    for pipe in (child.stdin, child.stdout, child.stderr):
        if pipe is not None:
            pipe.close()


def _has_terminal() -> bool:
    try:
        os.close(os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY))
    except OSError:
        return False
    return True


def _failure(what: str, done: subprocess.CompletedProcess[str]) -> GitProblem:
    """git's own reason, whole: the lock it found by its path, else its first
    fatal or error line (not the last fragment of a paragraph)."""
    text = done.stderr or done.stdout
    locked = lock_problem(what, text)
    if locked is not None:
        return locked
    if done.returncode < 0:
        return GitProblem(f"git {what}: killed by signal {-done.returncode}")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    said = [line for line in lines if line.startswith(("fatal:", "error:"))] or lines
    return GitProblem(f"git {what}: {said[0] if said else 'failed'}")


def lock_problem(what: str, text: str) -> GitProblem | None:
    """The lock file git names in ``text`` as in its way, as one line."""
    lock = _LOCKED.search(text)
    if lock is None:
        return None
    return GitProblem(
        f"git {what}: {lock[1]} exists: another git is at work in this "
        "repository, or one was killed and left it; if no git is running, "
        f"remove {lock[1]} and try again"
    )
