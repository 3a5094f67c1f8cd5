"""Say when a date is an estimate (issue 22, point 6): the list, due,
applications and coverage tables mark a date that rests on a holiday schedule
not yet announced, or on fewer than 5 applications observed that long, with `~`
and a legend line."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from export_licenses.render.tables import LEGEND

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

# China's calendar: 2027's holidays are a projection in holidays 0.109.
CN = 'version = 1\n[settings]\ncalendar = "CN"\n'


def lic(n: int, issued: str, material: str = "yttrium oxide", months: int = 6) -> str:
    return (
        f'[[license]]\nid = {n}\nmaterial = "{material}"\ndestination = "DE"\n'
        f"issued = {issued}\nterm_months = {months}\n"
    )


def test_a_deadline_across_an_unannounced_year_is_marked(run: Run, store: Path) -> None:
    # Expires 2027-03-12: its renew-by (45 working days before) is counted over
    # Spring Festival 2027, whose make-up days are not announced.
    store.write_text(
        CN + lic(1, "2026-03-12", months=12) + lic(2, "2026-01-12"), "utf-8"
    )
    out = run("list", "--today", "2026-11-20").stdout
    lines = out.splitlines()
    one = next(line for line in lines if line.lstrip().startswith("1 "))
    two = next(line for line in lines if line.lstrip().startswith("2 "))
    assert "~" in one
    assert "~" not in two  # 2026 is announced
    assert lines[-1] == LEGEND
    row = json.loads(run("show", "1", "-f", "json", "--today", "2026-11-20").stdout)
    assert row["calendar_estimate"] is True
    assert row["renew_by"] + "~" in one
    due = run("due", "--within", "400", "--today", "2026-11-20").stdout
    assert LEGEND in due


def test_no_legend_when_nothing_is_marked(run: Run, store: Path) -> None:
    store.write_text(CN + lic(2, "2026-01-12"), "utf-8")
    out = run("list", "--today", "2026-03-02").stdout
    assert "~" not in out
    assert LEGEND not in out


def test_coverage_marks_its_next_date(run: Run, store: Path) -> None:
    store.write_text(CN + lic(1, "2026-03-12", months=12), "utf-8")
    (row,) = json.loads(run("coverage", "-f", "json", "--today", "2026-11-20").stdout)
    assert (row["next_action"], row["next_action_estimate"]) == (
        "file the renewal",
        True,
    )
    table = run("coverage", "--today", "2026-11-20").stdout
    assert f"{row['next_action_date']}~" in table
    assert table.splitlines()[-1] == LEGEND


def test_a_planning_date_on_few_observations_is_marked(run: Run, store: Path) -> None:
    # 5 decided, the slowest on day 60: 90 % by day 60 rests on the one or two
    # applications observed that long.
    text = 'version = 1\n[settings]\ncalendar = "none"\n'
    for n, days in enumerate([20, 30, 40, 50, 60], start=1):
        decided = {20: "2025-03-31", 30: "2025-04-14", 40: "2025-04-28"}.get(
            days, {50: "2025-05-12", 60: "2025-05-26"}.get(days)
        )
        text += (
            f'[[application]]\nid = "A{n}"\nmaterial = "yttrium oxide"\n'
            f'destination = "DE"\nfiled = 2025-03-03\nstatus = "granted"\n'
            f"decided = {decided}\n"
        )
    store.write_text(text + lic(1, "2025-11-03"), "utf-8")
    row = json.loads(run("show", "1", "-f", "json", "--today", "2025-12-01").stdout)
    assert row["file_by"] == "2026-02-06"
    assert row["forecast_estimate"] is True
    out = run("list", "--today", "2025-12-01").stdout
    assert "2026-02-06~" in out
    assert out.splitlines()[-1] == LEGEND


def test_applications_mark_a_decision_due_across_an_unannounced_year(
    run: Run, store: Path
) -> None:
    store.write_text(CN, "utf-8")
    assert run("apply", "-m", "x", "-d", "JP", "--on", "2026-12-01").exit_code == 0
    out = run("applications", "--today", "2026-12-02").stdout
    (due,) = json.loads(
        run("applications", "-f", "json", "--today", "2026-12-02").stdout
    )
    assert f"{due['decision_due']}~" in out
    assert out.splitlines()[-1] == LEGEND


def test_adds_confirmation_marks_an_estimated_day_as_list_does(
    run: Run, store: Path
) -> None:
    """add's line gives the renew-by list gives, with its mark, and says why
    (audit s9-journey §8: 'renew by 2026-12-21: WARNING', stated as exact)."""
    store.write_text(CN, "utf-8")
    today = ("--today", "2026-11-30")
    added = run(*today, "add", "-m", "samarium oxide", "-d", "JP", "-i", "2026-09-01")
    assert added.exit_code == 0, added.stderr
    listed = run(*today, "list").stdout
    assert " 2026-12-21~ " in listed
    assert added.stderr == (
        "Added license 1: samarium oxide to JP, expires 2027-03-01 (91 days left); "
        "renew by 2026-12-21~: WARNING (~ an estimate: no official 2027 holiday "
        "schedule yet)\n"
    )
    # A day on an announced year stays unmarked, as in list.
    plain = run(*today, "add", "-m", "samarium oxide", "-d", "JP", "-i", "2026-06-15")
    assert plain.stderr.endswith("; renew by 2026-10-13: CRITICAL\n"), plain.stderr
