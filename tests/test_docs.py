"""Every command has help text and is documented in the README, with its options."""

from __future__ import annotations

import csv
import os
import re
import shlex
import subprocess
from pathlib import Path

import openpyxl
import pytest
import typer.main

from export_licenses.cli import app
from export_licenses.cli.examples import EXAMPLES
from helpers import EXAMPLE, LICENSES, licenses_process

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(
    encoding="utf-8"
)
GROUP = typer.main.get_command(app)
# Commands load when named: ask the group for them as Click's help does.
CONTEXT = GROUP.make_context("licenses", ["--help"], resilient_parsing=True)
COMMANDS = sorted(GROUP.list_commands(CONTEXT))  # type: ignore[attr-defined]


def test_there_are_commands() -> None:
    assert {"init", "add", "list", "due", "warn", "show"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help(name: str) -> None:
    command = GROUP.get_command(CONTEXT, name)  # type: ignore[attr-defined]
    assert command.help
    assert len(command.help.strip()) > 20
    for param in command.params:
        if param.name != "help" and getattr(param, "param_type_name", "") == "option":
            assert getattr(param, "help", None), f"{name} {param.opts} has no help"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_documented_in_the_readme(name: str) -> None:
    assert re.search(rf"^### `licenses {name}", README, re.MULTILINE), name
    command = GROUP.get_command(CONTEXT, name)  # type: ignore[attr-defined]
    section = README.split(f"### `licenses {name}", 1)[1].split("\n### ", 1)[0]
    for param in command.params:
        long_opts = [o for o in param.opts if o.startswith("--")]
        if long_opts and long_opts[0] not in {
            "--store",
            "--today",
            "--no-color",
            "--no-pager",
            "--help",
        }:
            assert long_opts[0] in section, (
                f"{name}: {long_opts[0]} is not in its README section"
            )


@pytest.mark.parametrize("option", ["--store", "--today", "--no-color", "--no-pager"])
def test_global_options_are_documented(option: str) -> None:
    section = README.split("## Commands", 1)[1].split("\n### ", 1)[0]
    assert option in section


def test_every_exit_code_is_documented() -> None:
    for code in ("64", "65", "66", "73", "74", "75"):
        assert f"| {code} " in README


@pytest.mark.parametrize("name", COMMANDS)
def test_help_ends_with_examples_of_the_command(name: str) -> None:
    shown = licenses_process(name, "--help", env={"COLUMNS": "200"}).stdout
    tail = shown.rstrip().rsplit("Examples:", 1)
    assert len(tail) == 2, f"{name} --help has no examples"
    examples = [line.strip(" │") for line in tail[1].splitlines() if "licenses" in line]
    assert 1 <= len(examples) <= 2
    assert all(name in line.split() for line in examples), examples
    assert examples == list(EXAMPLES[name])


EXAMPLE_RUNS = [(name, line) for name, lines in EXAMPLES.items() for line in lines]
GIT_AUTHOR = {
    "GIT_AUTHOR_NAME": "Ann",
    "GIT_AUTHOR_EMAIL": "ann@example.com",
    "GIT_COMMITTER_NAME": "Ann",
    "GIT_COMMITTER_EMAIL": "ann@example.com",
}
Q3_CSV = "number,material,destination,issued,term_months\nMOFCOM-2026-DY-0140,dysprosium oxide,US,2026-10-01,6\n"


@pytest.mark.parametrize(("name", "line"), EXAMPLE_RUNS)
def test_every_example_runs_on_the_example_store(
    name: str, line: str, tmp_path: Path
) -> None:
    """Real examples: each one works as written (a monitoring exit code for warn)."""
    store = tmp_path / "licenses.toml"
    store.write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "q3.csv").write_text(Q3_CSV, encoding="utf-8")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Licenses"
    for row in csv.reader(Q3_CSV.splitlines()):
        sheet.append(row)
    workbook.save(tmp_path / "q3.xlsx")
    for side in ("base", "ours", "theirs"):
        (tmp_path / f"{side}.toml").write_bytes(EXAMPLE.read_bytes())
    words = shlex.split(line)
    assert words[0] == "licenses"
    env = {
        **os.environ,
        "LICENSES_STORE": str(store),
        "LICENSES_TODAY": "2026-11-23",
        "TERM": "dumb",
        "NO_COLOR": "1",
        **GIT_AUTHOR,
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*LICENSES, *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    if name in {"log", "undo", "sync", "git-setup"}:  # a store kept in git
        assert run("init", "--git").returncode == 0
        assert run("close", "3").returncode == 0
    if name == "sync":
        remote = tmp_path / "remote.git"
        subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
        subprocess.run(
            ["git", "remote", "add", "origin", str(remote)], cwd=tmp_path, check=True
        )
    done = run(*words[1:])
    allowed = {0, 1, 2} if name == "warn" else {0}
    assert done.returncode in allowed, (line, done.stderr)
    quiet = {"import", "export", "init", "remove", "merge-driver"}
    assert done.stdout or name in quiet or done.stderr
