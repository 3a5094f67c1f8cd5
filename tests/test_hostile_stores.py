"""Stores and paths built to hurt (issue 20, section 4): every command answers
with one line and a documented code, and a write never succeeds on a store
that a read calls invalid — the file is left byte for byte as it was.

Every command runs on each store in this process (Typer's runner, under the
suite's hang guard, never the verdict); the lock and cache tests run real
child processes, as cron or a script would.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from export_licenses.storage import cache as cache_module
from export_licenses.storage.calendar_cache import _cache_file
from helpers import (
    EVERY_COMMAND,
    EXAMPLE,
    GIT_COMMANDS,
    STORE_WRITES,
    big_store,
    command_line,
    in_process,
    licenses_process,
)

if TYPE_CHECKING:
    from pathlib import Path

TODAY = "2026-01-15"
STORE_COMMANDS = [name for name in EVERY_COMMAND if name not in GIT_COMMANDS]


def example_with(tmp_path: Path, old: str, new: str, *, count: int = 1) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "licenses.toml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def refused_by_all(
    tmp_path: Path, path: Path, said: str, names: list[str] | None = None
) -> None:
    """Every command: 65 (warn: UNKNOWN) with one line saying ``said``, and the
    store's bytes as they were."""
    before = path.read_bytes()
    for name in names or STORE_COMMANDS:
        args = command_line(name, tmp_path)
        result = in_process(path, "--today", TODAY, *args)
        expected = 3 if name == "warn" else 65
        assert result.exit_code == expected, (name, result.exit_code, result.stderr)
        assert len(result.stderr.splitlines()) == 1, (name, result.stderr)
        assert said in result.stderr, (name, result.stderr)
        assert path.read_bytes() == before, name


# --- empty stores ----------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "  \n\t\n", "\n"], ids=["empty", "blank", "nl"])
def test_an_empty_store_is_invalid_to_every_command(tmp_path: Path, text: str) -> None:
    """Not a fresh store for apply, not "no license with id 1" for the writes:
    invalid (65), and never replaced."""
    path = tmp_path / "licenses.toml"
    path.write_text(text, encoding="utf-8")
    refused_by_all(tmp_path, path, "version: is missing")


def test_a_store_of_gigabytes_is_refused_unread(tmp_path: Path) -> None:
    """A 3 GiB file (sparse: it takes no disk) was read whole: a MemoryError
    (exit 70) or the machine's memory. It is refused from its size."""
    path = tmp_path / "licenses.toml"
    path.write_bytes(b"version = 1\n")
    os.truncate(path, 3 << 30)
    for name in ("warn", "list", "add", "import"):
        args = command_line(name, tmp_path)
        result = licenses_process("--store", str(path), "--today", TODAY, *args)
        assert result.returncode == (3 if name == "warn" else 65), result.stderr
        assert "more than the 268,435,456" in result.stderr
        assert path.stat().st_size == 3 << 30
        with path.open("rb") as head:
            assert head.read(16) == b"version = 1\n\0\0\0\0"


# --- content a read refuses, so a write must refuse too ----------------------------


def test_a_calendar_the_holidays_package_lacks_is_refused_by_every_command(
    tmp_path: Path,
) -> None:
    path = example_with(tmp_path, 'calendar = "CN"', 'calendar = "XX"')
    refused_by_all(tmp_path, path, "no calendar 'XX'")


def test_a_calendar_the_package_lacks_is_named_after_the_store_file(
    tmp_path: Path,
) -> None:
    """Every other problem of a store starts with its path; this one did not."""
    path = example_with(tmp_path, 'calendar = "CN"', 'calendar = "XX"')
    refused_by_all(tmp_path, path, f"licenses: {path}: [settings] calendar: ", ["list"])
    warned = in_process(path, "--today", TODAY, "warn")
    assert warned.stderr.startswith(f"licenses warn: UNKNOWN: {path}: [settings]")
    own = example_with(
        tmp_path,
        "version = 1\n",
        'version = 1\n\n[authority.MOFCOM]\ncalendar = "XX"\n',
    )
    refused_by_all(
        tmp_path, own, f"licenses: {own}: [authority.MOFCOM] calendar: ", ["add"]
    )


