"""Generate stores and taskwarrior data, time both with hyperfine, print ratios.

Run through `bash benchmarks/run`, which installs the tools and this project.
Every comparison is measured side by side in one hyperfine call, so machine noise
hits both sides alike; the ratios, not the absolute times, are the result.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path

import typer
from history import add_history

OUT = Path(__file__).resolve().parent / "out"
ONE_K, TEN_K, HUNDRED_K = 1_000, 10_000, 100_000
BIN = Path(sys.executable).parent
LICENSES = str(BIN / "licenses")
TODAY = "2026-01-15"
WITHIN_DAYS = 60  # `due --within 60`: expiries up to TODAY + 60, printed
DUE_BEFORE = (date.fromisoformat(TODAY) + timedelta(days=WITHIN_DAYS + 1)).isoformat()
ISSUED_ACROSS_DAYS = 608  # licenses issued across 20 months
TERMINAL_COLUMNS = 120
ROUNDS = 3  # interleaved hyperfine calls per comparison (see hyperfine())
MATERIALS = (
    "dysprosium oxide",
    "terbium metal",
    "NdFeB magnets",
    "gallium metal",
    "germanium dioxide",
    "yttrium oxide",
    "samarium oxide",
)
DESTINATIONS = ("US", "DE", "JP", "KR", "FR", "MX")

MINIMAL_TYPER = """import typer

app = typer.Typer()


@app.command()
def main(name: str = "x") -> None:
    pass


app()
"""


def licenses_of(count: int) -> list[tuple[int, date, str, str]]:
    rng = random.Random(count)  # noqa: S311 - test data, not secrets
    start = date(2025, 1, 1)
    return [
        (
            n,
            start + timedelta(days=rng.randrange(ISSUED_ACROSS_DAYS)),
            rng.choice(MATERIALS),
            rng.choice(DESTINATIONS),
        )
        for n in range(1, count + 1)
    ]


def write_store(path: Path, count: int) -> None:
    lines = ["version = 1", ""]
    for n, issued, material, destination in licenses_of(count):
        lines += [
            "[[license]]",
            f"id = {n}",
            f'number = "MOFCOM-{issued.year}-{n:06d}"',
            f'material = "{material}"',
            f'destination = "{destination}"',
            f"issued = {issued.isoformat()}",
            "term_months = 6",
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_taskwarrior(folder: Path, count: int) -> Path:
    """The same licenses as pending tasks due on their expiry, in taskwarrior 2.6."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    rc = folder / "taskrc"
    rc.write_text(
        f"data.location={folder}\nconfirmation=off\nverbose=nothing\ngc=off\n"
        "hooks=off\nrecurrence=off\nnews.version=2.6.2\n",
        encoding="utf-8",
    )
    rng = random.Random(count)  # noqa: S311
    tasks = [
        json.dumps(
            {
                "uuid": str(uuid.UUID(int=rng.getrandbits(128))),
                "status": "pending",
                "entry": "20250101T000000Z",
                "description": f"license MOFCOM-{issued.year}-{n:06d} {material} to {dest}",
                "due": (issued + timedelta(days=181)).strftime("%Y%m%dT000000Z"),
            }
        )
        for n, issued, material, dest in licenses_of(count)
    ]
    source = folder / "import.json"
    source.write_text("\n".join(tasks) + "\n", encoding="utf-8")
    subprocess.run(
        ["task", "import", str(source)],
        env={**os.environ, "TASKRC": str(rc)},
        check=True,
        capture_output=True,
    )
    source.unlink()
    return rc


