"""The one atomic write, for the store, the caches and exports; regular files read.

The lock a writer holds is ``lockfile.py``: only the commands that write load it.

A write goes: temporary file in the same folder -> write -> flush -> fsync ->
``os.replace`` -> fsync of the folder. A crash at any step leaves the old file or
the new one, never a mix, plus at worst a stray ``.<name>.*.tmp`` that the next
writer of the store removes.

Fault injection: ``LICENSES_FAULT=<step>:<file name>`` makes the process kill
itself with SIGKILL at that step of writing that file, so tests can prove the
claim above at every step instead of hoping a random kill lands. The steps are
``FAULT_STEPS``, and ``GIT_FAULT_STEPS`` around the commit of a store kept in
git (gitrepo.py calls ``fault``). Nothing else reads the variable.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
from pathlib import Path
from typing import Final

from export_licenses.errors import FieldProblem, StoreIOError

# Files the tool keeps for itself (locks, caches) are opened without following
# a symbolic link in their place.
NO_FOLLOW: Final = getattr(os, "O_NOFOLLOW", 0)
# Business data: readable by its owner only (folders 0700, files 0600).
FILE_MODE: Final = 0o600
FOLDER_MODE: Final = 0o700
FAULT_STEPS: Final = (
    "created",  # the temporary file exists, empty
    "partial",  # half the bytes are in the temporary file
    "written",  # every byte written and flushed, not yet fsynced
    "synced",  # fsynced, not yet in place
    "replaced",  # os.replace done, folder not yet fsynced
)
GIT_FAULT_STEPS: Final = (
    "committing",  # the store written, git commit not yet run
    "committed",  # git commit done, the note of the write not yet removed
)


def fault(step: str, target: Path) -> None:
    """The fault hook at a step outside the atomic write (GIT_FAULT_STEPS)."""
    _fault(step, target)


def _fault(step: str, target: Path) -> None:
    wanted = os.environ.get("LICENSES_FAULT")
    if wanted and wanted == f"{step}:{target.name}":
        os.kill(os.getpid(), signal.SIGKILL)


def make_folder(folder: Path) -> None:
    """Create a folder and its missing parents, each private to the user.

    Existing folders keep their mode.
    """
    missing = []
    place = folder
    while not place.exists() and place != place.parent:
        missing.append(place)
        place = place.parent
    for place in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by another run
            place.mkdir(mode=FOLDER_MODE)


def write_atomic(
    path: Path,
    content: str | bytes,
    *,
    mode: int | None = None,
    follow_symlinks: bool = True,
) -> None:
    """Replace ``path`` with ``content`` in one step, or leave it as it was.

    A new file gets ``mode`` (default 0600); an existing one keeps its own mode.
    A symlinked file stays a symlink: its target is replaced; with
    ``follow_symlinks=False`` the link itself is replaced by the file (a state
    file of ours is never written through a link someone else planted). A
    target that is not a regular file (a device, a FIFO, a folder) raises
    NotARegularFile and is left alone: replacing /dev/null with a file, as
    root, breaks the machine.
    """
    import tempfile  # noqa: PLC0415 - only writers need it (5.3 M instructions)

    if follow_symlinks:
        target = Path(os.path.realpath(path))
    else:
        target = Path(os.path.realpath(path.parent)) / path.name
        if target.is_symlink():
            target.unlink()
    check_regular_or_absent(target)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
    except OSError as exc:  # else "No such file" for a file that exists (/proc)
        raise OSError(
            exc.errno, f"cannot create a file in {target.parent} ({exc.strerror})"
        ) from None
    tmp = Path(tmp_name)
    try:
        _fault("created", target)
        with os.fdopen(fd, "wb") as handle:
            half = len(data) // 2
            handle.write(data[:half])
            handle.flush()
            _fault("partial", target)
            handle.write(data[half:])
            handle.flush()
            _fault("written", target)
            os.fsync(handle.fileno())
        _fault("synced", target)
        tmp.chmod(_mode_for(target, mode))
        check_regular_or_absent(target)  # again: it may have changed meanwhile
        tmp.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fault("replaced", target)
    _fsync_folder(target.parent)


def _mode_for(target: Path, mode: int | None) -> int:
    try:
        info = target.lstat()
    except FileNotFoundError:
        info = None
    if info is None or stat.S_ISLNK(info.st_mode):  # a link is replaced, not kept
        return FILE_MODE if mode is None else mode
    return stat.S_IMODE(info.st_mode)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_stray_temporaries(target: Path) -> None:
    """Only call this under the file's lock: then no live writer owns these files."""
    for stray in target.parent.glob(f".{target.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stray.unlink()


def open_regular(path: Path, *, follow_symlinks: bool = True) -> int:
    """Open a file for reading, refusing anything but a regular file.

    Never blocks: a FIFO is opened non-blocking and refused, so a named pipe in
    place of a store cannot hang a command. Raises NotARegularFile (a folder
    too), or OSError as ``os.open`` does (ELOOP for a link, without
    ``follow_symlinks``).
    """
    info = path.stat() if follow_symlinks else path.lstat()
    _require_regular(info.st_mode)  # names a socket, device or link unopened
    # Non-blocking, and checked again once open: it may have changed meanwhile.
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags if follow_symlinks else flags | NO_FOLLOW)
    try:
        _require_regular(os.fstat(fd).st_mode)
    except BaseException:
        os.close(fd)
        raise
    os.set_blocking(fd, True)
    return fd


