"""``export -o`` and ``report -o`` never replace the store: a typo such as
``export -o licenses.toml`` once swapped every license for a JSON export, exit 0.
The store, its lock, and the same file by another name (a link, a hard link)
are refused with one line and exit 64, the store byte for byte as it was."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from helpers import EXAMPLE

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import Run


def _same_name(store: Path) -> Path:
    return store


def _symlink(store: Path) -> Path:
    link = store.with_name("link.toml")
    link.symlink_to(store.name)
    return link


def _hard_link(store: Path) -> Path:
    link = store.with_name("hard.toml")
    os.link(store, link)
    return link


def _lock(store: Path) -> Path:
    return store.with_name(store.name + ".lock")  # whether it exists or not


def _dotted(store: Path) -> Path:
    return store.parent / "." / store.name


@pytest.mark.parametrize("command", ["export", "report"])
@pytest.mark.parametrize(
    "target",
    [_same_name, _symlink, _hard_link, _lock, _dotted],
    ids=lambda f: f.__name__,
)
def test_output_onto_the_store_is_refused_and_the_store_kept(
    run: Run, store: Path, command: str, target: Callable[[Path], Path]
) -> None:
    store.write_bytes(EXAMPLE.read_bytes())
    output = target(store)
    done = run(command, "--output", str(output))
    assert done.exit_code == 64, done.output
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith(f"licenses: --output: {output} is the store")
    assert line.endswith("name another file")
    assert store.read_bytes() == EXAMPLE.read_bytes()
    assert run("list").exit_code == 0


def test_output_beside_the_store_is_written(run: Run, store: Path) -> None:
    store.write_bytes(EXAMPLE.read_bytes())
    done = run("export", "--output", str(store.with_name("licenses.json")))
    assert done.exit_code == 0, done.output
    written = store.with_name("licenses.json").read_text(encoding="utf-8")
    assert written.startswith("[")
    assert store.read_bytes() == EXAMPLE.read_bytes()
    assert done.stderr.startswith("Wrote 17 licenses to ")


def test_one_license_written_is_said_in_the_singular(run: Run, store: Path) -> None:
    target = store.with_name("one.csv")
    added = run(
        "add", "-n", "X1", "-m", "dysprosium oxide", "-d", "US", "-i", "2026-01-10"
    )
    assert added.exit_code == 0, added.output
    done = run("export", "--format", "csv", "--output", str(target))
    assert done.exit_code == 0, done.output
    assert done.stderr == f"Wrote 1 license to {target}\n"


@pytest.mark.skipif(not Path("/proc/version").is_file(), reason="Linux /proc only")
def test_a_folder_that_takes_no_new_file_is_named(run: Run, store: Path) -> None:
    """/proc/version exists, so "No such file or directory" alone misled: what
    failed is the temporary file beside it, in /proc."""
    store.write_bytes(EXAMPLE.read_bytes())
    done = run("export", "--output", "/proc/version")
    assert done.exit_code == 74
    assert done.stderr == (
        "licenses: /proc/version: cannot write: cannot create a file in /proc "
        "(No such file or directory)\n"
    )
