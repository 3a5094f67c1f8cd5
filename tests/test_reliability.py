"""Data is never lost: concurrent writers, killed writers, hostile folders.

Crash safety is proven by killing the writer at each step of the write protocol
(``LICENSES_FAULT``), not by hoping a timed kill lands; no verdict here depends
on the machine's speed. Hostile input is in test_fuzz.py.
"""

from __future__ import annotations

import errno
import os
import random
import re
import signal
import stat
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from export_licenses.cli import app
from export_licenses.storage import fsio
from export_licenses.storage import store as store_api
from helpers import (
    HANG_GUARD,
    LICENSES,
    big_store,
    licenses_in_process,
    licenses_process,
    read_until,
)

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow


# --- concurrency -------------------------------------------------------------------


def test_eight_processes_adding_editing_and_shipping_at_once(tmp_path: Path) -> None:
    path = tmp_path / "licenses.toml"
    big_store(path, 8)
    store = str(path)
    jobs = [
        *(
            [
                "add",
                "-m",
                f"new {n}",
                "-d",
                "JP",
                "-i",
                "2025-10-01",
                "--number",
                f"NEW-{n}",
            ]
            for n in range(4)
        ),
        *(
            ["edit", str(n), "--note", f"edited {n}", "--end-user", f"user {n}"]
            for n in (1, 2)
        ),
        *(["ship", str(n), "100", "--on", "2025-07-01"] for n in (3, 4, 3, 4)),
        ["apply", "5", "--on", "2025-11-20"],
        ["close", "6", "--reason", "done"],
    ]

    def run(args: list[str]) -> subprocess.CompletedProcess[str]:
        return licenses_process(
            "--store", store, *args, env={"LICENSES_LOCK_TIMEOUT": "inf"}
        )

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        results = list(pool.map(run, jobs))
    assert [r.returncode for r in results] == [0] * len(jobs), [
        r.stderr for r in results
    ]

    data = store_api.read(path)
    by_id = {lic.id: lic for lic in data.licenses}
    assert len(by_id) == 12  # ids unique, none lost
    assert sorted(lic.number or "" for lic in data.licenses if lic.id > 8) == [
        f"NEW-{n}" for n in range(4)
    ]
    assert (by_id[1].notes, by_id[1].end_user) == ("edited 1", "user 1")
    assert (by_id[2].notes, by_id[2].end_user) == ("edited 2", "user 2")
    assert len(by_id[3].shipments) == len(by_id[4].shipments) == 2
    assert by_id[5].status == "renewal-filed"
    assert by_id[6].status == "closed"


# --- crashes ------------------------------------------------------------------------

TODAY = "2026-01-15"
STORE_NAME = "licenses.toml"
CSV_ROWS = "material,destination,issued,number\nterbium metal,JP,2025-12-01,IMP-1\n"
# The two write paths: appending blocks (add, import) and rewriting (the rest).
WRITES = {
    "add": ["add", "-m", "samarium oxide", "-d", "US", "-i", "2025-10-01"],
    "import": ["import", "{csv}"],
    "edit": ["edit", "2", "--note", "checked", "--end-user", "Acme"],
    "ship": ["ship", "3", "100", "--on", "2025-06-01"],
    "close": ["close", "4", "--reason", "done"],
}


def _write_command(name: str, folder: Path) -> list[str]:
    csv = folder / "rows.csv"
    csv.write_text(CSV_ROWS, encoding="utf-8")
    args = [arg.replace("{csv}", str(csv)) for arg in WRITES[name]]
    return ["--store", str(folder / STORE_NAME), "--today", TODAY, *args]


def _any_shipment_id(text: bytes) -> bytes:
    """The store's text with each shipment id ``ship`` gives (ten random hex
    digits) as one mark."""
    return re.sub(rb'id = "[0-9a-f]{10}" }', b'id = "<random>" }', text)


def _expected_after(name: str, size: int, tmp_path: Path) -> bytes:
    """The store as the same command leaves it when nothing goes wrong."""
    clean = tmp_path / "clean"
    clean.mkdir()
    big_store(clean / STORE_NAME, size)
    result = licenses_process(*_write_command(name, clean))
    assert result.returncode == 0, result.stderr
    return (clean / STORE_NAME).read_bytes()


