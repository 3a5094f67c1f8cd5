"""Output on a stdout that is not UTF-8 (a legacy ISO-8859 locale, or
PYTHONIOENCODING set, as on some cron hosts and services): a character the
encoding lacks is written as an escape; the run's code is still the store's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import HANG_GUARD, write

# The console script the package installs, as cron runs it.
CONSOLE_SCRIPT = Path(sys.executable).parent / "licenses"
TODAY = "2026-11-30"
# Chinese text in a store the tool itself accepts: renew by 2026-10-13, past.
STORE = """version = 1

[[license]]
id = 1
material = "氧化镝 Dysprosiumoxid"
destination = "DE"
issued = 2026-06-15
term_months = 6
"""


def _licenses(
    store: Path, encoding: str, *args: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "TERM": "dumb", "NO_COLOR": "1"}
    return subprocess.run(
        [str(CONSOLE_SCRIPT), "--store", str(store), "--today", TODAY, *args],
        capture_output=True,
        env=env,
        timeout=HANG_GUARD,
        check=False,
        text=True,
        encoding=encoding,  # what the child writes in; a stray byte fails the test
    )


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize(("command", "code"), [("warn", 2), ("list", 0)])
def test_a_non_utf8_stdout_keeps_the_stores_code(
    tmp_path: Path, encoding: str, command: str, code: int
) -> None:
    store = write(tmp_path / "licenses.toml", STORE)
    result = _licenses(store, encoding, command)
    assert "internal error" not in result.stdout + result.stderr, result.stderr
    assert result.returncode == code, result.stderr
    # The name is still there, its Chinese characters escaped, not dropped.
    assert "\\u6c27\\u5316\\u955d Dysprosiumoxid" in result.stdout


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize(
    "command", [("list", "--format", "json"), ("warn", "--format", "json")]
)
def test_json_on_a_non_utf8_stdout_is_json_that_reads_back_the_same(
    tmp_path: Path, encoding: str, command: tuple[str, ...]
) -> None:
    """Python's own escape (``\\xe9``) is no JSON: a script got exit 0 and a
    document it could not read. JSON's (``\\u00e9``) reads back to the text."""
    import json  # noqa: PLC0415

    store = write(
        tmp_path / "licenses.toml", STORE.replace("Dysprosiumoxid", "oxyde é 😀")
    )
    result = _licenses(store, encoding, *command)
    wide = _licenses(store, "utf-8", *command)
    assert result.stdout != wide.stdout  # escaped: the encoding lacks them
    assert json.loads(result.stdout) == json.loads(wide.stdout)