def read_regular(
    path: Path, *, follow_symlinks: bool = True, limit: int | None = None
) -> bytes:
    """The bytes of a regular file (see ``open_regular``); TooLarge beyond
    ``limit`` bytes, known from its size before a byte is read."""
    fd = open_regular(path, follow_symlinks=follow_symlinks)
    with os.fdopen(fd, "rb") as handle:
        if limit is None:
            return handle.read()
        size = os.fstat(handle.fileno()).st_size
        data = b"" if size > limit else handle.read(limit + 1)
        if size > limit or len(data) > limit:  # it may grow while read
            raise TooLarge(max(size, len(data)))
        return data


class TooLarge(OSError):
    """A file larger than its reader takes (a store of gigabytes is no store,
    and reading it would exhaust the memory)."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size:,} bytes")
        self.size = size


def check_regular_or_absent(path: Path) -> None:
    """Raise NotARegularFile when ``path`` exists and is not a regular file.

    ``os.stat`` opens nothing, so a FIFO or a device is named without touching it.
    """
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return
    _require_regular(mode)


def _require_regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise NotARegularFile(describe(mode))


class NotARegularFile(OSError):
    """The path is a folder, a FIFO, a device or a socket."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def describe(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def private_problem(path: Path, *, folder: bool) -> str | None:
    """Why ``path`` cannot be trusted as our own private file or folder, or None.

    Trusted: owned by this user and not writable by group or others. Checked
    with ``lstat`` so a symlink planted by someone else is not followed.
    """
    if os.name == "nt":  # pragma: no cover - no POSIX owners on Windows
        return None
    try:
        info = path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    kind = "folder" if folder else "file"
    if (stat.S_ISDIR if folder else stat.S_ISREG)(info.st_mode) is False:
        return f"{path} is not a {kind}"
    if info.st_uid != os.getuid():
        return f"{path} belongs to another user (uid {info.st_uid})"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return (
            f"{path} is writable by other users (mode {stat.S_IMODE(info.st_mode):o})"
        )
    return None


def lock_path(store: Path) -> Path:
    """The store's lock file, ``<store>.lock`` beside the file a link points to."""
    target = Path(os.path.realpath(store))
    return target.with_name(target.name + ".lock")


def write_output(target: Path, text: str | bytes, *, store: Path) -> None:
    """Write an export or the report atomically, like the store: never half a
    file; never over the ``store`` or its lock (FieldProblem for ``output``),
    whatever name, link or hard link the target has.

    A named pipe or a character device (/dev/null, /dev/stdout, a terminal) is
    written into, as the shell's ``>`` would: replacing it with a file would
    break it for everybody. A block device, a socket or a folder is refused.
    """
    _refuse_store(target, store)
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        mode = target.stat().st_mode
    except OSError:
        mode = 0
    try:
        if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
            with target.open("wb") as stream:
                stream.write(data)
        else:
            write_atomic(target, data)
    except OSError as exc:
        raise StoreIOError(f"{target}: cannot write: {exc.strerror or exc}") from None


def _refuse_store(target: Path, store: Path) -> None:
    """A typo (``export -o licenses.toml``) must not swap the store for an export."""
    for what, kept in (("the store", store), ("the store's lock", lock_path(store))):
        if _same_file(target, kept):
            named = "" if kept.name == target.name else f" {kept}"
            raise FieldProblem(
                "output", f"{target} is {what}{named}: name another file"
            )


def _same_file(one: Path, other: Path) -> bool:
    """The same file by device and inode (hard links too) when both exist, else
    the same path once links are resolved (a file the write would create)."""
    try:
        first, second = one.stat(), other.stat()
    except OSError:
        return os.path.realpath(one) == os.path.realpath(other)
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)
