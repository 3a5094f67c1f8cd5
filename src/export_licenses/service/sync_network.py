"""How sync's network steps (fetch, push) are bounded, so that a remote that
accepts and never answers cannot keep a cron sync, or the store's lock, for
ever: ssh and curl give up after ``LICENSES_GIT_TIMEOUT`` seconds without an
answer (60), and git is stopped after ten times that whatever it is doing
(exit 75). A user's own ssh command and http settings are kept.
"""

from __future__ import annotations

import contextlib
import math
import os
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Final, NamedTuple

from export_licenses.errors import RemoteUnreachable, UsageProblem

if TYPE_CHECKING:
    from export_licenses.storage.git_command import TimedOut
    from export_licenses.storage.gitrepo import Repo

WAIT_VARIABLE: Final = "LICENSES_GIT_TIMEOUT"
DEFAULT_WAIT: Final = 60.0  # seconds a network step may go without an answer
WHOLE: Final = 10  # a network step is stopped after this many waits, in any case


class Network(NamedTuple):
    """How fetch and push are bounded."""

    env: dict[str, str]  # what makes ssh and curl give up on a silent remote
    wait: float  # seconds without an answer
    timeout: float  # seconds after which git is stopped, whatever it is doing


def network(repo: Repo) -> Network:
    """The bounds of fetch and push, from LICENSES_GIT_TIMEOUT. A user's own
    settings are kept: http.lowSpeed* (or its variables) as they are, and an
    OpenSSH command of theirs gets the options after its own (ssh keeps an
    option's first value: theirs); another program (GIT_SSH, plink, a wrapper
    script) is left alone, bounded by the stop alone."""
    raw = os.environ.get(WAIT_VARIABLE, "").strip() or str(DEFAULT_WAIT)
    try:
        wait = float(raw)
    except ValueError:
        wait = 0.0
    if not 0 < wait < math.inf:  # also NaN
        raise UsageProblem(f"{WAIT_VARIABLE}: expected seconds such as 60, got {raw!r}")
    whole = math.ceil(wait)  # ssh and curl count whole seconds
    env = {}
    http = repo.run("config", "--get-regexp", r"^http\..*lowspeed", check=False)
    if not http.stdout and not any("GIT_HTTP_LOW_SPEED" in v for v in os.environ):
        env = {"GIT_HTTP_LOW_SPEED_LIMIT": "1", "GIT_HTTP_LOW_SPEED_TIME": str(whole)}
    ssh = os.environ.get("GIT_SSH_COMMAND") or config(repo, "core.sshCommand")
    ssh = ssh or ("" if os.environ.get("GIT_SSH") else "ssh")
    with contextlib.suppress(ValueError, IndexError):  # not a command we can read
        if Path(shlex.split(ssh)[0]).name == "ssh":
            env["GIT_SSH_COMMAND"] = (
                f"{ssh} -o ConnectTimeout={whole} -o ServerAliveCountMax=3 "
                f"-o ServerAliveInterval={math.ceil(wait / 3)}"
            )
    return Network(env, wait, wait * WHOLE)


def config(repo: Repo, key: str) -> str:
    return repo.run("config", "--get", key, check=False).stdout.strip()


def stopped(what: str, exc: TimedOut) -> RemoteUnreachable:
    return RemoteUnreachable(
        f"{what}: {exc}; nothing was lost locally, try again "
        f"(the bound is {WHOLE} times {WAIT_VARIABLE})"
    )


def waited(stderr: str, net: Network) -> str:
    """ssh or curl gave up on a silent remote: its words (git's fatal line
    does not say), after how long, and what sets it."""
    for line in stderr.splitlines():
        if "timed out" in line or "too slow" in line:
            words = "" if line.startswith("fatal:") else f"{line.strip()}: "
            return f" ({words}no answer for {net.wait:g} s; {WAIT_VARIABLE} sets it)"
    return ""
