"""The manual tells the truth: every command has help text and a section in its
group's page of `docs/commands/` naming each of its options, and every console
example in the docs (and the README) prints what the tool prints.

The convention for examples (docs/contributing.md says it for contributors):
a fenced block marked `console` is a terminal session. A line starting `$ ` is a
command, run by bash (`export`, pipes, `echo $?` and a trailing `\\` work);
the lines after it, up to the next `$ `, are what the terminal shows: standard
output and standard error together, in the order written. Each block runs on its
own (after the blocks it continues, marked ``CONTINUES``), in an empty home
folder (the current folder) holding copies of `examples/` and `tests/data/`,
with `licenses` on PATH. What is normalised, and only that:
the home folder's path reads `/home/you`, trailing spaces and trailing blank lines
are dropped. Blocks marked `sh` or `text` are not run; on the command pages a
`sh` block says why, right above it: `<!-- not run: REASON -->`.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple

import openpyxl
import pytest
import typer.main

from export_licenses.cli import app
from export_licenses.cli.examples import EXAMPLES
from export_licenses.domain.license import FIELDS
from helpers import EXAMPLE, HANG_GUARD, LICENSES, licenses_in_process

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"
COMMAND_PAGES = sorted((DOCS / "commands").glob("*.md"))
GLOBAL_OPTIONS = ("--store", "--today", "--no-color", "--no-pager")
GROUP = typer.main.get_command(app)
# Commands load when named: ask the group for them as Click's help does.
CONTEXT = GROUP.make_context("licenses", ["--help"], resilient_parsing=True)
COMMANDS = sorted(GROUP.list_commands(CONTEXT))  # type: ignore[attr-defined]


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


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


def _command_sections(name: str) -> list[tuple[Path, str]]:
    """Each `## licenses NAME` section of the command pages: heading to next heading."""
    heading = re.compile(rf"^## `licenses {re.escape(name)}[` ]", re.MULTILINE)
    found = []
    for page in COMMAND_PAGES:
        text = _text(page)
        for match in heading.finditer(text):
            rest = text[match.end() :]
            end = re.search(r"^#{1,2} ", rest, re.MULTILINE)
            found.append((page, rest[: end.start()] if end else rest))
    return found


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_documented_in_its_group_page(name: str) -> None:
    sections = _command_sections(name)
    assert len(sections) == 1, (
        f"`licenses {name}` needs one `## \\`licenses {name}\\`` section in "
        f"docs/commands/*.md, found {len(sections)}"
    )
    page, section = sections[0]
    command = GROUP.get_command(CONTEXT, name)  # type: ignore[attr-defined]
    for param in command.params:
        long_opts = [o for o in param.opts if o.startswith("--")]
        if long_opts and long_opts[0] not in {*GLOBAL_OPTIONS, "--help"}:
            assert long_opts[0] in section, (
                f"{name}: {long_opts[0]} is not in its section of {page.name}"
            )


@pytest.mark.parametrize("option", GLOBAL_OPTIONS)
def test_global_options_are_documented(option: str) -> None:
    intro = _text(DOCS / "usage.md").split("\n## ", 1)[0]
    assert option in intro


def test_every_exit_code_is_documented() -> None:
    page = _text(DOCS / "exit-codes.md")
    for code in ("0", "1", "2", "3", "64", "65", "66", "69", "70", "73", "74", "75"):
        assert f"| {code} " in page


def _map_of_the_code() -> dict[str, set[str]]:
    """The modules the contributors' map names, by folder ('' for the top)."""
    page = _text(DOCS / "contributing.md")
    block = page.split("The modules, as they are today", 1)[1]
    block = block.split("```", 2)[1]
    named: dict[str, set[str]] = {}
    folder = ""
    for line in block.splitlines():
        if line and not line[0].isspace():
            head = line.split()[0]
            folder = head.rstrip("/") if head.endswith("/") else ""
        named.setdefault(folder, set()).update(re.findall(r"\b\w+\.py\b", line))
    return named


def test_the_map_of_the_code_names_every_module_there_is() -> None:
    package = ROOT / "src" / "export_licenses"
    named = _map_of_the_code()
    folders = {p.name for p in package.iterdir() if (p / "__init__.py").exists()}
    for folder in ["", *sorted(folders)]:
        there = {p.name for p in (package / folder).glob("*.py")} - {"__init__.py"}
        assert named.get(folder, set()) == there, (
            f"the map of src/export_licenses/{folder}"
        )


def test_the_readme_is_short() -> None:
    assert len(_text(README).splitlines()) <= 250


# --- the examples in the docs ---------------------------------------------------


class Step(NamedTuple):
    command: str
    expected: str


class Block(NamedTuple):
    where: str
    steps: tuple[Step, ...]
    # The commands of the blocks it continues, run first, their output not
    # compared here (each block compares its own).
    setup: tuple[str, ...] = ()


FENCE = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)
# Put right above a console block: it goes on where the one before it ended (the
# README's quickstart, then what follows it), so that the session a reader
# follows page down is the one that is checked.
CONTINUES = "<!-- continues the console block above -->"


