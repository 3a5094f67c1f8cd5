"""The pre-commit hooks run what CI runs: the same tools, so that a commit that
passes them does not fail CI on a check it skipped."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The programs CI runs from its virtual environment, other than the install.
CI_TOOL = re.compile(r'"\$venv/bin/([\w-]+)"')
NOT_CHECKS = {"pip", "licenses"}


def test_every_check_ci_runs_is_a_hook() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    hooks = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    checks = set(CI_TOOL.findall(ci)) - NOT_CHECKS
    entries = re.findall(r"^\s+entry: (.+)$", hooks, re.MULTILINE)
    hooked = {
        word
        for entry in entries
        for word in re.findall(r"[\w-]+", entry)
        if word in checks
    }
    assert checks == {"ruff", "mypy", "lint-imports", "mkdocs", "pytest"}
    assert hooked == checks
    assert "ruff check ." in entries
    assert "ruff format --check ." in entries
