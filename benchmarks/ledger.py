"""What each speed mechanism saves at a large trader's size, measured by turning
it off.

A large trader's five years: ~5,000 licenses, ~5,000 applications (one per
license), ~20,000 shipments, China's working-day calendar. Each mechanism is
measured on the same command with the mechanism on and off (a probe patches it
off in the child process, and the "on" side runs through the same probe), the
runs interleaved. The figure is CPU time (user + system) of the child, the
median of the runs: on a machine shared with other work, CPU time moves far less
than wall time does, and these mechanisms save computation, not waiting.

    bash benchmarks/run --ledger     # ~5 minutes
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Final

from bench import write_store

OUT: Final = Path(__file__).resolve().parent / "out"
TODAY: Final = date(2026, 1, 15)
RUNS: Final = 9
MATERIALS: Final = (
    "dysprosium oxide",
    "terbium metal",
    "NdFeB magnets",
    "gallium metal",
    "germanium dioxide",
    "yttrium oxide",
    "samarium oxide",
)
DESTINATIONS: Final = ("US", "DE", "JP", "KR", "FR", "MX", "IN", "GB", "IT", "NL")
END_USERS: Final = (
    "Lone Star Magnetics LLC",
    "Rhein Antriebstechnik GmbH",
    "Kansai Precision Motors K.K.",
    "Bajio Motores S.A.",
    "Pune Motor Works",
)
# A license nothing of its own flags assessed in full, as any other (the
# verdict shared per expiry, review time and history is off).
UNSHARED_VERDICTS: Final = "license_rows._plain = lambda lic: False"
# Imported on both sides of the one above: importing a module in the probe
# alone changes the time of a run (by ~15 ms of `warn` at the large trader's).
VERDICT_MODULES: Final = "from export_licenses.service import license_rows"
# A memo that never keeps an answer, put in place of a class's `_answers`: each
# question worked out again (the n-th working day from an expiry; the controls
# a material and destination fall under).
UNKEPT_ANSWERS: Final = """
class _Unkept(dict):
    def __setitem__(self, key, value):
        pass
def _unkept(cls):
    init = cls.__init__
    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self._answers = _Unkept()
    cls.__init__ = __init__
"""
UNKEPT_WORKDAYS: Final = (
    "from export_licenses.domain import workdays\n"
    f"{UNKEPT_ANSWERS}\n_unkept(workdays.WorkingDays)"
)
UNKEPT_MATCHES: Final = (
    "from export_licenses.domain import matching\n"
    f"{UNKEPT_ANSWERS}\n_unkept(matching.Matcher)"
)
# The day's review-time model fitted on every run, never kept nor read back.
UNKEPT_MODEL: Final = "kept_model.day_key = lambda today: None"
KEPT_MODEL_MODULE: Final = "from export_licenses.service import kept_model"
# The child runs the program as `python -m export_licenses` does, after PATCH.
PROBE: Final = """
import runpy, sys
{patch}
sys.argv[0] = "licenses"
runpy.run_module("export_licenses", run_name="__main__", alter_sys=True)
"""


# Every command built when the group is, as if each were registered at start-up
# (the collector set as the program sets it, so that only the building differs).
EAGER_COMMANDS: Final = """
import gc, importlib
gc.set_threshold(100_000)
cli = importlib.import_module("export_licenses.cli.app")  # the module, not its app

def build_all(self, *, _init=cli.LicensesGroup.__init__, **attrs):
    _init(self, **attrs)
    for name in cli.COMMANDS:
        self.commands[name] = cli._build(name)

cli.LicensesGroup.__init__ = build_all
"""


# `write_data` as it would be with the json module alone, one row at a time.
PLAIN_JSON_ROWS: Final = """
import json
from export_licenses.render import formats

def write_data(rows, fmt, stream, keys=formats.ROW_KEYS, real=formats.write_data):
    if fmt != "json":
        return real(rows, fmt, stream, keys)
    first = True
    for row in rows:
        item = json.dumps(row.as_json(), indent=2, ensure_ascii=False)
        stream.write(("[\\n  " if first else ",\\n  ") + item.replace("\\n", "\\n  "))
        first = False
    stream.write("[]\\n" if first else "\\n]\\n")

