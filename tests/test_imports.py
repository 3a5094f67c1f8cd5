"""Each library is loaded only by the commands that need it: a CLI's start-up
time is mostly imports (see `python -X importtime`)."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from export_licenses.cli.entry import GC_THRESHOLD
from helpers import EXAMPLE, big_store

if TYPE_CHECKING:
    from pathlib import Path

HEAVY = {
    "openpyxl": "export --format xlsx",
    "python_calamine": "import FILE.xlsx",
    "icalendar": "export --format ics",
    "export_licenses.render.report": "report",
    "rich": "the progress bar of import",
}
PROBE = """
import atexit, sys


def record():  # the program's exit runs the exit handlers, then ends at once
    with open({out!r}, "w") as out:
        out.write("\\n".join(sys.modules))


atexit.register(record)
from export_licenses.cli.entry import main
sys.argv = ["licenses", *sys.argv[1:]]
main()
"""


def loaded(tmp_path: Path, *args: str) -> set[str]:
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


def test_the_program_collects_cycles_rarely_but_importers_keep_the_default() -> None:
    probe = """
import atexit, gc, sys
default = gc.get_threshold()[0]
import export_licenses.cli, export_licenses.cli.entry
imported = gc.get_threshold()[0]
atexit.register(lambda: print(default, imported, *gc.get_threshold()[:1], gc.isenabled()))
sys.argv = ["licenses", "--version"]
export_licenses.cli.entry.main()
"""
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    default, imported, running, enabled = result.stdout.split()[-4:]
    assert imported == default
    assert int(running) == GC_THRESHOLD > int(default)
    assert enabled == "True"  # cycles are still collected


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
