"""Data is never lost: concurrent writers, killed writers, bad input, hostile folders.

Bounded in time so CI runs them on every change.
"""

from __future__ import annotations

import os
import random
import signal
import stat
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import LICENSES, licenses_process
from export_licenses import store as store_api
from export_licenses.cli import app

if TYPE_CHECKING:
    from pathlib import Path

EXIT_CODES = {0, 1, 2, 3, 64, 65, 66, 73, 74, 75}


def big_store(path: Path, count: int) -> None:
    lines = ["version = 1", ""]
    for n in range(1, count + 1):
        lines += [
            "[[license]]",
            f"id = {n}",
            f'number = "N-{n:05d}"',
            f'material = "material {n}"',
            'destination = "DE"',
            f"issued = 2025-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "term_months = 6",
            "quantity = 1000",
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")


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
            "--store", store, *args, env={"LICENSES_LOCK_TIMEOUT": "60"}
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


# --- crashes -------------------------------------------------------------------------


def test_writers_killed_at_random_moments_never_corrupt_the_store(
    tmp_path: Path,
) -> None:
    path = tmp_path / "licenses.toml"
    big_store(path, 3000)
    rng = random.Random(20260115)  # noqa: S311 - timing jitter, not secrets
    kills = 0
    deadline = time.monotonic() + 40
    rounds = 0
    while rounds < 25 and time.monotonic() < deadline:
        rounds += 1
        before = store_api.read(path)
        proc = subprocess.Popen(
            [*LICENSES, "--store", str(path), "add",
             "-m", f"round {rounds}", "-d", "US", "-i", "2025-10-01"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "LICENSES_CACHE": "0"},
        )  # fmt: skip
        time.sleep(rng.uniform(0.05, 0.6))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        after = store_api.read(path)  # always parses and validates
        assert after.licenses[: len(before.licenses)] == before.licenses
        assert len(after.licenses) in {len(before.licenses), len(before.licenses) + 1}
    assert kills >= 5, "the kills should land during the work, not after it"
    # stray temporaries are never taken for the store, and the next writer clears them
    strays = list(tmp_path.glob(".licenses.toml.*.tmp"))
    assert (
        licenses_process(
            "--store", str(path), "add", "-m", "x", "-d", "US", "-i", "2025-10-01"
        ).returncode
        == 0
    )
    assert not any(stray.exists() for stray in strays)


KILLED_WRITER = """
import sys
from pathlib import Path
from export_licenses import store
target = Path(sys.argv[1])
texts = [Path(sys.argv[2]).read_text(), Path(sys.argv[3]).read_text()]
n = 0
while True:
    store.write_atomic(target, texts[n % 2])
    n += 1
"""


def test_atomic_write_killed_mid_loop_leaves_old_or_new(tmp_path: Path) -> None:
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    big_store(old, 4000)
    big_store(new, 4001)
    target = tmp_path / "licenses.toml"
    target.write_bytes(old.read_bytes())
    contents = {old.read_bytes(), new.read_bytes()}
    rng = random.Random(7)  # noqa: S311 - timing jitter, not secrets
    for _ in range(15):
        proc = subprocess.Popen(
            [sys.executable, "-c", KILLED_WRITER, str(target), str(old), str(new)]
        )
        time.sleep(rng.uniform(0.2, 0.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert target.read_bytes() in contents


# --- bad input ---------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    TEXT,
    st.dates(min_value=date(1, 1, 1)),
    st.datetimes(max_value=datetime(9999, 1, 1)),  # noqa: DTZ001 - TOML local datetimes
    st.lists(st.integers(), max_size=3),
)
GOOD_LICENSE: dict[str, Any] = {
    "id": 1,
    "material": "dysprosium oxide",
    "destination": "US",
    "issued": date(2025, 11, 3),
    "term_months": 6,
}
KEYS = st.sampled_from(
    [
        *GOOD_LICENSE,
        "number",
        "expires",
        "status",
        "kind",
        "quantity",
        "unit",
        "hs_code",
        "shipments",
        "renews",
        "notes",
        "weird ✓ key",
    ]
)


@st.composite
def stores(draw: st.DrawFn) -> dict[str, Any]:
    licenses = []
    for n in range(draw(st.integers(0, 3))):
        lic = {**GOOD_LICENSE, "id": draw(st.sampled_from([n + 1, 1, -5, 2**40]))}
        for key, value in draw(st.dictionaries(KEYS, VALUES, max_size=3)).items():
            if value is None:
                lic.pop(key, None)
            else:
                lic[key] = value
        licenses.append(lic)
    doc: dict[str, Any] = {"version": draw(st.sampled_from([1, 1, 1, 2, 0]))}
    if draw(st.booleans()):
        doc["settings"] = draw(
            st.dictionaries(
                st.sampled_from(
                    [
                        "term_months",
                        "warn_days",
                        "critical_days",
                        "calendar",
                        "review_working_days",
                    ]
                ),
                st.one_of(st.integers(-5, 400), TEXT),
                max_size=3,
            )
        )
    if licenses:
        doc["license"] = licenses
    return doc


def assert_clean_failure(result: Any) -> None:
    assert result.exit_code in EXIT_CODES, result.output
    if result.exit_code not in {0, 1, 2}:
        assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(doc=stores())
def test_generated_stores_work_or_fail_cleanly(
    tmp_path: Path, doc: dict[str, Any]
) -> None:
    path = tmp_path / "generated.toml"
    try:
        path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    except (TypeError, ValueError):
        return  # not representable in TOML at all
    before = path.read_bytes()
    runner = CliRunner()
    for args in (
        ["list", "--all", "-f", "json"],
        ["due"],
        ["warn"],
        ["show", "1"],
        ["export", "-f", "csv"],
        ["timeline"],
        ["add", "-m", "x", "-d", "US", "-i", "2025-01-01"],
        ["edit", "1", "--note", "n"],
        ["ship", "1", "1"],
    ):
        result = runner.invoke(
            app,
            ["--store", str(path), "--today", "2026-01-15", *args],
            catch_exceptions=False,
        )
        assert_clean_failure(result)
        if args[0] in {"add", "edit", "ship"} and result.exit_code == 0:
            before = path.read_bytes()  # it worked: the new content is the reference
            store_api.read(path)
        assert path.read_bytes() == before


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    raw=st.binary(max_size=300) | st.text(max_size=300).map(lambda s: s.encode("utf-8"))
)
def test_arbitrary_bytes_as_a_store(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "raw.toml"
    path.write_bytes(raw)
    result = CliRunner().invoke(
        app, ["--store", str(path), "due"], catch_exceptions=False
    )
    assert result.exit_code in {0, 65}
    assert path.read_bytes() == raw


OPTION_VALUES = st.one_of(
    TEXT,
    st.sampled_from(
        [
            "",
            "-1",
            "0",
            "99999999999999999999",
            "2025-02-29",
            "2024-02-29",
            "NaN",
            "1e400",
            "../../etc",
            "\x00",
        ]
    ),
)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    command=st.sampled_from(
        [
            "add",
            "edit",
            "ship",
            "due",
            "warn",
            "show",
            "renew",
            "apply",
            "close",
            "list",
        ]
    ),
    values=st.lists(OPTION_VALUES, min_size=1, max_size=4),
    option=st.sampled_from(
        [
            "--material",
            "--destination",
            "--issued",
            "--expires",
            "--term",
            "--quantity",
            "--within",
            "--critical",
            "--on",
            "--today",
            "--number",
            "--hs-code",
            "--kind",
            "--status",
            "--format",
        ]
    ),
)
def test_generated_command_lines_work_or_fail_cleanly(
    tmp_path: Path, command: str, values: list[str], option: str
) -> None:
    path = tmp_path / "cli.toml"
    if not path.exists():
        big_store(path, 2)
    before = path.read_bytes()
    args = [command]
    if command in {"edit", "ship", "show", "renew", "apply", "close"}:
        args.append(values.pop(0) if len(values) > 1 else "1")
    if command == "ship":
        args.append(values.pop(0) if len(values) > 1 else "5")
    args += [option, values[0]]
    result = CliRunner().invoke(
        app, ["--store", str(path), *args], catch_exceptions=False
    )
    assert result.exit_code in EXIT_CODES
    assert "Traceback" not in result.stderr
    if result.exit_code not in {0, 1, 2}:
        assert len(result.stderr.splitlines()) == 1, result.stderr
        assert path.read_bytes() == before
    store_api.read(path)  # whatever happened, the store is valid


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
import sys, time
from pathlib import Path
from export_licenses import store
with store.locked(Path(sys.argv[1]), timeout=5):
    print("held", flush=True)
    time.sleep(30)
"""


def test_lock_held_past_the_timeout(tmp_path: Path) -> None:
    path = tmp_path / "licenses.toml"
    big_store(path, 2)
    before = path.read_bytes()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        env = {"LICENSES_LOCK_TIMEOUT": "0.3"}
        for args in (
            ["add", "-m", "x", "-d", "US", "-i", "2025-01-01"],
            ["edit", "1", "--note", "x"],
            ["ship", "1", "1"],
            ["remove", "1", "--yes"],
        ):
            started = time.monotonic()
            result = licenses_process("--store", str(path), *args, env=env)
            assert result.returncode == 75, (args, result.stderr)
            assert "try again" in result.stderr
            assert time.monotonic() - started < 5  # gave up after the timeout
        # readers take no lock: warn still answers instead of UNKNOWN
        reader = licenses_process(
            "--store", str(path), "warn", "--today", "2025-06-01", env=env
        )
        assert reader.returncode in {0, 1, 2}, reader.stderr
    finally:
        holder.kill()
        holder.communicate()
    assert path.read_bytes() == before
