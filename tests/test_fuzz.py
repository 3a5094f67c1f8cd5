"""Hostile input, generated: whatever the store, the command line, the file to
import or the repository holds, every command answers with a documented exit
code, one line on stderr (an import's bad rows follow it, indented) and no
traceback, and a command that fails leaves the store's bytes as they were.

Every command is run here (``helpers.EVERY_COMMAND``; a test checks that it
names them all): each generated or damaged store gets ``warn`` and commands
drawn from all of them; imports get generated CSV files and damaged
workbooks; the git commands and the merge driver get hostile stores in real
repositories. Each example gets a folder of its own (no state shared between
examples). Every run is under a hang guard: one that does not end fails the
test instead of hanging the suite — a guard, never a measure of speed.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import tempfile
import tomllib
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from export_licenses.cli import app
from export_licenses.cli.app import COMMANDS as EVERY_COMMAND_NAME
from export_licenses.domain.store_data import validate
from export_licenses.errors import LicensesError
from export_licenses.service.merging import CONFLICT_MARK
from export_licenses.storage import store as store_api
from helpers import (
    EVERY_COMMAND,
    EXAMPLE,
    GIT_COMMANDS,
    STORE_WRITES,
    big_store,
    command_line,
    hang_guard,
    licenses_process,
)

# What each kind of command may answer; 70 (a bug) is never acceptable here.
pytestmark = pytest.mark.slow

WARN_CODES = {0, 1, 2, 3}
OTHER_CODES = {0, 64, 65, 66, 73, 74, 75}
GIT_CODES = {*OTHER_CODES, 69}
# merge-driver: 1 is git's "merged with conflicts" (ours kept, conflicts listed).
MERGE_CODES = {*GIT_CODES, 1}
TODAY = "2026-01-15"
STORE_COMMANDS = sorted(set(EVERY_COMMAND) - GIT_COMMANDS)
WRITES = frozenset({"init", *STORE_WRITES})


def test_every_command_is_fuzzed() -> None:
    assert set(EVERY_COMMAND) == set(EVERY_COMMAND_NAME)


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def invoke(path: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    with hang_guard():
        return CliRunner().invoke(
            app,
            ["--store", str(path), "--today", TODAY, *args],
            env=env,
            catch_exceptions=False,
        )


def assert_clean(result: Result, command: str, allowed: set[int] | None = None) -> None:
    if allowed is None:
        allowed = WARN_CODES if command == "warn" else OTHER_CODES
    assert result.exit_code in allowed, (command, result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    failed = result.exit_code == 3 if command == "warn" else result.exit_code != 0
    if failed:
        first, *more = result.stderr.splitlines() or [""]
        assert first.startswith("licenses"), result.stderr
        # One line; an import's bad rows follow it, each indented (the merge
        # driver, which git runs, says each renumbering and conflict too).
        indented = ("  ", "licenses") if command == "merge-driver" else ("  ",)
        assert all(line.startswith(indented) for line in more), result.stderr


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
        if failed or args[0] not in WRITES:
            assert (path.read_bytes() if path.exists() else None) == before, args
        else:
            store_api.read(path)  # what a write leaves, every command can read


def some_commands(data: st.DataObject, folder: Path, count: int) -> list[list[str]]:
    """warn as Nagios reads it, then ``count`` commands drawn from all of them."""
    names = data.draw(
        st.lists(st.sampled_from(STORE_COMMANDS), min_size=count, max_size=count)
    )
    return [["warn", "--format", "nagios"], *(command_line(n, folder) for n in names)]


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


@fuzz(500)
@given(doc=stores(), data=st.data())
def test_generated_stores(doc: dict[str, Any], data: st.DataObject) -> None:
    try:
        text = tomli_w.dumps(doc)
    except (TypeError, ValueError):
        return  # not representable in TOML at all
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.toml"
        path.write_text(text, encoding="utf-8")
        run_all(path, some_commands(data, Path(folder), 3))


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
@given(raw=damaged(), data=st.data())
def test_damaged_stores(raw: bytes, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "damaged.toml"
        path.write_bytes(raw)
        run_all(path, some_commands(data, Path(folder), 2))


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
        with hang_guard():
            result = CliRunner().invoke(
                app, ["--store", str(path), *args], catch_exceptions=False
            )
        assert_clean(result, command)
        if result.exit_code not in {0, 1, 2}:
            assert path.read_bytes() == before
        store_api.read(path)  # whatever happened, the store is valid


@fuzz(400)
@given(
    name=st.sampled_from(STORE_COMMANDS),
    option=st.sampled_from([*OPTIONS, "--reason", "--note", "--reference", "--all"]),
    value=OPTION_VALUES,
)
def test_every_command_with_a_hostile_value(name: str, option: str, value: str) -> None:
    """Each command's own line from EVERY_COMMAND on the example store, with
    one more option and a value built to hurt."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "licenses.toml"
        path.write_bytes(EXAMPLE.read_bytes())
        run_all(path, [[*command_line(name, Path(folder)), option, value]])


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


