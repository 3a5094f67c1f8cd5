"""Promises a monitor and a careful user rely on: no code from the cache, no wrong
answer from a damaged one, no traceback, no green check from a broken store,
private file modes."""

from __future__ import annotations

import os
import pickle
import stat
from typing import TYPE_CHECKING

import pytest

from export_licenses.service import records, reports
from export_licenses.storage import cache
from export_licenses.storage import store as store_api
from helpers import ADD_X, big_store, licenses_in_process, licenses_process, write

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

GOOD = """version = 1

[[license]]
id = 1
number = "MOFCOM-2025-DY-0412"
material = "dysprosium oxide"
destination = "US"
issued = 2025-11-03
term_months = 6
"""


# --- the cache -------------------------------------------------------------------


class _Exploit:
    """Unpickling this runs os.system: what a planted cache file would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def _cached_store(tmp_path: Path, cache_dir: Path) -> tuple[Path, dict[str, str]]:
    path = tmp_path / "licenses.toml"
    big_store(path, 600)  # above the cache's threshold
    env = {"LICENSES_CACHE_DIR": str(cache_dir)}
    return path, env


@pytest.mark.parametrize("mode", [0o777, 0o700])
def test_a_planted_pickle_never_runs(tmp_path: Path, mode: int) -> None:
    cache_dir = tmp_path / "shared-cache"
    path, env = _cached_store(tmp_path, cache_dir)
    first = licenses_process("--store", str(path), "list", "-f", "json", env=env)
    assert first.returncode == 0
    marker = tmp_path / "pwned"
    entries = list((cache_dir / "stores").iterdir())
    assert entries, "the first run filled the cache"
    for entry in entries:  # every entry, and the old format's names too
        for target in (entry, entry.with_suffix(".pickle")):
            target.write_bytes(pickle.dumps(_Exploit(marker)))
    cache_dir.chmod(mode)
    (cache_dir / "stores").chmod(mode)
    again = licenses_process("--store", str(path), "list", "-f", "json", env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout
    assert not marker.exists(), "code from the cache ran"
    if mode & stat.S_IWOTH:
        assert again.stderr.count("cache off") == 1
        assert "writable by other users" in again.stderr


def test_a_cache_folder_of_another_user_is_not_used(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a folder to another user")
    cache_dir = tmp_path / "theirs"
    cache_dir.mkdir(mode=0o700)
    os.chown(cache_dir, 65534, 65534)
    path, env = _cached_store(tmp_path, cache_dir)
    result = licenses_process("--store", str(path), "due", env=env)
    assert result.returncode == 0
    assert "cache off" in result.stderr
    assert "belongs to another user" in result.stderr
    assert not (cache_dir / "stores").exists()


def test_every_flipped_byte_in_a_cache_entry_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MIN_BYTES", 0)
    path = write(tmp_path / "licenses.toml", GOOD)
    truth = store_api.read(path)
    entry = cache._entry(path)  # noqa: SLF001 - this store's own entry
    assert entry is not None
    good = entry.read_bytes()
    for at in range(len(good)):
        for bit in (0, 3, 7):
            damaged = bytearray(good)
            damaged[at] ^= 1 << bit
            entry.write_bytes(bytes(damaged))
            assert store_api.read(path) == truth, (at, bit)


def test_a_cache_entry_reached_through_a_symlink_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MIN_BYTES", 0)
    path = write(tmp_path / "licenses.toml", GOOD)
    truth = store_api.read(path)
    entry = cache._entry(path)  # noqa: SLF001 - this store's own entry
    assert entry is not None
    # A valid entry for these bytes that says something else, put elsewhere
    # and linked to: followed, it would change the answer.
    cache.save(path, path.read_bytes(), truth._replace(licenses=()))
    elsewhere = tmp_path / "planted"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    assert store_api.read(path) == truth


def test_a_forged_cache_entry_never_gives_an_id_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MIN_BYTES", 0)
    path = tmp_path / "licenses.toml"
    big_store(path, 4)
    truth = store_api.read(path)  # fills the cache
    # An entry for these very bytes that lacks licenses 3 and 4, so that its
    # next id is 3: as if written by a bug. The store's own text still wins.
    forged = truth._replace(licenses=truth.licenses[:2])
    cache.save(path, path.read_bytes(), forged)
    assert store_api.read(path) == forged  # the cache is used...
    row = records.add(
        path,
        {"material": "x", "destination": "US", "issued": truth.licenses[0].issued},
        truth.licenses[0].issued,
    )
    assert row.license.id == 5  # ...but not for the next id
    ids = [lic.id for lic in store_api.read(path).licenses]
    assert ids == [1, 2, 3, 4, 5]


# --- never a traceback, never a green check by accident ---------------------------

# Run in this process (a traceback fails the test outright); the same exit codes
# as the OS reports them to a monitor are tests/test_processes.py's.


def test_a_far_expiry_is_an_invalid_store_and_warn_says_unknown(tmp_path: Path) -> None:
    path = write(tmp_path / "far.toml", GOOD + "expires = 9999-12-31\n")
    path.write_text(path.read_text().replace("term_months = 6\n", ""))
    result = licenses_in_process("--store", str(path), "warn", "--format", "nagios")
    assert result.returncode == 3
    assert result.stdout.startswith("LICENSES UNKNOWN - ")
    assert "outside the years 1900 to 2199" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "version: is missing"),
        ("  \n\t\n", "version: is missing"),
        ("# only a comment\n", "version: is missing"),
        (GOOD.replace("2025-11-03", "9999-12-01"), "outside the years"),
        (GOOD.replace("2025-11-03", "0001-01-01"), "outside the years"),
        (GOOD + "\n[settings]\nreview_working_days = 0\n", "expected 1 to"),
        ("version = 1\ndeep = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    ],
    ids=["empty", "blank", "comment", "far-issue", "year-1", "review-0", "deep"],
)
def test_broken_stores_are_unknown_to_warn_and_invalid_to_the_rest(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path / "broken.toml", text)
    for fmt, first in (("text", ""), ("nagios", "LICENSES UNKNOWN"), ("json", "{")):
        result = licenses_in_process("--store", str(path), "warn", "--format", fmt)
        assert result.returncode == 3, (fmt, result.stderr)
        assert result.stdout.startswith(first)
        assert expected in result.stderr
    listing = licenses_in_process("--store", str(path), "list")
    assert listing.returncode == 65
    assert len(listing.stderr.splitlines()) == 1
    assert path.read_text(encoding="utf-8") == text


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    result = licenses_in_process("--store", str(path), "list", "--today", "2026-01-15")
    assert result.returncode == 0, result.stderr
    assert "MOFCOM-2025-DY-0412" in result.stdout
    added = licenses_in_process("--store", str(path), *ADD_X, "2026-01-01")
    assert added.returncode == 0
    assert [lic.id for lic in store_api.read(path).licenses] == [1, 2]


def test_warn_json_says_unknown_on_stdout(tmp_path: Path) -> None:
    import json  # noqa: PLC0415

    result = licenses_in_process(
        "--store", str(tmp_path / "none.toml"), "warn", "--format", "json"
    )
    assert result.returncode == 3
    answer = json.loads(result.stdout)
    assert answer["state"] == "UNKNOWN"
    assert "no store here" in answer["error"]


def test_critical_above_the_stored_warning_threshold_is_unknown(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "s.toml", GOOD)  # warn_days defaults to 90
    result = licenses_in_process("--store", str(path), "warn", "--critical", "100")
    assert result.returncode == 3
    assert "--critical: 100 days is above the warning threshold of 90" in (
        result.stderr
    )
    fine = licenses_in_process(
        "--store", str(path), "warn", "--critical", "100", "--within", "120"
    )
    assert fine.returncode in {0, 1, 2}


def test_an_unexpected_error_is_one_line_and_70_or_unknown(
    run: Run, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(store, GOOD)

    def bug(*_: object, **__: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(reports, "list_licenses", bug)
    monkeypatch.setattr(reports, "warn", bug)
    listing = run("list")
    assert listing.exit_code == 70
    assert listing.stderr.count("\n") == 1
    assert "internal error (ZeroDivisionError: division by zero)" in listing.stderr
    assert "report" in listing.stderr
    check = run("warn", "--format", "nagios")
    assert check.exit_code == 3
    assert check.stdout.startswith("LICENSES UNKNOWN - internal error")


def test_bad_environment_values_are_said_not_tracebacks(tmp_path: Path) -> None:
    path = write(tmp_path / "s.toml", GOOD)
    locked = licenses_in_process(
        "--store",
        str(path),
        *ADD_X,
        "2026-01-01",
        env={"LICENSES_LOCK_TIMEOUT": "abc"},
    )
    assert locked.returncode == 64
    assert "LICENSES_LOCK_TIMEOUT: expected seconds" in locked.stderr
    assert path.read_text(encoding="utf-8") == GOOD
    drawn = licenses_in_process(
        "--store",
        str(path),
        "timeline",
        "--today",
        "2026-01-15",
        env={"COLUMNS": "abc"},
    )
    assert drawn.returncode == 0
    assert "ignoring COLUMNS='abc'" in drawn.stderr
    assert "Traceback" not in drawn.stderr


def test_add_never_leaves_a_store_no_command_can_read(tmp_path: Path) -> None:
    full = write(tmp_path / "full.toml", GOOD.replace("id = 1", f"id = {2**53}"))
    before = full.read_bytes()
    result = licenses_in_process("--store", str(full), *ADD_X, "2026-01-01")
    assert result.returncode == 65
    assert "no license id left" in result.stderr
    assert full.read_bytes() == before
    # A license table under an escaped key: appending a [[license]] block to it
    # would break the file, so the store is rewritten whole instead.
    escaped = write(
        tmp_path / "escaped.toml",
        'version = 1\n"lic\\u0065nse" = [{id = 1, material = "m", '
        'destination = "US", issued = 2025-11-03}]\n',
    )
    added = licenses_in_process("--store", str(escaped), *ADD_X, "2026-01-01")
    assert added.returncode == 0, added.stderr
    assert [lic.id for lic in store_api.read(escaped).licenses] == [1, 2]


# --- file modes ------------------------------------------------------------------


def test_new_files_are_private_and_an_existing_store_keeps_its_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MIN_BYTES", 0)
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("LICENSES_CACHE_DIR", str(cache_dir))
    cache.forget_checked_folders()
    path = tmp_path / "new" / "deeper" / "licenses.toml"
    records.add(
        path,
        {
            "material": "x",
            "destination": "US",
            "issued": store_api.read(write(tmp_path / "g.toml", GOOD))
            .licenses[0]
            .issued,
        },
        store_api.read(tmp_path / "g.toml").licenses[0].issued,
    )
    store_api.read(path)

    def mode(p: Path) -> int:
        return stat.S_IMODE(p.stat().st_mode)

    assert mode(path) == 0o600
    assert mode(store_api.lock_path(path)) == 0o600
    assert mode(path.parent) == mode(path.parent.parent) == 0o700
    assert mode(cache_dir) == mode(cache_dir / "stores") == 0o700
    files = list((cache_dir / "stores").iterdir())
    assert files
    assert {mode(f) for f in files} == {0o600}

    shared = write(tmp_path / "shared.toml", GOOD)
    shared.chmod(0o640)
    records.edit(
        shared, "1", {"notes": "x"}, [], store_api.read(shared).licenses[0].issued
    )
    assert mode(shared) == 0o640