def test_an_authoritys_calendar_the_holidays_package_lacks_is_refused_too(
    tmp_path: Path,
) -> None:
    # Checked only when a license was assessed, add wrote the license and then
    # failed (65): a retry added it twice; close and import wrote and said 0.
    path = example_with(
        tmp_path,
        "version = 1\n",
        'version = 1\n\n[authority.MOFCOM]\ncalendar = "XX"\n',
    )
    refused_by_all(tmp_path, path, "[authority.MOFCOM] calendar: the holidays package")


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            "superseded_by = 15",
            "superseded_by = 99",
            "superseded_by: license 99 is not",
        ),
        ("superseded_by = 15", "superseded_by = 13", "superseded_by: is the license"),
        ("renews = 13\n\n", "renews = 15\n\n", "renews: is the license"),
        ("renews = 13\n\n", "renews = 77\n\n", "renews: license 77 is not"),
        ('status = "renewed"\nsuperseded_by = 15\n', 'status = "renewed"\n', "renewed"),
        ('id = "A3"\n', 'id = "A3"\nrenews = 99\n', "renews: license 99 is not"),
        ("license = 15\n", "license = 98\n", "license: license 98 is not"),
        ("renews = 13\n\n", "renews = 13\nreplaces = 97\n\n", "replaces: license 97"),
    ],
    ids=[
        "dangling-successor",
        "self-successor",
        "self-renewal",
        "dangling",
        "renewed",
        "application-renews-nothing",
        "application-granted-nothing",
        "replaces-nothing",
    ],
)
def test_broken_links_between_licenses_are_refused_by_every_command(
    tmp_path: Path, old: str, new: str, said: str
) -> None:
    """A license marked renewed by a successor that does not exist would drop
    out of warn without a word: the store is invalid instead."""
    path = example_with(tmp_path, old, new)
    refused_by_all(tmp_path, path, said)


def test_a_renewal_of_a_removed_license_keeps_working(tmp_path: Path) -> None:
    """``remove`` of the renewed license leaves its successor's ``renews`` on
    an id that is gone for good (removed_ids): that is a record, not a fault."""
    path = tmp_path / "licenses.toml"
    path.write_bytes(EXAMPLE.read_bytes())
    removed = licenses_process("--store", str(path), "remove", "13", "--yes")
    assert removed.returncode == 0, removed.stderr
    listed = licenses_process("--store", str(path), "--today", TODAY, "show", "15")
    assert listed.returncode == 0, listed.stderr


def test_a_table_nested_a_thousand_levels_is_refused_not_a_crash(
    tmp_path: Path,
) -> None:
    """It read, then every write died rewriting it (RecursionError, exit 70)."""
    path = tmp_path / "licenses.toml"
    deep = ".".join(["a"] * 1000)
    path.write_text(EXAMPLE.read_text() + f"\n[{deep}]\nx = 1\n", encoding="utf-8")
    refused_by_all(tmp_path, path, "nested")
    inside = tmp_path / "inside.toml"  # under license 16, the last one
    inside.write_text(EXAMPLE.read_text() + f"\n[license.{deep}]\nx = 1\n")
    refused_by_all(tmp_path, inside, "nested")


LONG_NUMBER = "9" * 5000  # past Python's 4,300 digits: tomli raises a ValueError


def test_an_integer_of_thousands_of_digits_is_an_invalid_store(tmp_path: Path) -> None:
    """It was an "internal error, this is a bug" (exit 70, warn UNKNOWN saying so)."""
    path = tmp_path / "licenses.toml"
    path.write_text(EXAMPLE.read_text() + f"\nbig = {LONG_NUMBER}\n", encoding="utf-8")
    refused_by_all(tmp_path, path, f"{path}: an integer of more than 4,300 digits")