@pytest.mark.parametrize("step", fsio.FAULT_STEPS)
@pytest.mark.parametrize("command", list(WRITES))
@pytest.mark.parametrize(
    "size", [8, 600], ids=["small", "cached"]
)  # 600 licenses: above the cache's threshold, so the cached-head append runs
def test_a_writer_killed_at_each_step_leaves_the_old_or_the_new_store(
    tmp_path: Path, command: str, step: str, size: int
) -> None:
    expected = _expected_after(command, size, tmp_path)
    folder = tmp_path / "killed"
    folder.mkdir()
    path = folder / STORE_NAME
    big_store(path, size)
    before = path.read_bytes()
    store_api.read(path)  # a reader filled the cache, as in real use

    killed = licenses_process(
        *_write_command(command, folder),
        env={"LICENSES_FAULT": f"{step}:{STORE_NAME}"},
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    after = path.read_bytes()
    # Before os.replace the store is exactly the old one; after it, the new one
    # (a new shipment's id is random: two runs of ship differ in it alone).
    if step == "replaced":
        assert _any_shipment_id(after) == _any_shipment_id(expected)
        assert (_any_shipment_id(after) != after) == (command == "ship")
    else:
        assert after == before
    store_api.read(path)

    # The next writer removes what the killed one left behind, and works.
    strays = list(folder.glob(f".{STORE_NAME}.*.tmp"))
    assert bool(strays) == (step != "replaced")
    again = licenses_process(*_write_command("edit", folder))
    assert again.returncode == 0, again.stderr
    assert not any(stray.exists() for stray in strays)


def test_writers_killed_at_random_moments_never_corrupt_the_store(
    tmp_path: Path,
) -> None:
    """A soak on top of the fault steps: kills timed within the command's own
    measured duration. Only the store's integrity decides the verdict; how many
    kills land mid-write depends on the machine and is not asserted."""
    path = tmp_path / STORE_NAME
    big_store(path, 3000)
    env = {**os.environ, "LICENSES_CACHE": "0"}
    started = time.monotonic()
    assert licenses_process(*_write_command("add", tmp_path)).returncode == 0
    duration = time.monotonic() - started
    rng = random.Random(20260115)  # noqa: S311 - timing jitter, not secrets
    for _ in range(10):
        before = store_api.read(path)
        proc = subprocess.Popen(
            [*LICENSES, *_write_command("add", tmp_path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )  # fmt: skip
        time.sleep(rng.uniform(0, duration))
        proc.send_signal(signal.SIGKILL)
        proc.wait(HANG_GUARD)
        after = store_api.read(path)  # always parses and validates
        assert after.licenses[: len(before.licenses)] == before.licenses
        assert len(after.licenses) in {len(before.licenses), len(before.licenses) + 1}


KILLED_WRITER = """
import sys
from pathlib import Path
from export_licenses.storage import fsio
fsio.write_atomic(Path(sys.argv[1]), Path(sys.argv[2]).read_bytes())
"""


@pytest.mark.parametrize("step", fsio.FAULT_STEPS)
def test_atomic_write_killed_at_each_step_leaves_old_or_new(
    tmp_path: Path, step: str
) -> None:
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    big_store(old, 4000)
    big_store(new, 4001)
    target = tmp_path / "licenses.toml"
    target.write_bytes(old.read_bytes())
    target.chmod(0o640)
    proc = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(target), str(new)],
        env={**os.environ, "LICENSES_FAULT": f"{step}:licenses.toml"},
        timeout=HANG_GUARD,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL
    done = step == "replaced"
    assert target.read_bytes() == (new if done else old).read_bytes()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the store keeps its mode


# --- hostile environment -----------------------------------------------------------


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_read_only_folder(tmp_path: Path) -> None:  # pragma: no cover - CI runs as root
    folder = tmp_path / "ro"
    folder.mkdir()
    big_store(folder / "licenses.toml", 2)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = licenses_process(
            "--store",
            str(folder / "licenses.toml"),
            "add",
            "-m",
            "x",
            "-d",
            "US",
            "-i",
            "2025-01-01",
        )
        assert result.returncode == 74
        assert (
            licenses_process(
                "--store", str(folder / "licenses.toml"), "list"
            ).returncode
            == 0
        )
    finally:
        folder.chmod(stat.S_IRWXU)


@pytest.mark.parametrize(
    "args",
    [
        ["add", "-m", "x", "-d", "US", "-i", "2025-01-01"],
        ["close", "1"],
        ["edit", "2", "--note", "x"],
    ],
)
def test_a_store_nobody_may_write_is_not_replaced(
    tmp_path: Path, args: list[str]
) -> None:
    # The atomic write replaces the file through its folder, which the file's
    # own mode does not stop: chmod a-w said "keep it as it is", to root too.
    path = tmp_path / "licenses.toml"
    big_store(path, 2)
    path.chmod(0o444)
    before = path.read_bytes()
    try:
        done = licenses_in_process("--store", str(path), *args)
        assert done.returncode == 74, done.stderr
        assert done.stderr == (
            f"licenses: {path}: the store is read-only (mode 0444); nothing "
            "written (chmod u+w to allow writes)\n"
        )
        assert path.read_bytes() == before
        assert stat.S_IMODE(path.stat().st_mode) == 0o444
    finally:
        path.chmod(0o600)


READ_ONLY_MOUNT = "the store's file system is mounted read-only; nothing written"


def test_a_write_on_a_read_only_file_system_names_the_mount_not_the_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mount the check before the write did not see as read-only (the store
    remounted in between): the write's EROFS is said as such; the file's mode
    is writable and chmod cannot help."""
    path = tmp_path / "licenses.toml"
    big_store(path, 2)
    before = path.read_bytes()

    def read_only_mount(*_: object, **__: object) -> tuple[int, str]:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr("tempfile.mkstemp", read_only_mount)
    done = licenses_in_process("--store", str(path), "edit", "2", "--note", "x")
    assert done.returncode == 74, done.stderr
    assert done.stderr == f"licenses: {path}: {READ_ONLY_MOUNT}\n"
    assert path.read_bytes() == before


def test_a_store_on_a_read_only_mount_names_the_mount_not_the_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a read-only mount (``mount -o ro``) reports itself to statvfs; root
    can remount, not chmod, it."""
    path = tmp_path / "licenses.toml"
    big_store(path, 2)
    before = path.read_bytes()
    real_statvfs = os.statvfs

    def mounted_read_only(where: object) -> object:
        found = real_statvfs(where)  # type: ignore[arg-type]
        return type("Mounted", (), {"f_flag": found.f_flag | os.ST_RDONLY})()

    monkeypatch.setattr("os.statvfs", mounted_read_only)
    done = licenses_in_process("--store", str(path), "close", "1")
    assert done.returncode == 74, done.stderr
    assert done.stderr == f"licenses: {path}: {READ_ONLY_MOUNT}\n"
    assert path.read_bytes() == before
    assert not path.with_name("licenses.toml.lock").exists()  # nothing written


def test_read_only_folder_as_seen_by_the_tool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root cannot be refused by permissions, refuse the temporary file instead."""
    path = tmp_path / "licenses.toml"
    big_store(path, 2)
    before = path.read_bytes()

    def refuse(*_: object, **__: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    result = CliRunner().invoke(
        app, ["--store", str(path), "add", "-m", "x", "-d", "US", "-i", "2025-01-01"]
    )
    assert result.exit_code == 74
    assert "Permission denied" in result.stderr
    assert path.read_bytes() == before


def test_store_that_is_a_folder(tmp_path: Path) -> None:
    for args in (
        ["list"],
        ["add", "-m", "x", "-d", "US", "-i", "2025-01-01"],
        ["init"],
    ):
        result = licenses_process("--store", str(tmp_path), *args)
        assert result.returncode in {73, 74}, (args, result.stderr)
        assert len(result.stderr.splitlines()) == 1
    assert licenses_process("--store", str(tmp_path), "warn").returncode == 3


def test_missing_parent_folder(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "licenses.toml"
    assert licenses_process("--store", str(missing), "list").returncode == 66
    assert licenses_process("--store", str(missing), "warn").returncode == 3
    assert not missing.parent.exists()  # readers create nothing
    assert (
        licenses_process(
            "--store", str(missing), "add", "-m", "x", "-d", "US", "-i", "2025-01-01"
        ).returncode
        == 0
    )


HOLDER = """
import sys
from pathlib import Path
from export_licenses.storage import store
with store.locked(Path(sys.argv[1]), timeout=float("inf")):
    print("held", flush=True)
    sys.stdin.read()  # until the test closes our stdin
"""


def test_lock_held_past_the_timeout(tmp_path: Path) -> None:
    path = tmp_path / "licenses.toml"
    big_store(path, 2)
    before = path.read_bytes()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None
        assert read_until(holder.stdout.fileno(), b"held\n") == b"held\n"
        # A zero wait: refused at once, whatever the machine's speed.
        env = {"LICENSES_LOCK_TIMEOUT": "0"}
        for args in (
            ["add", "-m", "x", "-d", "US", "-i", "2025-01-01"],
            ["edit", "1", "--note", "x"],
            ["ship", "1", "1"],
            ["remove", "1", "--yes"],
        ):
            result = licenses_process("--store", str(path), *args, env=env)
            assert result.returncode == 75, (args, result.stderr)
            assert "try again" in result.stderr
        # readers take no lock: warn still answers instead of UNKNOWN
        reader = licenses_process(
            "--store", str(path), "warn", "--today", "2025-06-01", env=env
        )
        assert reader.returncode in {0, 1, 2}, reader.stderr
    finally:
        holder.communicate(timeout=HANG_GUARD)  # closes stdin: the holder ends
    assert holder.returncode == 0
    assert path.read_bytes() == before
