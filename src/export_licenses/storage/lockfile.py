"""The writer's lock file: an exclusive lock on ``<store>.lock``, waited for
with a timeout; only the commands that write import it (``store.py``), and
notify for its state file (``notify_state.py``).

The lock belongs to an open descriptor, so a killed holder releases it. The
atomic write the lock guards is ``fsio.py``.
"""

from __future__ import annotations

import contextlib
import errno
import os
from typing import TYPE_CHECKING, Final

from export_licenses.errors import StoreIOError, StoreLocked, UsageProblem

from .fsio import FILE_MODE, NO_FOLLOW

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


DEFAULT_TIMEOUT: Final = 10.0


class LockTimeout(Exception):
    """The lock was held by someone else for longer than the wait allowed."""


class LinkRefused(OSError):
    """A file the tool keeps for itself (a lock) is a symbolic link: never
    followed, so a planted link cannot make the tool create or open its target."""


class LockUnopened(OSError):
    """A folder stands where the lock file goes: the lock's failure, not the
    store's, and said so."""


if os.name == "nt":  # pragma: no cover - exercised on Windows only

    @contextlib.contextmanager
    def locked(where: Path, timeout: float) -> Iterator[None]:
        """Hold an exclusive lock on ``where``; LockTimeout after ``timeout`` s."""
        import filelock  # noqa: PLC0415 - Windows only; POSIX locks with fcntl

        wait = -1 if timeout == float("inf") else timeout
        try:
            with filelock.FileLock(where, timeout=wait, mode=FILE_MODE):
                yield
        except filelock.Timeout:
            raise LockTimeout from None

else:
    # fcntl rather than filelock on POSIX: filelock's import alone costs ~19 ms
    # (measured with python -X importtime after typer and rich), a quarter of
    # a write's start-up, and it does the same flock() underneath.
    import fcntl
    import time

    @contextlib.contextmanager
    def locked(where: Path, timeout: float) -> Iterator[None]:
        """Hold an exclusive lock on ``where``; LockTimeout after ``timeout`` s.

        ``timeout`` may be ``inf``: wait as long as it takes. The lock belongs to
        the open descriptor, so it is released even when the process is killed.
        """
        try:
            fd = os.open(where, os.O_RDWR | os.O_CREAT | NO_FOLLOW, FILE_MODE)
        except OSError as exc:
            if exc.errno == errno.ELOOP or where.is_symlink():
                raise LinkRefused(str(where)) from None
            if exc.errno == errno.EISDIR:  # else the folder's failure: the store's too
                raise LockUnopened(exc.errno, exc.strerror) from None
            raise
        try:
            if timeout == float("inf"):
                fcntl.flock(fd, fcntl.LOCK_EX)
            else:
                _poll(fd, timeout)
            yield
        finally:
            os.close(fd)

    def _poll(fd: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pause = 0.005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout from None
                time.sleep(pause)
                pause = min(pause * 2, 0.1)
            else:
                return


def timeout() -> float:
    """Seconds a writer waits for the lock: LICENSES_LOCK_TIMEOUT, default 10.

    ``inf`` waits as long as it takes. Anything else that is not a number of
    seconds is a usage error, never silently the default.
    """
    raw = os.environ.get("LICENSES_LOCK_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:  # also NaN
        raise UsageProblem(
            f"LICENSES_LOCK_TIMEOUT: expected seconds such as 10 (or inf), got {raw!r}"
        )
    return seconds


@contextlib.contextmanager
def held(where: Path, wait: float, busy: str) -> Iterator[None]:
    """``locked``, its failures as the one line of an error: StoreLocked (75)
    after ``wait`` seconds, saying who is ``busy`` that long."""
    try:
        with locked(where, wait):
            yield
    except LinkRefused:
        raise StoreIOError(
            f"{where}: the lock file is a symbolic link, which is never followed; "
            "remove it (no licenses command is running) and try again"
        ) from None
    except LockUnopened as exc:
        unopened = f"{where}: cannot open the lock file: {exc.strerror}"
        raise StoreIOError(unopened) from None
    except LockTimeout:
        raise StoreLocked(
            f"{where}: {busy} for {wait:g} s; try again (LICENSES_LOCK_TIMEOUT "
            "sets the wait)"
        ) from None
