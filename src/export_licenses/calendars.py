"""Working-day calendars for the renewal deadline.

China's statutory holidays move every year and weekends are swapped for make-up
working days (Sunday 2025-09-28 was one), so counting working days needs the
``holidays`` package, which models both. Its data for a year is only as good as the
State Council's announcement for that year, usually published the November before.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import Protocol

from .errors import InvalidStore

SATURDAY = 5


class WorkingDays(Protocol):
    def get_nth_working_day(self, key: date, n: int) -> date: ...


class MondayToFriday:
    """The calendar "none": every weekday works, no holidays."""

    def get_nth_working_day(self, key: date, n: int) -> date:
        step = timedelta(days=1 if n >= 0 else -1)
        day = key
        for _ in range(abs(n) or 1):
            if n:
                day += step
            while day.weekday() >= SATURDAY:
                day += step
        return day


@functools.cache
def calendar_for(code: str) -> WorkingDays:
    """The working-day calendar a store names; built once per process."""
    if code == "none":
        return MondayToFriday()
    import holidays  # noqa: PLC0415 - ~70 ms: only when a renewal deadline is computed

    country, _, subdivision = code.partition("-")
    try:
        calendar: WorkingDays = holidays.country_holidays(
            country, subdiv=subdivision or None
        )
    except NotImplementedError:
        raise InvalidStore(
            f"[settings] calendar: the holidays package has no calendar {code!r}; "
            'use a country code it knows, such as "CN", or "none"'
        ) from None
    return calendar
