"""The TOML store written: atomically, under a lock; only commands that write import it.

Writers serialise on a lock file beside the store (``<store>.lock``) and re-read
the store once they hold it, so concurrent writers never lose each other's
changes. Reading is ``store_read.py`` (every command's); ``read`` and ``parse``
are named here too, for the writers that also read.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final, NamedTuple, TypeVar

from export_licenses.domain.license import MAX_ID, License, Status
from export_licenses.domain.license_table import (
    license_from_table,
    license_to_table,
    numbers_in,
)
from export_licenses.domain.settings import Settings
from export_licenses.domain.store_data import StoreData
from export_licenses.domain.store_links import check_links
from export_licenses.errors import (
    CannotCreateStore,
    InvalidStore,
    InvalidValue,
    LicensesError,
    StoreIOError,
)

from . import cache, fsio, kept_text, lockfile, store_read, toml_text
from .store_read import parse, read, read_bytes, read_or_empty

__all__ = ["StoreData", "parse", "read", "read_or_empty"]

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from . import gitrepo

T = TypeVar("T")
# What a write did, from its result: the message of its git commit.
Record = Callable[[T], "gitrepo.Entry"]
DEFAULT_LOCK_TIMEOUT: Final = lockfile.DEFAULT_TIMEOUT


class StoreHead(NamedTuple):
    """What adding licenses needs to know of a store, besides its licenses."""

    settings: Settings
    next_id: int
    # casefolded number -> how messages name the license that holds it
    numbers: Mapping[str, str]

    @classmethod
    def of(cls, data: StoreData) -> StoreHead:
        return cls(data.settings, data.next_id(), numbers_in(data.licenses))


def head(path: Path) -> StoreHead:
    """The head of the store at ``path`` (see ``read_or_empty``)."""
    return StoreHead.of(read_or_empty(path))


lock_path = fsio.lock_path  # <store>.lock: export -o refuses it too
lock_timeout = lockfile.timeout  # the writers' wait, LICENSES_LOCK_TIMEOUT


@contextlib.contextmanager
def locked(path: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the store's writer lock; raise StoreLocked after ``timeout`` seconds."""
    wait = lock_timeout() if timeout is None else timeout
    with lockfile.held(
        lock_path(path), wait, "another licenses command has held the store's lock"
    ):
        yield


def update(
    path: Path,
    change: Callable[[StoreData], tuple[StoreData, T]],
    *,
    create: bool = False,
    record: Record[T] | None = None,
) -> T:
    """Lock, re-read, apply ``change``, write atomically; return what change returns.

    With ``create`` a missing store (and its folder) is made. Nothing is written
    when reading, validating or ``change`` raises. With ``[settings] git``, the
    write is committed with ``record(result)`` as its message.
    """
    with _writing(path, create=create) as creating:
        raw = b"" if creating else read_bytes(path)
        # An empty file is no store (version is missing), never a fresh one.
        data = StoreData() if creating else parse(raw, path)
        new_data, result = change(data)
        # The blocks the change did not touch, as the file had them (comments).
        text = kept_text.kept(toml_text.dumps(new_data), raw).encode("utf-8")
        _write_recorded(path, raw, text, record, result, git_on=new_data.settings.git)
    return result


def restore(
    path: Path, raw: bytes | Callable[[bytes], bytes], entry: gitrepo.Entry
) -> None:
    """Put back an earlier text of the store, byte for byte, once it reads as
    a valid store; committed as ``entry``. ``raw`` may be made from the
    current text, under the lock (``undo`` merges what it takes back)."""
    with _writing(path, create=False):
        current = read_bytes(path)
        if callable(raw):
            raw = raw(current)
        data = parse(raw, path)
        _write_recorded(
            path, current, raw, lambda _: entry, None, git_on=data.settings.git
        )


def _write_recorded(
    path: Path,
    raw: bytes,
    text: bytes,
    record: Record[T] | None,
    result: T,
    *,
    git_on: bool,
) -> None:
    """Write the store; with git, commit it, or put the old bytes back."""
    if not git_on:
        fsio.write_atomic(path, text)
        return
    from . import gitrepo  # noqa: PLC0415 - only a store kept in git needs it (10 M instructions)

    repo = gitrepo.recorder(path)
    repo.commit_hand_edits()
    entry = record(result) if record else gitrepo.Entry("write", "change")
    repo.intend(entry, text)  # a crash before the commit: the next one names it
    fsio.write_atomic(path, text)
    try:
        repo.commit(entry.message, entry.command, entry.ids)
    except LicensesError:
        fsio.write_atomic(path, raw)  # a change git could not record is not made
        repo.done()
        raise
    repo.done()


