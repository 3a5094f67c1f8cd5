"""coverage's projected gap counted across a holiday year not yet announced
(audit b, finding 7): said to be an estimate, as the dates it rests on are —
``projected_gap_estimate`` in JSON, ``~`` and the legend in the table,
"estimated" in the report (DOMAIN.md: 2027's schedule is a projection)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

# Terbium metal to DE, expired 2026-01-10 and not renewed: a license applied for
# on 2026-11-30 is decided 45 CN working days later, on 2027-02-02, across the
# projected 2027 Spring Festival; on 2026-06-01, within 2026's announced days.
EXPIRED = """version = 1

[[license]]
id = 1
material = "terbium metal"
destination = "DE"
issued = 2025-07-10
term_months = 6
"""
ACROSS_2027 = "2026-11-30"
WITHIN_2026 = "2026-06-01"
LEGEND = "~ an estimate: the date rests on a holiday schedule not yet announced"


def coverage_row(run: Run, today: str) -> dict[str, Any]:
    result = run("coverage", "--format", "json", "--today", today)
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert isinstance(row, dict)
    return row


def gap_cell(run: Run, today: str) -> tuple[str, str]:
    """The table's Gap cell, and the table's last line."""
    table = run("coverage", "--today", today).stdout.splitlines()
    header, row = table[0], table[1]
    start = header.index("Gap")
    return row[start : header.index("Past gaps")].strip(), table[-1]


def report_gap(run: Run, today: str, out: Path) -> str:
    assert run("report", "-o", str(out), "--today", today).exit_code == 0
    page = out.read_text(encoding="utf-8")
    start = page.index('id="coverage-table"')
    found = re.search(
        r'data-label="Gap \(days\)"><span class="value">(.*?)</span>', page[start:]
    )
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize(
    ("today", "estimate", "cell", "in_report"),
    [
        # decided 2027-02-02, across the projected Spring Festival: a guess
        (ACROSS_2027, True, "65~", "65 (estimated)"),
        # decided in August 2026, on announced days: no guess
        (WITHIN_2026, False, "65", "65"),
    ],
)
def test_a_gap_across_an_unannounced_year_is_an_estimate(
    run: Run,
    store: Path,
    tmp_path: Path,
    today: str,
    estimate: bool,  # noqa: FBT001 - a parameter of the test
    cell: str,
    in_report: str,
) -> None:
    store.write_text(EXPIRED, encoding="utf-8")
    row = coverage_row(run, today)
    assert (row["projected_gap_days"], row["projected_gap_estimate"]) == (
        65,
        estimate,
    )
    assert row["next_action_estimate"] is False  # "apply anew" today: no guess
    shown, last = gap_cell(run, today)
    assert shown == cell
    assert last.startswith(LEGEND) is estimate  # the footnote under the table
    assert report_gap(run, today, tmp_path / "r.html") == in_report


@pytest.mark.parametrize(
    ("today", "estimate"), [(ACROSS_2027, True), (WITHIN_2026, False)]
)
def test_a_pending_applications_gap_is_as_estimated_as_its_due_day(
    run: Run,
    store: Path,
    today: str,
    estimate: bool,  # noqa: FBT001 - a parameter of the test
) -> None:
    store.write_text(EXPIRED, encoding="utf-8")
    filed = run(
        "apply", "-m", "terbium metal", "-d", "DE", "--on", today, "--today", today
    )
    assert filed.exit_code == 0, filed.stderr
    row = coverage_row(run, today)
    assert row["applications"] == ["A1"]
    assert row["next_action_estimate"] is estimate  # its decision due day
    assert row["projected_gap_estimate"] is estimate
