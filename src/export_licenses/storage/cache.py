"""A cache of validated stores, keyed by the file's exact content.

Parsing and validating a 10,000-license store takes about 0.26 s; loading the
validated result from this cache a fraction of that. The TOML file stays the single
source of truth: the key is the BLAKE2b hash of the file's bytes (plus the code that
validates them), so any edit, by hand or by a tool, misses the cache and is read
afresh. Deleting the cache is always safe.

Nothing in the cache can run code or change an answer:
- entries are plain JSON (no pickle), decoded into our own record types only;
- each entry starts with the CRC-32 of its payload: a damaged entry is a miss;
- the folder and the files must belong to this user and be writable by no one
  else, checked before a byte is read; otherwise the cache is off for the run
  and one line on stderr says why.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from . import fsio

if TYPE_CHECKING:
    from collections.abc import Mapping

FORMAT: Final = 2
# Below this size parsing is as quick as hashing and decoding: no cache.
MIN_BYTES: Final = 64 * 1024
# The modules whose code decides what a validated store is: changing one of them
# (an upgrade of this tool) changes the key.
_VALIDATING: Final = (
    "domain/license.py",
    "domain/application.py",
    "domain/values.py",
    "domain/settings.py",
    "domain/shipment.py",
    "domain/store_data.py",
    "domain/countries.py",
    "storage/store.py",
    "storage/cache.py",
    "storage/codec.py",
)
# Cache folders already checked in this process: said once, checked once.
_trusted: dict[str, bool] = {}


def folder() -> Path:
    override = os.environ.get("LICENSES_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform.startswith("linux"):
        # platformdirs' own rule on Linux (XDG), without its import on every run.
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
        return base / "licenses"
    import platformdirs  # noqa: PLC0415

    return Path(platformdirs.user_cache_dir("licenses"))


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


def _fingerprint() -> str:
    here = Path(__file__).resolve().parent.parent
    parts = [str(FORMAT), sys.version]
    for name in _VALIDATING:
        stat = (here / name).stat()
        parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


def key_of(raw: bytes) -> str:
    """A cryptographic hash of ``raw``: BLAKE2b, hashlib's own implementation
    (4x the speed of SHA-256 here), loaded without hashlib, whose OpenSSL
    bindings take 4 ms to load on every run that reads a cached store."""
    try:
        from _blake2 import blake2b  # noqa: PLC0415 - built into CPython
    except ImportError:  # another Python: the same hash through hashlib
        from hashlib import blake2b  # noqa: PLC0415

    return blake2b(raw, digest_size=32).hexdigest()


def _entry(store_path: Path) -> Path | None:
    root = trusted_folder()
    if root is None:
        return None
    where = key_of(os.path.realpath(store_path).encode())[:32]
    return root / "stores" / f"{where}.json"


def load(store_path: Path, key: str, records: Mapping[str, type]) -> Any | None:
    """The validated store for exactly this content, or None.

    Only the ``records`` types (by class name) and plain values are rebuilt; any
    error in decoding, like any damage to the entry, is a miss.
    """
    entry = _entry(store_path) if enabled() else None
    if entry is None or fsio.private_problem(entry, folder=False):
        return None
    try:
        payload = unseal(fsio.read_regular(entry))
        if payload is None:
            return None
        from .codec import decoder  # noqa: PLC0415

        cached_key, code, data = decoder(records)(payload)
    except Exception:  # noqa: BLE001 - an entry that cannot be read is a miss
        return None
    return data if cached_key == key and code == _fingerprint() else None


def save(store_path: Path, key: str, data: Any) -> None:
    """Keep the validated store."""
    _write(_entry(store_path), key, data)


def _write(entry: Path | None, key: str, value: Any) -> None:
    if entry is None or not enabled():
        return
    import json  # noqa: PLC0415

    from .codec import encode  # noqa: PLC0415

    # A cache that cannot be written is no error; neither is one we cannot encode.
    with contextlib.suppress(Exception):
        fsio.make_folder(entry.parent)
        payload = json.dumps(
            [key, _fingerprint(), encode(value)],
            separators=(",", ":"),
            ensure_ascii=False,
        ).encode("utf-8")
        fsio.write_atomic(entry, seal(payload))


def seal(payload: bytes) -> bytes:
    """An entry: the CRC-32 of the payload on the first line, then the payload.

    CRC-32 detects every error of up to 32 bits in a row, so any flipped byte;
    it guards against damage, while the ownership checks keep others out. (It
    costs no import: hashlib alone would add ~2 ms to every run.)
    """
    return _checksum(payload) + b"\n" + payload


def unseal(blob: bytes) -> bytes | None:
    """The payload of an entry, or None when it does not match its checksum."""
    checksum, _, payload = blob.partition(b"\n")
    return payload if checksum == _checksum(payload) else None


def _checksum(payload: bytes) -> bytes:
    import zlib  # noqa: PLC0415

    return b"crc32:%08x" % zlib.crc32(payload)
