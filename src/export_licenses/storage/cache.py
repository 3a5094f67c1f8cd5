"""A cache of validated stores, keyed by the file's exact content.

Parsing and validating a large trader's store (5,000 licenses, 5,000
applications, 20,000 shipments) takes about half a second; loading the validated
records from this cache takes a few milliseconds. The TOML file stays the single
source of truth: an entry answers only for the exact bytes it was made from, and
only to the same release of this program; anything else is a miss, and the
store is read afresh. Deleting the cache is always safe.

Nothing in the cache can run code or change an answer:
- an entry is msgpack, decoded by msgspec into the record types of a validated
  store and nothing else (no pickle);
- it holds the very bytes of the store it was made from, after the program's
  version and ``SCHEMA``, and is read only when they are equal byte for byte
  (no hash stands in for them, so none can collide); one made for other bytes
  or by another release is a miss;
- it starts with the CRC-32 of the rest: accidental damage (a disk, a copy cut
  short) is a miss. CRC-32 finds every change of up to 32 bits in a row, and
  nothing else writes here: the folder is this user's alone (below).
- the folder and the files must belong to this user and be writable by no one
  else; an entry is opened without following a symlink and checked once open.
  Otherwise the cache is off for the run and one line on stderr says why.

After the validated store, an entry may keep one more section: the review-time
model fitted for one day (``day_model``, ``keep_day_model``; what it is and what
it saves: ``service.kept_model``). It is written into the entry of the very
bytes it was fitted from, under a key naming the day and what else it rests on,
and the CRC covers it as it covers the rest.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from export_licenses import __version__
from export_licenses.domain.store_data import StoreData

from . import folders, fsio

if TYPE_CHECKING:
    from collections.abc import Mapping

# Bump when the records change meaning within one release (a developer's
# checkout); releases are told apart by their version.
SCHEMA: Final = 8
# The records' shape: the SHA-256 of msgspec's JSON schema of StoreData, first 16
# hex digits. Computing it costs 2-4 ms, so it is written here and
# tests/test_cache.py fails, printing the new value, whenever a record gains,
# loses or retypes a field: an entry of the old shape is then a miss, never a
# record decoded with a field missing.
RECORDS_SHAPE: Final = "d750d0e86ff680c6"
# Below this size parsing is about as quick as loading an entry: no cache.
MIN_BYTES: Final = 64 * 1024
_CRC: Final = 4  # bytes of the CRC-32 in front of an entry
_LENGTH: Final = 8  # bytes of the validated store's length, and of a day key's
# Cache folders already checked in this process: said once, checked once.
_trusted: dict[str, bool] = {}


class _Read:
    """The entry one store was read from (or written to) in this process: where
    its day's model goes, and the day's model found there. (A plain class, not a
    NamedTuple: every read imports this module, and building a NamedTuple class
    costs ~80 us.)"""

    __slots__ = ("crc", "data", "day_key", "day_model", "entry", "head", "identity")

    def __init__(
        self,
        data: StoreData,  # held, so that no other object takes its id
        entry: Path,
        identity: tuple[int, int, int],  # the entry file's inode, mtime, size
        head: memoryview,  # the entry after its CRC, up to the day's model
        crc: int,  # the CRC-32 of ``head``: the new CRC goes on from it
        day_key: bytes = b"",
        day_model: bytes = b"",
    ) -> None:
        self.data, self.entry, self.identity = data, entry, identity
        self.head, self.crc = head, crc
        self.day_key, self.day_model = day_key, day_model


# By id of the StoreData a read returned. A process reads a store or two.
_read: dict[int, _Read] = {}


def folder() -> Path:
    override = os.environ.get("LICENSES_CACHE_DIR")
    if override:
        return Path(override)
    return folders.cache_folder()


def enabled() -> bool:
    return os.environ.get("LICENSES_CACHE", "1") != "0" and trusted_folder() is not None


def trusted_folder() -> Path | None:
    """The cache folder when it is safe to use, else None (said once on stderr).

    Safe: the folder and its ``stores`` folder are ours and writable by no one
    else (missing ones are created private when first written).
    """
    root = folder()
    known = _trusted.get(str(root))
    if known is None:
        problem = fsio.private_problem(root, folder=True) or fsio.private_problem(
            root / "stores", folder=True
        )
        if problem:
            sys.stderr.write(f"licenses: cache off: {problem}\n")
        known = _trusted[str(root)] = problem is None
    return root if known else None


def forget_checked_folders() -> None:
    """Look at the cache folders afresh (for tests, which change them)."""
    _trusted.clear()


def worth_it(raw: bytes) -> bool:
    return len(raw) >= MIN_BYTES and enabled()


def entry_name(store_path: Path) -> str:
    """The file name of a store's entry: one per store file, by its real path.

    Two paths whose CRCs agree share a file and each finds the other's bytes
    there: a miss, never a wrong answer.
    """
    where = os.path.realpath(store_path).encode()
    return f"{zlib.crc32(where):08x}{len(where):04x}.msgpack"


def _entry(store_path: Path) -> Path | None:
    root = trusted_folder()
    if root is None:
        return None
    return root / "stores" / entry_name(store_path)


def _stamp(raw: bytes) -> bytes:
    """What an entry holds before the store's bytes: the release, and their length."""
    return f"{SCHEMA}:{RECORDS_SHAPE}:{__version__}:{len(raw)}:".encode()


