"""Hostile input, generated: whatever the store or the command line holds, every
command answers with a documented exit code, one line on stderr and no traceback,
and a command that fails leaves the store's bytes as they were.

Each example gets a folder of its own (no state shared between examples).
About 2,100 examples in all; well under a minute.
"""

from __future__ import annotations

import os
import socket
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from export_licenses.cli import app
from export_licenses.storage import store as store_api
from helpers import EXAMPLE, big_store, licenses_process

# What each kind of command may answer; 70 (a bug) is never acceptable here.
pytestmark = pytest.mark.slow

WARN_CODES = {0, 1, 2, 3}
OTHER_CODES = {0, 64, 65, 66, 73, 74, 75}
TODAY = "2026-01-15"


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def invoke(path: Path, *args: str) -> Result:
    return CliRunner().invoke(
        app, ["--store", str(path), "--today", TODAY, *args], catch_exceptions=False
    )


def assert_clean(result: Result, command: str) -> None:
    allowed = WARN_CODES if command == "warn" else OTHER_CODES
    assert result.exit_code in allowed, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    failed = result.exit_code == 3 if command == "warn" else result.exit_code != 0
    if failed:
        assert len(result.stderr.splitlines()) == 1, result.stderr


def run_all(path: Path, commands: list[list[str]]) -> None:
    """Run each command; a failure must leave the store's bytes untouched."""
    for args in commands:
        before = path.read_bytes() if path.exists() else None
        result = invoke(path, *args)
        assert_clean(result, args[0])
        if args[0] == "warn" and "nagios" in args:
            assert result.stdout.startswith("LICENSES "), result.stdout
            assert len(result.stdout.splitlines()) == 1
        failed = result.exit_code == 3 if args[0] == "warn" else result.exit_code != 0
        if failed or args[0] not in {"add", "edit", "ship"}:
            assert (path.read_bytes() if path.exists() else None) == before
        else:
            store_api.read(path)  # what a write leaves, every command can read


# --- generated TOML stores -------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([2**53, 2**53 + 1, 2**63 - 1, 0, -1]),
    st.floats(allow_nan=True),
    TEXT,
    st.dates(min_value=date(1, 1, 1)),
    st.sampled_from([date(9999, 12, 31), date(1, 1, 1), date(2199, 12, 31)]),
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
        "renewal_filed",
        "closed",
        "notes",
        "weird ✓ key",
    ]
)
SETTINGS_KEYS = st.sampled_from(
    ["term_months", "warn_days", "critical_days", "calendar", "review_working_days"]
)


@st.composite
def stores(draw: st.DrawFn) -> dict[str, Any]:
    licenses = []
    for n in range(draw(st.integers(0, 3))):
        lic = {**GOOD_LICENSE, "id": draw(st.sampled_from([n + 1, 1, -5, 2**53]))}
        for key, value in draw(st.dictionaries(KEYS, VALUES, max_size=3)).items():
            if value is None:
                lic.pop(key, None)
            else:
                lic[key] = value
        licenses.append(lic)
    doc: dict[str, Any] = {}
    version = draw(st.sampled_from([1, 1, 1, 2, 0, None, "1"]))
    if version is not None:
        doc["version"] = version
    if draw(st.booleans()):
        doc["settings"] = draw(
            st.dictionaries(
                SETTINGS_KEYS, st.one_of(st.integers(-5, 400), TEXT), max_size=3
            )
        )
    if draw(st.booleans()):
        doc["removed_ids"] = draw(
            st.lists(st.sampled_from([1, 7, 2**53, 2**63 - 1, -1]), max_size=2)
        )
    if licenses:
        doc["license"] = licenses
    return doc


STORE_COMMANDS = [
    ["warn", "--format", "nagios"],
    ["list", "--all", "-f", "json"],
    ["add", "-m", "x", "-d", "US", "-i", "2025-01-01"],
    ["edit", "1", "--note", "n"],
]


@fuzz(500)
@given(doc=stores())
def test_generated_stores(doc: dict[str, Any]) -> None:
    try:
        text = tomli_w.dumps(doc)
    except (TypeError, ValueError):
        return  # not representable in TOML at all
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.toml"
        path.write_text(text, encoding="utf-8")
        run_all(path, STORE_COMMANDS)


# --- damaged bytes of a real store -----------------------------------------------