@pytest.mark.parametrize("side", ["base", "ours", "theirs"])
def test_the_merge_driver_names_a_side_with_such_an_integer(
    tmp_path: Path, side: str
) -> None:
    """git's merge driver: a conflict to settle (1), not an internal error (70)."""
    files = {name: tmp_path / f"{name}.toml" for name in ("base", "ours", "theirs")}
    for name, file in files.items():
        tail = f"\nbig = {LONG_NUMBER}\n" if name == side else ""
        file.write_text(EXAMPLE.read_text() + tail, encoding="utf-8")
    done = licenses_process(
        "merge-driver", *(str(files[n]) for n in ("base", "ours", "theirs")), "s.toml"
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr == (
        f"licenses merge: conflict: s.toml ({side}) is not a readable store: "
        "an integer of more than 4,300 digits, which no field takes\n"
    )


# --- paths ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["loop", "long-name"])
def test_a_path_that_cannot_be_opened_is_74_for_every_command(
    tmp_path: Path, kind: str
) -> None:
    if kind == "loop":
        path = tmp_path / "a.toml"
        path.symlink_to(tmp_path / "b.toml")
        (tmp_path / "b.toml").symlink_to(path)
    else:
        path = tmp_path / ("x" * 300 + ".toml")
    lines = [command_line(name, tmp_path) for name in STORE_COMMANDS]
    lines.append(["import", "--dry-run", *command_line("import", tmp_path)[1:]])
    for args in lines:
        name = args[0]
        result = in_process(path, "--today", TODAY, *args)
        expected = 3 if name == "warn" else 74
        assert result.exit_code == expected, (name, result.exit_code, result.stderr)
        assert len(result.stderr.splitlines()) == 1, (name, result.stderr)
        assert "internal error" not in result.stderr


@pytest.mark.parametrize("target", ["dangling", "existing"])
def test_a_lock_file_that_is_a_link_is_never_followed(
    tmp_path: Path, target: str
) -> None:
    path = tmp_path / "licenses.toml"
    path.write_bytes(EXAMPLE.read_bytes())
    planted = tmp_path / "elsewhere"
    if target == "existing":
        planted.write_text("keep me\n", encoding="utf-8")
    (tmp_path / "licenses.toml.lock").symlink_to(planted)
    for name in STORE_WRITES:
        args = command_line(name, tmp_path)
        result = in_process(path, "--today", TODAY, *args)
        assert result.exit_code == 74, (name, result.stderr)
        assert len(result.stderr.splitlines()) == 1, (name, result.stderr)
        assert "symbolic link" in result.stderr
        assert path.read_bytes() == EXAMPLE.read_bytes()
    if target == "existing":
        assert planted.read_text(encoding="utf-8") == "keep me\n"
    else:
        assert not planted.exists()


def test_a_lock_file_that_cannot_be_opened_is_named_not_the_store(
    tmp_path: Path,
) -> None:
    # A folder where the lock goes: the message named the store ("cannot
    # write: Is a directory"), which is fine, and sent people to it (audit s8).
    path = tmp_path / "licenses.toml"
    path.write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "licenses.toml.lock").mkdir()
    for name in STORE_WRITES:
        result = in_process(path, "--today", TODAY, *command_line(name, tmp_path))
        assert result.exit_code == 74, (name, result.stderr)
        assert result.stderr == (
            f"licenses: {path}.lock: cannot open the lock file: Is a directory\n"
        ), name
        assert path.read_bytes() == EXAMPLE.read_bytes()


def test_links_in_the_cache_folder_are_never_written_through(tmp_path: Path) -> None:
    """A link planted where a cache file goes is replaced, its target untouched."""
    cache_dir = tmp_path / "cache"
    (cache_dir / "stores").mkdir(parents=True, mode=0o700)
    cache_dir.chmod(0o700)
    victims = {}
    calendar_file = _cache_file("CN", str(cache_dir))
    assert calendar_file is not None
    store = tmp_path / "big.toml"
    big_store(store, 600)  # large enough to be cached
    entry = cache_dir / "stores" / cache_module.entry_name(store)
    for n, link in enumerate([calendar_file, entry]):
        victim = tmp_path / f"victim-{n}"
        victim.write_text("precious\n", encoding="utf-8")
        link.symlink_to(victim)
        victims[link] = victim
    env = {"LICENSES_CACHE_DIR": str(cache_dir)}
    for args in (
        ["warn"],
        ["list"],
        ["add", "-m", "x", "-d", "US", "-i", "2025-12-01"],
    ):
        result = licenses_process(
            "--store", str(store), "--today", TODAY, *args, env=env
        )
        assert result.returncode in {0, 1, 2}, result.stderr
    for link, victim in victims.items():
        assert victim.read_text(encoding="utf-8") == "precious\n", link
        assert not link.is_symlink(), link
