"""The validated-store cache is keyed by content: a hand edit is never missed."""

from __future__ import annotations

import hashlib
import os
from datetime import date
from typing import TYPE_CHECKING

import msgspec
import pytest

from export_licenses.domain.store_data import StoreData
from export_licenses.errors import InvalidStore, UsageProblem
from export_licenses.service import records
from export_licenses.storage import cache, store, store_read

if TYPE_CHECKING:
    from pathlib import Path

TEXT = """version = 1

[[license]]
id = 1
material = "gallium metal"
destination = "FR"
issued = 2025-08-31
term_months = 6
"""


@pytest.fixture(autouse=True)
def cache_every_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """These stores are small; cache them as if they were large."""
    monkeypatch.setattr(cache, "MIN_BYTES", 0)


def test_small_stores_are_parsed_not_cached(
    tmp_path: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MIN_BYTES", 64 * 1024)
    path = tmp_path / "small.toml"
    path.write_text(TEXT, encoding="utf-8")
    before = set(entries(cache_folder))
    store.read(path)
    assert set(entries(cache_folder)) == before


def _must_not_parse(*_: object) -> None:
    pytest.fail("parsed again instead of using the cache")


def entries(cache_folder: Path) -> list[Path]:
    return list((cache_folder / "stores").glob("*.msgpack"))


def test_a_read_fills_the_cache_and_the_next_read_uses_it(
    tmp_path: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "licenses.toml"
    path.write_text(TEXT, encoding="utf-8")
    first = store.read(path)
    assert entries(cache_folder)
    monkeypatch.setattr(store_read, "parse_uncached", _must_not_parse)
    assert store.read(path) == first


def test_an_edit_with_the_same_size_and_time_is_still_seen(tmp_path: Path) -> None:
    path = tmp_path / "licenses.toml"
    path.write_text(TEXT, encoding="utf-8")
    assert store.read(path).licenses[0].destination == "FR"
    stat = path.stat()
    path.write_text(TEXT.replace('"FR"', '"DE"'), encoding="utf-8")  # same length
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    assert store.read(path).licenses[0].destination == "DE"


def test_an_edit_that_breaks_the_file_is_reported_not_served_from_cache(
    tmp_path: Path,
) -> None:
    path = tmp_path / "licenses.toml"
    path.write_text(TEXT, encoding="utf-8")
    store.read(path)
    path.write_text(TEXT.replace('"FR"', '"XX"'), encoding="utf-8")
    with pytest.raises(InvalidStore, match="destination"):
        store.read(path)


def test_after_a_write_the_next_read_parses_once_and_fills_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "licenses.toml"
    path.write_text(TEXT, encoding="utf-8")
    store.read(path)
    store.update(path, lambda data: (data, None))  # new bytes: the header comment
    calls: list[bytes] = []
    real_parse = store_read.parse_uncached

    def counting(raw: bytes, where: Path) -> store.StoreData:
        calls.append(raw)
        return real_parse(raw, where)

    monkeypatch.setattr(store_read, "parse_uncached", counting)
    assert store.read(path).licenses[0].material == "gallium metal"
    assert store.read(path).licenses[0].material == "gallium metal"
    assert len(calls) == 1


def test_a_corrupt_or_foreign_cache_is_ignored(
    tmp_path: Path, cache_folder: Path
) -> None:
    path = tmp_path / "licenses.toml"
    path.write_text(TEXT, encoding="utf-8")
    store.read(path)
    for entry in entries(cache_folder):
        entry.write_bytes(b"not a pickle")
    assert store.read(path).licenses[0].material == "gallium metal"


def test_the_cache_can_be_switched_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LICENSES_CACHE", "0")
    path = tmp_path / "off.toml"
    path.write_text(TEXT, encoding="utf-8")
    store.read(path)
    assert cache.load(path, path.read_bytes()) is None


def test_adding_to_a_cached_store_does_not_parse_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "licenses.toml"
    path.write_text(
        TEXT.replace(
            'material = "gallium metal"', 'material = "gallium metal"\nnumber = "G-1"'
        ),
        encoding="utf-8",
    )
    store.read(path)  # fills the cache
    monkeypatch.setattr(store_read, "parse_uncached", _must_not_parse)
    row = records.add(
        path,
        {"material": "x", "destination": "US", "issued": date(2026, 1, 1)},
        date(2026, 1, 2),
    )
    assert row.license.id == 2
    with pytest.raises(UsageProblem, match="already license 1"):
        records.add(
            path,
            {
                "material": "x",
                "destination": "US",
                "issued": date(2026, 1, 1),
                "number": "g-1",
            },
            date(2026, 1, 2),
        )


def test_after_an_add_the_cached_store_is_what_its_text_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "licenses.toml"
    path.write_text(TEXT + "# a comment\n", encoding="utf-8")
    store.read(path)
    records.add(
        path,
        {"material": "x", "destination": "US", "issued": date(2026, 1, 1)},
        date(2026, 1, 2),
    )
    real_parse = store_read.parse_uncached
    monkeypatch.setattr(store_read, "parse_uncached", _must_not_parse)
    cached = store.read(path)  # the add kept the new text's cache
    monkeypatch.setattr(store_read, "parse_uncached", real_parse)
    monkeypatch.setenv("LICENSES_CACHE", "0")
    assert store.read(path) == cached
    assert [lic.id for lic in cached.licenses] == [1, 2]


def test_a_date_in_an_unknown_key_comes_back_a_date(tmp_path: Path) -> None:
    path = tmp_path / "licenses.toml"
    path.write_text(TEXT + "signed = 2025-07-01\n", encoding="utf-8")
    assert store.read(path) == store.read(path)
    assert store.read(path).licenses[0].extra == {"signed": date(2025, 7, 1)}


def test_the_cache_key_knows_the_records_shape() -> None:
    """A record that gains, loses or retypes a field makes old entries a miss.

    When this fails, put the value it prints in ``cache.RECORDS_SHAPE``."""
    schema = msgspec.json.encode(msgspec.json.schema(StoreData))
    shape = hashlib.sha256(schema).hexdigest()[:16]
    assert shape == cache.RECORDS_SHAPE, f"set cache.RECORDS_SHAPE = {shape!r}"


def test_an_entry_of_another_records_shape_is_a_miss(
    tmp_path: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "licenses.toml"
    path.write_text(TEXT, encoding="utf-8")
    store.read(path)
    assert entries(cache_folder)
    key = path.read_bytes()
    assert cache.load(path, key) is not None
    monkeypatch.setattr(cache, "RECORDS_SHAPE", "0" * 16)
    assert cache.load(path, key) is None