GOOD_BYTES = EXAMPLE.read_bytes()


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    raw = bytearray(GOOD_BYTES)
    how = draw(
        st.sampled_from(["flip", "truncate", "bom", "nest", "huge", "far", "blank"])
    )
    if how == "flip":
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(raw) - 1))
            raw[at] ^= 1 << draw(st.integers(0, 7))
    elif how == "truncate":
        del raw[draw(st.integers(0, len(raw))) :]
    elif how == "bom":
        raw[:0] = b"\xef\xbb\xbf"
    elif how == "nest":
        depth = draw(st.integers(10, 100_000))
        raw += b"\ndeep = " + b"[" * depth + b"]" * depth + b"\n"
    elif how == "huge":
        raw = raw.replace(
            b"id = 3\n",
            b"id = " + str(draw(st.integers(2**53, 2**70))).encode() + b"\n",
        )
    elif how == "far":
        year = draw(st.sampled_from([1, 1899, 2200, 9999]))
        raw = raw.replace(b"issued = 2025-", f"issued = {year:04d}-".encode(), 1)
    else:
        raw = bytearray(draw(st.sampled_from([b"", b" \n\t\n", b"# just a comment\n"])))
    return bytes(raw)


@fuzz(700)
@given(raw=damaged())
def test_damaged_stores(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "damaged.toml"
        path.write_bytes(raw)
        run_all(
            path,
            [
                ["warn", "--format", "nagios"],
                ["add", "-m", "x", "-d", "US", "-i", "2025-01-01"],
            ],
        )


@fuzz(300)
@given(
    raw=st.binary(max_size=300) | st.text(max_size=300).map(lambda s: s.encode("utf-8"))
)
def test_arbitrary_bytes_as_a_store(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "raw.toml"
        path.write_bytes(raw)
        result = invoke(path, "due")
        assert result.exit_code in {0, 65}
        assert path.read_bytes() == raw


# --- generated command lines -----------------------------------------------------

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
            "9999-12-31",
            "0001-01-01",
            "1899-12-31",
            "2200-01-01",
            "NaN",
            "1e400",
            "../../etc",
            "\x00",
        ]
    ),
)
COMMANDS = ["add", "edit", "ship", "due", "warn", "show", "renew", "apply", "close"]
OPTIONS = [
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


@fuzz(600)
@given(
    command=st.sampled_from([*COMMANDS, "list", "timeline", "export"]),
    values=st.lists(OPTION_VALUES, min_size=1, max_size=4),
    option=st.sampled_from(OPTIONS),
)
def test_generated_command_lines(command: str, values: list[str], option: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cli.toml"
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
        assert_clean(result, command)
        if result.exit_code not in {0, 1, 2}:
            assert path.read_bytes() == before
        store_api.read(path)  # whatever happened, the store is valid


# --- paths that are not regular files --------------------------------------------

READERS = [["list"], ["due"], ["show", "1"], ["timeline"], ["export"]]
WRITERS = [
    ["add", "-m", "x", "-d", "US", "-i", "2025-01-01"],
    ["edit", "1", "--note", "x"],
    ["init"],
]


def _special(kind: str, folder: Path) -> Path:
    if kind == "device":
        return Path(os.devnull)
    path = folder / f"{kind}.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.close()
    return path


@pytest.mark.parametrize("kind", ["fifo", "device", "socket"])
def test_a_store_path_that_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    """Refused at once (a FIFO is never waited on), and never replaced."""
    path = _special(kind, tmp_path)
    mode = path.stat().st_mode
    for args in READERS:
        result = licenses_process("--store", str(path), *args)
        assert result.returncode == 66, (args, result.stderr)
        assert len(result.stderr.splitlines()) == 1
        assert "not a store file" in result.stderr
    for args in WRITERS:
        result = licenses_process("--store", str(path), *args)
        assert result.returncode == 73, (args, result.stderr)
        assert len(result.stderr.splitlines()) == 1
    for fmt in ("text", "nagios", "json"):
        result = licenses_process("--store", str(path), "warn", "--format", fmt)
        assert result.returncode == 3
        if fmt != "text":
            assert "UNKNOWN" in result.stdout
    assert path.stat().st_mode == mode  # still the same kind of thing
    assert not list(tmp_path.glob(f".{path.name}.*"))
