"""Files built to hurt, given to ``import`` (issue 20, section 4): each is one
line on stderr and a documented exit code — never an abort, a MemoryError, an
internal error (70) or a wait — and the store is left as it was.

Workbooks: a sheet with cells at A1 and XFD1048576 (a 549 GB grid to the
reader), an archive that unpacks far beyond its declared sizes, no
``xl/workbook.xml``, no sheets, cells holding ``#DIV/0!``. Files: a device, a
FIFO, a file over the size an import may have. CSV: a header field over
131,072 characters, a NUL byte, shipments as JSON with ``1e999``, ``NaN`` and
nesting 100,000 deep.
"""

from __future__ import annotations

import io
import os
import resource
import subprocess
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
import pytest

from export_licenses.interchange import import_rows
from helpers import EXAMPLE, HANG_GUARD, LICENSES, licenses_process

if TYPE_CHECKING:
    from conftest import Run

HEADER: list[str | int] = ["material", "destination", "issued", "quantity"]


def workbook_bytes(rows: list[list[str | int]], title: str = "Licenses") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewritten(raw: bytes, change: dict[str, bytes | None]) -> bytes:
    """The archive ``raw`` with members replaced (bytes) or left out (None)."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = change.get(info.filename, source.read(info))
            if data is not None:
                target.writestr(info.filename, data)
    return out.getvalue()


def sheet_xml(raw: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml").decode()


GOOD = workbook_bytes([HEADER, ["x", "US", "2025-11-03", 100]])


def far_cell() -> bytes:
    """Cells at A1 and XFD1048576: 4.7 KB, and a 17-billion-cell grid."""
    text = sheet_xml(GOOD).replace(
        "</sheetData>",
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>'
        "</row></sheetData>",
    )
    return rewritten(GOOD, {"xl/worksheets/sheet1.xml": text.encode()})


def lying_sizes() -> bytes:
    """A member that unpacks to 64 MiB while the archive says 1 KiB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in zipfile.ZipFile(io.BytesIO(GOOD)).infolist():
            target.writestr(info, zipfile.ZipFile(io.BytesIO(GOOD)).read(info))
        target.writestr("xl/sharedStrings.xml", b" " * (64 << 20))
    raw = bytearray(out.getvalue())
    # the central directory's uncompressed size of the last member: 1 KiB
    at = raw.rfind(b"PK\x01\x02")
    raw[at + 24 : at + 28] = (1024).to_bytes(4, "little")
    return bytes(raw)


