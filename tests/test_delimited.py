"""Every CSV and TSV the tool prints goes through one writer, and no text cell
of it starts a formula in a spreadsheet (issue 20, section 2): a material
``=cmd|' /C calc'!A0`` arrives as text, whichever command printed it.

Numbers stay numbers: ``days_left = -147`` is a negative number, not a formula,
and is written as it is.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from export_licenses.interchange.delimited import guard, unguard

if TYPE_CHECKING:
    from conftest import Run

SOURCE = Path(__file__).resolve().parent.parent / "src" / "export_licenses"
# What a spreadsheet reads as the start of a formula (OWASP, "CSV injection").
FORMULA_SIGNS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")
PAYLOADS = (
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    '=HYPERLINK("http://x.invalid","click")',
    "-1",
    "'=already quoted",
    "''+twice quoted",
)


def _q(text: str) -> str:
    """A TOML basic string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hostile_store(path: Path) -> None:
    """Licenses, applications and controls whose every text field starts a
    formula."""
    blocks = ["version = 1\n"]
    for n, payload in enumerate(PAYLOADS, start=1):
        blocks.append(
            f"""[[application]]
id = "A{n}"
material = {_q(payload)}
destination = "US"
end_user = {_q(payload + " end user")}
exporter = {_q(payload + " exporter")}
reference = {_q(payload + " reference")}
unit = {_q(payload + " unit")}
quantity = 10
filed = 2025-0{1 + n % 9}-05
accepted = 2025-0{1 + n % 9}-08
status = "{"pending" if n % 2 else "granted"}"
{"" if n % 2 else f"decided = 2025-1{n % 3}-10"}
{"" if n % 2 else f"license = {n}"}
notes = {_q(payload + " notes")}
"""
        )
    for n, payload in enumerate(PAYLOADS, start=1):
        blocks.append(
            f"""[[license]]
id = {n}
number = {_q(payload + f" number {n}")}
material = {_q(payload)}
destination = "US"
exporter = {_q(payload + " exporter")}
end_user = {_q(payload + " end user")}
issued = 2025-0{1 + n % 9}-03
term_months = {3 + n}
quantity = 100
unit = {_q(payload + " unit")}
notes = {_q(payload + " notes")}
{'status = "closed"' if n == 3 else ""}
{"closed = 2025-12-01" if n == 3 else ""}
{f"close_reason = {_q(payload + ' reason')}" if n == 3 else ""}
shipments = [{{ on = 2025-0{1 + n % 9}-20, quantity = 1, note = {_q(payload + " shipped")} }}]
"""
        )
    for n, payload in enumerate(PAYLOADS, start=1):
        blocks.append(
            f"""[[control]]
number = {_q(payload + f" No. {n}")}
authority = "MOFCOM"
title = {_q(payload)}
published = 2025-01-0{n}
effective = 2025-02-0{n}
items = [{_q(payload)}, {_q(payload + " item")}]
destinations = []
source = "https://example.com/{n}"
"""
        )
    path.write_text("\n".join(blocks), encoding="utf-8")


# Every command that prints CSV or TSV, with options that print every row.
DELIMITED = [
    (["list", "--all"], ("csv", "tsv")),
    (["due", "--within", "3000"], ("csv", "tsv")),
    (["applications", "--all"], ("csv", "tsv")),
    (["agenda", "--all"], ("csv", "tsv")),
    (["stats"], ("csv", "tsv")),
    (["coverage"], ("csv", "tsv")),
    (["controls"], ("csv", "tsv")),
    (["export", "--all"], ("csv",)),
]


def cells(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


@pytest.mark.parametrize(
    ("args", "fmt"),
    [(args, fmt) for args, formats in DELIMITED for fmt in formats],
    ids=lambda value: value if isinstance(value, str) else value[0],
)
def test_no_text_cell_starts_a_formula(
    run: Run, store: Path, args: list[str], fmt: str
) -> None:
    hostile_store(store)
    result = run("--today", "2026-01-15", *args, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    rows = cells(result.stdout, "\t" if fmt == "tsv" else ",")
    assert len(rows) > 2, result.stdout
    header, body = rows[0], rows[1:]
    for row in body:
        assert len(row) == len(header), row
        for key, cell in zip(header, row, strict=True):
            if cell.startswith(FORMULA_SIGNS):
                assert NUMBER.fullmatch(cell), (args, fmt, key, cell)
    if args[0] == "agenda":
        return  # its text is a sentence: the hostile text is inside it, never first
    # the hostile text is there, guarded, not dropped
    guarded = [cell for row in body for cell in row if cell.startswith("'")]
    assert any(cell[1:].startswith(("=", "+", "-", "@")) for cell in guarded)
    assert "'@SUM(1+9)*cmd|' /C calc'!A0" in guarded


def test_a_negative_number_stays_a_number(run: Run, store: Path) -> None:
    hostile_store(store)
    result = run("--today", "2026-01-15", "list", "--all", "--format", "csv")
    rows = cells(result.stdout, ",")
    days_left = rows[0].index("days_left")
    material = rows[0].index("material")
    assert any(row[days_left].startswith("-") for row in rows[1:])
    assert all(NUMBER.fullmatch(row[days_left]) for row in rows[1:])
    # while the text "-1" is text, and guarded
    assert "'-1" in [row[material] for row in rows[1:]]


def test_an_exported_file_imports_back_as_it_was(run: Run, store: Path) -> None:
    """The guard is undone on import: the hostile text comes back exactly."""
    hostile_store(store)
    exported = store.parent / "out.csv"
    assert run("export", "--all", "--format", "csv", "-o", str(exported)).exit_code == 0
    copy = store.parent / "copy.toml"
    result = run("--store", str(copy), "import", str(exported))
    assert result.exit_code == 0, result.stderr
    again = run("--store", str(copy), "export", "--all", "--format", "json")
    original = run("export", "--all", "--format", "json")
    materials = [line for line in again.stdout.splitlines() if '"material"' in line]
    assert materials == [
        line for line in original.stdout.splitlines() if '"material"' in line
    ]


@pytest.mark.parametrize("text", [*PAYLOADS, "\t=1", "\r=1", "plain", "", "'"])
def test_guard_and_unguard_are_inverse(text: str) -> None:
    guarded = guard(text)
    assert not guarded.startswith(FORMULA_SIGNS)
    assert unguard(guarded) == text


def test_one_writer_prints_every_csv_and_tsv() -> None:
    """Only interchange/delimited.py makes a csv writer: a new command's CSV
    cannot bypass the guard."""
    writers = sorted(
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if "csv.writer(" in path.read_text(encoding="utf-8")
        or "DictWriter(" in path.read_text(encoding="utf-8")
    )
    assert writers == ["interchange/delimited.py"]