def hyperfine(
    name: str,
    commands: dict[str, str],
    *,
    runs: int,
    prepare: str | None = None,
    taskrc: Path | None = None,
) -> dict[str, float]:
    """Median seconds of each command, measured side by side.

    hyperfine runs one command's runs, then the next's; on a shared machine the
    load drifts within seconds, which would favour whichever command ran in a quiet
    moment. So the runs are split into ROUNDS hyperfine calls, each running every
    command in turn, and each command's times are pooled across the rounds. The
    median, not the mean: one stall of the machine moves a mean of 20 runs by
    several percent and a median not at all.
    """
    times: dict[str, list[float]] = {label: [] for label in commands}
    per_round = max(1, -(-runs // ROUNDS))  # ceiling
    for round_number in range(ROUNDS):
        export = OUT / f"{name}-{round_number + 1}.json"
        # --ignore-failure: `warn` exits 1 or 2 when it flags licenses, by design.
        args = ["hyperfine", "--warmup", "2", "--runs", str(per_round)]
        args += ["--style", "basic", "-i", "--export-json", str(export)]
        # Without a shell, unless a --prepare step needs one (hyperfine then
        # subtracts the shell's own start-up time).
        args += ["--prepare", prepare] if prepare else ["--shell=none"]
        for label, command in commands.items():
            args += ["--command-name", label, command]
        env = {**os.environ, **({"TASKRC": str(taskrc)} if taskrc else {})}
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=env)
        results = json.loads(export.read_text(encoding="utf-8"))["results"]
        for result in results:
            times[result["command"]] += result["times"]
    return {label: statistics.median(values) for label, values in times.items()}


def peak_kib(command: list[str]) -> int:
    result = subprocess.run(
        ["/usr/bin/time", "-v", *command], capture_output=True, text=True, check=False
    )
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    if not found:
        raise RuntimeError(result.stderr)
    return int(found.group(1))


class Report:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def row(
        self,
        what: str,
        ours: float,
        theirs: float,
        against: str,
        target: str,
        unit: str = "s",
    ) -> None:
        ratio = ours / theirs
        shown = f"{ours:.3f} {unit}" if unit == "s" else f"{ours / 1024:.0f} MiB"
        base = f"{theirs:.3f} {unit}" if unit == "s" else f"{theirs / 1024:.0f} MiB"
        line = f"| {what} | {shown} | {against}: {base} | **{ratio:.2f}** | {target} |"
        self.lines.append(line)
        print(
            f"{what}: {shown} vs {against} {base} -> ratio {ratio:.2f} (target {target})",
            flush=True,
        )

    def absolute(self, what: str, seconds: float, limit: float, target: str) -> None:
        """A figure with a limit of its own rather than a reference."""
        line = f"| {what} | {seconds:.3f} s | limit: {limit:g} s | **{seconds / limit:.2f}** | {target} |"
        self.lines.append(line)
        print(f"{what}: {seconds:.3f} s (target {target})", flush=True)


def in_terminal(command: str) -> str:
    """``command`` run on a pseudo-terminal, as at a prompt (util-linux script)."""
    sized = f"stty cols {TERMINAL_COLUMNS} rows 50; {command}"
    return f"script -qec {shlex.quote(sized)} /dev/null"


def licenses(store: Path, *args: str) -> str:
    return " ".join([LICENSES, "--store", str(store), *args, "--today", TODAY])


def fill_cache(store: Path) -> None:
    """The first read fills the cache, as any earlier command would have."""
    subprocess.run(
        [LICENSES, "--store", str(store), "due", "--today", TODAY],
        check=True,
        capture_output=True,
    )


def pipe_runs(report: Report, size: int, runs: int) -> None:
    """due and warn in a pipe against taskwarrior with the same window printed."""
    store, rc = OUT / f"store-{size}.toml", OUT / f"task-{size}" / "taskrc"
    floor = (
        f"{sys.executable} -c \"import tomllib; tomllib.load(open('{store}', 'rb'))\""
    )
    times = hyperfine(
        f"due-{size}",
        {
            "licenses due": licenses(store, "due", "--within", str(WITHIN_DAYS)),
            "licenses warn": licenses(store, "warn", "--quiet"),
            "task report": f"task due.before:{DUE_BEFORE} list",
            "bare parse": floor,
        },
        runs=runs,
        taskrc=rc,
    )
    target = {TEN_K: "≤ 1.0", HUNDRED_K: "< 1.0"}.get(size, "-")
    for name in ("due", "warn"):
        report.row(
            f"`{name}` at {size:,}, pipe",
            times[f"licenses {name}"],
            times["task report"],
            "task",
            target,
        )
    report.row(
        f"`due` at {size:,}, pipe",
        times["licenses due"],
        times["bare parse"],
        "tomllib parse",
        "-",
    )


def terminal_runs(report: Report, size: int, runs: int) -> None:
    """list and due on a pseudo-terminal against `task list` on one too."""
    store, rc = OUT / f"store-{size}.toml", OUT / f"task-{size}" / "taskrc"
    times = hyperfine(
        f"terminal-{size}",
        {
            "licenses list": in_terminal(licenses(store, "list", "--no-pager")),
            "licenses due": in_terminal(licenses(store, "due", "--no-pager")),
            "task list": in_terminal("task list"),
        },
        runs=runs,
        taskrc=rc,
    )
    for name in ("list", "due"):
        report.row(
            f"`{name}` at {size:,}, terminal",
            times[f"licenses {name}"],
            times["task list"],
            "task list",
            "≤ 2.0",
        )


def small_terminal_runs(report: Report) -> None:
    """At 100 licenses the floor is Python and Typer starting: the one-command app."""
    store = OUT / "store-100.toml"
    write_store(store, 100)
    minimal = OUT / "minimal_typer.py"
    minimal.write_text(MINIMAL_TYPER, encoding="utf-8")
    fill_cache(store)
    times = hyperfine(
        "terminal-100",
        {
            "licenses list": in_terminal(licenses(store, "list", "--no-pager")),
            "licenses due": in_terminal(licenses(store, "due", "--no-pager")),
            "minimal typer": in_terminal(f"{sys.executable} {minimal}"),
        },
        runs=30,
    )
    for name in ("list", "due"):
        report.row(
            f"`{name}` at 100, terminal",
            times[f"licenses {name}"],
            times["minimal typer"],
            "one-command Typer app",
            "≤ 1.5",
        )
    starts = hyperfine(
        "warn-small",
        {
            "licenses warn": licenses(store, "warn", "--quiet"),
            "minimal typer": f"{sys.executable} {minimal}",
        },
        runs=30,
    )
    report.row(
        "`warn` at 100, pipe",
        starts["licenses warn"],
        starts["minimal typer"],
        "one-command Typer app",
        "≤ 1.3",
    )


def history_run(report: Report, size: int, runs: int) -> None:
    """warn at ``size`` licenses with as many applications behind them (the
    review-time model, issue 22) against the same licenses without a history."""
    plain, with_history = OUT / f"store-{size}.toml", OUT / f"history-{size}.toml"
    write_store(with_history, size)
    add_history(with_history, licenses_of(size), size, date.fromisoformat(TODAY))
    fill_cache(with_history)
    times = hyperfine(
        f"history-{size}",
        {
            "with history": licenses(with_history, "warn", "--quiet"),
            "without": licenses(plain, "warn", "--quiet"),
        },
        runs=runs,
    )
    report.row(
        f"`warn` at {size:,} with {size:,} applications, pipe",
        times["with history"],
        times["without"],
        "the same without applications",
        "≤ 1.2",
    )


def large_terminal_run(report: Report, size: int) -> None:
    """The whole list of a large store on a terminal, to the last line."""
    store = OUT / f"store-{size}.toml"
    write_store(store, size)
    fill_cache(store)
    times = hyperfine(
        f"terminal-{size}",
        {"licenses list": in_terminal(licenses(store, "list", "--no-pager"))},
        runs=5,
    )
    report.absolute(
        f"`list` at {size:,}, terminal", times["licenses list"], 1.0, "< 1 s"
    )


def completion_run(report: Report, size: int) -> None:
    store = OUT / f"store-{size}.toml"
    words = f"licenses --store {store} show 1"
    times = hyperfine(
        f"completion-{size}",
        {
            "complete": f"env _LICENSES_COMPLETE=complete_bash COMP_CWORD=4 "
            f"{shlex.quote('COMP_WORDS=' + words)} {LICENSES}"
        },
        runs=20,
    )
    report.absolute(
        f"completion of an id at {size:,}", times["complete"], 0.150, "< 150 ms"
    )


def add_run(report: Report, size: int, runs: int) -> None:
    store, rc = OUT / f"store-{size}.toml", OUT / f"task-{size}" / "taskrc"
    work, task_work = OUT / "add-store.toml", OUT / "add-task"
    prepare = (
        f"cp {store} {work} && rm -rf {task_work} && cp -r {rc.parent} {task_work}"
        f" && sed -i 's#{rc.parent}#{task_work}#' {task_work}/taskrc"
        f" && {LICENSES} --store {work} due --today {TODAY} > /dev/null"
    )
    adds = hyperfine(
        f"add-{size}",
        {
            "licenses add": f"{LICENSES} --store {work} add -m gallium -d US -i 2026-01-02",
            "task add": "task add license due:2026-07-02",
        },
        runs=runs,
        prepare=prepare,
        taskrc=task_work / "taskrc",
    )
    report.row(
        f"`add` at {size:,}", adds["licenses add"], adds["task add"], "task add", "≤ 4"
    )


def memory_run(report: Report, size: int) -> None:
    store = OUT / f"store-{size}.toml"
    ours = peak_kib(
        [LICENSES, "--store", str(store), "due", "--format", "json", "--today", TODAY]
    )
    bare = peak_kib(
        [sys.executable, "-c", f"import tomllib; tomllib.load(open('{store}', 'rb'))"]
    )
    report.row(
        f"peak memory, `due --format json` at {size:,}",
        ours,
        bare,
        "tomllib parse",
        "≤ 1.5",
        unit="KiB",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="no 100,000 runs, fewer repetitions"
    )
    options = parser.parse_args()
    sizes = [1_000, 10_000] if options.quick else [1_000, 10_000, 100_000]
    runs = {1_000: 20, 10_000: 10 if options.quick else 20, 100_000: 5}

    OUT.mkdir(exist_ok=True)
    os.environ["LICENSES_CACHE_DIR"] = str(OUT / "cache")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.pop("NO_COLOR", None)  # a terminal gets its colours
    os.environ.pop("LICENSES_PAGER", None)
    report = Report()

    small_terminal_runs(report)
    for size in sizes:
        write_store(OUT / f"store-{size}.toml", size)
        write_taskwarrior(OUT / f"task-{size}", size)
        fill_cache(OUT / f"store-{size}.toml")
        if size == ONE_K:
            terminal_runs(report, size, runs[size])
            completion_run(report, size)
        pipe_runs(report, size, runs[size])
        if size == ONE_K:
            history_run(report, size, runs[size])
        if size == TEN_K:
            add_run(report, size, runs[size])
        if size == HUNDRED_K:
            memory_run(report, size)
    large_terminal_run(report, 30_000)

    task_version = subprocess.run(
        ["task", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, Typer {typer.__version__}, "
        f"taskwarrior {task_version}"
    )
    table = "\n".join(
        [
            f"Measured on {machine}:",
            "",
            "| what | licenses | against | ratio | target |",
            "|---|---|---|---|---|",
            *report.lines,
        ]
    )
    (OUT / "results.md").write_text(table + "\n", encoding="utf-8")
    print("\n" + table)


if __name__ == "__main__":
    main()
