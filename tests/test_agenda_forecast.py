"""agenda with the review-time history (issue 22): the renewal to file on the
forecast's planning date (file_by), the statutory last day named too; filed now
when no day gives the chance wanted; the legal floor when it comes first."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from export_licenses.domain import agenda_actions
from export_licenses.domain.license import License
from export_licenses.domain.rows import Row
from export_licenses.domain.rules import Level, Verdict
from export_licenses.domain.settings import Settings
from helpers import in_terminal
from test_notify import Hook

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run
    from export_licenses.domain.agenda import Action

D = date.fromisoformat
PLAIN = 'version = 1\n[settings]\ncalendar = "none"\n'
LICENSE = (
    '[[license]]\nid = 1\nmaterial = "gallium metal"\ndestination = "FR"\n'
    "issued = 2025-11-03\nterm_months = 6\n"
)


def _weekdays_after(start: date, days: int) -> date:
    day = start
    while days:
        day += timedelta(days=1)
        days -= day.weekday() < 5  # Monday to Friday
    return day


def history(decided: list[int], pending: int = 0) -> str:
    """Granted gallium applications to FR, each decided after so many weekdays;
    and ``pending`` ones filed on 2025-08-01, still waiting."""
    filed = D("2025-03-03")
    return "".join(
        f'[[application]]\nid = "A{n}"\nmaterial = "gallium"\n'
        f'destination = "FR"\nfiled = {filed}\nstatus = "granted"\n'
        f"decided = {_weekdays_after(filed, days)}\n"
        for n, days in enumerate(decided, start=1)
    ) + "".join(
        f'[[application]]\nid = "A{len(decided) + n}"\nmaterial = "gallium"\n'
        'destination = "FR"\nfiled = 2025-08-01\nstatus = "pending"\n'
        for n in range(1, pending + 1)
    )


def renewal(run: Run, today: str) -> dict[str, Any]:
    result = run("agenda", "--all", "--format", "json", "--today", today)
    assert result.exit_code == 0, result.stderr
    (found,) = [a for a in json.loads(result.stdout) if a["action"] == "file_renewal"]
    assert isinstance(found, dict)
    return found


def test_the_renewal_is_filed_on_the_planning_date(run: Run, store: Path) -> None:
    # 90 % decided within 60 working days: file_by is 60 weekdays before Fri
    # 2026-05-01, the statutory last day 45 before it (tests/test_forecast.py).
    store.write_text(PLAIN + history([20, 30, 40, 50, 60]) + LICENSE, "utf-8")
    ahead = renewal(run, "2025-11-10")
    assert (ahead["date"], ahead["level"]) == ("2026-02-06", None)
    assert ahead["text"] == (
        "file the renewal of license 1, gallium metal to FR: planned by 2026-02-06 "
        "for a 90 % chance of a decision before expiry, statutory last day "
        "2026-02-27; estimated"  # 1 of 5 waited the 60 days: a handful
    )
    assert renewal(run, "2026-01-07")["level"] == "warning"  # 30 days to plan
    late = renewal(run, "2026-02-09")
    assert (late["date"], late["level"]) == ("2026-02-06", "critical")
    assert late["text"] == (
        "file the renewal of license 1, gallium metal to FR now: the last day for "
        "a 90 % chance of a decision before expiry was 2026-02-06, statutory last "
        "day 2026-02-27; estimated"
    )
    line = run("agenda", "--today", "2026-02-09").stdout
    assert "2026-02-06  file renewal  1" in line
    assert "file now, last day 2026-02-27" in line
    # on a narrow terminal the detail gives way a word at a time, never a date
    narrow = in_terminal(
        "--store", str(store), "agenda", "--today", "2026-02-09", columns=60
    )
    assert re.search(r"→ FR  file now …\r?$", narrow, re.MULTILINE), narrow
    wide = in_terminal(
        "--store", str(store), "agenda", "--today", "2026-01-26", columns=80
    )
    assert "  planned, last day 2026-02-27" in wide
    # The statutory model (fewer than 5 decided): the legal last day.
    store.write_text(PLAIN + history([20, 30, 40, 50]) + LICENSE, "utf-8")
    plain = renewal(run, "2026-02-09")
    assert (plain["date"], plain["level"]) == ("2026-02-27", "warning")
    assert plain["text"].endswith(": last day 2026-02-27")


def test_past_the_legal_last_day_it_is_only_file_now(run: Run, store: Path) -> None:
    store.write_text(PLAIN + history([20, 30, 40, 50, 60]) + LICENSE, "utf-8")
    late = renewal(run, "2026-03-02")
    assert (late["date"], late["level"]) == ("2026-02-27", "critical")
    assert late["text"] == (
        "file the renewal of license 1, gallium metal to FR now: the last day to "
        "file was 2026-02-27, 3 days ago"
    )


LIC = License(id=7, material="yttrium oxide", destination="US", issued=D("2025-10-01"))
STATUTORY = Verdict(D("2026-04-01"), 76, Level.WARNING, D("2026-01-22"))


def file_renewal(verdict: Verdict, today: str = "2026-01-05") -> Action:
    (action,) = agenda_actions.file_renewal(Row(LIC, verdict), D(today), Settings())
    return action


@pytest.mark.parametrize(
    ("p", "level"), [(0.3, Level.CRITICAL), (0.5, Level.WARNING), (0.89, Level.WARNING)]
)
def test_no_day_gives_the_chance_wanted_file_today(p: float, level: Level) -> None:
    action = file_renewal(STATUTORY._replace(p_decision_by_expiry=p))
    assert action.day == D("2026-01-05")
    assert action.level is level
    assert action.detail == f"file now, {int(p * 100)} % chance"
    assert "now: no filing day gives a 90 % chance of a decision before expiry; " in (
        action.text
    )
    # A chance that reaches the confidence asks nothing earlier.
    sure = file_renewal(STATUTORY._replace(p_decision_by_expiry=0.95))
    assert (sure.day, sure.detail) == (D("2026-01-22"), "last day to file")


def test_no_day_gives_the_chance_but_a_later_day_gives_as_much() -> None:
    # Filed any day up to act_by the chance is the same: dated by it, a warning
    # within filing_warn_days (30) of it, as warn says; "now" once it has come.
    verdict = STATUTORY._replace(p_decision_by_expiry=0.8, act_by=D("2026-01-20"))
    far = file_renewal(verdict, today="2025-12-01")
    assert (far.day, far.level, far.detail) == (D("2026-01-20"), None, "by 2026-01-20, 80 % chance")  # fmt: skip
    assert far.text.endswith(
        "by 2026-01-20: no filing day gives a 90 % chance of a decision before "
        "expiry; filed by then, an 80 % chance, statutory last day 2026-01-22"
    )
    assert file_renewal(verdict, today="2026-01-05").level is Level.WARNING
    assert file_renewal(verdict, today="2026-01-20").detail == "file now, 80 % chance"


def test_a_planning_date_after_the_legal_one_is_not_used() -> None:
    # Faster than the statutory 45 working days: the legal floor comes first.
    action = file_renewal(STATUTORY._replace(file_by=D("2026-02-02")))
    assert (action.day, action.detail) == (D("2026-01-22"), "last day to file")


def test_file_now_dated_today_is_notified_once(run: Run, store: Path) -> None:
    """No filing day gives the chance wanted: the renewal is to be filed now,
    dated today whatever the day. Its date moving with the clock is no news."""
    store.write_text(PLAIN + history([20, 30, 40, 50, 60], pending=5) + LICENSE)
    # Before the last day that leaves the longest wait observed, a pending
    # one's as it will be then: dated by it, not "now", and quiet.
    early = renewal(run, "2025-11-10")
    assert (early["date"], early["level"]) == ("2025-12-16", None)
    assert ": no filing day gives a 90 % chance" in early["text"]
    hook = Hook()
    try:
        for day in ("2026-01-22", "2026-01-23", "2026-01-26"):
            assert renewal(run, day)["date"] == day
            sent = run("notify", "--today", day, env={"LICENSES_NOTIFY": hook.url})
            assert sent.exit_code == 0, sent.stderr
    finally:
        hook.close()
    (post,) = hook.posts
    assert "now: no filing day gives a 90 % chance" in post["message"]
