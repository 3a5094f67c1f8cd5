"""Two installs side by side in the same hyperfine calls, against the same
references, so that the machine's load falls on both alike: each target's ratio
before and after a change, by wall time and by CPU time (user + system).

    bash benchmarks/run --quick      # makes the stores and the taskwarrior data
    benchmarks/out/venv/bin/python benchmarks/paired.py OLD/bin/licenses NEW/bin/licenses
    benchmarks/out/venv/bin/python benchmarks/paired.py OLD NEW list-1000 history-1000

(OLD and NEW: two virtual environments, each with one version installed.) Names
after them run only those comparisons: warn-100, list-100, list-1000 (list and
due on a terminal), due-10000 (due and warn in a pipe), history-1000 (warn with
1,000 applications against each side's own run without), add-10000.
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


def row(
    what: str,
    target: str,
    name: str,
    wall: dict[str, float],
    ref: str,
    sides: tuple[str, str] = ("old", "new"),
    refs: tuple[str, str] | None = None,
) -> str:
    """``sides`` (old, new) against ``ref``, or each against its own of ``refs``."""
    cpu = cpu_seconds(name)
    (old, new), (old_ref, new_ref) = sides, refs or (ref, ref)
    return (
        f"| {what} | {target} | {wall[old] / wall[old_ref]:.2f} | "
        f"{wall[new] / wall[new_ref]:.2f} | {cpu[old] / cpu[old_ref]:.2f} | "
        f"{cpu[new] / cpu[new_ref]:.2f} | {wall[ref]:.3f} s |"
    )


class Pair:
    """The two installs, and the commands each side runs."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new

    def both(
        self, store: Path, *args: str, terminal: bool = False, suffix: str = ""
    ) -> dict[str, str]:
        wrap = in_terminal if terminal else str
        return {
            side + suffix: wrap(command(b, store, *args))
            for side, b in (("old", self.old), ("new", self.new))
        }


MINIMAL = f"{sys.executable} {OUT / 'minimal_typer.py'}"
SMALL, THOUSAND, TEN = (OUT / f"store-{n}.toml" for n in (100, 1_000, 10_000))
HISTORY = OUT / "history-1000.toml"


def warn_100(pair: Pair) -> list[str]:
    name = "paired-warn-100"
    commands = {**pair.both(SMALL, "warn", "--quiet"), "typer": MINIMAL}
    wall = hyperfine(name, commands, runs=30)
    return [row("`warn` at 100, pipe", "≤ 1.3 (Typer app)", name, wall, "typer")]


def list_100(pair: Pair) -> list[str]:
    name = "paired-list-100"
    commands = pair.both(SMALL, "list", "--no-pager", terminal=True)
    wall = hyperfine(name, {**commands, "typer": in_terminal(MINIMAL)}, runs=30)
    return [row("`list` at 100, terminal", "≤ 1.5 (Typer app)", name, wall, "typer")]


def list_1000(pair: Pair) -> list[str]:
    """list and due at 1,000 on a terminal, against `task list` on one."""
    name = "paired-list-1000"
    commands = {
        **pair.both(THOUSAND, "list", "--no-pager", terminal=True),
        **pair.both(THOUSAND, "due", "--no-pager", terminal=True, suffix=" due"),
        "task": in_terminal("task list"),
    }
    wall = hyperfine(name, commands, runs=20, taskrc=OUT / "task-1000" / "taskrc")
    what, target = "at 1,000, terminal", "≤ 2 (task list)"
    return [
        row(f"`list` {what}", target, name, wall, "task"),
        row(f"`due` {what}", target, name, wall, "task", ("old due", "new due")),
    ]


def due_10000(pair: Pair) -> list[str]:
    """due and warn at 10,000 in a pipe, against taskwarrior's report."""
    name = "paired-due-10000"
    commands = {
        **pair.both(TEN, "due", "--within", str(WITHIN_DAYS)),
        **pair.both(TEN, "warn", "--quiet", suffix=" warn"),
        "task": f"task due.before:{DUE_BEFORE} list",
    }
    wall = hyperfine(name, commands, runs=20, taskrc=OUT / "task-10000" / "taskrc")
    return [
        row("`due` at 10,000, pipe", "≤ 1.0 (task)", name, wall, "task"),
        row(
            "`warn` at 10,000, pipe",
            "≤ 1.0 (task)",
            name,
            wall,
            "task",
            ("old warn", "new warn"),
        ),
    ]


def history_1000(pair: Pair) -> list[str]:
    """warn at 1,000 with 1,000 applications against each side's own run on
    the same licenses without them (issue 22's budget)."""
    name = "paired-history-1000"
    commands = {
        **pair.both(HISTORY, "warn", "--quiet"),
        **pair.both(THOUSAND, "warn", "--quiet", suffix=" plain"),
    }
    wall = hyperfine(name, commands, runs=20)
    return [
        row(
            "`warn` at 1,000 with 1,000 applications",
            "≤ 1.2 (without)",
            name,
            wall,
            "new plain",
            refs=("old plain", "new plain"),
        )
    ]


def add_10000(pair: Pair) -> list[str]:
    rc = OUT / "task-10000" / "taskrc"
    copies = {side: OUT / f"add-{side}.toml" for side in ("old", "new")}
    task_copy = OUT / "add-task"
    prepare = " && ".join(
        [
            *(f"cp {TEN} {copy}" for copy in copies.values()),
            f"rm -rf {task_copy} && cp -r {rc.parent} {task_copy}",
            f"sed -i 's#{rc.parent}#{task_copy}#' {task_copy}/taskrc",
            *(
                f"{b} --store {copies[side]} due --today {TODAY} > /dev/null"
                for side, b in (("old", pair.old), ("new", pair.new))
            ),
        ]
    )
    adding = "add -m gallium -d US -i 2026-01-02"
    name = "paired-add-10000"
    wall = hyperfine(
        name,
        {
            "old": f"{pair.old} --store {copies['old']} {adding}",
            "new": f"{pair.new} --store {copies['new']} {adding}",
            "task": "task add license due:2026-07-02",
        },
        runs=20,
        prepare=prepare,
        taskrc=task_copy / "taskrc",
    )
    return [row("`add` at 10,000", "≤ 4 (task add)", name, wall, "task")]


COMPARISONS = {
    "warn-100": warn_100,
    "list-100": list_100,
    "list-1000": list_1000,
    "due-10000": due_10000,
    "history-1000": history_1000,
    "add-10000": add_10000,
}


def main() -> None:
    pair = Pair(*sys.argv[1:3])
    chosen = sys.argv[3:] or list(COMPARISONS)
    os.environ["LICENSES_CACHE_DIR"] = str(OUT / "cache")
    os.environ.pop("NO_COLOR", None)
    os.environ.pop("LICENSES_PAGER", None)
    for store in (SMALL, THOUSAND, TEN, HISTORY):  # each side's cache filled
        for binary in (pair.old, pair.new):
            subprocess.run([binary, "--store", str(store), "due"], check=False)
    lines = [line for key in chosen for line in COMPARISONS[key](pair)]
    header = [
        "| what | target | old (wall) | new (wall) | old (CPU) | new (CPU) | reference |",
        "|---|---|---|---|---|---|---|",
    ]
    table = "\n".join(header + lines)
    (OUT / "paired.md").write_text(table + "\n", encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
