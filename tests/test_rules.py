"""The six-month cliff: pure date math, checked by example and by property."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from export_licenses.domain.assessment import Assessor, assess
from export_licenses.domain.license import License
from export_licenses.domain.months import add_months, months_between
from export_licenses.domain.review import decision_due
from export_licenses.domain.rules import (
    Level,
    days_left,
    expiry,
    level,
    renew_by,
    worst,
)
from export_licenses.domain.settings import Settings
from export_licenses.domain.shipment import Shipment
from export_licenses.domain.workdays import WorkingDays
from export_licenses.storage.calendar_cache import calendar_for

CN = calendar_for("CN")
WEEKDAYS = WorkingDays()

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
def test_months_between_is_the_most_whole_months_that_fit(
    start: date, end: date
) -> None:
    months = months_between(start, end)
    if end >= start:
        assert add_months(start, months) <= end < add_months(start, months + 1)
    else:
        assert add_months(start, months - 1) < end <= add_months(start, months)


def _walked(calendar: WorkingDays, key: date, n: int) -> date:
    """The n-th working day counted one day at a time: the definition."""
    step = timedelta(days=1 if n >= 0 else -1)
    day = key
    for _ in range(abs(n) or 1):
        if n:
            day += step
        while not calendar.is_working_day(day):
            day += step
    return day


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=-400, max_value=400),
)
def test_nth_working_day_agrees_with_counting_day_by_day(key: date, n: int) -> None:
    for calendar_ in (WEEKDAYS, CN):
        assert calendar_.get_nth_working_day(key, n) == _walked(calendar_, key, n)


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
    verdict = assess(_lic(term_months=6), Settings(), date(2026, 5, 3), WEEKDAYS)
    assert (verdict.expires, verdict.days_left, verdict.level) == (
        date(2026, 5, 3),
        0,
        Level.CRITICAL,
    )


def test_assess_the_day_after_is_expired() -> None:
    assert (
        assess(_lic(term_months=6), Settings(), date(2026, 5, 4), WEEKDAYS).level
        is Level.EXPIRED
    )


def test_inactive_license_has_no_level() -> None:
    verdict = assess(_lic(status="closed"), Settings(), date(2030, 1, 1), WEEKDAYS)
    assert verdict.level is None
    assert verdict.days_left < 0


def test_thresholds_can_be_overridden_per_call() -> None:
    # not to be renewed: only the expiry thresholds count here
    lic = _lic(term_months=6, renewal=False)
    today = date(2026, 4, 13)  # 20 days left
    assert assess(lic, Settings(), today, WEEKDAYS).level is Level.CRITICAL
    assert (
        assess(lic, Settings(), today, WEEKDAYS, warn_days=25, critical_days=10).level
        is Level.WARNING
    )


def test_worst_of_nothing_is_ok() -> None:
    assert worst([]) is Level.OK
    assert worst([Level.WARNING, Level.EXPIRED, Level.CRITICAL]) is Level.EXPIRED


# --- renewal deadline: dates derived by hand from the State Council's schedules ---
#
# Spring Festival 2026: 15-23 February off; Saturdays 14 and 28 February worked.
# National Day 2025: 1-8 October off; Sunday 28 September, Saturday 11 October worked.


@pytest.mark.parametrize(
    ("expires", "n", "deadline"),
    [
        # Wed 25 Feb 2026, back over the festival: Tue 24 (1); Mon 23 .. Sun 15 off;
        # Sat 14 is a make-up working day (2); Fri 13 (3), Thu 12 (4), Wed 11 (5).
        (date(2026, 2, 25), 1, date(2026, 2, 24)),
        (date(2026, 2, 25), 2, date(2026, 2, 14)),
        (date(2026, 2, 25), 5, date(2026, 2, 11)),
        # Mon 13 Oct 2025: Sun 12 off; Sat 11 worked (1); Fri 10 (2), Thu 9 (3);
        # 8 .. 1 October off; Tue 30 Sep (4), Mon 29 (5), Sun 28 worked (6).
        (date(2025, 10, 13), 1, date(2025, 10, 11)),
        (date(2025, 10, 13), 3, date(2025, 10, 9)),
        (date(2025, 10, 13), 4, date(2025, 9, 30)),
        (date(2025, 10, 13), 6, date(2025, 9, 28)),
    ],
)
def test_renew_by_counts_chinese_working_days(
    expires: date, n: int, deadline: date
) -> None:
    assert renew_by(expires, n, CN) == deadline


def test_renew_by_45_working_days_over_spring_festival() -> None:
    # Counted back by hand from Tue 2026-03-10 (2026 schedule: Jan 1-3 off, Sun
    # Jan 4 worked; Feb 15-23 off, Sat Feb 14 and Sat Feb 28 worked):
    # Mar 9, 6-2 -> 6; Feb 28 -> 7; Feb 27-24 -> 11; Feb 14 -> 12; Feb 13-9 -> 17;
    # Feb 6-2 -> 22; Jan 30-26, 23-19, 16-12, 9-5 -> 42; Jan 4 -> 43;
    # Dec 31 -> 44; Dec 30 -> 45.
    assert renew_by(date(2026, 3, 10), 45, CN) == date(2025, 12, 30)


def _every_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@pytest.mark.parametrize("n", [45, 20, 1])
def test_filing_on_renew_by_is_decided_in_time_and_a_working_day_later_is_not(
    n: int,
) -> None:
    # DOMAIN.md, "The last day to file": for every expiry of 2024-2027 on China's
    # calendar, an application filed and accepted on renew_by has its statutory
    # decision on or before the expiry; filed the next working day, after it.
    late = 0
    for expires in _every_day(date(2024, 1, 1), date(2027, 12, 31)):
        deadline = renew_by(expires, n, CN)
        assert CN.is_working_day(deadline), expires
        assert decision_due(deadline, n, CN) <= expires, expires
        next_day = CN.get_nth_working_day(deadline, 1)
        assert decision_due(next_day, n, CN) > expires, expires
        # Counting back from the expiry itself (the old rule) is a day late
        # exactly when the expiry is not worked.
        old = CN.get_nth_working_day(expires, -n)
        assert (old != deadline) == (not CN.is_working_day(expires)), expires
        late += old != deadline
    assert late > 400  # weekends and holidays: about a third of all days


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2190, 12, 31)),
    st.integers(min_value=1, max_value=250),
)
def test_renew_by_is_the_last_filing_day_in_time_on_any_calendar(
    expires: date, n: int
) -> None:
    deadline = renew_by(expires, n, WEEKDAYS)
    assert decision_due(deadline, n, WEEKDAYS) <= expires
    assert decision_due(WEEKDAYS.get_nth_working_day(deadline, 1), n, WEEKDAYS) > (
        expires
    )


def test_the_issues_example_a_sunday_expiry() -> None:
    # Issue 22: a license expiring Sunday 2026-02-15 got renew-by 2025-12-15,
    # whose statutory decision (2026-02-24) comes after the expiry. The decision
    # must come by Sat 2026-02-14 (a make-up working day before Spring Festival).
    assert renew_by(date(2026, 2, 15), 45, CN) == date(2025, 12, 12)
    assert decision_due(date(2025, 12, 12), 45, CN) == date(2026, 2, 14)
    assert decision_due(date(2025, 12, 15), 45, CN) == date(2026, 2, 24)


def test_weekday_calendar_skips_weekends_only() -> None:
    assert renew_by(date(2026, 2, 23), 1, WEEKDAYS) == date(2026, 2, 20)  # Mon -> Fri
    assert renew_by(date(2026, 10, 5), 5, WEEKDAYS) == date(2026, 9, 28)
    assert renew_by(date(2026, 1, 5), 0, WEEKDAYS) == date(2026, 1, 5)


@pytest.mark.parametrize(
    ("today", "level", "action"),
    [
        (date(2026, 1, 26), Level.OK, None),  # 31 days before the last day to file
        (
            date(2026, 1, 27),
            Level.WARNING,
            "file the renewal by 2026-02-26 (in 30 days)",
        ),
        (
            date(2026, 2, 18),
            Level.WARNING,
            "file the renewal by 2026-02-26 (in 8 days)",
        ),
        (
            date(2026, 2, 19),
            Level.CRITICAL,
            "file the renewal by 2026-02-26 (in 7 days)",
        ),
        (date(2026, 2, 26), Level.CRITICAL, "file the renewal by 2026-02-26 (today)"),
        (
            date(2026, 2, 27),
            Level.CRITICAL,
            "file the renewal now: the last day to file was 2026-02-26, 1 day ago",
        ),
    ],
)
def test_the_filing_deadline_warns_before_it_and_is_critical_once_missed(
    today: date, level: Level, action: str | None
) -> None:
    # Expires Sun 2026-05-03 (May Day, 1-5 May off): the decision must come by
    # Thu 2026-04-30; 45 CN working days before it: 2026-02-26.
    lic = _lic(term_months=6)
    settings = Settings(warn_days=60)  # the expiry (64+ days away) is not flagged
    verdict = assess(lic, settings, today, CN)
    assert verdict.renew_by == date(2026, 2, 26)
    assert (verdict.level, verdict.action) == (level, action)
    if action:
        assert verdict.reasons[0] == action  # the action comes first


def test_filing_thresholds_come_from_the_settings() -> None:
    lic = _lic(term_months=6)
    today = date(2026, 2, 7)  # 19 days before the last day to file
    assert assess(lic, Settings(warn_days=60), today, CN).level is Level.WARNING
    wide = Settings(warn_days=60, filing_warn_days=40, filing_critical_days=25)
    assert assess(lic, wide, today, CN).level is Level.CRITICAL
    narrow = Settings(warn_days=60, filing_warn_days=10, filing_critical_days=5)
    assert assess(lic, narrow, today, CN).level is Level.OK


def test_no_filing_reasons_when_not_to_be_renewed_or_already_expired() -> None:
    declined = _lic(term_months=6, renewal=False)
    verdict = assess(declined, Settings(warn_days=60), date(2026, 2, 28), CN)
    assert verdict.level is Level.OK
    assert verdict.action is None
    assert "not to be renewed (renewal = false)" in verdict.reasons
    expired = assess(_lic(term_months=6), Settings(), date(2026, 5, 4), CN)
    assert expired.level is Level.EXPIRED
    assert expired.reasons == ("expired on 2026-05-03, 1 day ago",)


def test_filed_renewal_is_not_flagged_by_its_deadline_but_still_by_expiry() -> None:
    lic = _lic(term_months=6, status="renewal-filed", renewal_filed=date(2026, 2, 1))
    settings = Settings(warn_days=60)
    assert assess(lic, settings, date(2026, 3, 1), CN).level is Level.OK
    verdict = assess(lic, settings, date(2026, 4, 20), CN)
    assert verdict.level is Level.CRITICAL
    assert "renewal filed on 2026-02-01" in verdict.reasons


@pytest.mark.parametrize(
    ("shipped", "expected", "reason"),
    [
        ("899.9", Level.OK, None),
        ("900", Level.WARNING, "90% used: 900 of 1000 kg shipped"),
        ("1000", Level.CRITICAL, "exhausted: 1000 of 1000 kg shipped"),
    ],
)
def test_depletion_levels(shipped: str, expected: Level, reason: str | None) -> None:
    lic = _lic(
        term_months=6,
        quantity=Decimal(1000),
        unit="kg",
        shipments=(Shipment(date(2025, 12, 1), Decimal(shipped)),),
    )
    verdict = assess(lic, Settings(), date(2025, 12, 2), CN)
    assert verdict.level is expected
    if reason:
        assert reason in verdict.reasons


def test_settings_review_days_move_the_deadline() -> None:
    lic = _lic(term_months=6)
    short = Settings(review_working_days=5)
    # Sun 2026-05-03: the decision must come by Fri May 1; 5 working days before
    # it: Thu 30, Wed 29, Tue 28, Mon 27, Fri 24 Apr.
    assert assess(lic, short, date(2026, 4, 1), WEEKDAYS).renew_by == date(2026, 4, 24)


# Licenses whose expiries collide (issued within a few days of each other), in
# every state that changes a verdict: what one license is must not leak into the
# verdict of another that shares its expiry.
LICENSES_SHARING_EXPIRIES = st.lists(
    st.builds(
        _lic,
        issued=st.dates(min_value=date(2025, 11, 1), max_value=date(2025, 11, 6)),
        term_months=st.just(6),
        status=st.sampled_from(["active", "renewal-filed", "closed"]),
        renewal=st.sampled_from([None, True, False]),
        renewal_filed=st.sampled_from([None, date(2026, 3, 1)]),
        quantity=st.sampled_from([None, Decimal(1000)]),
        shipments=st.sampled_from([(), (Shipment(date(2025, 12, 1), Decimal(950)),)]),
    ),
    max_size=12,
)


@given(
    LICENSES_SHARING_EXPIRIES,
    st.dates(min_value=date(2026, 2, 1), max_value=date(2026, 6, 1)),
    st.sampled_from([None, date(2026, 5, 20)]),
    st.sampled_from([None, 10, 45]),
)
def test_one_assessor_for_many_licenses_says_what_each_alone_would(
    licenses: list[License], today: date, decision_due: date | None, review: int | None
) -> None:
    settings = Settings(warn_days=60)
    shared = Assessor(settings, today, CN)
    for lic in licenses:
        alone = assess(
            lic, settings, today, CN, review_days=review, decision_due=decision_due
        )
        assert shared.assess(lic, review, decision_due) == alone