def load(store_path: Path, raw: bytes) -> StoreData | None:
    """The validated store for exactly these bytes of the store, or None."""
    entry = _entry(store_path) if enabled() else None
    if entry is None:
        return None
    try:
        blob, identity = _read_private(entry)
        # Views and startswith, not slices: a large trader's entry is 5 MB, and
        # copying it three times cost ~10 ms.
        view = memoryview(blob)
        stamp = _stamp(raw)
        start = _CRC + len(stamp)
        if not (blob.startswith(stamp, _CRC) and blob.startswith(raw, start)):
            return None
        payload, end, day_key, day_model = _sections(view, start + len(raw))
        crc = zlib.crc32(view[_CRC:end])
        if int.from_bytes(blob[:_CRC], "big") != zlib.crc32(view[end:], crc):
            return None
        import msgspec  # noqa: PLC0415 - cached stores only (30 M instructions)

        data = msgspec.msgpack.decode(payload, type=StoreData)
    except Exception:  # noqa: BLE001 - an entry that cannot be read is a miss
        return None
    if data.applications:  # only a store with applications has a day's model
        head = view[_CRC:end]
        _read[id(data)] = _Read(data, entry, identity, head, crc, day_key, day_model)
    return data


def _sections(view: memoryview, at: int) -> tuple[memoryview, int, bytes, bytes]:
    """After the store's bytes: the validated store and where it ends, then the
    day's key and model (both empty when none is kept). ValueError when cut
    short."""
    size = int.from_bytes(view[at : at + _LENGTH], "big")
    start = at + _LENGTH
    end = start + size
    payload, rest = view[start:end], view[end:]
    if len(payload) != size or (rest and len(rest) < _LENGTH):
        raise ValueError("entry cut short")
    if not rest:
        return payload, end, b"", b""
    key_size = int.from_bytes(rest[:_LENGTH], "big")
    key = bytes(rest[_LENGTH : _LENGTH + key_size])
    if len(key) != key_size:
        raise ValueError("entry cut short")
    return payload, end, key, bytes(rest[_LENGTH + key_size :])


def keeps_day_models(data: StoreData) -> bool:
    """Whether ``data`` came from (or went to) an entry that can keep its
    day's model in this process."""
    found = _read.get(id(data))
    return found is not None and found.data is data


def day_model(data: StoreData, key: bytes) -> bytes | None:
    """The day's model kept under ``key`` in the entry ``data`` was read from
    (or written to) in this process; None when there is none for that key."""
    found = _read.get(id(data))
    if found is None or found.data is not data or found.day_key != key:
        return None
    return found.day_model


def keep_day_model(data: StoreData, key: bytes, model: bytes) -> None:
    """Keep ``model`` under ``key`` in the entry the store ``data`` was read
    from, after the very bytes it was read from, replacing the day's model kept
    before; nothing when ``data`` came from no entry of this process.

    The entry written holds the store's bytes ``data`` was validated from, so
    it answers for them alone, whatever happened meanwhile. Should the entry
    have been replaced since (another run read a newer store), it is left as it
    is: the newer one is not put back to the older.
    """
    found = _read.get(id(data))
    if found is None or found.data is not data or not key:
        return
    with contextlib.suppress(Exception):  # a cache that cannot be written: no error
        if _identity(found.entry.lstat()) != found.identity:
            return
        tail = b"".join((len(key).to_bytes(_LENGTH, "big"), key, model))
        sealed = zlib.crc32(tail, found.crc).to_bytes(_CRC, "big")
        fsio.write_atomic(
            found.entry, b"".join((sealed, found.head, tail)), follow_symlinks=False
        )
        found.identity = _identity(found.entry.lstat())
        found.day_key, found.day_model = key, model


def _read_private(entry: Path) -> tuple[bytes, tuple[int, int, int]]:
    """The bytes of our own private regular file, not reached through a
    symlink, and the file's inode, modification time and size."""
    fd = os.open(entry, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
            raise PermissionError(entry)
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise PermissionError(entry)
        return handle.read(), _identity(info)


def _identity(info: os.stat_result) -> tuple[int, int, int]:
    """A file as it was: an entry is replaced, never changed in place."""
    return info.st_ino, info.st_mtime_ns, info.st_size


def save(store_path: Path, raw: bytes, data: StoreData) -> None:
    """Keep the validated store of these bytes of the store."""
    entry = _entry(store_path) if enabled() else None
    if entry is None:
        return
    # A cache that cannot be written is no error; neither is a store msgpack
    # cannot hold exactly: keys this version does not know are typed Any, and a
    # TOML date among them would come back as text. Such a store is not cached.
    with contextlib.suppress(Exception):
        import msgspec  # noqa: PLC0415 - cached stores only (30 M instructions)

        extras = _unknown_keys(data)
        if msgspec.msgpack.decode(msgspec.msgpack.encode(extras)) != extras:
            return
        payload = msgspec.msgpack.encode(data)
        fsio.make_folder(entry.parent)
        body = b"".join(
            (_stamp(raw), raw, len(payload).to_bytes(_LENGTH, "big"), payload)
        )
        crc = zlib.crc32(body)
        fsio.write_atomic(
            entry, crc.to_bytes(_CRC, "big") + body, follow_symlinks=False
        )
        if data.applications:  # its day's model may go after it (load)
            identity = _identity(entry.lstat())
            head = memoryview(body)
            _read[id(data)] = _Read(data, entry, identity, head, crc)


def _unknown_keys(data: StoreData) -> list[Mapping[str, Any]]:
    """Every record's keys this version does not know (mostly empty)."""
    found = [data.extra, data.settings.extra]
    found += [app.extra for app in data.applications]
    for lic in data.licenses:
        found.append(lic.extra)
        found += [shipment.extra for shipment in lic.shipments]
    return [extra for extra in found if extra]
