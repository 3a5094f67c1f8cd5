"""A review clock counted in calendar days, on an authority's calendar.

BIS resolves an application within 90 **calendar** days of registering it
(15 CFR 750.4(a)(1); DOMAIN.md, "Other authorities"): every day counts, but the
authority registers applications and decides on its own working days (the U.S.
federal calendar). ``CalendarDays`` counts every day, so the rules that count a
review clock (decision due, days waited, a stopped clock) need no second path,
and it asks its ``base`` calendar where a filing or a decision can fall.

The domain side of ``service/clocks.py``: here the arithmetic of a clock counted
in calendar days; the service chooses each authority's calendar and clock from
its profile and the store's settings.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from .workdays import SATURDAY, WorkingDays

_ONE_DAY: Final = timedelta(days=1)


class CalendarDays(WorkingDays):
    """Every day counts; filings and decisions fall on ``base``'s working days."""

    day_word = "day"

    def __init__(self, base: WorkingDays) -> None:
        super().__init__()
        self.base = base

    def is_working_day(self, day: date) -> bool:  # noqa: ARG002 - every day counts
        return True

    def exceptions(self, first: int, last: int) -> tuple[set[int], set[int]]:
        start, end = date(first, 1, 1).toordinal(), date(last, 12, 31).toordinal()
        weekends = {day for day in range(start, end + 1) if (day - 1) % 7 >= SATURDAY}
        return set(), weekends

    def official_until(self) -> int | None:
        return self.base.official_until()

    def announced_years(self) -> frozenset[int]:
        return self.base.announced_years()

    def last_decision_day(self, day: date) -> date:
        return self.base.last_decision_day(day)

    def filing_day(self, decided_by: date, days: int) -> date:
        """The last working day of ``base`` at least ``days`` calendar days
        before ``decided_by``: an application filed on a day off is registered
        on the next working day at the earliest."""
        return self.base.last_decision_day(decided_by - timedelta(days=days))
