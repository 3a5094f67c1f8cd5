"""Two installs side by side in the same hyperfine calls, against the same
references, so that the machine's load falls on both alike: each target's ratio
before and after a change, by wall time and by CPU time (user + system).

    bash benchmarks/run --quick      # makes the stores and the taskwarrior data
    benchmarks/out/venv/bin/python benchmarks/paired.py OLD/bin/licenses NEW/bin/licenses

(OLD and NEW: two virtual environments, each with one version installed.)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from typing import TYPE_CHECKING

from bench import DUE_BEFORE, OUT, ROUNDS, TODAY, WITHIN_DAYS, hyperfine, in_terminal

if TYPE_CHECKING:
    from pathlib import Path


def command(binary: str, store: Path, *args: str) -> str:
    return " ".join([binary, "--store", str(store), *args, "--today", TODAY])


def cpu_seconds(name: str) -> dict[str, float]:
    """Each command's mean user + system time over the rounds' exports."""
    found: dict[str, list[float]] = {}
    for number in range(1, ROUNDS + 1):
        export = json.loads((OUT / f"{name}-{number}.json").read_text("utf-8"))
        for result in export["results"]:
            found.setdefault(result["command"], []).append(
                result["user"] + result["system"]
            )
    return {label: statistics.mean(times) for label, times in found.items()}


def row(what: str, target: str, name: str, wall: dict[str, float], ref: str) -> str:
    cpu = cpu_seconds(name)
    return (
        f"| {what} | {target} | {wall['old'] / wall[ref]:.2f} | "
        f"{wall['new'] / wall[ref]:.2f} | {cpu['old'] / cpu[ref]:.2f} | "
        f"{cpu['new'] / cpu[ref]:.2f} | {wall[ref]:.3f} s |"
    )


def main() -> None:
    old, new = sys.argv[1:3]
    os.environ["LICENSES_CACHE_DIR"] = str(OUT / "cache")
    os.environ.pop("NO_COLOR", None)
    os.environ.pop("LICENSES_PAGER", None)
    minimal = f"{sys.executable} {OUT / 'minimal_typer.py'}"
    small, thousand, ten = (OUT / f"store-{n}.toml" for n in (100, 1_000, 10_000))
    for store in (small, thousand, ten):  # each side's cache filled
        for binary in (old, new):
            subprocess.run([binary, "--store", str(store), "due"], check=False)

    def both(store: Path, *args: str, terminal: bool = False) -> dict[str, str]:
        wrap = in_terminal if terminal else str
        return {
            side: wrap(command(b, store, *args))
            for side, b in (("old", old), ("new", new))
        }

    lines = []
    name = "paired-warn-100"
    wall = hyperfine(
        name, {**both(small, "warn", "--quiet"), "typer": minimal}, runs=30
    )
    lines.append(row("`warn` at 100, pipe", "≤ 1.3 (Typer app)", name, wall, "typer"))
    name = "paired-list-100"
    commands = {**both(small, "list", "--no-pager", terminal=True)}
    wall = hyperfine(name, {**commands, "typer": in_terminal(minimal)}, runs=30)
    lines.append(
        row("`list` at 100, terminal", "≤ 1.5 (Typer app)", name, wall, "typer")
    )
    rc = OUT / "task-1000" / "taskrc"
    name = "paired-list-1000"
    commands = {**both(thousand, "list", "--no-pager", terminal=True)}
    wall = hyperfine(
        name, {**commands, "task": in_terminal("task list")}, runs=20, taskrc=rc
    )
    lines.append(
        row("`list` at 1,000, terminal", "≤ 2 (task list)", name, wall, "task")
    )
    rc = OUT / "task-10000" / "taskrc"
    name = "paired-due-10000"
    commands = {**both(ten, "due", "--within", str(WITHIN_DAYS))}
    task = f"task due.before:{DUE_BEFORE} list"
    wall = hyperfine(name, {**commands, "task": task}, runs=20, taskrc=rc)
    lines.append(row("`due` at 10,000, pipe", "≤ 1.0 (task)", name, wall, "task"))
    copies = {side: OUT / f"add-{side}.toml" for side in ("old", "new")}
    task_copy = OUT / "add-task"
    prepare = " && ".join(
        [
            *(f"cp {ten} {copy}" for copy in copies.values()),
            f"rm -rf {task_copy} && cp -r {rc.parent} {task_copy}",
            f"sed -i 's#{rc.parent}#{task_copy}#' {task_copy}/taskrc",
            *(
                f"{b} --store {copies[side]} due --today {TODAY} > /dev/null"
                for side, b in (("old", old), ("new", new))
            ),
        ]
    )
    adding = "add -m gallium -d US -i 2026-01-02"
    name = "paired-add-10000"
    wall = hyperfine(
        name,
        {
            "old": f"{old} --store {copies['old']} {adding}",
            "new": f"{new} --store {copies['new']} {adding}",
            "task": "task add license due:2026-07-02",
        },
        runs=20,
        prepare=prepare,
        taskrc=task_copy / "taskrc",
    )
    lines.append(row("`add` at 10,000", "≤ 4 (task add)", name, wall, "task"))
    header = [
        "| what | target | old (wall) | new (wall) | old (CPU) | new (CPU) | reference |",
        "|---|---|---|---|---|---|---|",
    ]
    table = "\n".join(header + lines)
    (OUT / "paired.md").write_text(table + "\n", encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
