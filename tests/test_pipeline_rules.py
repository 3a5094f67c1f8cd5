"""The renewal pipeline's rules as pure functions: decision due on China's
calendar, the lead times' median, gaps, filing levels, guessed calendar years."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from export_licenses.domain.application import Application, AppStatus
from export_licenses.domain.assessment import assess
from export_licenses.domain.license import License, Status
from export_licenses.domain.review import (
    assess_application,
    decision_due,
    gap_days,
    median,
    uncovered_days,
    working_days_between,
)
from export_licenses.domain.rules import Level, filing
from export_licenses.domain.settings import Settings
from export_licenses.domain.workdays import WithOverrides, WorkingDays
from export_licenses.storage.calendar_cache import calendar_for

CN = calendar_for("CN")
WEEKDAYS = WorkingDays()
D = date.fromisoformat


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Spring Festival 2026: 15-23 February off; Saturdays 14 and 28 February
        # are make-up working days.
        ("2026-02-13", 1, "2026-02-14"),
        ("2026-02-13", 2, "2026-02-24"),
        # ... and Qingming: Monday 6 April 2026 off
        ("2026-02-12", 45, "2026-04-23"),
        # National Day 2026: 1-7 October off; Sunday 20 September and Saturday
        # 10 October are worked.
        ("2026-09-19", 1, "2026-09-20"),
        ("2026-09-30", 1, "2026-10-08"),
        ("2026-09-30", 3, "2026-10-10"),
        ("2026-08-27", 45, "2026-11-04"),
    ],
)
def test_decision_due_counts_china_s_working_days(
    start: str, days: int, due: str
) -> None:
    assert decision_due(D(start), days, CN) == D(due)


def test_decision_due_agrees_with_the_holidays_package_over_two_years() -> None:
    live = holidays.country_holidays("CN")
    start = D("2025-01-02")
    while start < D("2026-10-01"):
        day, left = start, 45
        while left:
            day += timedelta(days=1)
            left -= live.is_working_day(day)
        assert decision_due(start, 45, CN) == day, start
        start += timedelta(days=17)


def test_working_days_between_counts_after_start_up_to_end() -> None:
    assert working_days_between(D("2026-02-13"), D("2026-02-24"), CN) == 2
    assert working_days_between(D("2026-01-05"), D("2026-01-05"), WEEKDAYS) == 0
    assert working_days_between(D("2026-01-09"), D("2026-01-05"), WEEKDAYS) == 0
    assert working_days_between(D("2026-01-02"), D("2026-01-09"), WEEKDAYS) == 5


_TYPED = WithOverrides(CN, frozenset({D("2027-02-11")}), frozenset({D("2027-02-07")}))


@given(
    st.dates(date(2023, 1, 1), date(2028, 12, 31)),
    st.dates(date(2023, 1, 1), date(2028, 12, 31)),
    st.sampled_from([CN, WEEKDAYS, _TYPED]),
)
def test_working_days_between_is_a_walk_over_the_calendar(
    start: date, end: date, calendar: WorkingDays
) -> None:
    # Counted by bisection on the calendar's working days; checked here against
    # walking day by day with is_working_day.
    walked, day = 0, start
    while day < end:
        day += timedelta(days=1)
        walked += calendar.is_working_day(day)
    assert calendar.working_days_between(start, end) == walked


@given(st.dates(date(2000, 1, 1), date(2100, 1, 1)), st.integers(1, 250))
def test_waiting_until_the_due_day_is_the_review_time(start: date, days: int) -> None:
    due = decision_due(start, days, WEEKDAYS)
    assert working_days_between(start, due, WEEKDAYS) == days


def test_median_of_odd_and_even_counts() -> None:
    assert median([]) is None
    assert median([47]) == 47
    assert median([40, 50, 45]) == 45
    assert median([40, 47]) == 43.5
    assert median([40, 50]) == 45


def test_gap_days_counts_the_days_after_the_last_valid_day() -> None:
    today = D("2026-01-15")
    assert gap_days(D("2026-04-01"), D("2026-03-31"), today) == 0
    assert gap_days(D("2026-04-01"), D("2026-04-01"), today) == 0
    assert gap_days(D("2026-04-01"), D("2026-04-02"), today) == 1
    assert gap_days(D("2026-04-01"), D("2026-04-11"), today) == 10
    # nothing valid now: from today to the decision, both counted
    assert gap_days(None, D("2026-01-20"), today) == 6
    assert gap_days(D("2026-01-10"), D("2026-01-15"), today) == 1


def test_uncovered_days_in_a_window() -> None:
    periods = [(D("2026-01-01"), D("2026-01-10")), (D("2026-01-05"), D("2026-01-20"))]
    assert uncovered_days(periods, D("2026-01-01"), D("2026-01-31")) == 11
    assert uncovered_days([], D("2026-01-01"), D("2026-01-31")) == 31
    assert uncovered_days(periods, D("2026-01-02"), D("2026-01-20")) == 0
    assert uncovered_days(periods, D("2026-02-01"), D("2026-01-01")) == 0


@pytest.mark.parametrize(
    ("left", "level"),
    [
        (31, None),
        (30, Level.WARNING),
        (8, Level.WARNING),
        (7, Level.CRITICAL),
        (0, Level.CRITICAL),
        (-1, Level.CRITICAL),
    ],
)
def test_filing_levels_at_each_boundary(left: int, level: Level | None) -> None:
    deadline = D("2026-03-01")
    found, action = filing(deadline, deadline - timedelta(days=left), 30, 7)
    assert found is level
    assert ("now" in action) is (left < 0)


def _app(**fields: object) -> Application:
    base: dict[str, object] = {"id": 1, "material": "samarium oxide"}
    return Application(**(base | {"destination": "JP"} | fields))  # type: ignore[arg-type]


def test_a_pending_application_past_its_decision_due_is_overdue() -> None:
    app = _app(filed=D("2026-01-02"), accepted=D("2026-01-05"))
    due = decision_due(D("2026-01-05"), 45, WEEKDAYS)
    on_time = assess_application(app, due, WEEKDAYS, 45)
    assert (on_time.decision_due, on_time.overdue, on_time.level) == (
        due,
        False,
        Level.OK,
    )
    late = assess_application(app, due + timedelta(days=7), WEEKDAYS, 45)
    assert late.overdue
    assert late.level is Level.WARNING
    assert late.overdue_working_days == 5
    assert late.reasons[0] == f"decision overdue by 5 working days (due {due})"
    decided = assess_application(
        app._replace(status=AppStatus.GRANTED, decided=due), due, WEEKDAYS, 45
    )
    assert (decided.level, decided.overdue, decided.waited_working_days) == (
        None,
        False,
        45,
    )


def test_a_renewal_decided_after_the_expiry_projects_a_gap() -> None:
    lic = License(
        id=1,
        material="yttrium oxide",
        destination="US",
        issued=D("2025-10-01"),
        term_months=6,
        status=Status.RENEWAL_FILED,
        renewal_filed=D("2026-02-01"),
    )  # expires 2026-04-01
    settings = Settings(calendar="none", warn_days=30, critical_days=10)
    today = D("2026-01-15")
    calm = assess(lic, settings, today, WEEKDAYS, decision_due=D("2026-04-01"))
    assert calm.level is Level.OK
    gap = assess(lic, settings, today, WEEKDAYS, decision_due=D("2026-04-11"))
    assert gap.level is Level.WARNING
    assert "decision due 2026-04-11 after expiry: projected gap of 10 days" in (
        gap.reasons
    )


def test_years_without_an_announced_schedule_are_guesses() -> None:
    last = CN.official_until()
    assert last is not None
    assert last >= 2026  # holidays 0.109 announces 2026
    assert CN.guessed_years(D(f"{last}-06-01"), D(f"{last}-12-31")) == ()
    assert CN.guessed_years(D(f"{last}-12-01"), D(f"{last + 1}-02-01")) == (last + 1,)
    assert WEEKDAYS.guessed_years(D("2100-01-01"), D("2101-01-01")) == ()
    assert calendar_for("DE").guessed_years(D("2100-01-01"), D("2101-01-01")) == ()
    typed = WithOverrides(CN, frozenset({D(f"{last + 1}-02-11")}), frozenset())
    assert typed.guessed_years(D(f"{last}-12-01"), D(f"{last + 1}-02-01")) == ()
    assert not typed.is_working_day(D(f"{last + 1}-02-11"))
