"""The real command in child processes: what cron, scripts and terminals see."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from export_licenses.render.tables import LEGEND
from export_licenses.storage import store as store_api
from helpers import HANG_GUARD, LICENSES, big_store, licenses_process, read_until

TODAY = "2026-01-15"


def test_python_dash_m_and_console_script_agree(example: Path) -> None:
    via_module = licenses_process(
        "--store", str(example), "due", "--today", TODAY, "-f", "json"
    )
    script = shutil.which("licenses", path=str(Path(sys.executable).parent))
    assert script, "the console script is installed next to the interpreter"
    via_script = subprocess.run(
        [script, "due", "--store", str(example), "--today", TODAY, "-f", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert via_module.returncode == via_script.returncode == 0
    assert via_module.stdout == via_script.stdout


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["warn", "--today", TODAY, "--quiet"], 2),
        (["warn", "--today", TODAY], 2),
        (["warn", "--today", "15/01/2026"], 3),
        (["warn", "--critical", "99", "--within", "9"], 3),
        (["list", "--today", "tomorrow"], 64),
        (["show", "999"], 64),
        (["list", "--frobnicate"], 64),
    ],
)
def test_exit_codes(example: Path, args: list[str], code: int) -> None:
    result = licenses_process("--store", str(example), *args)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    if code in {3, 64}:
        assert len(result.stderr.splitlines()) == 1


def test_warn_exits_1_when_the_worst_is_a_warning(tmp_path: Path) -> None:
    path = str(tmp_path / "licenses.toml")
    # 49 and 76 days left on TODAY; not to be renewed, so their filing deadlines
    # (one missed, one in 7 days) do not make them CRITICAL
    for issued in ("2025-09-05", "2025-10-01"):
        assert (
            licenses_process(
                "--store", path, "add", "-m", "x", "-d", "MX", "-i", issued,
                "--no-renewal",
            ).returncode
            == 0
        )  # fmt: skip
    result = licenses_process("--store", path, "warn", "--today", TODAY)
    assert result.returncode == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "WARNING",
        "WARNING",
    ]


def test_store_errors_in_real_processes(tmp_path: Path) -> None:
    missing = tmp_path / "none.toml"
    assert licenses_process("--store", str(missing), "list").returncode == 66
    assert licenses_process("--store", str(missing), "warn").returncode == 3
    bad = tmp_path / "bad.toml"
    bad.write_text("version = 1\n[[license]\n", encoding="utf-8")
    result = licenses_process("--store", str(bad), "due")
    assert result.returncode == 65
    assert "line 2" in result.stderr
    newer = tmp_path / "newer.toml"
    newer.write_text("version = 9\n", encoding="utf-8")
    result = licenses_process(
        "--store", str(newer), "add", "-m", "x", "-d", "US", "-i", "2025-01-01"
    )
    assert result.returncode == 65
    assert newer.read_text(encoding="utf-8") == "version = 9\n"


def test_pipe_gets_plain_text_and_force_color_gets_colour(example: Path) -> None:
    plain = licenses_process("--store", str(example), "due", "--today", TODAY)
    assert "\x1b[" not in plain.stdout
    assert "─" not in plain.stdout
    forced = licenses_process(
        "--store",
        str(example),
        "due",
        "--today",
        TODAY,
        env={"FORCE_COLOR": "1", "NO_COLOR": "", "TERM": "xterm-256color"},
    )
    assert "\x1b[" in forced.stdout
    assert "expired" in forced.stdout
    # Colour only (CONTRACT.md): the pipe's layout, every column whole, no rule.
    assert "─" not in forced.stdout
    assert "MOFCOM-2025-DY-0412" in forced.stdout
    uncoloured = re.sub(r"\x1b\[[0-9;]*m", "", forced.stdout)
    assert uncoloured == plain.stdout


def run_in_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run with stdout on a pseudo-terminal, as a person at a terminal would."""
    leader, follower = pty.openpty()
    full_env = {**os.environ, "COLUMNS": "140", "LINES": "50", **env}
    full_env.pop("NO_COLOR", None) if env.get("NO_COLOR") is None else None
    proc = subprocess.Popen(
        [*LICENSES, *args],
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env=full_env,
    )
    os.close(follower)
    shown = read_until(leader)
    proc.wait(HANG_GUARD)
    os.close(leader)
    return shown.decode("utf-8", "replace")


def test_terminal_gets_a_rich_table_with_coloured_levels(example: Path) -> None:
    shown = run_in_terminal(
        ["--store", str(example), "due", "--today", TODAY], {"TERM": "xterm-256color"}
    )
    assert "──" in shown  # the Rich header rule
    assert "\x1b[" in shown
    plain = run_in_terminal(
        ["--store", str(example), "due", "--today", TODAY, "--no-color"],
        {"TERM": "xterm-256color"},
    )
    assert "──" in plain
    assert "\x1b[31" not in plain
    assert "\x1b[1;31" not in plain


