"""The six-month cliff: pure date math and levels. Dates in, verdicts out.

No Typer, Rich, clock or store here: every function takes ``today`` from its caller.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

if TYPE_CHECKING:
    from datetime import date

    from .model import License, Settings


class Level(enum.StrEnum):
    OK = "ok"
    WARNING = "warning"
    CRITICAL = "critical"
    EXPIRED = "expired"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Level.OK: 0, Level.WARNING: 1, Level.CRITICAL: 2, Level.EXPIRED: 3}


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, clamped to the month's last day.

    PRC Civil Code arts. 201-202: the start day is not counted, and a period in
    months ends on the corresponding day of the last month, or on that month's last
    day when it has no such day (2025-08-31 + 6 months -> 2026-02-28).
    """
    result: date = start + relativedelta(months=months)
    return result


def expiry(lic: License, default_term_months: int) -> date:
    """The last valid day (inclusive) of a license.

    The explicit ``expires`` wins; else the license's own recorded term; else, for a
    license written by hand with neither, the store's ``term_months`` setting.
    """
    if lic.expires is not None:
        return lic.expires
    term = lic.term_months if lic.term_months is not None else default_term_months
    return add_months(lic.issued, term)


def days_left(expires: date, today: date) -> int:
    """Whole calendar days; 0 = last valid day is today, negative = expired."""
    return (expires - today).days


def level(days: int, warn_days: int, critical_days: int) -> Level:
    if days < 0:
        return Level.EXPIRED
    if days <= critical_days:
        return Level.CRITICAL
    if days <= warn_days:
        return Level.WARNING
    return Level.OK


@dataclass(frozen=True, slots=True)
class Verdict:
    expires: date
    days_left: int
    level: Level | None  # None for a license that is no longer active


def assess(
    lic: License,
    settings: Settings,
    today: date,
    *,
    warn_days: int | None = None,
    critical_days: int | None = None,
) -> Verdict:
    """Where one license stands on ``today``; thresholds default to the settings."""
    expires = expiry(lic, settings.term_months)
    days = days_left(expires, today)
    if not lic.active:
        return Verdict(expires, days, None)
    warn = settings.warn_days if warn_days is None else warn_days
    critical = settings.critical_days if critical_days is None else critical_days
    return Verdict(expires, days, level(days, warn, critical))


def worst(levels: list[Level]) -> Level:
    return max(levels, key=lambda lvl: lvl.severity, default=Level.OK)
