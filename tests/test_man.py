"""The man page licenses(1) is what the commands' own --help says today, every
command is in it, man reads it cleanly, and the package installs it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import typer.main

from export_licenses.cli import app

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "licenses.1"
GROUP = typer.main.get_command(app)
CONTEXT = GROUP.make_context("licenses", ["--help"], resilient_parsing=True)
COMMANDS = GROUP.list_commands(CONTEXT)  # type: ignore[attr-defined]


def test_the_man_page_is_up_to_date_with_the_help() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "man.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_its_section(name: str) -> None:
    text = PAGE.read_text(encoding="utf-8")
    escaped = name.replace("-", "\\-")
    assert f'.SS "licenses {escaped}"' in text
    command = GROUP.get_command(CONTEXT, name)  # type: ignore[attr-defined]
    section = text.split(f'.SS "licenses {escaped}"', 1)[1].split(".SS ", 1)[0]
    for param in command.params:
        long_opts = [o for o in param.opts if o.startswith("--")]
        if long_opts and long_opts[0] not in {
            "--store",
            "--today",
            "--no-color",
            "--no-pager",
        }:
            assert long_opts[0].replace("-", "\\-") in section, (name, long_opts[0])


def test_the_package_installs_it_where_man_looks() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = project["tool"]["setuptools"]["data-files"]
    assert data["share/man/man1"] == ["docs/licenses.1"]


@pytest.mark.skipif(
    shutil.which("man") is None, reason="no man here (apt-get install man-db)"
)
def test_man_reads_it_without_a_warning() -> None:
    done = subprocess.run(
        ["man", "--warnings", "-l", str(PAGE)],
        capture_output=True,
        text=True,
        env={**os.environ, "MANWIDTH": "80", "MANPAGER": "cat", "PAGER": "cat"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "licenses merge-driver" in done.stdout
    assert "--within DAYS" in done.stdout.replace("\u2010", "-")


# Read by tests and by sync's own merge, never set by a user.
INTERNAL = {"LICENSES_FAULT", "LICENSES_MERGE_NOTES", "LICENSES_MERGE_MOVES"}


def test_every_variable_a_user_sets_is_in_the_man_page_and_the_manual() -> None:
    source = "".join(
        path.read_text(encoding="utf-8")
        for path in (ROOT / "src" / "export_licenses").rglob("*.py")
    )
    read = set(re.findall(r'"(LICENSES_[A-Z_]+)"', source)) - INTERNAL
    assert "LICENSES_NOTIFY" in read  # the one the page lacked
    page = PAGE.read_text(encoding="utf-8")
    usage = (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
    assert not [name for name in sorted(read) if name not in page]
    assert not [name for name in sorted(read) if name not in usage]
