"""The working-day calendars a store names, with each year's exceptions cached.

Importing ``holidays`` and building the CN calendar costs about 0.15-0.25 s, more
than the rest of a command. The answer depends only on the calendar code and the
``holidays`` release, never on the store, so each year's exceptions to Monday-Friday
are kept in a small text file in the user cache folder, keyed by both; a new
``holidays`` release starts a new file. Without a usable cache folder everything is
computed live. The file is lines of words (``days_off 2026-01-01 2026-02-16 …``),
read with ``int`` and ``date.fromisoformat`` alone: data, never code. Its first
line is the CRC-32 of the rest: a damaged file is a miss, computed live and
written anew. (zlib's CRC rather than hashlib: this file is read by every
command on a CN store, small ones too, and hashlib's import costs 2-4 ms.)
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import zlib
from datetime import date
from pathlib import Path

from export_licenses.domain.workdays import (
    HolidayCalendar,
    WithOverrides,
    WorkingDays,
    thinnest_year,
)
from export_licenses.errors import InvalidStore

from . import cache, fsio


class CachedCalendar(HolidayCalendar):
    """A holidays-package calendar whose looked-up years are kept in a file."""

    def __init__(self, code: str, cache_file: Path | None) -> None:
        super().__init__(code)
        self.cache_file = cache_file
        self._load()

    def changed(self) -> None:
        self._save()

    def _load(self) -> None:
        if self.cache_file is None or fsio.private_problem(
            self.cache_file, folder=False
        ):
            return
        try:
            payload = unseal(fsio.read_regular(self.cache_file, follow_symlinks=False))
            if payload is None:
                return  # damaged: compute live, and the next save mends it
            cached = _fields(payload.decode("utf-8"))
            if cached["calendar"] != [self.code]:
                return
            (official_text,) = cached["official_until"]
            official = None if official_text == "none" else int(official_text)
            years = {int(y) for y in cached["years"]}
            days_off = {date.fromisoformat(d) for d in cached["days_off"]}
            workdays = {date.fromisoformat(d) for d in cached["weekend_workdays"]}
        except (OSError, ValueError, KeyError, TypeError):
            return  # no cache yet, or one we cannot trust: compute live
        if not _plausible(years, days_off, workdays):
            return  # damaged, or written by hand: compute live, and mend it
        self.years, self.days_off, self.weekend_workdays = years, days_off, workdays
        self._official = official

    def _save(self) -> None:
        if self.cache_file is None:
            return
        official = self.official_until()
        fields = {
            "calendar": [self.code],
            "official_until": ["none" if official is None else str(official)],
            "years": [str(year) for year in sorted(self.years)],
            "days_off": sorted(d.isoformat() for d in self.days_off),
            "weekend_workdays": sorted(d.isoformat() for d in self.weekend_workdays),
        }
        content = "".join(
            f"{' '.join([key, *words])}\n" for key, words in fields.items()
        )
        with contextlib.suppress(OSError):  # a cache that cannot be written is no error
            fsio.make_folder(self.cache_file.parent)
            fsio.write_atomic(
                self.cache_file, seal(content.encode("utf-8")), follow_symlinks=False
            )


def seal(payload: bytes) -> bytes:
    """A cache file: the CRC-32 of the payload on the first line, then the payload."""
    return _checksum(payload) + b"\n" + payload


def unseal(blob: bytes) -> bytes | None:
    """The payload of a cache file, or None when it does not match its checksum."""
    checksum, _, payload = blob.partition(b"\n")
    return payload if checksum == _checksum(payload) else None


def _checksum(payload: bytes) -> bytes:
    return b"crc32:%08x" % zlib.crc32(payload)


def _plausible(years: set[int], days_off: set[date], workdays: set[date]) -> bool:
    """Whether every cached year has the working days a real calendar has.

    A file whose year has fewer than MIN_WORKING_DAYS working days is damaged
    or was written by hand: believing it would move every deadline (or find
    no working day at all).
    """
    return thinnest_year(days_off, workdays, years) is None


def _fields(text: str) -> dict[str, list[str]]:
    """A cache file's lines, each a key and its words."""
    return {key: words for key, *words in map(str.split, text.splitlines())}


@functools.cache
def calendar_for(
    code: str,
    cache_folder: str | None = None,
    extra_holidays: tuple[date, ...] = (),
    extra_workdays: tuple[date, ...] = (),
) -> WorkingDays:
    """The working-day calendar a store names; built once per process."""
    base = WorkingDays() if code == "none" else _package_calendar(code, cache_folder)
    if not extra_holidays and not extra_workdays:
        return base
    return WithOverrides(base, frozenset(extra_holidays), frozenset(extra_workdays))


def check_calendar(code: str, where: str = "[settings] calendar") -> None:
    """InvalidStore, naming ``where``, when the holidays package has no
    calendar ``code``: known from its cache file when there is one, else asked
    of the package once.

    Every read and write checks it (``store_read.parse``), so that no command — a
    write least of all — accepts a store whose calendar does not exist.
    """
    if code == "none":
        return
    try:
        _package_calendar(code, None).official_until()
    except InvalidStore:
        raise InvalidStore(
            f"{where}: the holidays package has no calendar {code!r}; use a code "
            'it knows, such as "CN", or "none"'
        ) from None


@functools.cache
def _package_calendar(code: str, cache_folder: str | None) -> WorkingDays:
    return CachedCalendar(code, _cache_file(code, cache_folder))


def _cache_file(code: str, cache_folder: str | None) -> Path | None:
    release = holidays_release()
    if release is None:
        return None
    folder = Path(cache_folder) if cache_folder else cache.trusted_folder()
    if folder is None:
        return None
    return folder / f"calendar-{code}-holidays-{release}.days"


@functools.cache
def holidays_release() -> str | None:
    """The installed holidays version, read from its metadata folder's name.

    Cheaper than importlib.metadata, and enough to key the cache: a new release
    gets a new cache file (and a new key for a day's review-time model).
    """
    spec = importlib.util.find_spec("holidays")
    if spec is None or not spec.submodule_search_locations:
        return None
    site = Path(next(iter(spec.submodule_search_locations))).parent
    found = sorted(site.glob("holidays-*.dist-info"))
    if len(found) != 1:
        return None
    return found[0].name.removeprefix("holidays-").removesuffix(".dist-info")
