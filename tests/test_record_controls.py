"""Each license's and application's material matched to the catalogue (issue 23,
section 3): show names the controls, JSON rows carry their numbers."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

TODAY = "2026-11-29"


def rows(run: Run, *args: str) -> dict[int, dict[str, Any]]:
    result = run("list", "--all", "--format", "json", "--today", TODAY, *args)
    assert result.exit_code == 0, result.stderr
    return {row["id"]: row for row in json.loads(result.stdout)}


def add(run: Run, material: str, destination: str, *more: str) -> None:
    result = run("add", "-m", material, "-d", destination, "-i", "2026-06-01", *more)
    assert result.exit_code == 0, result.stderr


def test_json_rows_name_the_controls_for_the_destination(run: Run) -> None:
    add(run, "holmium oxide", "IN")
    add(run, "germanium metal", "US")
    add(run, "germanium metal", "DE")
    add(run, "copper wire", "DE")
    found = {ident: row["controls"] for ident, row in rows(run).items()}
    assert found[1] == ["MOFCOM 2025 No. 57", "MOFCOM 2025 No. 61"]
    # 2024 No. 46 art. 2 is limited to the US; 2023 No. 23 (lifted) is left out
    assert found[2] == ["MOFCOM 2024 No. 51", "MOFCOM 2024 No. 46"]
    assert found[3] == ["MOFCOM 2024 No. 51"]
    assert found[4] == []


def test_a_licenses_hs_code_counts_too(run: Run) -> None:
    add(run, "oxide powder", "DE")
    add(run, "oxide powder", "DE", "--hs-code", "2846901940")
    found = rows(run)
    assert found[1]["controls"] == []
    assert "MOFCOM 2025 No. 18" in found[2]["controls"]


def test_show_names_each_control_with_its_state_and_the_catalogues_date(
    run: Run,
) -> None:
    add(run, "Ho2O3", "IN")
    result = run("show", "1", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert "Controls:      MOFCOM 2025 No. 57: suspension ended 2026-11-10" in (
        result.stdout
    )
    assert "(catalogue as of 2026-11-29" in result.stdout
    before = run("show", "1", "--today", "2026-11-10").stdout
    assert "MOFCOM 2025 No. 57: suspended until 2026-11-10" in before


def test_an_application_is_matched_too(run: Run) -> None:
    assert run("init").exit_code == 0
    result = run("apply", "-m", "holmium oxide", "-d", "IN", "--on", "2026-11-02")
    assert result.exit_code == 0, result.stderr
    shown = run("show", "A1", "--today", TODAY)
    assert "Controls:" in shown.stdout
    assert "MOFCOM 2025 No. 57: suspension ended 2026-11-10" in shown.stdout
    listed = run("applications", "--format", "json", "--today", TODAY)
    (row,) = json.loads(listed.stdout)
    assert row["controls"] == ["MOFCOM 2025 No. 57", "MOFCOM 2025 No. 61"]


def test_a_store_entry_typed_by_hand_is_matched(run: Run, store: Path) -> None:
    add(run, "cerium oxide", "FR")
    with store.open("a", encoding="utf-8") as out:
        out.write(
            '\n[[control]]\nnumber = "MOFCOM 2026 No. 3"\nauthority = "MOFCOM"\n'
            'title = "cerium and lanthanum"\npublished = 2026-11-20\n'
            'effective = 2026-12-15\nitems = ["cerium", "Ce", "lanthanum"]\n'
            'source = "https://example.org/3"\n'
        )
    assert rows(run)[1]["controls"] == ["MOFCOM 2026 No. 3"]
    shown = run("show", "1", "--today", TODAY).stdout
    assert "MOFCOM 2026 No. 3: not yet effective (from 2026-12-15)" in shown


def test_nothing_known_says_so_with_the_catalogues_date(run: Run) -> None:
    add(run, "copper wire", "DE")
    shown = run("show", "1", "--today", TODAY).stdout
    assert "Controls:      - (none known: catalogue as of 2026-11-29)" in shown


def test_the_element_is_found_whatever_the_case_of_the_formula(run: Run) -> None:
    """The audit's materials (s9-law, 4): an ERP export in capitals keeps the
    element-based No. 61, and so do HS and control codes."""
    materials = ["Dy2O3", "DY2O3", "dy2o3", "Tb4O7", "TB4O7", "HO2O3", "2846901940", "1C909"]  # fmt: skip
    for material in materials:
        add(run, material, "DE")
    found = {row["material"]: row["controls"] for row in rows(run).values()}
    holmium = ["MOFCOM 2025 No. 57", "MOFCOM 2025 No. 61"]
    rare = ["MOFCOM 2025 No. 18", "MOFCOM 2025 No. 61"]
    assert found == {
        material: holmium if material in {"HO2O3", "1C909"} else rare
        for material in materials
    }
    warned = run("warn", "--today", "2026-11-20", "--format", "json")
    alerts = {(a["control"], a["material"]) for a in json.loads(warned.stdout)["controls"]}  # fmt: skip
    assert ("MOFCOM 2025 No. 61", "HO2O3") in alerts