formats.write_data = write_data
"""


def write_large_trader(path: Path, licenses: int = 5_000) -> None:
    """Five years of a large trader: each license granted on its own
    application, four shipments each (those not yet made left out), and the
    licenses that expired over a month ago closed."""
    rng = random.Random(licenses)  # noqa: S311 - test data, not secrets
    start = date(2021, 1, 15)
    span = (TODAY - start).days
    applications = []
    blocks = []
    for n in range(1, licenses + 1):
        issued = start + timedelta(days=span * n // licenses)
        filed = issued - timedelta(days=rng.randrange(40, 90))
        material, destination = rng.choice(MATERIALS), rng.choice(DESTINATIONS)
        end_user = rng.choice(END_USERS)
        applications += [
            "[[application]]",
            f'id = "A{n}"',
            f'material = "{material}"',
            f'destination = "{destination}"',
            f'end_user = "{end_user}"',
            "quantity = 1000",
            'unit = "kg"',
            f"filed = {filed}",
            f"accepted = {filed + timedelta(days=rng.randrange(1, 6))}",
            'status = "granted"',
            f"decided = {issued}",
            f"license = {n}",
            "",
        ]
        shipped = sorted(
            issued + timedelta(days=d) for d in rng.sample(range(1, 170), 4)
        )
        shipments = ", ".join(
            f"{{ on = {day}, quantity = 200 }}" for day in shipped if day <= TODAY
        )
        block = [
            "[[license]]",
            f"id = {n}",
            f'number = "MOFCOM-{issued.year}-{n:05d}"',
            'kind = "individual"',
            f'material = "{material}"',
            'hs_code = "2846901920"',
            "quantity = 1000",
            'unit = "kg"',
            f'destination = "{destination}"',
            'exporter = "Ganzhou Rare Earth Trading Co."',
            f'end_user = "{end_user}"',
            f"issued = {issued}",
            "term_months = 6",
        ]
        expires = issued + timedelta(days=182)
        if expires < TODAY - timedelta(days=30):
            block += ['status = "closed"', f"closed = {expires}"]
        if shipments:
            block.append(f"shipments = [{shipments}]")
        blocks += [*block, ""]
    head = ["version = 1", "", "[settings]", 'calendar = "CN"', ""]
    path.write_text("\n".join(head + applications + blocks), encoding="utf-8")


def cpu_seconds(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """User + system CPU time of one run of ``args``, and its exit code."""
    child = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    _, status, usage = os.wait4(child.pid, 0)
    return usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def compare(
    what: str,
    command: list[str],
    off_patch: str,
    *,
    off_env: dict[str, str] | None = None,
    env_both: dict[str, str] | None = None,
    before_each: list[str] | None = None,
    both: str = "",
) -> tuple[str, float, float]:
    """Median CPU seconds of ``command`` with the mechanism on and off.

    ``both``: run on either side first, e.g. the import of the module that
    ``off_patch`` patches: importing it in the probe alone changes the time.
    """
    env = {**os.environ, "LICENSES_TODAY": TODAY.isoformat(), **(env_both or {})}
    sides = {
        "on": ([sys.executable, "-c", PROBE.format(patch=both)], env),
        "off": (
            [sys.executable, "-c", PROBE.format(patch=f"{both}\n{off_patch}")],
            {**env, **(off_env or {})},
        ),
    }
    times: dict[str, list[float]] = {"on": [], "off": []}
    codes: dict[str, set[int]] = {"on": set(), "off": set()}
    for _ in range(RUNS + 1):  # the first round warms the caches, not counted
        for side, (probe, side_env) in sides.items():
            if before_each:
                subprocess.run(
                    before_each, check=True, env=side_env, capture_output=True
                )
            seconds, code = cpu_seconds([*probe, *command], side_env)
            codes[side].add(code)
            times[side].append(seconds)
    # A probe that no longer patches what it names (a class moved) fails fast:
    # its time would be counted as the mechanism's saving (the window's "-81 ms"
    # after `_Window` moved to service/due_window.py). Both sides must end alike.
    if codes["on"] != codes["off"] or len(codes["on"]) != 1:
        msg = f"{what}: the runs ended differently ({codes}); is the probe stale?"
        raise SystemExit(msg)
    on, off = (statistics.median(times[side][1:]) for side in ("on", "off"))
    print(
        f"{what}: {on * 1000:.0f} ms with it, {off * 1000:.0f} ms without", flush=True
    )
    return what, on, off


def main() -> None:
    OUT.mkdir(exist_ok=True)
    os.environ["LICENSES_CACHE_DIR"] = str(OUT / "ledger-cache")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    store = OUT / "large-trader.toml"
    write_large_trader(store)
    work = OUT / "large-trader-add.toml"
    small = OUT / "store-20.toml"
    shutil.copy(
        Path(__file__).resolve().parent.parent / "examples" / "licenses.toml", small
    )
    reads = ["--store", str(store)]
    # A user's own store where the tool keeps it by default (no --store):
    # ~/.local/share/licenses/licenses.toml under a home of the ledger's.
    home = OUT / "ledger-home"
    (home / ".local" / "share" / "licenses").mkdir(parents=True, exist_ok=True)
    shutil.copy(small, home / ".local" / "share" / "licenses" / "licenses.toml")
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "LICENSES_STORE"):
        os.environ.pop(name, None)
    default_store = {"HOME": str(home)}
    # The benchmarks' 10,000 licenses: no kind, no shipments, no history.
    bare = OUT / "store-10000.toml"
    write_store(bare, 10_000)
    bare_reads = ["--store", str(bare)]
    warm = [sys.executable, "-m", "export_licenses", "--store", str(work), "due"]
    copy = f"cp {store} {work} && " + " ".join(warm) + " > /dev/null"
    rows = [
        compare(
            "store cache: `due`", [*reads, "due"], "", off_env={"LICENSES_CACHE": "0"}
        ),
        compare(
            "store cache: `list --all --format json`",
            [*reads, "list", "--all", "--format", "json"],
            "",
            off_env={"LICENSES_CACHE": "0"},
        ),
        compare(
            "appending blocks: `add`",
            [
                "--store",
                str(work),
                "add",
                "-m",
                "gallium",
                "-d",
                "US",
                "-i",
                "2026-01-02",
            ],
            "from export_licenses.storage import toml_text\n"
            "toml_text.can_append = lambda raw, has_licenses: False",
            before_each=["sh", "-c", copy],
        ),
        compare(
            "calendar cache: `due`",
            [*reads, "due"],
            "from export_licenses.storage import calendar_cache\n"
            "calendar_cache._cache_file = lambda code, folder: None",
        ),
        compare(
            "msgspec for JSON rows (off: json.dumps per row)",
            [*reads, "list", "--all", "--format", "json"],
            PLAIN_JSON_ROWS,
        ),
        compare(
            "commands built when named (off: all 30 at start): `warn` on 20",
            ["--store", str(small), "warn"],
            EAGER_COMMANDS,
        ),
        compare(
            "collector every 100,000 objects (off: every 700): `warn` on 20",
            ["--store", str(small), "warn"],
            "import gc\ngc.set_threshold = lambda *threshold: None",
        ),
        compare(
            "collector every 100,000 objects: `due`",
            [*reads, "due"],
            "import gc\ngc.set_threshold = lambda *threshold: None",
        ),
        compare(
            "exit without the cycle search (gc.freeze): `due`",
            [*reads, "due"],
            "import gc\ngc.freeze = lambda: None",
        ),
        compare(
            "exit without the cycle search: `warn` on 20",
            ["--store", str(small), "warn"],
            "import gc\ngc.freeze = lambda: None",
        ),
        compare(
            "the default store's folder by the XDG rules, without platformdirs: "
            "`warn` on 20 licenses in the default store",
            ["warn"],
            "folders._xdg_platform = lambda: False",
            both="from export_licenses.storage import folders",
            env_both=default_store,
        ),
        compare(
            "the alpha-2 codes written down (off: pycountry's file read): "
            "`warn` on 20 licenses in the default store",
            ["warn"],
            "countries.ALPHA2 = frozenset()",
            both="from export_licenses.domain import countries",
            env_both=default_store,
        ),
        compare(
            "libraries imported where used: `warn` on 20 licenses",
            ["--store", str(small), "warn"],
            "import tomli, msgspec, hashlib, pycountry, rich.console, csv, tempfile, "
            "holidays, tomli_w, platformdirs, openpyxl, icalendar, python_calamine",
        ),
        compare(
            "verdicts shared per expiry and history: `warn`",
            [*reads, "warn", "--quiet"],
            UNSHARED_VERDICTS,
            both=VERDICT_MODULES,
        ),
        compare(
            "verdicts shared: `warn` at the benchmarks' 10,000",
            [*bare_reads, "warn", "--quiet"],
            UNSHARED_VERDICTS,
            both=VERDICT_MODULES,
        ),
        compare(
            "working days: each n-th day from a date worked out once: `due`",
            [*reads, "due"],
            UNKEPT_WORKDAYS,
            both="from export_licenses.domain import workdays",
        ),
        compare(
            "working days: each n-th day worked out once: `due --within 60` at the "
            "benchmarks' 10,000",
            [*bare_reads, "due", "--within", "60"],
            UNKEPT_WORKDAYS,
            both="from export_licenses.domain import workdays",
        ),
        compare(
            "controls matched once per material and destination: "
            "`list --all --format json`",
            [*reads, "list", "--all", "--format", "json"],
            UNKEPT_MATCHES,
            both="from export_licenses.domain import matching",
        ),
        compare(
            "the day's review-time model kept with the cache entry: `warn`",
            [*reads, "warn", "--quiet"],
            UNKEPT_MODEL,
            both=KEPT_MODEL_MODULE,
        ),
    ]
    lines = [
        "| mechanism | with it | without | saves |",
        "|---|---|---|---|",
        *(
            f"| {what} | {on * 1000:.0f} ms | {off * 1000:.0f} ms | {(off - on) * 1000:.0f} ms |"
            for what, on, off in rows
        ),
    ]
    (OUT / "ledger.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