def _blocks(path: Path) -> list[Block]:
    text = _text(path)
    assert "    ```console" not in text, f"{path.name}: indented console block"
    blocks: list[Block] = []
    for match in FENCE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        where = f"{path.relative_to(ROOT)}:{line}"
        steps: list[list[str]] = []
        continued = False
        for row in match.group(1).splitlines():
            if continued:
                steps[-1][0] += "\n" + row
            elif row.startswith("$ "):
                steps.append([row[2:], ""])
            else:
                assert steps, f"{where}: output before the first `$ ` command"
                steps[-1][1] += row + "\n"
            continued = row.endswith("\\") and steps[-1][1] == ""
        setup: tuple[str, ...] = ()
        if text[: match.start()].rstrip().endswith(CONTINUES):
            assert blocks, f"{where}: continues no console block above"
            setup = (*blocks[-1].setup, *(step.command for step in blocks[-1].steps))
        blocks.append(Block(where, tuple(Step(c, o) for c, o in steps), setup))
    return blocks


PAGES = [README, *sorted(DOCS.rglob("*.md"))]
BLOCKS = [block for page in PAGES for block in _blocks(page)]
# The day every example of the example store is seen on.
TODAY = "2026-01-15"
GIT_AUTHOR = {
    "GIT_AUTHOR_NAME": "Ann",
    "GIT_AUTHOR_EMAIL": "ann@example.com",
    "GIT_COMMITTER_NAME": "Ann",
    "GIT_COMMITTER_EMAIL": "ann@example.com",
}


def test_the_docs_have_console_examples() -> None:
    assert any(b.where.startswith("README.md:") for b in BLOCKS)
    for page in ("reports.md", "pipeline.md", "records.md", "transfer.md"):
        assert any(f"commands/{page}:" in b.where for b in BLOCKS), page


