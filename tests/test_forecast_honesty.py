"""The forecast a buyer acts on holds in a backlog (audit s10-forecast): its
figures say when they are estimates, and a long backlog never reads as ``ok``.

Each store is the audit's reproduction, written with the helpers below."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run


def app(
    name: str,
    filed: date,
    status: str,
    accepted: date | None = None,
    decided: date | None = None,
    extra: str = "",
    destination: str = "US",
) -> str:
    """An application for dysprosium oxide, accepted on filing unless told
    otherwise."""
    lines = [
        "[[application]]",
        f'id = "{name}"',
        'material = "dysprosium oxide"',
        f'destination = "{destination}"',
        f"filed = {filed}",
        f"accepted = {accepted or filed}",
        f'status = "{status}"',
    ]
    if decided is not None:
        lines.append(f"decided = {decided}")
    return "\n".join(lines) + "\n" + extra + "\n"


def lic(number: int, issued: date, expires: date, extra: str = "") -> str:
    return (
        f'[[license]]\nid = {number}\nmaterial = "dysprosium oxide"\n'
        f'destination = "US"\nissued = {issued}\nexpires = {expires}\n{extra}\n'
    )


def rows(run: Run, store: Path, *command: str) -> list[dict[str, Any]]:
    found = run("--store", str(store), "--today", "2026-11-30", *command, "-f", "json")
    assert found.exit_code in {0, 1, 2}, found.output
    result = json.loads(found.stdout)
    assert isinstance(result, list)
    return result


def backlog_with_a_renewal(shift: int = 0) -> str:
    """Twelve decided in 40-150 working days (at least 5 observed at every
    horizon read here); license 1, expiring Friday 2027-02-12, in the projected
    2027 Spring Festival week, and its renewal A20, filed 2026-10-12; every
    day ``shift`` days later."""
    moved = timedelta(days=shift)
    first = date(2026, 1, 5) + moved
    history = "".join(
        app(
            f"A{k + 1}",
            first + timedelta(days=7 * k),
            "granted",
            decided=first + timedelta(days=7 * k + 56 + 14 * k),
        )
        for k in range(12)
    )
    filed = date(2026, 10, 12) + moved
    renewal = app("A20", filed, "pending", extra="renews = 1")
    old = lic(
        1,
        date(2026, 8, 12) + moved,
        date(2027, 2, 12) + moved,
        f'status = "renewal-filed"\nrenewal_filed = {filed}',
    )
    return f"version = 1\n\n{history}{renewal}{old}"


def test_a_chance_counted_across_an_unannounced_year_is_an_estimate(
    run: Run, store: Path
) -> None:
    # A20 has waited 35 working days. Its chance and expected day are counted
    # on 2027's working days, which no announcement fixes yet: two more days
    # off turn this 50 % into 41 % (audit s10-forecast, 4).
    store.write_text(backlog_with_a_renewal(), encoding="utf-8")
    (row,) = rows(run, store, "list")
    assert row["p_decision_by_expiry"] == 0.5
    assert row["forecast_estimate"] is True
    (pending,) = rows(run, store, "applications")
    assert pending["expected_decision"] == "2027-02-11"
    assert pending["forecast_estimate"] is True
    args = ("--store", str(store), "--today", "2026-11-30")
    shown = run(*args, "show", "1").stdout
    assert "a 50 % chance of a decision before expiry" in shown
    assert "1 pending; estimated)" in shown
    assert "; estimated" in run(*args, "show", "A20").stdout
    # The same store a year earlier, all on announced calendars: no estimate.
    store.write_text(backlog_with_a_renewal(-364), encoding="utf-8")
    args = ("--store", str(store), "--today", "2025-12-01")
    earlier = json.loads(run(*args, "list", "-f", "json").stdout)[0]
    assert earlier["p_decision_by_expiry"] is not None
    assert earlier["forecast_estimate"] is False


def overdue_renewal(waiting_to: str) -> str:
    """Six decided in about 40 working days, eight new applications to
    ``waiting_to`` waiting 90-120, and license 1's renewal A20 (to the US)
    pending for 60 working days; license 1 expires 2027-01-15. No
    decision ever came after 42 working days: more than half of such wait
    beyond the longest wait observed, so no day is expected."""
    decided = [
        date(2026, 2, 2),
        date(2026, 2, 9),
        *(date(2026, 3, d) for d in (2, 9, 16, 23)),
    ]
    history = "".join(
        app(f"A{n}", day, "granted", decided=day + timedelta(days=60), destination="DE")
        for n, day in enumerate(decided, 1)
    )
    waiting = (6, 10), (6, 16), (6, 23), (6, 29), (7, 3), (7, 9), (7, 15), (7, 21)
    history += "".join(
        app(f"A{n}", date(2026, *day), "pending", destination=waiting_to)
        for n, day in enumerate(waiting, 11)
    )
    renewal = app("A20", date(2026, 9, 1), "pending", extra="renews = 1")
    old = lic(
        1,
        date(2026, 7, 15),
        date(2027, 1, 15),
        'status = "renewal-filed"\nrenewal_filed = 2026-09-01',
    )
    return f"version = 1\n\n{history}{renewal}{old}"


def test_an_overdue_renewal_in_a_backlog_has_no_gap_of_0(run: Run, store: Path) -> None:
    # A20 has waited 60 working days, the longest wait is 118: its decision is
    # not expected before 58 more working days, 2027-02-25 on the projected
    # 2027 calendar; license 1 covers to 2027-01-15, so at least 41 days
    # without a license. The row read "Gap 0" beside "No gap 0 %" (audit
    # s10-forecast, 3).
    store.write_text(overdue_renewal(waiting_to="DE"), encoding="utf-8")
    (row,) = [r for r in rows(run, store, "coverage") if r["destination"] == "US"]
    assert row["p_no_gap"] == 0.0
    assert row["projected_gap_days"] == 41
    assert row["projected_gap_bound"] == "at_least"
    assert row["projected_gap_estimate"] is True
    args = ("--store", str(store), "--today", "2026-11-30")
    table = run(*args, "coverage").stdout
    assert re.search(r" (≥|>=)41~ ", table)
    # The applications waiting 90-120 working days to the US could each be
    # decided any day for all the history says: the gap is unknown, not 0.
    store.write_text(overdue_renewal(waiting_to="US"), encoding="utf-8")
    (row,) = rows(run, store, "coverage")
    assert (row["projected_gap_days"], row["projected_gap_bound"]) == (0, "at_least")
    assert row["projected_gap_estimate"] is True
    assert " unknown~ " in run(*args, "coverage").stdout


def thin_backlog(quick: int = 0) -> str:
    """Two decided in about 40 working days, eight waiting 150-171 (issue
    22's backlog, longer), ``quick`` more decided in about 40; license 1
    expires 2027-03-31, about 80 working days away."""
    history = app("A1", date(2026, 3, 2), "granted", decided=date(2026, 4, 29))
    history += app("A2", date(2026, 3, 9), "granted", decided=date(2026, 5, 7))
    for n in range(quick):
        filed = date(2026, 3, 10 + n)
        history += app(
            f"A{n + 3}", filed, "granted", decided=filed + timedelta(days=59)
        )
    waiting = (3, 20), (3, 25), (3, 30), (4, 2), (4, 8), (4, 13), (4, 16), (4, 21)
    for n, day in enumerate(waiting, 11):
        history += app(f"A{n}", date(2026, *day), "pending")
    return f"version = 1\n\n{history}{lic(1, date(2026, 9, 30), date(2027, 3, 31))}"


def test_a_long_backlog_with_few_decided_never_reads_ok(run: Run, store: Path) -> None:
    # Under the default review time (45): 2 decided and 8 waiting past the
    # statutory time were "statutory (fewer than 5 decided ...)", license 1
    # ok and silent in warn, while 3 more quick decisions (a smaller backlog)
    # made it critical (audit s10-forecast, 2).
    store.write_text(thin_backlog(), encoding="utf-8")
    (row,) = rows(run, store, "list")
    assert row["level"] == "critical"
    # All 10 at risk to day 40, 2 decided by then, none since: 1 - 8/10.
    assert row["p_decision_by_expiry"] == 0.2
    assert row["forecast_basis"] == (
        "observed: dysprosium oxide/US, 2 decided, 8 pending, thin history"
    )
    assert row["forecast_estimate"] is True
    args = ("--store", str(store), "--today", "2026-11-30")
    warned = run(*args, "warn")
    assert warned.exit_code == 2
    (line,) = [ln for ln in warned.stdout.splitlines() if "license 1" in ln]
    assert line.startswith("CRITICAL: license 1")
    assert "filed today: a 20 % chance" in line
    assert "2 decided (thin history: fewer than 5), 8 waiting" in line
    # Five decided: the same figures, no longer thin.
    store.write_text(thin_backlog(quick=3), encoding="utf-8")
    (row,) = rows(run, store, "list")
    assert row["level"] == "critical"
    assert (
        row["forecast_basis"] == "observed: dysprosium oxide/US, 5 decided, 8 pending"
    )


def test_the_planning_date_counts_from_filing(run: Run, store: Path) -> None:
    # Twelve granted, each accepted 15 working days after filing and decided
    # 40-51 working days after acceptance: 56-66 from filing, 65 for 11 of 12.
    # license 1 expires Friday 2027-04-30. Counted from acceptance, "file by
    # 2027-02-18 for a 90 % chance" left 50 working days: none of the twelve
    # was decided that fast from filing (audit s10-forecast, 1). 65 working
    # days before 2027-04-30 (hand count, 2027's projected calendar) is Friday
    # 2027-01-22.
    dates = [
        ("2026-01-05", "2026-01-26", "2026-03-30"),
        ("2026-01-15", "2026-02-05", "2026-04-13"),
        ("2026-01-27", "2026-02-26", "2026-04-28"),
        ("2026-02-06", "2026-03-06", "2026-05-08"),
        ("2026-03-02", "2026-03-20", "2026-05-25"),
        ("2026-03-12", "2026-04-01", "2026-06-04"),
        ("2026-03-24", "2026-04-14", "2026-06-16"),
        ("2026-04-03", "2026-04-24", "2026-06-29"),
        ("2026-04-15", "2026-05-07", "2026-07-09"),
        ("2026-04-27", "2026-05-19", "2026-07-22"),
        ("2026-05-07", "2026-05-27", "2026-08-06"),
        ("2026-05-18", "2026-06-08", "2026-08-19"),
    ]
    history = "".join(
        app(
            f"A{n}",
            date.fromisoformat(filed),
            "granted",
            accepted=date.fromisoformat(accepted),
            decided=date.fromisoformat(decided),
        )
        for n, (filed, accepted, decided) in enumerate(dates, 1)
    )
    license_1 = lic(1, date(2026, 10, 30), date(2027, 4, 30))
    store.write_text(f"version = 1\n\n{history}{license_1}", encoding="utf-8")
    (row,) = rows(run, store, "list")
    assert row["file_by"] == "2027-01-22"
    assert row["renew_by"] == "2027-02-25"  # the legal floor, as it was
    assert row["forecast_basis"] == (
        "observed from filing: dysprosium oxide/US, 12 decided, 0 pending"
    )
    args = ("--store", str(store), "--today", "2026-11-30")
    shown = run(*args, "show", "1").stdout
    assert "Forecast:      file by 2027-01-22;" in shown
    assert "(observed from filing: dysprosium oxide/US" in shown
    # Three weeks later the planning day has passed: file now.
    args = ("--store", str(store), "--today", "2027-02-01")
    late = json.loads(run(*args, "list", "-f", "json").stdout)[0]
    assert late["level"] == "critical"