@pytest.mark.slow  # concurrency
def test_concurrent_adds_from_many_processes_all_land(tmp_path: Path) -> None:
    path = tmp_path / "licenses.toml"
    writers = 12

    def add(n: int) -> subprocess.CompletedProcess[str]:
        return licenses_process(
            "--store",
            str(path),
            "add",
            "-m",
            f"material {n}",
            "-d",
            "DE",
            "-i",
            "2025-10-01",
            "--number",
            f"N-{n}",
        )

    with ThreadPoolExecutor(max_workers=writers) as pool:
        results = list(pool.map(add, range(writers)))
    assert [r.returncode for r in results] == [0] * writers, [r.stderr for r in results]
    printed = sorted(int(r.stdout) for r in results)
    assert printed == list(range(1, writers + 1))
    data = store_api.read(path)
    assert sorted(lic.number or "" for lic in data.licenses) == sorted(
        f"N-{n}" for n in range(writers)
    )
    assert {lic.id for lic in data.licenses} == set(printed)


def test_remove_asks_on_a_terminal(tmp_path: Path) -> None:
    path = tmp_path / "licenses.toml"
    for _ in range(2):
        licenses_process(
            "--store", str(path), "add", "-m", "x", "-d", "US", "-i", "2025-10-01"
        )
    for answer, remaining in ((b"n\n", [1, 2]), (b"y\n", [1])):
        leader, follower = pty.openpty()
        with subprocess.Popen(
            [
                *LICENSES,
                "--store",
                str(path),
                "remove",
                "2",
            ],
            stdin=follower,
            stdout=follower,
            stderr=follower,
        ) as proc:
            os.close(follower)
            prompt = read_until(leader, b"?")
            assert b"Remove license 2 (x to US)?" in prompt
            os.write(leader, answer)
            assert proc.wait(HANG_GUARD) == 0
        os.close(leader)
        assert [lic.id for lic in store_api.read(path).licenses] == remaining


def test_timeline_on_a_terminal_draws_in_colour_and_degrades_without(
    example: Path,
) -> None:
    args = ["--store", str(example), "timeline", "--today", TODAY]
    coloured = run_in_terminal(args, {"TERM": "xterm-256color", "COLUMNS": "80"})
    assert "━" in coloured
    assert "◆" in coloured
    assert "\x1b[" in coloured
    plain = run_in_terminal(
        [*args, "--no-color"], {"TERM": "xterm-256color", "COLUMNS": "80"}
    )
    assert "━" in plain
    assert "\x1b[3" not in plain  # no colour codes
    dumb = run_in_terminal(args, {"TERM": "dumb", "COLUMNS": "80"})
    assert "━" not in dumb
    assert "=" in dumb


def test_import_of_a_large_file_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    rows = "\n".join(
        f"material {n},DE,2025-{1 + n % 12:02d}-01,N-{n}" for n in range(2000)
    )
    source = tmp_path / "big.csv"
    source.write_text(
        "material,destination,issued,number\n" + rows + "\n", encoding="utf-8"
    )
    path = tmp_path / "licenses.toml"
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [
            *LICENSES,
            "--store",
            str(path),
            "import",
            str(source),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "80"},
    ) as proc:
        os.close(follower)
        seen = read_until(leader)
        assert proc.stdout is not None
        out = proc.stdout.read()
        assert proc.wait(HANG_GUARD) == 0
    os.close(leader)
    assert out == b"2000\n"
    assert b"Checking rows" in seen  # the Rich progress bar was drawn on stderr
    assert len(store_api.read(path).licenses) == 2000


def test_the_whole_output_arrives_through_a_pipe(
    tmp_path: Path, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing is lost with Python's own block buffering of a pipe, whether the
    # output is smaller than the buffer or streamed row by row.
    monkeypatch.delenv("PYTHONUNBUFFERED", raising=False)
    small = licenses_process("--store", str(example), "list", "--today", TODAY)
    assert small.returncode == 0, small.stderr
    assert small.stdout.splitlines()[0].split()[0] == "ID"
    # the header, a row per active license, and the legend of "~" (an estimate)
    assert small.stdout.splitlines()[-1] == LEGEND
    assert len(small.stdout.splitlines()) == 2 + len(
        [lic for lic in store_api.read(example).licenses if lic.active]
    )
    store = tmp_path / "licenses.toml"
    big_store(store, 3000)
    streamed = licenses_process(
        "--store", str(store), "due", "--within", "9999", "-f", "json", "--today", TODAY
    )
    assert len(json.loads(streamed.stdout)) == 3000


def test_a_reader_that_stops_early_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PYTHONUNBUFFERED", raising=False)
    store = tmp_path / "licenses.toml"
    big_store(store, 3000)
    child = subprocess.Popen(
        [*LICENSES, "--store", str(store), "list", "--today", TODAY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "TERM": "dumb", "NO_COLOR": "1"},
    )
    assert child.stdout is not None
    assert child.stdout.readline().split()[0] == b"ID"
    child.stdout.close()  # as `licenses list | head -1` does
    _, errors = child.communicate(timeout=HANG_GUARD)
    assert child.returncode == 0
    assert errors == b""


def test_exit_handlers_still_run(tmp_path: Path, example: Path) -> None:
    marker = tmp_path / "ran"
    probe = f"""
import atexit, pathlib, sys
atexit.register(pathlib.Path({str(marker)!r}).write_text, "yes")
sys.argv = ["licenses", "--store", {str(example)!r}, "warn", "--today", {TODAY!r}]
from export_licenses.__main__ import main
main()
"""
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2  # warn's CRITICAL
    assert result.stdout.startswith("EXPIRED: license 1 ")
    assert marker.read_text() == "yes"
