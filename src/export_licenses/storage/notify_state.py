"""What ``licenses notify`` has sent: a JSON file beside the store.

Data only (JSON, never pickle or anything that runs code), private (0600),
written atomically through ``fsio.write_atomic``, and read without following a
symbolic link. A state file that is missing, unreadable, not ours or not in the
expected shape is read as empty: the alerts it would have held back are sent
once more, which is better than never again.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from . import fsio, lockfile

if TYPE_CHECKING:
    from collections.abc import Iterator

STATE_VERSION: Final = 1
MAX_BYTES: Final = 16 * 1024 * 1024  # far beyond any real state; a bound on reading


def state_path(store: Path) -> Path:
    """``.<store name>.notified.json`` in the store's folder."""
    return store.parent / f".{store.name}.notified.json"


@contextlib.contextmanager
def sending(store: Path) -> Iterator[None]:
    """Hold notify's lock (``.<store name>.notified.lock``): the store's own
    lock is not taken, so writers do not wait on a slow service. A second run
    waits LICENSES_LOCK_TIMEOUT for the first, then reads what it sent."""
    where = state_path(store).with_suffix(".lock")
    busy = "another licenses notify has been sending"
    with lockfile.held(where, lockfile.timeout(), busy):
        yield


def read(path: Path) -> tuple[dict[str, Any], str | None]:
    """The state, and why it was read as empty (None when it was fine or absent)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return _empty(), None
    except OSError as exc:  # ELOOP: a symbolic link, not followed
        return _empty(), f"cannot read {path} ({exc.strerror or exc})"
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # a folder, a FIFO: not read
            return _empty(), f"{path} is not a regular file"
        os.set_blocking(fd, True)
        raw = os.read(fd, MAX_BYTES + 1)
    finally:
        os.close(fd)
    try:
        doc = json.loads(raw)
    # ValueError: JSONDecodeError, UnicodeDecodeError, and Python's own for an
    # integer of more than 4,300 digits (an internal error, exit 70, before).
    except (ValueError, RecursionError):
        return _empty(), f"{path} is not valid JSON"
    if not _valid(doc):
        return _empty(), f"{path} is not a state file of this version"
    return doc, None


def _empty() -> dict[str, Any]:
    return {"version": STATE_VERSION, "services": {}}


def _valid(doc: Any) -> bool:
    if not isinstance(doc, dict) or doc.get("version") != STATE_VERSION:
        return False
    services = doc.get("services")
    if not isinstance(services, dict):
        return False
    for service in services.values():
        if not isinstance(service, dict):
            return False
        alerts = service.get("alerts", {})
        if not isinstance(alerts, dict) or not all(
            isinstance(entry, dict) for entry in alerts.values()
        ):
            return False
    return True


def write(path: Path, state: dict[str, Any]) -> None:
    """Replace the state file (never through a symbolic link)."""
    text = json.dumps(state, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    fsio.write_atomic(path, text, mode=fsio.FILE_MODE, follow_symlinks=False)


def keep_out_of_git(path: Path) -> str | None:
    """In a store kept in git, list the state file and its lock in
    ``.git/info/exclude``:
    what this clone sent is its own, never committed or shown as untracked.

    Never through a symbolic link (as the lock and cache files, ``fsio``): a
    link in place of ``info`` or ``exclude`` could point at any file of the
    user's, which would be rewritten. It is left alone, and the reason
    returned (None when the files are listed), as when it cannot be written:
    the state is remembered all the same, only git may show it."""
    from . import gitrepo  # noqa: PLC0415 - only a store kept in git (10 M instructions)

    repo = gitrepo.Repo.of(path)
    if repo is None:
        return None
    lines = [
        "/" + Path(os.path.realpath(kept)).relative_to(repo.root).as_posix()
        for kept in (path, path.with_suffix(".lock"))  # the state, its lock
    ]
    said = " and ".join(lines) + " were"
    info = repo.git_dir / "info"
    exclude = info / "exclude"
    for place in (info, exclude):
        if place.is_symlink():
            return (
                f"{place} is a symbolic link, not followed: {said} not added "
                "to it (add them yourself to keep the files out of git)"
            )
    try:
        _add_lines(exclude, [line.encode("utf-8") for line in lines])
    except fsio.NotARegularFile as exc:
        return f"{exclude} is {exc.what}, not a file: {said} not added to it"
    except OSError as exc:
        return f"cannot add {' and '.join(lines)} to {exclude} ({exc.strerror or exc})"
    return None


def _add_lines(exclude: Path, entries: list[bytes]) -> None:
    try:
        known = fsio.read_regular(exclude, follow_symlinks=False, limit=MAX_BYTES)
    except FileNotFoundError:
        known = b""
    there = set(known.splitlines())
    missing = [entry for entry in entries if entry not in there]
    if not missing:
        return
    fsio.make_folder(exclude.parent)
    ending = b"" if not known or known.endswith(b"\n") else b"\n"
    added = b"".join(entry + b"\n" for entry in missing)
    fsio.write_atomic(exclude, known + ending + added, follow_symlinks=False)
