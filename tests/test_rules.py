"""The six-month cliff: pure date math, checked by example and by property."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from export_licenses.model import License, Settings
from export_licenses.rules import (
    Level,
    add_months,
    assess,
    days_left,
    expiry,
    level,
    worst,
)

DATES = st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31))
MONTHS = st.integers(min_value=1, max_value=120)


@pytest.mark.parametrize(
    ("issued", "months", "expires"),
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),  # the contract's examples
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year
        (date(2025, 11, 1), 6, date(2026, 5, 1)),
        (date(2025, 11, 3), 6, date(2026, 5, 3)),  # DOMAIN.md
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 1, 30), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
    ],
)
def test_add_months_ends_on_the_corresponding_day_or_the_months_last(
    issued: date, months: int, expires: date
) -> None:
    assert add_months(issued, months) == expires


@given(DATES, MONTHS)
def test_expiry_is_never_before_issue_and_lands_in_the_right_month(
    issued: date, months: int
) -> None:
    expires = add_months(issued, months)
    assert expires > issued
    month_index = issued.year * 12 + issued.month - 1 + months
    assert (expires.year, expires.month) == (month_index // 12, month_index % 12 + 1)
    last_day = calendar.monthrange(expires.year, expires.month)[1]
    assert expires.day == min(issued.day, last_day)


@given(DATES, st.integers(min_value=1, max_value=60))
def test_consecutive_terms_never_skip_or_repeat_a_month(
    issued: date, months: int
) -> None:
    ends = [add_months(issued, n) for n in range(1, months + 1)]
    indexes = [d.year * 12 + d.month for d in ends]
    assert indexes == list(range(indexes[0], indexes[0] + months))
    assert ends == sorted(ends)


@given(DATES, DATES)
def test_days_left_counts_whole_calendar_days(expires: date, today: date) -> None:
    assert today + timedelta(days=days_left(expires, today)) == expires


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (-1, Level.EXPIRED),
        (0, Level.CRITICAL),  # last valid day: still valid, but critical
        (30, Level.CRITICAL),
        (31, Level.WARNING),
        (90, Level.WARNING),
        (91, Level.OK),
    ],
)
def test_level_boundaries_are_inclusive(days: int, expected: Level) -> None:
    assert level(days, warn_days=90, critical_days=30) is expected


@given(st.integers(-500, 500), st.integers(0, 400), st.integers(0, 400))
def test_level_only_gets_worse_as_days_run_out(
    days: int, warn: int, critical: int
) -> None:
    critical = min(critical, warn)
    assert (
        level(days - 1, warn, critical).severity >= level(days, warn, critical).severity
    )


def _lic(**changes: object) -> License:
    fields: dict[str, object] = {
        "id": 1,
        "material": "dysprosium oxide",
        "destination": "US",
        "issued": date(2025, 11, 3),
    }
    fields.update(changes)
    return License(**fields)  # type: ignore[arg-type]


def test_explicit_expiry_wins_over_term() -> None:
    lic = _lic(expires=date(2026, 1, 31))
    assert expiry(lic, default_term_months=6) == date(2026, 1, 31)


def test_recorded_term_is_used_not_the_settings_term() -> None:
    assert expiry(_lic(term_months=3), default_term_months=12) == date(2026, 2, 3)


def test_license_with_neither_gets_the_settings_term() -> None:
    assert expiry(_lic(), default_term_months=12) == date(2026, 11, 3)


def test_assess_on_the_last_valid_day() -> None:
    verdict = assess(_lic(term_months=6), Settings(), date(2026, 5, 3))
    assert (verdict.expires, verdict.days_left, verdict.level) == (
        date(2026, 5, 3),
        0,
        Level.CRITICAL,
    )


def test_assess_the_day_after_is_expired() -> None:
    assert (
        assess(_lic(term_months=6), Settings(), date(2026, 5, 4)).level is Level.EXPIRED
    )


def test_inactive_license_has_no_level() -> None:
    verdict = assess(_lic(status="closed"), Settings(), date(2030, 1, 1))
    assert verdict.level is None
    assert verdict.days_left < 0


def test_thresholds_can_be_overridden_per_call() -> None:
    lic = _lic(term_months=6)
    today = date(2026, 4, 13)  # 20 days left
    assert assess(lic, Settings(), today).level is Level.CRITICAL
    assert (
        assess(lic, Settings(), today, warn_days=25, critical_days=10).level
        is Level.WARNING
    )


def test_worst_of_nothing_is_ok() -> None:
    assert worst([]) is Level.OK
    assert worst([Level.WARNING, Level.EXPIRED, Level.CRITICAL]) is Level.EXPIRED
