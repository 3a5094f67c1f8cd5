"""The version is written once, as export_licenses.__version__, and the changelog
keeps up with it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from export_licenses import __version__
from helpers import licenses_process

ROOT = Path(__file__).resolve().parent.parent


def test_the_version_is_written_once() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    dynamic = project["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "export_licenses.__version__"}


def test_the_program_says_that_version() -> None:
    done = licenses_process("--version")
    assert done.returncode == 0
    assert done.stdout == f"licenses {__version__}\n"


def test_the_changelog_keeps_a_changelog() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n")
    assert "keepachangelog.com" in text
    headings = re.findall(r"^## \[([^\]]+)\]", text, re.MULTILINE)
    assert headings[0] == "Unreleased"
    assert __version__ in headings  # the version being built has its section
    sections = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    for heading in re.findall(r"^### (.+)$", text, re.MULTILINE):
        assert heading in sections