def _normalised(text: str, home: Path) -> str:
    text = text.replace(str(home), "/home/you")
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _session(block: Block, home: Path) -> list[str]:
    """Run a block's commands in one bash, as typed at a terminal; each one's output."""
    shutil.copytree(ROOT / "examples", home / "examples")
    shutil.copytree(ROOT / "tests" / "data", home / "tests" / "data")
    tools = home.parent / "bin"
    tools.mkdir()
    shim = tools / "licenses"
    shim.write_text(f'#!/bin/sh\nexec {shlex.join(LICENSES)} "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    marker = "@@docs-example-step@@"
    # What the setup prints comes before the first marker: not compared.
    script = ["exec 2>&1", *block.setup]
    for step in block.steps:
        # The marker keeps `$?` as the command before it left it (`echo $?`).
        script += [f"s=$?; printf '\\n%s\\n' '{marker}'; (exit $s)", step.command]
    keep = {"PATH", "LANG", "LC_ALL", "PYTHONPATH", "SYSTEMROOT", "TMPDIR"}
    env = {
        **{k: v for k, v in os.environ.items() if k in keep},
        **GIT_AUTHOR,
        "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(home),
        "TERM": "dumb",
        "PYTHONUNBUFFERED": "1",  # stdout and stderr in the order written
        "LICENSES_TODAY": TODAY,  # a block may export its own
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["bash", "--noprofile", "--norc"],
        input="\n".join(script) + "\n",
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
    )
    parts = done.stdout.split(f"\n{marker}\n")
    assert len(parts) == len(block.steps) + 1, done.stdout
    return parts[1:]


def transcript(block: Block, outputs: list[str], home: Path) -> str:
    """A block as a terminal shows it: each command, then what it printed."""
    return "\n".join(
        f"$ {step.command}\n{_normalised(shown, home)}".rstrip()
        for step, shown in zip(block.steps, outputs, strict=True)
    )


def _typed(block: Block) -> tuple[str, ...]:
    """Every command typed by the end of a block: those it continues, then its own."""
    return (*block.setup, *(step.command for step in block.steps))


def _session_end(block: Block) -> Block:
    """The last block of the session a block is part of: its commands run this
    block's first, in the same order."""
    typed = _typed(block)
    going_on = [b for b in BLOCKS if _typed(b)[: len(typed)] == typed]
    return max(going_on, key=lambda b: len(_typed(b)))


# What each command of a session printed (normalised), by the session's commands:
# a page's chained blocks run once, not once more for each block that follows.
_PRINTED: dict[tuple[str, ...], list[str]] = {}


def run_block(block: Block, tmp_path: Path) -> tuple[str, str]:
    """The block's transcript as written in the docs, and as the tool prints it."""
    last = _session_end(block)
    typed = _typed(last)
    if typed not in _PRINTED:
        home = tmp_path / "you"
        home.mkdir()
        every_step = Block(last.where, tuple(Step(c, "") for c in typed))
        outputs = _session(every_step, home)
        _PRINTED[typed] = [_normalised(shown, home) for shown in outputs]
    start = len(block.setup)
    outputs = _PRINTED[typed][start : start + len(block.steps)]
    written = transcript(block, [step.expected for step in block.steps], tmp_path)
    return written, transcript(block, outputs, tmp_path)


# Slow: the manual's sessions start ~160 real `licenses` processes through bash,
# 15 s of a fast loop otherwise ~47 s. CI runs them; so does
# `pytest tests/test_docs.py` after a change to the docs or to what a command prints.
@pytest.mark.slow
@pytest.mark.parametrize("block", BLOCKS, ids=[b.where for b in BLOCKS])
def test_console_example_prints_what_the_tool_prints(
    block: Block, tmp_path: Path
) -> None:
    written, printed = run_block(block, tmp_path)
    assert printed == written, block.where


# Right above a block of commands the tests do not run (`sh`), with the reason: a
# command page's examples are a session typed in order, and two of them went
# stale unrun (an `add` of a number already in the store, a `close` of the
# license the `ship` above it had ended).
NOT_RUN = re.compile(r"^<!-- not run: \w[^\n]*? -->\n```sh\n", re.MULTILINE)
FENCED = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("page", COMMAND_PAGES, ids=[p.name for p in COMMAND_PAGES])
def test_every_command_example_is_run_or_says_why_not(page: Path) -> None:
    text = _text(page)
    fences = [(m.group(1), m.group(2), m.start()) for m in FENCED.finditer(text)]
    commands = [
        (kind, text.count("\n", 0, start) + 1)
        for kind, body, start in fences
        if kind != "console"
        and any(re.match(r"\$ |\S*licenses ", row) for row in body.splitlines())
    ]
    marked = {text.count("\n", 0, m.end()) for m in NOT_RUN.finditer(text)}
    wrong = [
        f"{page.name}:{line} ({kind or 'plain'})"
        for kind, line in commands
        if kind != "sh"
    ]
    assert not wrong, "commands in a block not marked console or sh"
    unsaid = [f"{page.name}:{line}" for _, line in commands if line not in marked]
    assert not unsaid, (
        "commands not run: make them a console block, or say why not "
        f"(<!-- not run: REASON --> above a sh block): {unsaid}"
    )


# --- the examples at the end of each command's --help ----------------------------


@pytest.mark.parametrize("name", COMMANDS)
def test_help_ends_with_examples_of_the_command(name: str) -> None:
    shown = licenses_in_process(name, "--help", env={"COLUMNS": "200"}).stdout
    tail = shown.rstrip().rsplit("Examples:", 1)
    assert len(tail) == 2, f"{name} --help has no examples"
    examples = [line.strip(" │") for line in tail[1].splitlines() if "licenses" in line]
    assert 1 <= len(examples) <= 2
    assert all(name in line.split() for line in examples), examples
    assert examples == list(EXAMPLES[name])
    # The only examples are these, which the next test runs: one written into a
    # command's description went stale (`reopen 12`, `refuse A2` failed).
    untested = [
        line
        for line in tail[0].splitlines()
        if line.strip(" │").startswith("licenses ")
    ]
    assert not untested, f"{name} --help has an example outside Examples: {untested}"


EXAMPLE_RUNS = [(name, line) for name, lines in EXAMPLES.items() for line in lines]
Q3_CSV = "number,material,destination,issued,term_months\nMOFCOM-2026-DY-0140,dysprosium oxide,US,2026-10-01,6\n"


@pytest.mark.parametrize(("name", "line"), EXAMPLE_RUNS)
def test_every_example_runs_on_the_example_store(
    name: str, line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real examples: each one works as written (a monitoring exit code for warn).
    In this process, from the example's folder: the console examples above run
    the real program, as a terminal does."""
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
        "LICENSES_STORE": str(store),
        "LICENSES_TODAY": "2026-11-23",
        "TERM": "dumb",
        "NO_COLOR": "1",
        **GIT_AUTHOR,
    }
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return licenses_in_process(*args, env=env)

    if name == "notify":  # a service to name; the examples only print (--dry-run)
        env["LICENSES_NOTIFY"] = "json://alerts.example.com/licenses"
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


def test_the_import_columns_are_every_field_of_a_license() -> None:
    # The manual listed 22 of 30: a reader took the others for errors.
    text = (ROOT / "docs" / "commands" / "transfer.md").read_text(encoding="utf-8")
    listed = text.split("The header names the store's fields", 1)[1].split("\n\n", 1)[0]
    missing = [f.key for f in FIELDS if f.key != "id" and f"`{f.key}`" not in listed]
    assert not missing


def test_the_recipes_list_every_key_of_a_json_row_in_order() -> None:
    # The only full list of the row keys a script reads (audit s10-contract, 9)
    listed = licenses_in_process(
        "--store", str(EXAMPLE), "list", "--all", "-f", "json", "--today", "2026-01-15"
    )
    keys = list(json.loads(listed.stdout)[0])
    text = _text(ROOT / "docs" / "recipes.md")
    start = text.index("JSON rows always carry every key")
    text = text[text.index("`id`", start) : text.index("Keys may be added", start)]
    documented, depth = [], 0
    for part in re.split(r"(`[^`]*`|[()])", text):
        depth += {"(": 1, ")": -1}.get(part, 0)
        if depth == 0 and part.startswith("`"):
            documented.append(part.strip("`"))
    assert documented == keys
