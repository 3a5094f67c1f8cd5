"""coverage of a license suspended by a pending non-key change (Order 792 art.
18): the license covers no shipment until the change is decided, and the
decision keeps the old expiry, so the change is no renewal. coverage says what
warn and agenda say: file the renewal now (audit s9-law, 2)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import Run

TODAY = "2026-11-30"


def suspended(run: Run, expires: str | None = None) -> None:
    """Terbium oxide to DE, issued 2026-06-10, its quantity changed on
    2026-11-25: A1, decision due 2026-12-23 (20 working days)."""
    term = ["--expires", expires] if expires else []
    added = run(
        "add", "-m", "terbium oxide", "-d", "DE", "-i", "2026-06-10", *term,
        "--quantity", "100", "--unit", "kg", "--today", TODAY,
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    changed = run("change", "1", "--quantity", "150", "--on", "2026-11-25")
    assert changed.exit_code == 0, changed.stderr
    assert "decision due 2026-12-23" in changed.stderr


def row_of(run: Run) -> dict[str, Any]:
    result = run("coverage", "--format", "json", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert isinstance(row, dict)
    return row


def test_a_change_decided_after_the_expiry_restores_no_cover(run: Run) -> None:
    """The audit's store: the license expires 2026-12-10, A1 is due
    2026-12-23. Not "covered until 2026-12-10, decision due, 13 days' gap":
    nothing covers today, the renewal is owed now (its last day was
    2026-10-09), and the gap runs from today to a renewal filed today."""
    suspended(run)
    warned = run("warn", "--today", TODAY).stdout
    assert "file the renewal now: the last day to file was 2026-10-09" in warned
    agenda = run("agenda", "--today", TODAY).stdout
    assert "file renewal    1  terbium oxide" in agenda
    assert "file now" in agenda

    row = row_of(run)
    assert row["licenses"] == [1]
    assert row["applications"] == ["A1"]
    assert row["covered_until"] is None
    assert row["next_action"] == "file the renewal now (last day 2026-10-09)"
    assert row["next_action_date"] == TODAY
    # A renewal filed today: 45 CN working days (2027's holidays estimated),
    # counted from today, the decision day itself without a license.
    assert row["projected_gap_days"] == 65
    assert row["projected_gap_estimate"] is True
    assert row["level"] == "critical"
    (reason,) = row["reasons"]
    assert reason.startswith(
        "license 1 is suspended: the change application A1 is pending"
    )
    assert "a granted change keeps that expiry: only a renewal restores" in reason

    table = run("coverage", "--today", TODAY).stdout
    (line,) = [x for x in table.splitlines() if x.startswith("terbium oxide")]
    assert line.split()[6:] == [
        "suspended", "file", "the", "renewal", "now", "(last", "day",
        "2026-10-09)", TODAY, "65~", "0", "critical",
    ]  # fmt: skip
    assert "decision due" not in table


def test_a_change_decided_before_the_expiry_resumes_the_cover(run: Run) -> None:
    """Expiring 2027-08-01, the license is back in use on A1's decision,
    granted (re-issued) or refused (the old one): the gap is the suspension,
    and the next step the change's decision, told apart from a renewal's."""
    suspended(run, expires="2027-08-01")
    row = row_of(run)
    assert row["covered_until"] is None
    assert (row["next_action"], row["next_action_date"]) == (
        "change decision due",
        "2026-12-23",
    )
    assert row["projected_gap_days"] == 24  # 2026-11-30 to 2026-12-23
    (reason,) = row["reasons"]
    assert "only a renewal" not in reason


def test_the_change_decided_the_license_covers_again(run: Run) -> None:
    suspended(run, expires="2027-08-01")
    refused = run("refuse", "A1", "--on", TODAY, "--today", TODAY)
    assert refused.exit_code == 0, refused.stderr
    row = row_of(run)
    assert row["covered_until"] == "2027-08-01"
    assert row["reasons"] == []
