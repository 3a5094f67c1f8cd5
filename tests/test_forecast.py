"""Probabilities and a planning date (issue 22, point 3): the chance of a
decision before expiry, file_by for a confidence, levels and reasons in words,
the statutory model below 5 decided applications, and coverage's chance of no
gap with its next action."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from export_licenses.domain import chances, forecast, planning_dates
from export_licenses.domain.forecast import Basis, percent
from export_licenses.domain.review import decision_due
from export_licenses.domain.rules import Level, Verdict, last_working_day
from export_licenses.domain.survival import fit
from export_licenses.domain.workdays import WorkingDays

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

WEEKDAYS = WorkingDays()
D = date.fromisoformat


def basis(history: list[tuple[int, bool]], label: str = "dysprosium/US") -> Basis:
    decided = sum(event for _, event in history)
    return Basis(
        label,
        fit(history),
        len(history) - decided,
        decided,
        0,
        tuple(sorted(days for days, _ in history)),
    )


# 10 decided at 10, 20, ..., 100 working days: 90 % decided by day 90.
TEN = basis([(10 * n, True) for n in range(1, 11)])


def test_file_by_is_the_confidence_quantile_before_the_last_working_day() -> None:
    # Expires Sun 2026-05-03: the decision must come by Fri 2026-05-01.
    outlook = chances.unfiled(TEN, D("2026-05-03"), D("2025-11-03"), WEEKDAYS, 0.9, 30)
    assert outlook.file_by == WEEKDAYS.get_nth_working_day(D("2026-05-01"), -90)
    assert outlook.file_by == D("2025-12-26")
    assert decision_due(outlook.file_by, 90, WEEKDAYS) == D("2026-05-01")
    # Filed on 2025-11-03: 129 working days to 2026-05-01, beyond every wait.
    assert outlook.p_decision_by_expiry == 1.0
    assert outlook.basis == "observed: dysprosium/US, 10 decided, 0 pending"
    assert outlook.level is None  # 53 days before file_by: nothing to flag yet
    assert outlook.reasons == ()
    at_80 = chances.unfiled(TEN, D("2026-05-03"), D("2025-11-03"), WEEKDAYS, 0.8, 30)
    assert at_80.file_by == WEEKDAYS.get_nth_working_day(D("2026-05-01"), -80)


@given(
    st.lists(
        st.tuples(st.integers(0, 150), st.booleans()),
        min_size=5,
        max_size=40,
    ),
    st.dates(D("2026-01-01"), D("2027-06-30")),
    st.sampled_from([0.5, 0.75, 0.9, 0.99]),
)
def test_file_by_is_the_latest_day_with_the_chance_wanted(
    history: list[tuple[int, bool]], expires: date, confidence: float
) -> None:
    b = basis(history)
    planned = planning_dates.planning_date(b, expires, WEEKDAYS, confidence)
    last = last_working_day(expires, WEEKDAYS)

    def chance(filed: date) -> float:
        p = b.curve.decided_by(WEEKDAYS.working_days_between(filed, last))
        assert p is not None
        return p

    if planned is None:
        # No filing day gets there, however early.
        assert chance(D("2024-01-01")) < confidence - 1e-9
        return
    assert chance(planned) >= confidence - 1e-9
    later = WEEKDAYS.get_nth_working_day(planned, 1)
    if later <= last:
        assert chance(later) < confidence - 1e-9


@pytest.mark.parametrize(
    ("today", "level", "reason"),
    [
        ("2025-11-24", None, None),  # 32 days before file_by
        (
            "2025-11-26",
            Level.WARNING,
            (
                "file by 2025-12-26 for a 90 % chance of a decision before expiry "
                "(observed: 10 decided, 0 waiting, median 50 working days; estimated)"
            ),
        ),
        (
            "2025-12-29",
            Level.CRITICAL,
            (
                "file now: the last day for a 90 % chance of a decision before "
                "expiry was 2025-12-26; filed today: an 80 % chance "
                "(observed: 10 decided, 0 waiting, median 50 working days; estimated)"
            ),
        ),
        (
            # 43 working days to 2026-05-01: 4 of 10 decided that fast
            "2026-03-02",
            Level.CRITICAL,
            (
                "file now: the last day for a 90 % chance of a decision before "
                "expiry was 2025-12-26; filed today: a 40 % chance "
                "(observed: 10 decided, 0 waiting, median 50 working days; estimated)"
            ),
        ),
    ],
)
def test_levels_and_reasons_of_a_license_not_yet_filed(
    today: str, level: Level | None, reason: str | None
) -> None:
    outlook = chances.unfiled(TEN, D("2026-05-03"), D(today), WEEKDAYS, 0.9, 30)
    assert outlook.level is level
    assert outlook.reasons == (() if reason is None else (reason,))
    assert outlook.action == reason


def test_no_filing_day_reaches_the_confidence() -> None:
    # 6 of 10 decided by day 60, the rest still waiting after 200: never 90 %.
    waiting = basis([(10 * n, True) for n in range(1, 7)] + [(200, False)] * 4)
    expires = D("2026-05-03")  # the decision must come by Fri 2026-05-01
    act_by = WEEKDAYS.get_nth_working_day(D("2026-05-01"), -200)
    assert act_by == D("2025-07-25")
    # Far ahead: a chance read beyond the longest wait is only a lower bound, so
    # it flags nothing; the day to act on covers every wait observed.
    early = chances.unfiled(waiting, expires, D("2025-06-02"), WEEKDAYS, 0.9, 30)
    assert (early.file_by, early.act_by, early.level) == (None, act_by, None)
    assert early.p_decision_by_expiry == pytest.approx(0.6)
    # Within filing_warn_days of it: a warning that says why.
    soon = chances.unfiled(waiting, expires, D("2025-07-01"), WEEKDAYS, 0.9, 30)
    assert soon.level is Level.WARNING
    assert soon.reasons == (
        (
            "file by 2025-07-25 to leave 200 working days, the longest wait "
            "observed, before expiry; more than 10 % still waited that long, so no "
            "filing day is known to give a 90 % chance of a decision before expiry "
            "(observed: 6 decided, 4 waiting, median 50 working days; estimated)"
        ),
    )
    # Past it: the chance is an estimate again, and it is short of 90 %.
    late = chances.unfiled(waiting, expires, D("2026-02-02"), WEEKDAYS, 0.9, 30)
    assert late.level is Level.WARNING  # 60 %: not critical, short of 90 %
    assert late.reasons == (
        (
            "file now: no filing day gives a 90 % chance of a decision before "
            "expiry; filed today: a 60 % chance (observed: 6 decided, 4 waiting, "
            "median 50 working days; estimated)"
        ),
    )


def test_a_chance_on_enough_cases_is_not_called_an_estimate() -> None:
    # 100 decided, 10 each on days 10..100: at the 90 % day (90) 20 were still
    # waiting, at the horizon 11; the reason says "estimated" only below 5.
    many = basis([(10 * (n // 10 + 1), True) for n in range(100)])
    plenty = chances.unfiled(many, D("2026-05-03"), D("2025-12-15"), WEEKDAYS, 0.9, 30)
    assert plenty.estimate is False
    assert plenty.reasons, plenty
    assert "estimated" not in plenty.reasons[0]
    few = chances.unfiled(TEN, D("2026-05-03"), D("2025-12-15"), WEEKDAYS, 0.9, 30)
    assert few.estimate is True
    assert few.reasons[0].endswith("; estimated)")


def test_a_pending_renewal_has_its_conditional_chance() -> None:
    # Days 3 3 5 7 7 9, decided on 3, 5 and 7: S(3) = 5/6, S(7) = 5/12.
    small = basis([(3, True), (3, False), (5, True), (7, True), (7, False), (9, False)])
    # Waited 3 working days on Mon 2026-01-12; 4 more to Fri 2026-01-16.
    outlook = chances.filed(small, D("2026-01-17"), D("2026-01-12"), WEEKDAYS, 0.9, 3)
    assert outlook.p_decision_by_expiry == pytest.approx(1 / 2)  # S(7)/S(3)
    assert outlook.level is Level.WARNING  # not below one half
    assert outlook.file_by is None
    assert outlook.reasons == (
        (
            "a 50 % chance of a decision before expiry, after 3 working days of "
            "waiting (observed: 3 decided (thin history: fewer than 5), 3 waiting, "
            "median 7 working days; estimated)"
        ),
    )
    late = chances.filed(small, D("2026-01-14"), D("2026-01-12"), WEEKDAYS, 0.9, 3)
    assert late.p_decision_by_expiry == pytest.approx(1 - (5 / 8) / (5 / 6))
    assert late.level is Level.CRITICAL
    # Waited longer than anyone observed: no estimate, and it says so.
    beyond = chances.filed(small, D("2026-03-02"), D("2026-01-12"), WEEKDAYS, 0.9, 9)
    assert beyond.p_decision_by_expiry is None
    assert beyond.reasons[0].startswith("waited 9 working days, longer than any")


def test_expected_decision_is_the_conditional_median() -> None:
    # Waited 20 of TEN: 8 of 10 still undecided (30 .. 100); half of them by
    # day 60.
    day, estimate = chances.expected_decision(TEN, 20, D("2026-01-05"), WEEKDAYS)
    assert day == WEEKDAYS.get_nth_working_day(D("2026-01-05"), 60 - 20)
    assert estimate is False  # 5 observations lasted 60 days or longer
    day, estimate = chances.expected_decision(TEN, 85, D("2026-01-05"), WEEKDAYS)
    assert day == WEEKDAYS.get_nth_working_day(D("2026-01-05"), 90 - 85)
    assert estimate is True  # on the last two observations


def test_percent_never_overstates() -> None:
    assert (percent(0.9), percent(0.8999), percent(0.999), percent(0.0)) == (
        "90 %",
        "89 %",
        "99 %",
        "0 %",
    )


# --- through the command line ----------------------------------------------------

PLAIN = 'version = 1\n[settings]\ncalendar = "none"\n'


def _weekdays_after(start: date, days: int) -> date:
    day = start
    while days:
        day += timedelta(days=1)
        days -= day.weekday() < 5
    return day


def history(decided: list[int], pending: int = 0, material: str = "gallium") -> str:
    text, n = "", 0
    for n, days in enumerate(decided, start=1):
        filed = D("2025-03-03")
        text += (
            f'[[application]]\nid = "A{n}"\nmaterial = "{material}"\n'
            f'destination = "FR"\nfiled = {filed}\nstatus = "granted"\n'
            f"decided = {_weekdays_after(filed, days)}\n"
        )
    for m in range(pending):
        text += (
            f'[[application]]\nid = "A{n + m + 1}"\nmaterial = "{material}"\n'
            'destination = "FR"\nfiled = 2025-08-01\nstatus = "pending"\n'
        )
    return text


def license_text(material: str = "gallium metal") -> str:
    return (
        f'[[license]]\nid = 1\nmaterial = "{material}"\ndestination = "FR"\n'
        "issued = 2025-11-03\nterm_months = 6\n"
    )


def row(run: Run, today: str) -> dict[str, Any]:
    result = run("show", "1", "--format", "json", "--today", today)
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert isinstance(found, dict)
    return found


def test_fewer_than_5_decided_is_the_statutory_model(run: Run, store: Path) -> None:
    store.write_text(PLAIN + history([20, 30, 40, 50]) + license_text(), "utf-8")
    shown = row(run, "2025-11-10")
    assert (shown["forecast_basis"], shown["file_by"]) == ("statutory", None)
    assert shown["p_decision_by_expiry"] is None
    store.write_text(PLAIN + history([20, 30, 40, 50, 60]) + license_text(), "utf-8")
    shown = row(run, "2025-11-10")
    # "gallium metal" has no history of its own: its family's, gallium to FR.
    assert shown["forecast_basis"] == "observed: gallium/FR, 5 decided, 0 pending"
    # 90 % decided by day 60: 60 weekdays before Fri 2026-05-01.
    assert shown["file_by"] == "2026-02-06"
    assert shown["p_decision_by_expiry"] == 1.0
    assert shown["renew_by"] == "2026-02-27"  # the legal floor keeps its own


def test_warn_says_the_planning_date_and_the_exit_code_follows(
    run: Run, store: Path
) -> None:
    store.write_text(PLAIN + history([20, 30, 40, 50, 60]) + license_text(), "utf-8")
    quiet = run("warn", "--today", "2026-01-06", "--within", "30")
    assert (quiet.exit_code, quiet.stdout) == (0, "")
    soon = run("warn", "--today", "2026-01-07", "--within", "30")
    assert soon.exit_code == 1
    assert (
        "file by 2026-02-06 for a 90 % chance of a decision before expiry "
        "(observed: 5 decided, 0 waiting, median 40 working days; estimated)"
    ) in soon.stdout
    late = run("warn", "--today", "2026-02-09", "--within", "30")
    assert late.exit_code == 2
    assert "file now: the last day for a 90 % chance" in late.stdout
    flagged = json.loads(
        run("warn", "-f", "json", "--today", "2026-02-09", "--within", "30").stdout
    )["licenses"][0]
    assert (flagged["file_by"], flagged["level"]) == ("2026-02-06", "critical")
    assert flagged["p_decision_by_expiry"] == 0.8  # 58 weekdays to 2026-05-01


def test_the_confidence_setting_moves_the_planning_date(run: Run, store: Path) -> None:
    text = PLAIN + "forecast_confidence = 0.5\n" + history([20, 30, 40, 50, 60])
    store.write_text(text + license_text(), "utf-8")
    assert row(run, "2025-11-10")["file_by"] == "2026-03-06"  # 40 before May 1
    for bad, message in (
        ("0.3", "forecast_confidence: expected 0.5 to 0.99, got 0.3"),
        ("1", "forecast_confidence: expected 0.5 to 0.99, got 1"),
        ('"high"', "forecast_confidence: expected a chance such as 0.9"),
    ):
        store.write_text(PLAIN + f"forecast_confidence = {bad}\n", "utf-8")
        result = run("list")
        assert result.exit_code == 65
        assert message in result.stderr
        assert result.stderr.count("\n") == 1


def test_warn_json_says_when_an_overdue_decision_is_expected(
    run: Run, store: Path
) -> None:
    # Ten decided after 20, 30, ..., 110 weekdays; one filed on 2025-08-01 still
    # waits, 60 weekdays later: overdue past art. 17's 45. Of those that waited
    # 60 (five decided at 70 .. 110, and itself), half were decided by day 90:
    # 30 weekdays from today.
    store.write_text(PLAIN + history(list(range(20, 120, 10)), pending=1), "utf-8")
    today = str(_weekdays_after(D("2025-08-01"), 60))
    as_json = run("warn", "-f", "json", "--today", today)
    (app,) = json.loads(as_json.stdout)["applications"]
    assert app["expected_decision"] == str(_weekdays_after(D(today), 30))
    # The text and the quiet check name no expected decision (their overdue
    # applications are not forecast): the same state all the same.
    text = run("warn", "--today", today)
    assert "decision overdue by 15 working days" in text.stdout
    quiet = run("warn", "--quiet", "--today", today)
    assert as_json.exit_code == text.exit_code == quiet.exit_code == 1
    assert quiet.stdout == ""


def test_a_pending_renewal_and_its_application_share_the_chance(
    run: Run, store: Path
) -> None:
    store.write_text(PLAIN + history([20, 30, 40, 50, 60]) + license_text(), "utf-8")
    assert (
        run("apply", "1", "--on", "2026-02-16", "--today", "2026-02-16").exit_code == 0
    )
    shown = row(run, "2026-03-02")
    # Waited 10 weekdays; 45 more to 2026-05-01: 4 of 5 decided by day 55, all
    # of them after day 10.
    assert shown["p_decision_by_expiry"] == 0.8
    assert shown["level"] == "warning"
    result = run("applications", "-f", "json", "--today", "2026-03-02")
    (app,) = [a for a in json.loads(result.stdout) if a["renews"] == 1]
    assert app["p_decision_by_expiry"] == 0.8
    # Half of those still undecided after 10 days were decided by day 40.
    assert app["expected_decision"] == "2026-04-13"


def test_coverage_gives_the_chance_of_no_gap_and_the_next_step(
    run: Run, store: Path
) -> None:
    text = PLAIN + history([20, 30, 40, 50, 60]) + license_text()
    # A new application for the same group, overdue: the renewal still to
    # file is not hidden behind it, and its past due day is not the next step.
    text += (
        '[[application]]\nid = "A9"\nmaterial = "gallium metal"\n'
        'destination = "FR"\nfiled = 2025-10-01\nstatus = "pending"\n'
    )
    store.write_text(text, "utf-8")
    result = run("coverage", "-f", "json", "--today", "2026-01-05")
    (group,) = json.loads(result.stdout)
    assert (group["next_action"], group["next_action_date"]) == (
        "chase the decision, due 2025-12-03",
        "2026-01-05",
    )
    # A9 waited 66 weekdays, longer than any decided one: no chance to read
    # there. A renewal filed today: 85 weekdays to 2026-05-01; 5 of the 6 in
    # the history were decided by day 60 (A9 still waits), all 5 granted.
    assert group["p_no_gap"] == 0.833
    result = run("coverage", "-f", "json", "--today", "2025-11-20")
    (group,) = json.loads(result.stdout)
    assert (group["next_action"], group["next_action_date"]) == (
        "decision due",
        "2025-12-03",
    )


@pytest.mark.parametrize(
    ("ahead", "chance", "level"),
    [
        (49, 0.4, Level.CRITICAL),  # less likely than not
        (50, 0.5, Level.WARNING),  # a coin toss: short of 90 %, not critical
        (89, 0.8, Level.WARNING),
        (90, 0.9, None),  # the confidence wanted
    ],
)
def test_the_chance_decides_the_level_at_its_boundaries(
    ahead: int, chance: float, level: Level | None
) -> None:
    today = D("2026-01-05")
    expires = WEEKDAYS.get_nth_working_day(today, ahead)
    outlook = chances.filed(TEN, expires, today, WEEKDAYS, 0.9, 0)
    assert outlook.p_decision_by_expiry == pytest.approx(chance)
    assert outlook.level is level


def test_beyond_the_longest_wait_a_chance_is_a_lower_bound() -> None:
    # 6 of 10 decided by day 60, 4 still waiting after 200 days. A renewal that
    # waited 10 days, its license expiring 250 working days on: the curve says
    # nothing beyond day 200, so the 55 % read there is "at least" and flags
    # nothing; 100 working days on, it is an estimate, and short of a half.
    waiting = basis([(10 * n, True) for n in range(1, 7)] + [(200, False)] * 4)
    today = D("2026-01-05")
    far = WEEKDAYS.get_nth_working_day(today, 250)
    outlook = chances.filed(waiting, far, today, WEEKDAYS, 0.9, 10)
    assert outlook.level is None
    assert outlook.reasons[0].startswith("at least a 55 % chance")
    near = WEEKDAYS.get_nth_working_day(today, 30)
    outlook = chances.filed(waiting, near, today, WEEKDAYS, 0.9, 10)
    assert outlook.level is Level.CRITICAL
    assert outlook.reasons[0].startswith("a 33 % chance")


def test_the_article_goes_with_the_number_as_it_is_said() -> None:
    assert forecast.a_percent(0.4) == "a 40 %"
    assert forecast.a_percent(0.8) == "an 80 %"
    assert forecast.a_percent(0.899) == "an 89 %"
    assert forecast.a_percent(0.08) == "an 8 %"
    assert forecast.a_percent(0.11) == "an 11 %"
    assert forecast.a_percent(0.18) == "an 18 %"
    assert forecast.a_percent(0.9) == "a 90 %"
    assert forecast.a_percent(0.01) == "a 1 %"


def test_merging_a_forecast_keeps_every_other_field_of_the_verdict() -> None:
    """``merged`` sets the level, the reasons, the action and the forecast's
    own fields; every other field of the verdict (one added later too) is kept."""
    own = {
        "level",
        "reasons",
        "action",
        "file_by",
        "p_decision_by_expiry",
        "forecast_basis",
        "forecast_estimate",
        "act_by",
        "p_bound",
        "act_by_growing",
    }
    values: dict[str, Any] = {name: object() for name in Verdict._fields}
    values |= {"level": Level.WARNING, "reasons": ("expires soon",), "action": None}
    verdict = Verdict(**values)
    outlook = forecast.Outlook(0.7, D("2026-03-02"), "observed: all", None)
    merged = forecast.merged(verdict, outlook, D("2026-01-15"))
    for name in Verdict._fields:
        if name not in own:
            assert getattr(merged, name) is values[name], name
    assert (merged.file_by, merged.p_decision_by_expiry) == (D("2026-03-02"), 0.7)
    assert (merged.forecast_basis, merged.act_by) == ("observed: all", None)
    assert merged.p_bound == ""


def test_coverage_counts_an_overdue_decision_to_when_the_history_expects_it(
    run: Run, store: Path
) -> None:
    # The backlog of the warn test above: the pending application is 15 working
    # days overdue, and half of those that waited as long were decided 30
    # weekdays later. Counting its decision as today's promised a one-day gap.
    store.write_text(PLAIN + history(list(range(20, 120, 10)), pending=1), "utf-8")
    today = _weekdays_after(D("2025-08-01"), 60)
    expected = _weekdays_after(today, 30)
    result = run("coverage", "-f", "json", "--today", str(today))
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert row["applications"] == ["A11"]
    assert row["covered_until"] is None
    assert row["projected_gap_days"] == (expected - today).days + 1
    assert row["projected_gap_estimate"] is True  # the history's expectation
    assert row["next_action"] == "chase the decision, due 2025-10-03"
