"""Shared fixtures: a pinned terminal, a store path, and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from export_licenses.cli import app

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "licenses.toml"

Run = Callable[..., Result]
# The real command as a child process runs it, as cron or a script would.
LICENSES = (sys.executable, "-m", "export_licenses")


@pytest.fixture(scope="session")
def cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def pinned_terminal(monkeypatch: pytest.MonkeyPatch, cache_folder: Path) -> None:
    """Same output on every machine: dumb terminal, fixed width, no colour."""
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    for name in ("FORCE_COLOR", "LICENSES_STORE", "LICENSES_TODAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LICENSES_LOCK_TIMEOUT", "10")
    monkeypatch.setenv("LICENSES_CACHE_DIR", str(cache_folder))  # not the user's


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "licenses.toml"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the README's example store."""
    copy = tmp_path / "example.toml"
    copy.write_bytes(EXAMPLE.read_bytes())
    return copy


@pytest.fixture
def run(store: Path) -> Run:
    """Run `licenses --store <store> ARGS...` in-process; tracebacks fail the test."""
    runner = CliRunner()

    def invoke(
        *args: str, env: dict[str, str] | None = None, stdin: str | None = None
    ) -> Result:
        return runner.invoke(
            app,
            ["--store", str(store), *args],
            env=env,
            input=stdin,
            catch_exceptions=False,
        )

    return invoke


def licenses_process(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run the real command in a child process, as cron or a script would."""
    full_env = {**os.environ, "TERM": "dumb", "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [*LICENSES, *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )
