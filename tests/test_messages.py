"""Messages that must not mislead (issue 20, section 4): an error names only
options the user can give and did give, Ctrl-C at a prompt is 130 like
anywhere else, and odd text where an id or a width goes is a usage error,
never an internal one.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

import pytest

from git_world import git, lic, needs_git, subjects
from git_world import run as git_run
from helpers import EXAMPLE, HANG_GUARD, LICENSES, in_terminal, read_until

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

TODAY = "2026-01-15"
OPTION = re.compile(r"--[a-z][a-z-]*")


@pytest.fixture
def example_store(store: Path) -> Path:
    store.write_bytes(EXAMPLE.read_bytes())
    return store


# A day the command takes from today when --on is not given, and which the
# license or application refuses: the message must not blame --on.
DEFAULTED_DAY = [
    # license 12 expired on 2026-07-05: shipping "today" after that
    (("ship", "12", "1"), "2026-08-01", "expired"),
    # license 1 was issued 2025-06-20: shipping "today" before that
    (("ship", "1", "1"), "2025-06-01", "before the issue date"),
    # application A3 was filed 2025-10-09
    (("accept", "A3"), "2025-10-01", "before"),
    (("refuse", "A3"), "2025-10-01", "before"),
    (("withdraw", "A3"), "2025-10-01", "before"),
    # license 1 was issued 2025-06-20: its renewal filed "today" before that
    (("apply", "1"), "2025-06-01", "before the issue date"),
    # the review clock of A3 stopped "today", before its filing
    (("hold", "A3"), "2025-10-01", "before filing"),
    # license 1 changed "today", before its issue
    (("change", "1", "--quantity", "5"), "2025-06-01", "before the issue date"),
]


@pytest.mark.parametrize(("args", "today", "said"), DEFAULTED_DAY)
def test_a_day_not_given_is_not_blamed_on_its_option(
    run: Run, example_store: Path, args: tuple[str, ...], today: str, said: str
) -> None:
    result = run("--today", today, *args)
    assert result.exit_code == 64, result.stderr
    assert said in result.stderr
    assert "--on" not in result.stderr, result.stderr
    assert "today" in result.stderr
    assert example_store.read_bytes() == EXAMPLE.read_bytes()
    # given, the same day is the option's fault, and named so
    given = run("--today", TODAY, *args, "--on", today)
    assert given.exit_code == 64, given.stderr
    assert "--on" in given.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("close", "1", "--reason", ""),
        ("close", "1", "--reason", "a\x01b"),
        ("refuse", "A3", "--reason", ""),
        ("apply", "1", "--reference", ""),
        ("ship", "15", "1", "--note", ""),
        ("ship", "15", "1", "--note", "a\x01b"),
        ("add", "-m", "x", "-d", "US", "-i", "2025-12-01", "--note", ""),
    ],
    ids=lambda args: " ".join(args[:1] + args[-2:-1]),
)
def test_a_bad_value_names_the_option_that_gave_it(
    run: Run, example_store: Path, args: tuple[str, ...]
) -> None:
    result = run("--today", TODAY, *args)
    assert result.exit_code == 64, result.stderr
    named = OPTION.findall(result.stderr)
    assert named, result.stderr
    assert set(named) <= set(args), (named, result.stderr)
    assert example_store.read_bytes() == EXAMPLE.read_bytes()


@pytest.mark.parametrize(
    "key",
    ["²", "9" * 5000, "١٢", "1" * 17, "-1", "A²"],
    ids=["superscript", "5000-digits", "arabic-digits", "17-digits", "minus", "A²"],
)
@pytest.mark.parametrize("command", ["show", "edit", "ship", "close", "remove"])
def test_odd_text_where_an_id_goes_is_a_usage_error(
    run: Run, example_store: Path, command: str, key: str
) -> None:
    extra = {"edit": ["--note", "x"], "ship": ["1"], "remove": ["--yes"]}
    result = run("--today", TODAY, command, key, *extra.get(command, []))
    assert result.exit_code == 64, (result.exit_code, result.stderr)
    assert "internal error" not in result.stderr
    assert example_store.read_bytes() == EXAMPLE.read_bytes()


@pytest.mark.parametrize(
    "value", ["²", "9" * 5000, "١٢٠"], ids=["superscript", "5000-digits", "arabic"]
)
def test_odd_terminal_sizes_are_ignored(value: str) -> None:
    shown = in_terminal(
        "--store",
        str(EXAMPLE),
        "--today",
        TODAY,
        "list",
        columns=100,
        env={"COLUMNS": value, "LINES": value},
    )
    assert "internal error" not in shown
    assert "ignoring COLUMNS" in shown
    assert "scandium oxide" in shown  # the table, drawn at the terminal's width


def _own_terminal() -> None:
    """In the child: a session of its own whose controlling terminal is the
    pseudo-terminal, so that a Ctrl-C typed there is its SIGINT."""
    import fcntl  # noqa: PLC0415
    import termios  # noqa: PLC0415

    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _remove_at_a_prompt(store: Path, answer: bytes) -> tuple[int, str]:
    """Run `licenses remove 1` on a pseudo-terminal, wait for its question,
    answer it with ``answer`` (bytes a person types); its exit code and output."""
    import pty  # noqa: PLC0415 - POSIX only, as pseudo-terminals are
    import subprocess  # noqa: PLC0415

    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "dumb", "NO_COLOR": "1"}
    child = subprocess.Popen(
        [*LICENSES, "--store", str(store), "remove", "1"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
        preexec_fn=_own_terminal,  # noqa: PLW1509 - the child alone runs it
    )
    os.close(follower)
    try:
        seen = read_until(leader, b"[y/N]")
        os.write(leader, answer)
        seen += read_until(leader)
    finally:
        os.close(leader)
        code = child.wait(timeout=HANG_GUARD)
    return code, seen.decode("utf-8", "replace")


def test_end_of_input_at_the_remove_prompt_removes_nothing(example_store: Path) -> None:
    code, said = _remove_at_a_prompt(example_store, b"\x04")
    assert code == 0, said
    assert "Nothing removed" in said
    assert example_store.read_bytes() == EXAMPLE.read_bytes()


# --- git's messages ------------------------------------------------------------


@needs_git
@pytest.mark.parametrize("command", ["log", "undo", "sync", "git-setup"])
def test_a_store_in_a_folder_that_does_not_exist_is_no_store_not_no_git(
    tmp_path: Path, command: str
) -> None:
    """git is installed; the store's folder is not there (it was 69, "git is
    not installed", because git could not be started in that folder)."""
    store = tmp_path / "nowhere" / "licenses.toml"
    done = git_run(store, command)
    assert done.returncode == 66, done.stderr
    assert "not installed" not in done.stderr
    assert "nowhere" in done.stderr
    assert len(done.stderr.splitlines()) == 1