def append(
    path: Path,
    build: Callable[[StoreData], tuple[tuple[License, ...], T]],
    *,
    create: bool = False,
    record: Record[T] | None = None,
) -> T:
    """Add licenses at the end of the store; return what ``build`` returns.

    The new ``[[license]]`` blocks are appended to the file as it is, keeping
    every byte a person wrote, comments included; only a file that defines
    ``license`` some other way is rewritten whole.
    """
    with _writing(path, create=create) as creating:
        raw = b"" if creating else read_bytes(path)
        data = StoreData() if creating else _appending_to(raw, path)
        added, result = build(data)
        if not added:  # an import of no rows: the file stays as it was, byte for byte
            return result
        for lic in added:
            _check_appended(path, lic)
        after = data._replace(licenses=(*data.licenses, *added))
        # What a read would refuse is never written (a large store is not
        # parsed again below): links between licenses resolve.
        check_links(after.licenses, frozenset(after.removed_ids), path)
        if toml_text.can_append(raw, has_licenses=bool(data.licenses)):
            text = toml_text.with_blocks(raw, added)
        else:
            text = toml_text.dumps(after).encode("utf-8")
        if not cache.worth_it(text):
            parse(text, path)  # small: prove the result reads back
        _write_recorded(path, raw, text, record, result, git_on=after.settings.git)
        if cache.worth_it(text) and not any(
            lic.status == Status.RENEWAL_FILED for lic in added
        ):
            # What a reader of the new text would get (a renewal-filed license
            # would also bring an application: left to the next read).
            cache.save(path, text, after)
    return result


def _appending_to(raw: bytes, path: Path) -> StoreData:
    """The store a writer adds to. The text is the only source of truth: a
    cached store whose next id is not above every id written in the file is
    not used, so an add can never reuse an id. An empty file is no store."""
    data = parse(raw, path)
    if data.next_id() > toml_text.highest_id_in(raw):
        return data
    return store_read.parse_uncached(raw, path)


def _check_appended(path: Path, lic: License) -> None:
    """An appended license passes the same validation a read gives it."""
    if lic.id > MAX_ID:
        raise InvalidStore(
            f"{path}: no license id left: ids go up to {MAX_ID} and are never reused"
        )
    try:
        license_from_table(license_to_table(lic))
    except InvalidValue as exc:
        raise InvalidStore(
            f"{path}: {lic.label()}: {exc.field}: {exc.message}"
        ) from None


@contextlib.contextmanager
def _writing(path: Path, *, create: bool) -> Iterator[bool]:
    """The writer's frame: folder, lock, stray temporaries, errors as exit codes.

    Yields whether the store is being created. Anything but a regular file at
    the path is refused before a lock file is made, and never replaced.
    """
    _refuse_non_regular(path)
    creating = create and not path.exists()
    if not creating and not path.exists():
        read(path)  # raises the right NoStore / StoreIOError before any lock file
    _refuse_read_only(path)
    try:
        if creating:
            fsio.make_folder(path.parent)
        with locked(path):
            fsio.remove_stray_temporaries(Path(os.path.realpath(path)))
            yield creating and not path.exists()
    except OSError as exc:
        if creating:
            raise CannotCreateStore(
                f"{path}: cannot create the store: {exc.strerror or exc}"
            ) from None
        if exc.errno == errno.EROFS:
            raise _on_read_only_file_system(path) from None
        raise StoreIOError(f"{path}: cannot write: {exc.strerror or exc}") from None


def _refuse_read_only(path: Path) -> None:
    """A store nobody may write (``chmod a-w``, last year's store kept as it
    was) is not replaced, by root either: the atomic write replaces the file
    through its folder, which the file's own mode would not stop."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # none yet: created
    if _mounted_read_only(path):
        raise _on_read_only_file_system(path)
    if not mode & 0o222 or not os.access(path, os.W_OK):
        raise StoreIOError(
            f"{path}: the store is read-only (mode {mode & 0o777:04o}); nothing "
            "written (chmod u+w to allow writes)"
        )


def _mounted_read_only(path: Path) -> bool:
    """A read-only mount fails os.access too, root's included, whatever the
    file's mode says; chmod cannot change it."""
    try:  # no statvfs on Windows: the mode's check alone
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def _on_read_only_file_system(path: Path) -> StoreIOError:
    return StoreIOError(
        f"{path}: the store's file system is mounted read-only; nothing written"
    )


def _refuse_non_regular(path: Path) -> None:
    try:
        fsio.check_regular_or_absent(path)
    except fsio.NotARegularFile as exc:
        raise CannotCreateStore(
            f"{path}: is {exc.what}, not a store file; nothing written"
        ) from None
    except OSError as exc:  # a loop of links, a name too long: no file to write
        raise StoreIOError(
            f"{path}: cannot open: {exc.strerror or exc}; nothing written"
        ) from None


def create(path: Path, settings: Settings | None = None) -> bool:
    """Make an empty store with default settings (or ``settings``); False when
    a valid one already exists (InvalidStore when the file there is none)."""
    _refuse_non_regular(path)
    try:
        fsio.make_folder(path.parent)
        with locked(path):
            if path.exists():
                read(path)  # an empty or broken file is not "a store already"
                return False
            fsio.write_atomic(path, toml_text.dumps(StoreData(settings or Settings())))
    except OSError as exc:
        raise CannotCreateStore(
            f"{path}: cannot create the store: {exc.strerror or exc}"
        ) from None
    return True
