"""coverage counts the projected gap to the day the history expects the
decision, where that comes after the statutory due day: not 0 days while the
statutory day lies ahead and 34 the day after it passed (audit s8-dates, 5)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run


def gallium(run: Run, store: Path, today: str) -> dict[str, Any]:
    args = ("--store", str(store), "--today", today)
    rows = json.loads(run(*args, "coverage", "-f", "json").stdout)
    (row,) = [r for r in rows if r["material"] == "gallium metal"]
    assert isinstance(row, dict)
    return row


@pytest.mark.parametrize("today", ["2026-02-10", "2026-02-12", "2026-02-13"])
def test_the_gap_runs_to_the_expected_decision_before_the_due_day_too(
    run: Run, example: Path, today: str
) -> None:
    # License 5 expires 2026-02-28; its renewal A4 is due 2026-02-12, and half
    # of such were decided by 2026-04-03 (show A4): 34 days without a license,
    # an estimate (fewer than 5 observed that long), whatever side of the due day.
    row = gallium(run, example, today)
    assert row["covered_until"] == "2026-02-28"
    assert row["projected_gap_days"] == 34
    assert row["projected_gap_estimate"] is True
    assert row["p_no_gap"] < 0.1


def test_without_a_history_the_statutory_day(run: Run, store: Path) -> None:
    store.write_text(
        'version = 1\n[[license]]\nid = 1\nmaterial = "gallium metal"\n'
        'destination = "FR"\nissued = 2025-09-01\nexpires = 2026-02-28\n'
        'status = "renewal-filed"\nrenewal_filed = 2026-01-05\n'
        '[[application]]\nid = "A1"\nmaterial = "gallium metal"\n'
        'destination = "FR"\nfiled = 2026-01-05\nstatus = "pending"\nrenews = 1\n',
        encoding="utf-8",
    )
    row = gallium(run, store, "2026-02-10")
    # Due 45 working days after 2026-01-05 (2026-03-13 across Spring Festival):
    # the statutory day, not an estimate.
    assert row["projected_gap_estimate"] is False
    assert row["projected_gap_days"] == 13  # 2026-03-01 to 2026-03-13
