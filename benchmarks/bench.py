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
import shutil
import subprocess
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path

import typer

OUT = Path(__file__).resolve().parent / "out"
TEN_K, HUNDRED_K = 10_000, 100_000
BIN = Path(sys.executable).parent
LICENSES = str(BIN / "licenses")
TODAY = "2026-01-15"
WITHIN_DAYS = 90  # warn_days: `due` shows expiries up to TODAY + 90
DUE_BEFORE = (date.fromisoformat(TODAY) + timedelta(days=WITHIN_DAYS + 1)).isoformat()
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
            start + timedelta(days=rng.randrange(500)),
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
    """Mean seconds of each command, measured side by side."""
    export = OUT / f"{name}.json"
    # --ignore-failure: `warn` exits 1 or 2 when it flags licenses, by design.
    args = ["hyperfine", "--warmup", "2", "--runs", str(runs), "--style", "basic", "-i"]
    args += ["--export-json", str(export)]
    # Without a shell, unless a --prepare step needs one (hyperfine then
    # subtracts the shell's own start-up time).
    args += ["--prepare", prepare] if prepare else ["--shell=none"]
    for label, command in commands.items():
        args += ["--command-name", label, command]
    env = {**os.environ, **({"TASKRC": str(taskrc)} if taskrc else {})}
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=env)
    results = json.loads(export.read_text(encoding="utf-8"))["results"]
    return {r["command"]: r["mean"] for r in results}


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="1,000 and 10,000 only, fewer runs"
    )
    options = parser.parse_args()
    sizes = [1_000, 10_000] if options.quick else [1_000, 10_000, 100_000]
    runs = {1_000: 20, 10_000: 10 if options.quick else 20, 100_000: 5}

    OUT.mkdir(exist_ok=True)
    os.environ["LICENSES_CACHE_DIR"] = str(OUT / "cache")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["NO_COLOR"] = "1"
    report = Report()
    python = sys.executable

    for size in sizes:
        store = OUT / f"store-{size}.toml"
        write_store(store, size)
        rc = write_taskwarrior(OUT / f"task-{size}", size)
        floor = f"{python} -c \"import tomllib; tomllib.load(open('{store}', 'rb'))\""
        # the first read fills the cache, as any earlier command would have
        subprocess.run(
            [LICENSES, "--store", str(store), "due", "--today", TODAY],
            check=True,
            capture_output=True,
        )
        times = hyperfine(
            f"due-{size}",
            {
                "licenses due": f"{LICENSES} --store {store} due --today {TODAY}",
                "licenses warn": f"{LICENSES} --store {store} warn --quiet --today {TODAY}",
                "task report": f"task due.before:{DUE_BEFORE} list",
                "bare parse": floor,
            },
            runs=runs[size],
            taskrc=rc,
        )
        target = {TEN_K: "≤ 1.0", HUNDRED_K: "< 1.0"}.get(size, "-")
        report.row(
            f"`due` at {size:,}",
            times["licenses due"],
            times["task report"],
            "task",
            target,
        )
        report.row(
            f"`warn` at {size:,}",
            times["licenses warn"],
            times["task report"],
            "task",
            target,
        )
        report.row(
            f"`due` at {size:,}",
            times["licenses due"],
            times["bare parse"],
            "tomllib parse",
            "-",
        )

        if size == TEN_K:
            work, task_work = OUT / "add-store.toml", OUT / "add-task"
            prepare = (
                f"cp {store} {work} && rm -rf {task_work} && cp -r {rc.parent} {task_work}"
                f" && sed -i 's#{rc.parent}#{task_work}#' {task_work}/taskrc"
                f" && {LICENSES} --store {work} due --today {TODAY} > /dev/null"
            )
            adds = hyperfine(
                "add-10000",
                {
                    "licenses add": f"{LICENSES} --store {work} add -m gallium -d US -i 2026-01-02",
                    "task add": "task add license due:2026-07-02",
                },
                runs=runs[size],
                prepare=prepare,
                taskrc=task_work / "taskrc",
            )
            report.row(
                "`add` at 10,000",
                adds["licenses add"],
                adds["task add"],
                "task add",
                "≤ 4",
            )

        if size == HUNDRED_K:
            ours = peak_kib([LICENSES, "--store", str(store), "due", "--today", TODAY])
            bare = peak_kib(
                [python, "-c", f"import tomllib; tomllib.load(open('{store}', 'rb'))"]
            )
            report.row(
                "peak memory, `due` at 100,000",
                ours,
                bare,
                "tomllib parse",
                "≤ 2",
                unit="KiB",
            )

    small = OUT / "store-20.toml"
    write_store(small, 20)
    minimal = OUT / "minimal_typer.py"
    minimal.write_text(MINIMAL_TYPER, encoding="utf-8")
    subprocess.run(
        [LICENSES, "--store", str(small), "warn", "--today", TODAY],
        check=False,
        capture_output=True,
    )
    starts = hyperfine(
        "warn-small",
        {
            "licenses warn": f"{LICENSES} --store {small} warn --quiet --today {TODAY}",
            "minimal typer": f"{python} {minimal}",
        },
        runs=40,
    )
    report.row(
        "`warn` at 20",
        starts["licenses warn"],
        starts["minimal typer"],
        "one-command Typer app",
        "≤ 1.3",
    )

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
