"""The recipes' scheduling is real: the systemd units pass ``systemd-analyze
verify`` (where systemd is installed), and the cron line for notify runs with
the URLs it shows (issue 24: the docs show a cron line and a systemd timer)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import HANG_GUARD, licenses_process

RECIPES = Path(__file__).resolve().parent.parent / "docs" / "recipes.md"
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
# The console script the package installs, where ExecStart expects it.
CONSOLE_SCRIPT = Path(sys.executable).parent / "licenses"


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", RECIPES.read_text("utf-8"), re.DOTALL)


def _units() -> dict[str, str]:
    """Each unit the recipes show, by the file name its first line gives."""
    return {block.splitlines()[0].lstrip("# "): block for block in _blocks("ini")}


def test_the_recipes_show_a_timer_for_notify_and_a_cron_line() -> None:
    units = _units()
    assert "licenses-notify.timer" in units
    assert "notify" in units["licenses-notify.service"]
    assert any(" notify" in block for block in _blocks("cron"))


@pytest.mark.skipif(
    SYSTEMD_ANALYZE is None,
    reason="no systemd-analyze on PATH (Debian: apt-get install systemd)",
)
@pytest.mark.skipif(
    not CONSOLE_SCRIPT.is_file(), reason="the console script is not installed"
)
def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    assert SYSTEMD_ANALYZE is not None
    home, units, runtime = tmp_path / "home", tmp_path / "units", tmp_path / "run"
    (home / ".local" / "bin").mkdir(parents=True)
    (home / ".local" / "bin" / "licenses").symlink_to(CONSOLE_SCRIPT)
    units.mkdir()
    runtime.mkdir(mode=0o700)
    names = []
    for name, text in _units().items():
        (units / name).write_text(text, "utf-8")
        names.append(str(units / name))
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime)}
    done = subprocess.run(
        [SYSTEMD_ANALYZE, "verify", "--user", *names],
        capture_output=True,
        text=True,
        env=env,
        timeout=HANG_GUARD,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_cron_line_for_notify_runs(tmp_path: Path) -> None:
    """The documented line, its store swapped for a test one and --dry-run
    added so nothing leaves the machine: its URLs are ones Apprise takes."""
    (block,) = [b for b in _blocks("cron") if " notify" in b]
    setting, schedule = block.strip().splitlines()
    name, _, value = setting.partition("=")
    fields = shlex.split(schedule)
    assert fields[:5] == ["0", "*", "*", "*", "*"]  # hourly
    assert fields[5:7] == ["chronic", "licenses"]
    args = fields[7:]
    store = tmp_path / "licenses.toml"
    args[args.index("--store") + 1] = str(store)
    assert licenses_process("--store", str(store), "init").returncode == 0
    added = licenses_process(
        "--store",
        str(store),
        "add",
        "-m",
        "dysprosium oxide",
        "-d",
        "US",
        "-i",
        "2026-01-05",
    )
    assert added.returncode == 0, added.stderr
    done = licenses_process(
        *args, "--dry-run", "--today", "2026-06-20", env={name: value.strip('"')}
    )
    assert done.returncode == 0, done.stderr
    # to each of the two services, and nothing remembered by a dry run
    assert "would send to E-Mail mailto://alerts:****@mail.example.com" in done.stdout
    assert "would send to Slack slack://" in done.stdout
    assert "file the renewal of license 1" in done.stdout
    assert not (tmp_path / ".licenses.toml.notified.json").exists()
