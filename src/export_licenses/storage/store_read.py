"""The TOML store read: the whole file, validated (or taken from its cache).

Every command reads through here; only the commands that write also import
``store.py``, the write path (the lock, update, append, restore, create), so a
read command such as ``list``, ``due`` or ``warn`` never loads it. Readers take
no lock: a write replaces the file in one ``os.replace``, so a reader sees
either the old or the new file, never a mix.
"""

from __future__ import annotations

import functools
import re
import sys
from typing import TYPE_CHECKING, Final

from export_licenses.domain.store_data import StoreData, validate
from export_licenses.errors import InvalidStore, NoStore, StoreIOError

from . import cache, fsio
from .calendar_cache import check_calendar
from .unsettled import CONFLICT_MARK, Unsettled, say, unsettled

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["CONFLICT_MARK", "Unsettled", "say"]

# Read whole: bounded, so that a file of gigabytes is refused, not a MemoryError.
MAX_STORE_BYTES: Final = 256 * 2**20


def read(path: Path, *, note: bool = True) -> StoreData:
    """Read and validate the whole store; raise NoStore, InvalidStore, StoreIOError.

    A store whose merge is not settled still reads; ``note``: one line on
    stderr says so (the readers that say it in their output pass False)."""
    return read_unsettled(path, note=note)[0]


def read_unsettled(
    path: Path, *, note: bool = False
) -> tuple[StoreData, Unsettled | None]:
    """The store, and its merge's changes to settle (None when there are none);
    ``note``: said on stderr too."""
    raw = read_bytes(path)
    data, found = parse(raw, path), unsettled(raw, path)
    if found is not None and note:
        say(found)
    return data, found


def read_bytes(path: Path) -> bytes:
    """The store's bytes; a FIFO, device or socket is refused without waiting on it."""
    try:
        return fsio.read_regular(path, limit=MAX_STORE_BYTES)
    except fsio.TooLarge as exc:
        raise InvalidStore(
            f"{path}: {exc.size:,} bytes, more than the {MAX_STORE_BYTES:,} a store "
            "may have (a store of 100,000 licenses is about 30 MB); not read"
        ) from None
    except (FileNotFoundError, NotADirectoryError):
        raise NoStore(
            f"{path}: no store here (create it with `licenses init` or `licenses add`)"
        ) from None
    except (IsADirectoryError, fsio.NotARegularFile) as exc:
        what = exc.what if isinstance(exc, fsio.NotARegularFile) else "a folder"
        if what == "a folder":
            raise StoreIOError(f"{path}: is a folder, not a store file") from None
        raise NoStore(f"{path}: is {what}, not a store file") from None
    except OSError as exc:
        raise StoreIOError(f"{path}: cannot read: {exc.strerror or exc}") from None


def parse(raw: bytes, path: Path) -> StoreData:
    """Validate the bytes of a store, or take the result cached for these bytes.

    The calendar it names is checked too (from the calendar's cache, else the
    holidays package), so that no command — a write least of all — accepts a
    store whose calendar does not exist.
    """
    if not cache.worth_it(raw):
        data = parse_uncached(raw, path)
    else:
        cached = cache.load(path, raw)
        if cached is None:
            data = parse_uncached(raw, path)
            cache.save(path, raw, data)
        else:
            data = cached
    # Named after the file, as every other problem of the store is.
    check_calendar(data.settings.calendar, f"{path}: [settings] calendar")
    # A store's own [authority.NAME] calendar too: else a write of a license of
    # that authority was made, and only then found unreadable.
    for name, table in data.authorities.items():
        code = table.get("calendar") if isinstance(table, dict) else None
        if isinstance(code, str):
            check_calendar(code, f"{path}: [authority.{name}] calendar")
    return data


def read_or_empty(path: Path) -> StoreData:
    """The store at ``path``; an empty one when there is no store. A path that
    cannot be looked at (a loop of links, a name too long) is StoreIOError, as
    for a write, never "no store"."""
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return StoreData()
    except OSError as exc:
        raise StoreIOError(f"{path}: cannot open: {exc.strerror or exc}") from None
    return read(path)


def parse_uncached(raw: bytes, path: Path) -> StoreData:
    try:
        # An editor that saves with a byte-order mark is accepted.
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidStore(
            f"{path}: not UTF-8 text (bad byte at offset {exc.start})"
        ) from None
    # The compiled parser is ~2.5x faster than the stdlib's on large stores; it
    # loads only when a store is parsed, not when the cache answers (1.5 ms).
    import tomli as toml_reader  # noqa: PLC0415 - only a parse needs it, not a cache hit (10 M instructions)

    try:
        doc = toml_reader.loads(text)
    except toml_reader.TOMLDecodeError as exc:
        raise InvalidStore(f"{path}: {syntax_message(exc)}") from None
    except RecursionError:
        raise InvalidStore(f"{path}: TOML nested too deeply to read") from None
    except ValueError:  # not tomli's own error: Python's, see number_too_long
        raise InvalidStore(f"{path}: {number_too_long()}") from None
    data = validate(doc, path)
    if (
        data.authorities
        or any(lic.authority for lic in data.licenses)
        or any(app.authority for app in data.applications)
        or data.controls  # each [[control]] names one
    ):
        # Only a store that names an authority reads the package's profiles.
        from . import profiles  # noqa: PLC0415 - only stores naming an authority (6.1 M instructions)

        profiles.check_authorities(data, path)
    return data


@functools.cache
def _line_col() -> re.Pattern[str]:
    return re.compile(r"\(at line (\d+), column (\d+)\)")


def number_too_long() -> str:
    """Why tomli raised a plain ValueError, not a TOMLDecodeError: a decimal
    integer longer than Python converts from text (4,300 digits by default)."""
    return (
        f"an integer of more than {sys.get_int_max_str_digits():,} digits, "
        "which no field takes"
    )


def syntax_message(exc: ValueError) -> str:
    message = str(exc)
    found = _line_col().search(message)
    if not found:
        return f"TOML syntax error: {message}"
    reason = message[: found.start()].strip()
    return f"line {found[1]}, column {found[2]}: TOML syntax error: {reason}"
