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


def loaded(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None, probe: str = PROBE
) -> set[str]:
    """What ``probe`` writes at the exit of ``licenses ARGS`` (by default, the
    modules loaded), on the example store unless the folder has one."""
    store = tmp_path / "licenses.toml"
    if not store.exists():
        store.write_bytes(EXAMPLE.read_bytes())
    out = tmp_path / "modules.txt"
    subprocess.run(
        [
            sys.executable,
            "-c",
            probe.format(out=str(out)),
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


def test_the_program_collects_cycles_rarely_but_importers_keep_the_default() -> None:
    # The collector runs every COLLECT_EVERY new objects (not 700), and frozen objects are
    # left out of the search for cycles that Python's exit makes (__main__.py);
    # a program that imports the package keeps Python's defaults.
    probe = """
import atexit, gc, sys
default = gc.get_threshold()[0]
import export_licenses.__main__ as program
imported = gc.get_threshold()[0], gc.get_freeze_count()
def report():
    running = gc.get_threshold()[0], gc.get_freeze_count(), gc.isenabled()
    print(default, *imported, program.COLLECT_EVERY, *running)
atexit.register(report)
sys.argv = ["licenses", "--version"]
program.main()
"""
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    default, imported, frozen_on_import, every, running, frozen, enabled = (
        result.stdout.split()[-7:]
    )
    assert imported == default
    assert frozen_on_import == "0"
    assert running == every
    assert int(running) > int(default)
    assert int(frozen) > 0
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


def test_the_layers_packages_import_none_of_their_modules() -> None:
    # A command imports the service and render modules it calls; a package
    # __init__ that imported them all cost every start-up ~12 ms (issue 21).
    probe = (
        "import sys, export_licenses.service, export_licenses.render\n"
        "print(*sorted(m for m in sys.modules if m.startswith("
        "('export_licenses.service.', 'export_licenses.render.'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == []


HISTORY_AND_MATCHING = {
    "export_licenses.service.review_model",
    "export_licenses.domain.chances",
    "export_licenses.domain.survival",
    "export_licenses.domain.matching",
}


def test_warn_without_a_history_loads_neither_the_model_nor_the_matching(
    tmp_path: Path,
) -> None:
    # ~1.5 ms of a monitor's every run: the review-time model and the curve's
    # readings only for a store with applications in the window, the matching
    # only for a day on which a control changes state near today (none does
    # near 2026-01-15).
    (tmp_path / "licenses.toml").write_text(
        'version = 1\n\n[[license]]\nid = 1\nmaterial = "dysprosium oxide"\n'
        'destination = "US"\nissued = 2025-10-01\nterm_months = 6\n',
        encoding="utf-8",
    )
    plain = loaded(tmp_path, "warn")
    assert "export_licenses.domain.policy" in plain  # the catalogue is asked
    assert not plain & HISTORY_AND_MATCHING
    example = tmp_path / "example"  # with applications A1...: a history
    example.mkdir()
    assert loaded(example, "warn") >= HISTORY_AND_MATCHING


@pytest.mark.parametrize("args", [["list"], ["due"]])
def test_tables_load_neither_json_nor_csv(tmp_path: Path, args: list[str]) -> None:
    # ~8 M instructions of start-up (benchmarks/run): only data formats, and a
    # read the cache does not answer (the country codes), need them.
    big_store(tmp_path / "licenses.toml", 700)
    loaded(tmp_path, *args)  # fills the caches: the store's, the calendar's
    assert not loaded(tmp_path, *args) & {"json", "csv", "_csv"}
    assert {"json", "csv"} <= loaded(tmp_path, *args, "--format", "csv") | loaded(
        tmp_path, *args[:1], "--format", "json"
    )


@pytest.mark.parametrize("args", [["list"], ["due"], ["warn"]])
def test_a_small_store_is_read_without_json(tmp_path: Path, args: list[str]) -> None:
    # 5.9 M instructions (benchmarks/deferred.py): the destinations are checked
    # against the codes written in domain/countries.py, not pycountry's JSON
    # file, and due's overdue applications (the example has some) are drawn
    # without it.
    assert "json" not in loaded(tmp_path, *args)


@pytest.mark.skipif(sys.platform in {"win32", "darwin"}, reason="XDG folders only")
def test_the_default_cache_folder_is_found_without_platformdirs(tmp_path: Path) -> None:
    # ~15 M instructions of every run that uses the user's cache folder
    # (storage/folders.py).
    big_store(tmp_path / "licenses.toml", 700)
    env = {"LICENSES_CACHE_DIR": "", "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    first = loaded(tmp_path, "list", env=env)  # fills the cache there
    again = loaded(tmp_path, "list", env=env)
    assert "tomli" in first
    assert "tomli" not in again  # read back from the cache in that folder
    assert any((tmp_path / "xdg" / "licenses").iterdir())
    assert "platformdirs" not in first | again


RECORDS_PROBE = """
import atexit, sys, typing


def record():
    postponed = []
    for name, module in list(sys.modules.items()):
        if not name.startswith("export_licenses"):
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and value.__module__ == name
                and issubclass(value, tuple)
                and hasattr(value, "_fields")
                and any(
                    isinstance(a, (str, typing.ForwardRef))
                    for a in value.__annotations__.values()
                )
            ):
                postponed.append(name + "." + value.__name__)
    with open({out!r}, "w") as out:
        out.write("\\n".join(postponed))


atexit.register(record)
from export_licenses.__main__ import main
sys.argv = ["licenses", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("args", [["list"], ["due"], ["warn"]])
def test_the_read_paths_records_have_their_types_at_import(
    tmp_path: Path, args: list[str]
) -> None:
    # typing.NamedTuple compiles each string annotation when the class is made
    # (~0.14 M instructions a field), and the cache's decoder evaluates them
    # again: modules that define records do not postpone annotations (no
    # `from __future__ import annotations`), ~10 M instructions of every run
    # of warn, due and list (docs/performance.md). The example store has
    # applications, so the history's records are loaded too.
    # warn's exit code is the example's state, not this test's (check=False).
    assert loaded(tmp_path, *args, probe=RECORDS_PROBE) == set()