# --- files to import ----------------------------------------------------------------

COLUMNS = st.sampled_from(
    [
        "material",
        "destination",
        "issued",
        "quantity",
        "term_months",
        "expires",
        "renews",
        "superseded_by",
        "status",
        "shipments",
        "notes",
        "id",
        "days_left",
        "End user",
        "weird ✓",
        "",
    ]
)
CELLS = st.one_of(
    TEXT,
    st.sampled_from(
        [
            "x",
            "US",
            "Narnia",
            "2025-11-03",
            "03/11/2025",
            "2025-02-30",
            "1e999",
            "NaN",
            "-1",
            "²",
            "9" * 400,
            "=cmd|' /C calc'!A0",
            "'=quoted",
            "renewed",
            '[{"on": "2025-12-01", "quantity": 1e999}]',
            '[{"on": "2025-12-01", "quantity": 5}]',
            "[" * 2000 + "]" * 2000,
            "x" * 140_000,
            "a\x00b",
            "a\rb",
            "1",
            "5",
        ]
    ),
)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    header = draw(st.lists(COLUMNS, min_size=1, max_size=6))
    rows = draw(st.lists(st.lists(CELLS, max_size=7), max_size=4))
    delimiter = draw(st.sampled_from([",", ";"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    raw = out.getvalue().encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw
    return raw[: draw(st.integers(0, len(raw)))] if draw(st.booleans()) else raw


def import_run(source: Path, folder: Path) -> None:
    """import and import --dry-run of ``source`` into a copy of the example
    store: documented codes, and the store as it was unless it succeeded."""
    path = folder / "licenses.toml"
    path.write_bytes(EXAMPLE.read_bytes())
    for args in (["import", "--dry-run", str(source)], ["import", str(source)]):
        before = path.read_bytes()
        result = invoke(path, *args)
        assert_clean(result, "import")
        if result.exit_code != 0 or "--dry-run" in args:
            assert path.read_bytes() == before, args
        else:
            store_api.read(path)


@fuzz(300)
@given(raw=csv_files())
def test_generated_csv_files_to_import(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.csv"
        source.write_bytes(raw)
        import_run(source, Path(folder))


def _workbook() -> bytes:
    """The example store as export writes it (Licenses, Applications, Shipments)."""
    with tempfile.TemporaryDirectory() as folder:
        path, out = Path(folder) / "s.toml", Path(folder) / "all.xlsx"
        path.write_bytes(EXAMPLE.read_bytes())
        result = invoke(path, "export", "--all", "-f", "xlsx", "-o", str(out))
        assert result.exit_code == 0, result.stderr
        return out.read_bytes()


GOOD_WORKBOOK = _workbook()
MEMBERS = zipfile.ZipFile(io.BytesIO(GOOD_WORKBOOK)).namelist()
FAR_CELLS = [
    b'<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>',
    b'<c r="A1048576" t="e"><v>#DIV/0!</v></c>',
    b'<c r="ZZZ9" t="n"><v>1</v></c>',
    b'<c t="e"><v>#N/A</v></c>',
    b'<c r="&#66;2"><v>1</v></c>',
    b'<c r="D2" t="e" x=\'a>b\'><v>#REF!</v></c>',
    b'</row><row r="' + b"9" * 5000 + b'"><c><v>1</v></c>',
]


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    """The exported workbook, with members dropped, bytes flipped, cells
    planted far away or holding errors, or the archive cut short."""
    source = zipfile.ZipFile(io.BytesIO(GOOD_WORKBOOK))
    dropped = draw(st.sets(st.sampled_from(MEMBERS), max_size=2))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in MEMBERS:
            if name in dropped:
                continue
            data = bytearray(source.read(name))
            if name.startswith("xl/worksheets/") and draw(st.booleans()):
                planted = draw(st.sampled_from(FAR_CELLS))
                data = data.replace(b"</row>", b"</row><row>" + planted + b"</row>", 1)
            if data and draw(st.integers(0, 9)) == 0:
                at = draw(st.integers(0, len(data) - 1))
                data[at] ^= 1 << draw(st.integers(0, 7))
            target.writestr(name, bytes(data))
    raw = out.getvalue()
    if draw(st.integers(0, 9)) == 0:
        raw = raw[: draw(st.integers(0, len(raw)))]
    return raw


@fuzz(150)
@given(raw=workbooks())
def test_damaged_workbooks_to_import(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.xlsx"
        source.write_bytes(raw)
        import_run(source, Path(folder))


# --- the git commands and the merge driver ---------------------------------------

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ann",
    "GIT_AUTHOR_EMAIL": "ann@example.com",
    "GIT_COMMITTER_NAME": "Ann",
    "GIT_COMMITTER_EMAIL": "ann@example.com",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
}
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is missing")


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example store under git (init --git), pushed to a bare remote."""
    root = tmp_path_factory.mktemp("git-fuzz")
    env = {**os.environ, **GIT_ENV}
    subprocess.run(
        ["git", "init", "--quiet", "--bare", str(root / "remote.git")],
        check=True,
        env=env,
    )
    store = root / "team" / "licenses.toml"
    store.parent.mkdir()
    store.write_bytes(EXAMPLE.read_bytes())
    for args in (["init", "--git"], ["sync"]):
        if args == ["sync"]:
            subprocess.run(
                ["git", "remote", "add", "origin", str(root / "remote.git")],
                cwd=store.parent,
                check=True,
                env=env,
            )
        done = licenses_process("--store", str(store), *args, env=GIT_ENV)
        assert done.returncode == 0, done.stderr
    return root


@needs_git
@fuzz(60)
@given(
    raw=damaged() | st.sampled_from([b"", b"version = 1\n[[license]]\nid = 1\n"]),
    command=st.sampled_from(["log", "undo", "sync", "git-setup"]),
)
def test_git_commands_on_hostile_stores(
    repository: Path, raw: bytes, command: str
) -> None:
    """A hand edit that leaves the store hostile, then a git command: never a
    traceback, and a store a read refuses is never committed nor pushed."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "world"
        shutil.copytree(repository, root, symlinks=True)
        store = root / "team" / "licenses.toml"
        store.write_bytes(raw)
        heads = _heads(root)
        result = invoke(store, command, env=GIT_ENV)
        assert_clean(result, command, GIT_CODES)
        if result.exit_code != 0:
            assert store.read_bytes() == raw
        try:
            store_api.read(store)
        except LicensesError:
            assert _heads(root) == heads, "an invalid store was committed"


def _heads(root: Path) -> tuple[str, str]:
    def head(where: Path) -> str:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=where,
            capture_output=True,
            text=True,
            check=False,
        ).stdout

    return head(root / "team"), head(root / "remote.git")


@fuzz(150)
@given(
    sides=st.lists(
        damaged() | st.just(EXAMPLE.read_bytes()) | st.binary(max_size=200),
        min_size=3,
        max_size=3,
    )
)
def test_the_merge_driver_on_hostile_versions(sides: list[bytes]) -> None:
    """git's merge driver on three versions built to hurt: merged into a valid
    store (0), ours kept with the conflicts listed at its top (1), or refused
    with ours as it was."""
    with tempfile.TemporaryDirectory() as folder:
        files = [
            Path(folder) / name for name in ("base.toml", "ours.toml", "theirs.toml")
        ]
        for file, raw in zip(files, sides, strict=True):
            file.write_bytes(raw)
        result = invoke(
            Path(folder) / "unused.toml",
            "merge-driver",
            *map(str, files),
            "licenses.toml",
        )
        assert_clean(result, "merge-driver", MERGE_CODES)
        ours = files[1].read_bytes()
        if result.exit_code == 0:
            validate(tomllib.loads(ours.decode("utf-8")), files[1])
        elif result.exit_code == 1:  # a side git cannot merge: ours as it was
            assert ours == sides[1] or ours.startswith(CONFLICT_MARK.encode())
        else:
            assert ours == sides[1]
