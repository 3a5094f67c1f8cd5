"""When the output cannot be written: a full disk (`> /dev/full`), a closed
stdout or stdin (`>&-`, `<&-`). One line on stderr and a documented code, never
a traceback; warn says UNKNOWN (3), since its status did not reach the monitor;
a closed descriptor is the null device, as git treats it, so the run is the
same run with its output going nowhere."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from export_licenses.storage import store as store_api
from git_world import ANN, needs_git
from helpers import HANG_GUARD, LICENSES, big_store

TODAY = "2026-01-15"
FULL = Path("/dev/full")
needs_full = pytest.mark.skipif(
    not FULL.exists(), reason="no /dev/full (a Linux device) to fill the output"
)


def _run(*args: str, redirect: str) -> subprocess.CompletedProcess[str]:
    """``licenses ARGS`` with the shell redirection ``redirect`` (`>&-`, ...)."""
    return subprocess.run(
        ["sh", "-c", f'exec "$@" {redirect}', "sh", *LICENSES, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "TERM": "dumb", "NO_COLOR": "1", **ANN},
        timeout=HANG_GUARD,
        check=False,
    )


def _one_clean_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    assert len(stderr.splitlines()) == 1, stderr
    return stderr


@needs_full
@pytest.mark.parametrize("fmt", ["text", "json", "nagios", "prometheus"])
def test_warn_whose_status_cannot_be_written_is_unknown(
    example: Path, fmt: str
) -> None:
    # CRITICAL on this store; a monitor that gets no status must not read 1 or 2
    done = _run(
        "--store", str(example), "warn", "--format", fmt, "--today", TODAY,
        redirect=f"> {FULL}",
    )  # fmt: skip
    assert done.returncode == 3
    line = _one_clean_line(done.stderr)
    assert line.startswith("licenses warn: UNKNOWN: cannot write the output: ")


@needs_full
@pytest.mark.parametrize("args", [["list"], ["due", "--format", "json"], ["show", "1"]])
def test_other_output_that_cannot_be_written_is_an_io_error(
    example: Path, args: list[str]
) -> None:
    done = _run("--store", str(example), *args, "--today", TODAY, redirect=f"> {FULL}")
    assert done.returncode == 74
    assert _one_clean_line(done.stderr).startswith(
        "licenses: cannot write the output: "
    )


def test_warn_with_stdout_closed_keeps_its_code(example: Path) -> None:
    done = _run("--store", str(example), "warn", "--today", TODAY, redirect=">&-")
    assert done.returncode == 2  # CRITICAL, as with `> /dev/null`
    assert done.stderr == ""


@needs_git
def _warn_to_a_reader_gone(store: Path, fmt: str) -> subprocess.CompletedProcess[str]:
    """warn writing into a pipe whose reader has gone (`licenses warn | true`,
    a wrapper that dies): every write fails with EPIPE."""
    args = ("--store", str(store), "warn", "--format", fmt, "--today", TODAY)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [*LICENSES, *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
            timeout=HANG_GUARD,
            check=False,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize("fmt", ["text", "json", "nagios", "prometheus"])
def test_warn_whose_reader_went_away_keeps_its_state(example: Path, fmt: str) -> None:
    # CRITICAL on this store: a reader that goes away must not turn it into OK
    # (audit s8, finding 2: it exited 0, under `set -o pipefail` too).
    done = _warn_to_a_reader_gone(example, fmt)
    assert done.returncode == 2, done.stderr
    assert done.stderr == ""


def test_warn_whose_long_output_breaks_the_pipe_keeps_its_state(tmp_path: Path) -> None:
    # Longer than stdout's buffer: the pipe breaks inside warn, as it writes,
    # not at the flush after it.
    store = tmp_path / "licenses.toml"
    big_store(store, 400)
    done = _warn_to_a_reader_gone(store, "text")
    assert done.returncode == 2, done.stderr
    assert done.stderr == ""


@needs_full
@pytest.mark.parametrize("which", ["the example", "none"])
def test_warn_with_both_streams_on_a_full_disk_is_unknown(
    example: Path, tmp_path: Path, which: str
) -> None:
    # A cron line's `>>log 2>&1` on a full disk: nothing can be said, and the
    # code must still be UNKNOWN, not Python's 1 (WARNING) from an error line
    # that could not be written (audit s8, finding 3).
    store = example if which == "the example" else tmp_path / "nowhere.toml"
    args = ("--store", str(store), "warn", "--today", TODAY)
    done = _run(*args, redirect=f"> {FULL} 2>&1")
    assert done.returncode == 3
    assert done.stdout == done.stderr == ""


@needs_full
def test_other_commands_with_both_streams_on_a_full_disk_are_io_errors(
    example: Path,
) -> None:
    listed = _run("--store", str(example), "list", redirect=f"> {FULL} 2>&1")
    assert listed.returncode == 74
    added = _run(
        "--store", str(example), "add", "-m", "x", "-d", "US", "-i", "2026-01-01",
        "--today", TODAY, redirect=f"> {FULL} 2>&1",
    )  # fmt: skip
    # The license is in the store; only its id could not be said.
    assert added.returncode == 74
    assert store_api.read(example).licenses[-1].material == "x"


@needs_full
@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["add", "-m", "x", "-d", "US", "-i", "2026-01-01"], "license 21 was added to"),
        (["apply", "-m", "x", "-d", "US"], "application A19 was recorded in"),
        (["grant", "A3", "--issued", "2026-01-14"], "license 21 was added to"),
    ],
)
def test_a_write_whose_confirmation_cannot_be_written_says_it_was_done(
    example: Path, args: list[str], said: str
) -> None:
    # A script that reads 74 as "nothing done" and retries adds it twice.
    before = store_api.read(example)
    done = _run("--store", str(example), *args, "--today", TODAY, redirect=f"> {FULL}")
    assert done.returncode == 74
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == (
        f"licenses: {said} {example}, but its confirmation could not be "
        "written: No space left on device"
    )
    after = store_api.read(example)
    assert (len(after.licenses), len(after.applications)) != (
        len(before.licenses),
        len(before.applications),
    )


def test_a_write_with_stdout_closed_lands_whole_in_git(tmp_path: Path) -> None:
    # With descriptor 1 closed, the next file opened would take its number, and
    # git, writing to 1, would write into it: it is the null device instead.
    store = tmp_path / "licenses.toml"
    made = _run("--store", str(store), "init", "--git", redirect=">&-")
    assert made.returncode == 0, made.stderr
    added = _run(
        "--store", str(store), "add", "-m", "x", "-d", "US", "-i", "2026-01-01",
        "--today", TODAY, redirect=">&-",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert [lic.id for lic in store_api.read(store).licenses] == [1]
    git = ["git", "-C", str(tmp_path)]
    assert subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True, check=True).stdout == ""  # fmt: skip
    log = subprocess.run([*git, "log", "--format=%s"], capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert log.splitlines()[0].startswith("add 1")


def test_a_prompt_with_stdin_closed_is_as_with_no_terminal(example: Path) -> None:
    done = _run("--store", str(example), "remove", "1", redirect="<&-")
    assert done.returncode == 64
    assert "without --yes (no terminal to ask)" in _one_clean_line(done.stderr)
    assert store_api.read(example).licenses[0].id == 1


def test_an_os_error_naming_a_file_names_it_and_says_no_more() -> None:
    # Not the output: a file may have been read, so no "cannot write" for it.
    from export_licenses.cli.failures import _io_message  # noqa: PLC0415

    assert _io_message(PermissionError(13, "Permission denied", "x.toml")) == (
        "x.toml: Permission denied"
    )
    assert _io_message(OSError(28, "No space left on device")) == (
        "cannot write the output: No space left on device"
    )
