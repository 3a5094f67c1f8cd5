"""With review_working_days = "observed", a backlog's pending applications are
overdue by the law's 45 working days, every day of the week: the longest wait
so far is no date a decision is owed by (service/leadtimes.py, decision_days)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run


def application(ident: str, filed: str, status: str, decided: str = "") -> str:
    return (
        f'[[application]]\nid = "{ident}"\nmaterial = "dysprosium oxide"\n'
        f'destination = "US"\nfiled = {filed}\naccepted = {filed}\n'
        f'status = "{status}"\n' + (f"decided = {decided}\n" if decided else "") + "\n"
    )


# Issue 22's own backlog: 3 decided in ~36 working days, 4 waiting 110-124.
BACKLOG = (
    'version = 1\n\n[settings]\nreview_working_days = "observed"\n\n'
    + application("A1", "2025-03-03", "granted", "2025-04-23")
    + application("A2", "2025-04-01", "granted", "2025-05-26")
    + application("A3", "2025-05-06", "granted", "2025-06-26")
    + application("A4", "2025-08-07", "pending")
    + application("A5", "2025-07-31", "pending")
    + application("A6", "2025-07-24", "pending")
    + application("A7", "2025-07-18", "pending")
    + '[[license]]\nid = 1\nmaterial = "dysprosium oxide"\ndestination = "US"\n'
    "issued = 2025-12-01\nexpires = 2026-08-31\n"
)


def test_a_backlog_is_overdue_on_working_days_and_days_off_alike(
    run: Run, store: Path
) -> None:
    store.write_text(BACKLOG, encoding="utf-8")
    # Thursday to the next Saturday: a monitor sees the same state every day
    for day in ("2026-01-15", "2026-01-16", "2026-01-17", "2026-01-18", "2026-01-19"):
        done = run("warn", "--today", day, "--format", "json")
        assert done.exit_code == 1, (day, done.stderr)
        overdue = {a["id"] for a in json.loads(done.stdout)["applications"]}
        assert overdue == {"A4", "A5", "A6", "A7"}, day
    rows = json.loads(run("applications", "--today", "2026-01-15", "--format", "json").stdout)  # fmt: skip
    due = {row["id"]: row["decision_due"] for row in rows}
    # 45 working days of China's calendar after acceptance (art. 17)
    assert due["A7"] == "2025-09-19"
    assert due["A4"] == "2025-10-15"
    # the license still plans on the backlog: its renew-by is no statutory one
    lic = json.loads(run("show", "1", "--today", "2026-01-15", "--format", "json").stdout)  # fmt: skip
    assert lic["renew_by"] < "2026-06-01", lic["renew_by"]


def test_the_window_keeps_what_still_waits_however_old(run: Run, store: Path) -> None:
    # Five decided in ~36 working days in March 2025; four of the group filed
    # in Nov-Dec 2024, before the 365-day window, still wait (260-280 days).
    store.write_text(
        "version = 1\n\n"
        + "".join(
            application(f"A{n}", f"2025-03-0{n + 2}", "granted", f"2025-04-{n + 22}")
            for n in range(1, 6)
        )
        + application("A6", "2024-12-27", "pending")
        + application("A7", "2024-12-20", "pending")
        + application("A8", "2024-12-13", "pending")
        + application("A9", "2024-11-29", "pending")
        + '[[license]]\nid = 1\nmaterial = "dysprosium oxide"\ndestination = "US"\n'
        "issued = 2025-12-01\nexpires = 2026-08-31\n",
        encoding="utf-8",
    )
    lic = json.loads(run("show", "1", "--today", "2026-01-15", "--format", "json").stdout)  # fmt: skip
    assert lic["forecast_basis"] == "observed: dysprosium oxide/US, 5 decided, 4 pending"  # fmt: skip
    assert lic["p_decision_by_expiry"] < 0.9
    assert lic["file_by"] is None or lic["file_by"] <= lic["renew_by"]
    stats = run("stats", "--today", "2026-01-15", "--format", "json")
    (total,) = [row for row in json.loads(stats.stdout) if row["material"] is None]
    assert (total["decided"], total["pending"]) == (5, 4)
