"""Every command has help text and is documented in the README, with its options."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from export_licenses.cli import app

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
            "--help",
        }:
            assert long_opts[0] in section, (
                f"{name}: {long_opts[0]} is not in its README section"
            )


def test_every_exit_code_is_documented() -> None:
    for code in ("64", "65", "66", "73", "74", "75"):
        assert f"| {code} " in README
