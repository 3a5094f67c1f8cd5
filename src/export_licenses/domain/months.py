"""Calendar-month arithmetic: how a license's term in months becomes its expiry.

Pure functions of dates, like ``rules``; kept apart because the import and the
timeline count months too.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date


@functools.lru_cache(maxsize=4096)  # many licenses share issue dates and terms
def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, clamped to the month's last day.

    PRC Civil Code arts. 201-202: the start day is not counted, and a period in
    months ends on the corresponding day of the last month, or on that month's last
    day when it has no such day (2025-08-31 + 6 months -> 2026-02-28).
    """
    year, month = divmod(start.year * 12 + start.month - 1 + months, 12)
    month += 1
    return start.replace(
        year=year, month=month, day=min(start.day, _last_day(year, month))
    )


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end``, counted toward zero."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and add_months(start, months) > end:
        months -= 1
    elif months < 0 and add_months(start, months) < end:
        months += 1
    return months


def _last_day(year: int, month: int) -> int:
    if month == 2:  # noqa: PLR2004 - February
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31
