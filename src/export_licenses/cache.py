"""A cache of validated stores, keyed by the file's exact content.

Parsing and validating a 10,000-license store takes about 0.26 s; loading the
validated result from this cache about 0.09 s. The TOML file stays the single
source of truth: the key is the SHA-256 of the file's bytes (plus the code that
validates them), so any edit, by hand or by a tool, misses the cache and is read
afresh. Entries live in the user cache folder (private to the user, mode 0700);
deleting them is always safe. Any failure to read or write the cache is ignored.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Any, Final

FORMAT: Final = 1
# Below this size parsing is as quick as hashing and unpickling: no cache.
MIN_BYTES: Final = 64 * 1024
# The modules whose code decides what a validated store is: changing one of them
# (an upgrade of this tool) changes the key.
_VALIDATING: Final = ("model.py", "store.py", "countries.py", "cache.py")


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
    return os.environ.get("LICENSES_CACHE", "1") != "0"


def worth_it(raw: bytes) -> bool:
    return len(raw) >= MIN_BYTES and enabled()


def _fingerprint() -> str:
    here = Path(__file__).resolve().parent
    parts = [str(FORMAT), sys.version]
    for name in _VALIDATING:
        stat = (here / name).stat()
        parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


def key_of(raw: bytes) -> str:
    import hashlib  # noqa: PLC0415 - small stores never reach the cache

    return hashlib.sha256(raw).hexdigest()


def _entry(store_path: Path, *, head: bool = False) -> Path:
    where = key_of(os.path.realpath(store_path).encode())[:32]
    return folder() / "stores" / f"{where}{'.head' if head else ''}.pickle"


def load(store_path: Path, key: str, *, head: bool = False) -> Any | None:
    """The validated store (or its head) for exactly this content, or None."""
    if not enabled():
        return None
    import pickle  # noqa: PLC0415

    try:
        with _entry(store_path, head=head).open("rb") as handle:
            cached = pickle.load(handle)  # noqa: S301 - our own file in a 0700 folder
        if cached["key"] == key and cached["code"] == _fingerprint():
            return cached["data"]
    except Exception:  # noqa: BLE001 - a cache that cannot be read is a miss
        return None
    return None


def save(store_path: Path, key: str, data: Any, head: Any) -> None:
    """Keep the validated store, and the small head that adding needs."""
    _write(_entry(store_path), key, data)
    _write(_entry(store_path, head=True), key, head)


def save_head(store_path: Path, key: str, head: Any) -> None:
    """Keep only the head: what a writer that appended can know without parsing."""
    _write(_entry(store_path, head=True), key, head)


def _write(entry: Path, key: str, value: Any) -> None:
    if not enabled():
        return
    import pickle  # noqa: PLC0415

    with contextlib.suppress(Exception):  # a cache that cannot be written is no error
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        blob = pickle.dumps({"key": key, "code": _fingerprint(), "data": value}, 5)
        import tempfile  # noqa: PLC0415

        fd, tmp = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
        Path(tmp).replace(entry)
