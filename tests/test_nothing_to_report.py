"""Runs with nothing to do say so and leave no trace: an import of a header-only
CSV rewrote the store (a blank line appended; with git, a commit of nothing), and
``stats`` in a script's format printed MOFCOM's total row of zeros for a store
with no application, a row that is no data."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

import pytest

from helpers import EXAMPLE

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run


def test_an_import_of_no_rows_leaves_the_store_as_it_was(
    run: Run, store: Path, tmp_path: Path
) -> None:
    store.write_bytes(EXAMPLE.read_bytes())
    header_only = tmp_path / "empty.csv"
    header_only.write_text("material,destination,issued\n", encoding="utf-8")
    before = store.stat()
    done = run("import", str(header_only))
    assert done.exit_code == 0, done.stderr
    assert done.stdout == "0\n"
    assert (
        done.stderr == f"Nothing to import from {header_only}: no change to {store}\n"
    )
    after = store.stat()  # not even rewritten with the same bytes
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert store.read_bytes() == EXAMPLE.read_bytes()


def test_stats_of_a_store_without_applications(run: Run, store: Path) -> None:
    store.write_text("version = 1\n", encoding="utf-8")
    as_csv = run("stats", "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.stderr
    [header] = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert header[:3] == ["material", "destination", "decided"]
    assert run("stats", "--format", "tsv").stdout.count("\n") == 1
    assert json.loads(run("stats", "--format", "json").stdout) == []
    # A person's table still says "all 0": nothing was filed.
    assert "all       all   0" in run("stats").stdout


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_stats_rows_of_a_store_with_applications_end_in_the_total(
    run: Run, example: Path, fmt: str
) -> None:
    done = run("--store", str(example), "stats", "--format", fmt)
    assert done.exit_code == 0, done.stderr
    if fmt == "json":
        rows = json.loads(done.stdout)
    else:
        rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) > 1
    assert rows[-1]["material"] in (None, "")  # MOFCOM's total, as before
