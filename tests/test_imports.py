"""Each library is loaded only by the commands that need it: a CLI's start-up
time is mostly imports (see `python -X importtime`)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from helpers import EXAMPLE, big_store

if TYPE_CHECKING:
    from pathlib import Path

HEAVY = {
    "openpyxl": "export --format xlsx",
    "python_calamine": "import FILE.xlsx",
    "icalendar": "export --format ics",
    "export_licenses.render.report": "report",
    "rich": "the progress bar of import",
    "apprise": "notify",
}
PROBE = """
import atexit, sys


def record():  # the exit handlers run when the program exits
    with open({out!r}, "w") as out:
        out.write("\\n".join(sys.modules))


atexit.register(record)
from export_licenses.__main__ import main
sys.argv = ["licenses", *sys.argv[1:]]
main()
"""


def loaded(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> set[str]:
    store = tmp_path / "licenses.toml"
    if not store.exists():
        store.write_bytes(EXAMPLE.read_bytes())
    out = tmp_path / "modules.txt"
    subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE.format(out=str(out)),
            "--store",
            str(store),
            "--today",
            "2026-01-15",
            *args,
        ],
        check=False,
        capture_output=True,
        cwd=tmp_path,
        env={**os.environ, **(env or {})},
    )
    return set(out.read_text(encoding="utf-8").split())


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["due"],
        ["warn"],
        ["warn", "--format", "prometheus"],
        ["show", "1"],
        ["export", "-f", "csv"],
        ["applications"],
        ["agenda"],
        ["ack", "7"],
    ],
)
def test_everyday_commands_load_no_heavy_library(
    tmp_path: Path, args: list[str]
) -> None:
    assert not loaded(tmp_path, *args) & HEAVY.keys()


def test_each_library_loads_on_its_own_path(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    writing = loaded(tmp_path, "export", "-f", "xlsx", "-o", str(target))
    assert "openpyxl" in writing
    assert "python_calamine" not in writing
    reading = loaded(tmp_path, "import", "--dry-run", str(target))
    assert "python_calamine" in reading
    assert "openpyxl" not in reading
    report = loaded(tmp_path, "report", "-o", str(tmp_path / "r.html"))
    assert "export_licenses.render.report" in report
    assert not {"openpyxl", "python_calamine", "icalendar"} & report
    notify = loaded(
        tmp_path, "notify", "--dry-run", env={"LICENSES_NOTIFY": "json://localhost/"}
    )
    assert "apprise" in notify


def test_the_program_skips_the_cycle_search_at_exit_but_importers_do_not() -> None:
    # Frozen objects are left out of the search for reference cycles that
    # Python's exit makes: ~150 ms at 5,000 licenses (__main__.py).
    probe = """
import atexit, gc, sys
import export_licenses.__main__ as program
imported = gc.get_freeze_count()
atexit.register(lambda: print(imported, gc.get_freeze_count()))
sys.argv = ["licenses", "--version"]
program.main()
"""
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    imported, at_exit = result.stdout.split()[-2:]
    assert imported == "0"
    assert int(at_exit) > 0


@pytest.mark.parametrize("args", [["list"], ["due"], ["warn"]])
def test_a_small_store_is_read_without_the_cache_libraries(
    tmp_path: Path, args: list[str]
) -> None:
    # A few ms each at start-up: only the cache of a large store needs them.
    assert not loaded(tmp_path, *args) & {"msgspec", "hashlib", "_hashlib"}


def test_show_names_the_destination_without_importing_pycountry(tmp_path: Path) -> None:
    # 26-55 ms: only a country typed by name or alpha-3 code needs it.
    assert "pycountry" not in loaded(tmp_path, "show", "1")
    assert "pycountry" in loaded(tmp_path, "list", "--destination", "Germany")


def test_a_cached_store_is_read_without_the_toml_parser(tmp_path: Path) -> None:
    store = tmp_path / "licenses.toml"
    big_store(store, 700)  # above the cache's 64 KiB
    assert "tomli" in loaded(tmp_path, "list")  # parsed, and the cache filled
    assert "tomli" not in loaded(tmp_path, "list")
