"""Every row of ``due`` carries the date that put it in the window, and its
reasons say it: a script reading JSON or CSV sees why a license with 319 days
left is due (audit s10-contract, 3)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

TODAY = "2026-01-15"
# What says "now" rather than a date: the day has passed, or the quantity ran out.
NOW = ("file now", "file the renewal now", "apply now", "expired")


def _days(day: str | None) -> float:
    if day is None:
        return float("inf")
    return (date.fromisoformat(day) - date.fromisoformat(TODAY)).days


def test_a_license_due_by_its_planning_date_carries_it(run: Run, example: Path) -> None:
    done = run("--store", str(example), "due", "--today", TODAY, "--format", "json")
    rows = {row["id"]: row for row in json.loads(done.stdout)}
    ten = rows[10]  # 319 days left, ok, statutory day 249 days away
    assert (ten["days_left"], ten["level"]) == (319, "ok")
    assert ten["act_by"] == "2026-04-02"
    assert any(r.startswith("file by 2026-04-02 to leave") for r in ten["reasons"])
    # file_by keeps its meaning: no day gives the 90 % chance here
    assert ten["file_by"] is None
    table = run("--store", str(example), "due", "--today", TODAY, "--format", "csv")
    by_id = {row["id"]: row for row in csv.DictReader(io.StringIO(table.stdout))}
    assert by_id["10"]["act_by"] == "2026-04-02"
    assert "file by 2026-04-02" in by_id["10"]["reasons"]


def test_every_due_row_names_the_date_it_is_due_by(run: Run, example: Path) -> None:
    for within in ("30", "90", "250"):
        done = run(
            "--store", str(example), "due", "-w", within, "--today", TODAY, "-f", "json"
        )
        for row in json.loads(done.stdout):
            # the expiry if it is in the window, else the first day to file
            day = row["expires"]
            if row["days_left"] > int(within):
                day = min([row["renew_by"], row["act_by"]], key=_days)
            assert _days(day) <= int(within), (within, row["id"])
            said = row["reasons"]
            assert any(day in r or r.startswith(NOW) for r in said), (row["id"], said)


def test_a_statutory_filing_day_in_a_wide_window_is_a_reason(
    run: Run, store: Path
) -> None:
    store.write_text(
        'version = 1\n[[license]]\nid = 1\nmaterial = "gallium metal"\n'
        'destination = "JP"\nissued = 2025-08-01\nexpires = 2026-08-01\n',
        encoding="utf-8",
    )
    done = run("due", "--within", "150", "--today", TODAY, "--format", "json")
    (row,) = json.loads(done.stdout)
    assert row["level"] == "ok"
    assert row["act_by"] is None  # no history: the legal last day alone
    assert f"file the renewal by {row['renew_by']}" in " ".join(row["reasons"])
