"""Helpers shared by the tests: child processes, terminals, generated stores."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterator

    from typer.testing import Result

# The real command as a child process runs it, as cron or a script would.
LICENSES: Final = (sys.executable, "-m", "export_licenses")
EXAMPLE: Final = Path(__file__).resolve().parent.parent / "examples" / "licenses.toml"
# A guard against a hung child, never a measure of speed: a healthy run on the
# slowest machine finishes in a small fraction of it.
HANG_GUARD: Final = 300.0


def examples(full: int) -> int:
    """A property's example count: ``full`` under the default profile (the full
    run, what CI runs), in proportion under a smaller one (conftest.py's
    "fast-loop", a fifth). Read when a test module is imported, after the profile
    is chosen."""
    from hypothesis import settings  # noqa: PLC0415 - only property tests need it

    default = settings.get_profile("default").max_examples
    return max(1, full * settings().max_examples // default)


class Hung(BaseException):
    """A run that did not end within the hang guard (no handler catches it)."""


@contextlib.contextmanager
def hang_guard() -> Iterator[None]:
    """Fail, rather than hang, an in-process run that never ends: a guard
    against a loop without end (SIGALRM after HANG_GUARD), never a measure of
    speed — a healthy run takes a tiny fraction of it."""

    def expired(_signal: int, _frame: object) -> None:
        raise Hung(f"no answer in {HANG_GUARD:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, HANG_GUARD)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def in_process(store: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    """``licenses --store STORE ARGS`` run in this process (Typer's runner),
    under the hang guard; tracebacks are not caught, so they fail the test."""
    from typer.testing import CliRunner  # noqa: PLC0415

    from export_licenses.cli import app  # noqa: PLC0415

    with hang_guard():
        return CliRunner().invoke(
            app, ["--store", str(store), *args], env=env, catch_exceptions=False
        )


def licenses_in_process(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``licenses ARGS`` run in this process (Typer's runner, under the hang
    guard), its outcome shaped as a child's (returncode, stdout, stderr).

    For tests of what a command does to the store, git and the files, where a
    process of its own adds only its start-up (~0.1 s of CPU per run): the exit
    code is the one ``cli/failures.py`` maps, as in a child. What needs a real process
    (signals, a kill, pipes, terminals, the console script) uses
    ``licenses_process``, and so does a test of help's layout at a width: Click's
    runner lays help out at 80 columns whatever COLUMNS says. Tracebacks are not
    caught, so they fail the test."""
    from typer.testing import CliRunner  # noqa: PLC0415

    from export_licenses.cli import app  # noqa: PLC0415

    with hang_guard():
        done = CliRunner().invoke(
            app, list(args), env=env, catch_exceptions=False, prog_name="licenses"
        )
    return subprocess.CompletedProcess(
        [*LICENSES, *args], done.exit_code, done.stdout, done.stderr
    )


def licenses_process(
    *args: str, env: dict[str, str] | None = None, timeout: float = HANG_GUARD
) -> subprocess.CompletedProcess[str]:
    """Run the real command in a child process, as cron or a script would."""
    full_env = {**os.environ, "TERM": "dumb", "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [*LICENSES, *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )


def in_terminal(
    *args: str, columns: int, lines: int = 200, env: dict[str, str] | None = None
) -> str:
    """Run the real command on a pseudo-terminal of the given size, as a person
    at a prompt does; its output, with the terminal's CRLF line ends undone."""
    import fcntl  # noqa: PLC0415 - POSIX only, as pseudo-terminals are
    import pty  # noqa: PLC0415
    import struct  # noqa: PLC0415
    import termios  # noqa: PLC0415

    leader, follower = pty.openpty()
    size = struct.pack("HHHH", lines, columns, 0, 0)
    fcntl.ioctl(follower, termios.TIOCSWINSZ, size)
    full_env = {**os.environ, "TERM": "xterm-256color", **(env or {})}
    for name in ("COLUMNS", "LINES", "NO_COLOR"):
        if name not in (env or {}):
            full_env.pop(name, None)
    child = subprocess.Popen(
        [*LICENSES, *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=full_env,
        close_fds=True,
    )
    os.close(follower)
    try:
        output = read_until(leader)
    finally:
        os.close(leader)
        child.wait(timeout=HANG_GUARD)
    return output.decode("utf-8").replace("\r\n", "\n")


def read_until(
    fd: int, done: bytes | None = None, timeout: float = HANG_GUARD
) -> bytes:
    """Read a child's output from ``fd`` until EOF (or ``done`` appears).

    Every wait is bounded: a child that stops talking fails the test instead of
    hanging it.
    """
    seen = b""
    deadline = time.monotonic() + timeout
    while done is None or done not in seen:
        left = deadline - time.monotonic()
        ready, _, _ = select.select([fd], [], [], max(left, 0))
        if not ready:
            msg = f"no output for {timeout:g} s; got so far: {seen[-500:]!r}"
            raise AssertionError(msg)
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # a pseudo-terminal whose other end closed
            break
        if not chunk:
            break
        seen += chunk
    return seen


def big_store(path: Path, count: int) -> None:
    lines = ["version = 1", ""]
    for n in range(1, count + 1):
        lines += [
            "[[license]]",
            f"id = {n}",
            f'number = "N-{n:05d}"',
            f'material = "material {n}"',
            'destination = "DE"',
            f"issued = 2025-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "term_months = 6",
            "quantity = 1000",
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# `licenses add` of a throwaway license, issued on the day that follows.
ADD_X: Final = ("add", "-m", "x", "-d", "US", "-i")


# One command line for each command, on a copy of the example store (license 1
# active, 16 closed, application A3 pending); tests/test_fuzz.py checks that it
# names every command there is. "{csv}", "{o}", "{a}", "{b}" are files a test
# makes: a CSV of one license, and three versions of a store for merge-driver.
EVERY_COMMAND: Final = {
    "init": ("init",),
    "add": (*ADD_X, "2025-12-01"),
    "edit": ("edit", "1", "--note", "checked"),
    "ship": ("ship", "1", "1"),
    "close": ("close", "1", "--reason", "done"),
    "reopen": ("reopen", "16"),
    "remove": ("remove", "1", "--yes"),
    "apply": ("apply", "-m", "x", "-d", "JP"),
    "accept": ("accept", "A3"),
    "grant": ("grant", "A3", "--issued", "2026-01-10"),
    "renew": ("renew", "1", "--issued", "2026-01-10"),
    "refuse": ("refuse", "A3"),
    "withdraw": ("withdraw", "A3"),
    "change": ("change", "1", "--quantity", "1500"),
    "hold": ("hold", "A3", "--on", "2026-01-05", "--reason", "on-site check"),
    "resume": ("resume", "A5", "--on", "2026-01-14"),
    "controls": ("controls",),
    "applications": ("applications", "--all"),
    "agenda": ("agenda", "--all"),
    "notify": ("notify", "--dry-run"),
    "ack": ("ack", "1"),
    "list": ("list", "--all"),
    "due": ("due",),
    "warn": ("warn",),
    "show": ("show", "1"),
    "timeline": ("timeline",),
    "stats": ("stats",),
    "coverage": ("coverage",),
    "import": ("import", "{csv}"),
    "export": ("export",),
    "report": ("report",),
    "log": ("log",),
    "undo": ("undo",),
    "sync": ("sync",),
    "git-setup": ("git-setup",),
    "merge-driver": ("merge-driver", "{o}", "{a}", "{b}", "licenses.toml"),
}
GIT_COMMANDS: Final = frozenset({"log", "undo", "sync", "git-setup", "merge-driver"})
# The commands of EVERY_COMMAND that write the store (init only creates one).
STORE_WRITES: Final = (
    "add", "edit", "ship", "close", "reopen", "remove", "apply", "accept", "grant",
    "renew", "refuse", "withdraw", "import", "ack", "change", "hold", "resume",
)  # fmt: skip
ONE_LICENSE_CSV: Final = "material,destination,issued\ncerium oxide,DE,2025-12-01\n"


def command_line(name: str, folder: Path) -> list[str]:
    """``EVERY_COMMAND[name]`` with its files made in ``folder``."""
    files = {
        "{csv}": folder / "one.csv",
        "{o}": folder / "base.toml",
        "{a}": folder / "ours.toml",
        "{b}": folder / "theirs.toml",
    }
    files["{csv}"].write_text(ONE_LICENSE_CSV, encoding="utf-8")
    for key in ("{o}", "{a}", "{b}"):
        files[key].write_bytes(EXAMPLE.read_bytes())
    return [str(files.get(arg, arg)) for arg in EVERY_COMMAND[name]]