def error_cells() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Licenses"
    sheet.append(HEADER)
    sheet.append(["x", "US", "2025-11-03", None])
    sheet["D2"].value = "#DIV/0!"
    sheet["D2"].data_type = "e"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def uncomputed_formula() -> bytes:
    """A formula written by a program that computes none (openpyxl): no value
    saved with it, which the reader gives as an empty cell."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Licenses"
    sheet.append(HEADER)
    sheet.append(["x", "US", "2025-11-03", "=40*25"])
    out = io.BytesIO()
    book.save(out)
    assert b"<f>40*25</f>" in zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml")
    return out.getvalue()


WORKBOOKS = {
    "far-cell": (far_cell, "more than the 5,000,000 cells"),
    "no-workbook-part": (
        lambda: rewritten(GOOD, {"xl/workbook.xml": None}),
        "no xl/workbook.xml",
    ),
    "no-sheets": (
        lambda: rewritten(
            GOOD,
            {
                "xl/workbook.xml": zipfile.ZipFile(io.BytesIO(GOOD))
                .read("xl/workbook.xml")
                .replace(b'<sheet name="Licenses" sheetId="1"', b"<x")
            },
        ),
        "no sheet",
    ),
    "lying-sizes": (lying_sizes, "not a readable Excel workbook"),
    "error-cell": (error_cells, "D: quantity: the cell holds the error #DIV/0!"),
    "uncomputed-formula": (
        uncomputed_formula,
        "D: quantity: the cell holds the formula =40*25 but no value",
    ),
    "not-zip-magic-only": (lambda: b"PK\x03\x04" + b"\0" * 100, "not a readable"),
}


@pytest.mark.parametrize("name", list(WORKBOOKS))
def test_a_hostile_workbook_is_one_line_and_65(tmp_path: Path, name: str) -> None:
    build, said = WORKBOOKS[name]
    workbook = tmp_path / f"{name}.xlsx"
    workbook.write_bytes(build())
    store = tmp_path / "licenses.toml"
    store.write_bytes(EXAMPLE.read_bytes())
    for args in (["import", str(workbook)], ["import", "--dry-run", str(workbook)]):
        result = licenses_process("--store", str(store), *args)
        assert result.returncode == 65, (args, result.returncode, result.stderr)
        assert said in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        lines = result.stderr.splitlines()
        # a problem in a row: the import's line, then the row's
        in_a_row = name in {"error-cell", "uncomputed-formula"}
        assert len(lines) == (2 if in_a_row else 1), result.stderr
        assert store.read_bytes() == EXAMPLE.read_bytes()


def test_a_row_number_of_5000_digits_is_refused(tmp_path: Path, run: Run) -> None:
    """int() refuses 4,300 digits or more (a ValueError, exit 70), and the
    reader wraps such a number into a grid of terabytes (it aborts): refused."""
    text = sheet_xml(GOOD).replace('<row r="2"', '<row r="' + "9" * 5000 + '"')
    workbook = tmp_path / "long-row.xlsx"
    workbook.write_bytes(rewritten(GOOD, {"xl/worksheets/sheet1.xml": text.encode()}))
    result = run("import", str(workbook))
    assert result.exit_code == 65, result.stderr
    assert "is not a row number" in result.stderr


def test_a_far_cell_within_bounds_is_read(tmp_path: Path, run: Run) -> None:
    """The bound is on the grid, not on where a cell may be: a note far down a
    sheet of a few columns is read as ever."""
    text = sheet_xml(GOOD).replace(
        "</sheetData>",
        '<row r="100000"><c r="A100000" t="inlineStr"><is><t>y</t></is></c>'
        '<c r="B100000" t="inlineStr"><is><t>JP</t></is></c>'
        '<c r="C100000" t="inlineStr"><is><t>2025-12-01</t></is></c>'
        "</row></sheetData>",
    )
    workbook = tmp_path / "far-but-small.xlsx"
    workbook.write_bytes(rewritten(GOOD, {"xl/worksheets/sheet1.xml": text.encode()}))
    result = run("import", str(workbook))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "2\n"


def _at_most_4_gib() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_an_import_file_that_is_not_a_regular_file_is_refused_at_once(
    tmp_path: Path, kind: str
) -> None:
    """/dev/zero is never read to the end (a MemoryError), a FIFO never waited
    on: one line, 74, and the store as it was."""
    source = Path("/dev/zero") if kind == "device" else tmp_path / "pipe.csv"
    if kind == "fifo":
        os.mkfifo(source)
    store = tmp_path / "licenses.toml"
    store.write_bytes(EXAMPLE.read_bytes())
    result = subprocess.run(
        [*LICENSES, "--store", str(store), "import", str(source)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
        # A child that reads /dev/zero to the end must fail at 4 GiB, not take
        # the machine's memory with it.
        preexec_fn=_at_most_4_gib,
    )
    assert result.returncode == 74, result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "not a regular file" in result.stderr or "is a" in result.stderr
    assert store.read_bytes() == EXAMPLE.read_bytes()


def test_an_import_file_over_the_size_limit_is_refused(
    tmp_path: Path, run: Run, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_rows, "MAX_IMPORT_BYTES", 1000)
    big = tmp_path / "big.csv"
    big.write_text(
        ",".join(map(str, HEADER)) + "\n" + "x,US,2025-11-03,1\n" * 100,
        encoding="utf-8",
    )
    result = run("import", str(big))
    assert result.exit_code == 65, result.stderr
    assert "larger than the 1,000 bytes" in result.stderr
    assert not store.exists()


SHIPPED = 'material,destination,issued,quantity,shipments\nx,US,2025-11-03,5,"{}"\n'
SHIPPED = 'material,destination,issued,quantity,shipments\nx,US,2025-11-03,5,"{}"\n'
CSV_FILES = {
    "header-field": ("material" + "x" * 140_000 + ",destination\n", "line 1"),
    "nul": ("material,destination,issued\nx\0,US,2025-11-03\n", "line 2"),
    "shipments-1e999": (
        SHIPPED.format('[{""on"": ""2025-12-01"", ""quantity"": 1e999}]'),
        "shipments",
    ),
    "shipments-nan": (
        SHIPPED.format('[{""on"": ""2025-12-01"", ""quantity"": NaN}]'),
        "shipments",
    ),
    "shipments-deep": (SHIPPED.format("[" * 100_000 + "]" * 100_000), "shipments"),
    "shipments-not-a-list": (
        'material,destination,issued,shipments\nx,US,2025-11-03,"{""on"": 1}"\n',
        "shipments",
    ),
    "id-superscript": (
        "material,destination,issued,renews\nx,US,2025-11-03,²\n",
        "renews",
    ),
    "id-huge": (
        f"material,destination,issued,renews\nx,US,2025-11-03,{'9' * 5000}\n",
        "renews",
    ),
}


@pytest.mark.parametrize("name", list(CSV_FILES))
def test_a_hostile_csv_file_is_one_problem_and_65(
    tmp_path: Path, run: Run, store: Path, name: str
) -> None:
    text, said = CSV_FILES[name]
    source = tmp_path / f"{name}.csv"
    source.write_text(text, encoding="utf-8")
    store.write_bytes(EXAMPLE.read_bytes())
    result = run("import", str(source))
    assert result.exit_code == 65, (result.exit_code, result.stderr)
    assert said in result.stderr
    assert len(result.stderr.splitlines()) <= 2, result.stderr
    assert store.read_bytes() == EXAMPLE.read_bytes()


LINKED = (
    "id,material,destination,issued,status,renews,superseded_by,quantity,shipments\n"
)
SHIPMENT = '"[{{""on"": ""{on}"", ""quantity"": {quantity}}}]"'
IMPORTS_A_READ_WOULD_REFUSE = {
    "renews-itself": (
        LINKED + "5,x,US,2025-11-03,,5,,,\n",
        "renews: is the license itself",
    ),
    "succeeds-itself": (
        LINKED + "5,x,US,2025-11-03,renewed,,5,,\n",
        "superseded_by: is the license itself",
    ),
    "renewed-alone": (
        LINKED + "5,x,US,2025-11-03,renewed,,,,\n",
        "superseded_by: is missing",
    ),
    "over-quantity": (
        LINKED
        + "5,x,US,2025-11-03,,,,100,"
        + SHIPMENT.format(on="2025-12-01", quantity=150)
        + "\n",
        "quantity: 100 is below the 150 already shipped",
    ),
    "shipped-before-issue": (
        LINKED
        + "5,x,US,2025-11-03,,,,100,"
        + SHIPMENT.format(on="2025-10-01", quantity=1)
        + "\n",
        "is after the first shipment",
    ),
    "shipped-after-expiry": (
        LINKED
        + "5,x,US,2025-11-03,,,,100,"
        + SHIPMENT.format(on="2026-09-01", quantity=1)
        + "\n",
        "before the shipment on 2026-09-01",
    ),
}


@pytest.mark.parametrize("name", list(IMPORTS_A_READ_WOULD_REFUSE))
def test_an_import_that_ship_or_a_read_would_refuse_is_refused(
    tmp_path: Path, run: Run, store: Path, name: str
) -> None:
    """A shipment over the quantity or outside the validity (ship refuses
    both), a license renewing or succeeding itself, renewed without a
    successor: the row is a problem, nothing is imported."""
    text, said = IMPORTS_A_READ_WOULD_REFUSE[name]
    source = tmp_path / f"{name}.csv"
    source.write_text(text, encoding="utf-8")
    store.write_bytes(EXAMPLE.read_bytes())
    for args in (["import", str(source)], ["import", "--dry-run", str(source)]):
        result = run(*args)
        assert result.exit_code == 65, (args, result.stderr)
        assert "line 2: " in result.stderr
        assert said in result.stderr, result.stderr
        assert store.read_bytes() == EXAMPLE.read_bytes()
