"""Shared fixtures: a pinned terminal, a store path, and a CLI runner."""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
import typer.main
import typer.testing
from hypothesis import settings
from typer.testing import CliRunner, Result

from export_licenses.cli import app
from export_licenses.storage import cache
from helpers import EXAMPLE, LICENSES, licenses_process

__all__ = ["EXAMPLE", "LICENSES", "Run", "licenses_process"]

Run = Callable[..., Result]

# Typer's runner turns the app into a Click group on every invoke, and the group
# builds each command it runs again: 3.7 s of the fast loop's ~2,700 in-process
# runs (cProfile, 2026-11-30). A program builds them once per process; the
# tests' process does so once too. What a run changes lives in its context, not
# in the commands, so sharing them keeps every run as a fresh process has it.
# Typer's private name: were it renamed, this would only make the tests slower.
typer.testing._get_command = functools.cache(typer.main.get_command)  # type: ignore[attr-defined]  # noqa: SLF001

# A test's verdict never depends on machine speed: no per-example deadline (on a
# loaded machine a first example that builds a calendar takes over 200 ms).
settings.register_profile("no-deadline", deadline=None)
settings.load_profile("no-deadline")
# The fast loop (`pytest -m "not slow"`) tries each property on a fifth of its
# examples (helpers.examples scales the tests that set their own count); the
# full run (`pytest`, what CI runs) tries all of them. Another profile can be
# asked for with --hypothesis-profile.
settings.register_profile(
    "fast-loop",
    deadline=None,
    max_examples=settings.get_profile("default").max_examples // 5,
)


# The tests' folders go to a RAM file system when the machine has one with room
# (Linux's /dev/shm): a store's write ends in two fsyncs, 5-6 ms on this
# project's virtual disk and far more while other work writes to it (the cache
# test that flips every byte of an entry: 11.8 s against 1.1 s), and no verdict
# rests on the disk keeping a write through a power cut (crashes are injected
# at each step instead). The code runs the same: fsync is called and returns.
# An explicit TMPDIR (or pytest's --basetemp) decides instead.
TESTS_RAM_FOLDER = Path("/dev/shm")  # noqa: S108 - only its free space is trusted
TESTS_RAM_ROOM = 1 << 30  # bytes free: a run takes ~40 MB and pytest keeps three


def _tests_in_ram() -> None:
    if "TMPDIR" in os.environ:
        return
    try:
        room = os.statvfs(TESTS_RAM_FOLDER)
    except OSError:
        return
    if room.f_bavail * room.f_frsize >= TESTS_RAM_ROOM and os.access(
        TESTS_RAM_FOLDER, os.W_OK | os.X_OK
    ):
        os.environ["TMPDIR"] = str(TESTS_RAM_FOLDER)  # the child processes too
        tempfile.tempdir = None  # asked again: pytest's folders follow TMPDIR


_tests_in_ram()


def pytest_configure(config: pytest.Config) -> None:
    fast_loop = " ".join(str(config.getoption("markexpr")).split()) == "not slow"
    if fast_loop and config.getoption("hypothesis_profile") is None:
        settings.load_profile("fast-loop")


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
    # Writers wait for each other as long as it takes: no fixed timeout shared by
    # many writers, which a slow machine would exceed. Tests of a held lock set 0.
    monkeypatch.setenv("LICENSES_LOCK_TIMEOUT", "inf")
    monkeypatch.setenv("LICENSES_CACHE_DIR", str(cache_folder))  # not the user's
    cache.forget_checked_folders()


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