@needs_git
@pytest.mark.parametrize("command", ["log", "undo", "sync", "git-setup"])
def test_a_store_under_a_file_is_no_store_not_an_internal_error(
    tmp_path: Path, command: str
) -> None:
    """The store's "folder" is a file: git cannot be started in it (it was
    70, NotADirectoryError). A folder this user may not enter is 74 the same
    way (PermissionError), which root cannot be shown."""
    (tmp_path / "afile").write_text("not a folder\n", encoding="utf-8")
    store = tmp_path / "afile" / "licenses.toml"
    done = git_run(store, command)
    assert done.returncode == 66, done.stderr
    assert "afile: not a folder" in done.stderr
    assert len(done.stderr.splitlines()) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root enters any folder")
@needs_git
def test_a_store_in_a_folder_one_may_not_enter_is_74_for_git_commands(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "closed"
    folder.mkdir()
    folder.chmod(0)
    try:
        done = git_run(folder / "licenses.toml", "log")
    finally:
        folder.chmod(0o700)
    assert done.returncode == 74, done.stderr
    assert "cannot run git in it" in done.stderr
    assert len(done.stderr.splitlines()) == 1


@needs_git
def test_git_says_why_it_cannot_reach_the_remote_not_its_last_fragment(
    tmp_path: Path,
) -> None:
    store = tmp_path / "team" / "licenses.toml"
    lic(store, "init", "--git")
    git(store.parent, "remote", "add", "origin", str(tmp_path / "no-such-remote"))
    done = git_run(store, "sync")
    assert done.returncode == 75, done.stderr
    assert "does not appear to be a git repository" in done.stderr, done.stderr
    assert len(done.stderr.splitlines()) == 1


@needs_git
@pytest.mark.parametrize("text", ["", "version = 1\n[[license]]\nid = 1\n"])
def test_sync_never_publishes_a_store_a_read_refuses(tmp_path: Path, text: str) -> None:
    """A hand edit is committed and pushed by sync: one that leaves the store
    invalid (emptied, half a license) is refused (65) and nothing is committed."""
    store = tmp_path / "team" / "licenses.toml"
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    lic(store, "init", "--git")
    git(store.parent, "remote", "add", "origin", str(remote))
    lic(store, "sync")
    before = subjects(store.parent)
    store.write_text(text, encoding="utf-8")
    done = git_run(store, "sync")
    assert done.returncode == 65, done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert subjects(store.parent) == before
    assert store.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    "args",
    [
        ("agenda", "--within", "9" * 20),
        ("export", "--format", "ics", "--remind", "9" * 20),
    ],
)
@pytest.mark.usefixtures("example_store")
def test_days_that_become_a_date_too_far_are_a_usage_error(
    run: Run, args: tuple[str, ...]
) -> None:
    """The days became a date or a duration that overflows: an internal error
    (70, OverflowError)."""
    result = run("--today", TODAY, *args)
    assert result.exit_code == 64, result.stderr
    assert "OverflowError" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
