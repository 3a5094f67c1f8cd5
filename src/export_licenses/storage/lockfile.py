"""The writer's lock file: an exclusive lock on ``<store>.lock``, waited for
with a timeout; only the commands that write import it (``store.py``).

The lock belongs to an open descriptor, so a killed holder releases it. The
atomic write the lock guards is ``fsio.py``.
"""

from __future__ import annotations

import contextlib
import errno
import os
from typing import TYPE_CHECKING

from .fsio import FILE_MODE, NO_FOLLOW

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


class LockTimeout(Exception):
    """The lock was held by someone else for longer than the wait allowed."""


class LinkRefused(OSError):
    """A file the tool keeps for itself (a lock) is a symbolic link: never
    followed, so a planted link cannot make the tool create or open its target."""


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
