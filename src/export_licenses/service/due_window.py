"""``due``'s window: the licenses whose expiry, or last day to file, falls
within so many days, and the reason that names that day (audit s10-contract,
3: a script reading the JSON or CSV sees why a row is due)."""

from datetime import date
from typing import TYPE_CHECKING

from export_licenses.domain import planning_dates, rules
from export_licenses.domain.license import License, Status
from export_licenses.domain.rows import Row
from export_licenses.domain.store_data import StoreData

from .common import Pipeline

if TYPE_CHECKING:
    from export_licenses.domain.forecast import Basis
    from export_licenses.domain.workdays import WorkingDays

# What a license's filing deadlines rest on: its review time, the calendar it is
# counted on, whether that is another authority's clock, and MOFCOM's history.
_Clock = tuple[int, "WorkingDays", bool, "Basis | None"]


class Window:
    """``due``'s window of ``limit`` days from ``today``: which licenses are
    due, and why (``due_row``)."""

    def __init__(
        self, data: StoreData, context: Pipeline, today: date, limit: int
    ) -> None:
        self._data, self._context = data, context
        self._today, self._limit = today, limit
        self._clocks: dict[tuple[str | None, str, str], _Clock] = {}

    def may_be_due(self, lic: License) -> bool:
        """The window's test on the dates alone, before the full assessment:
        at 10,000 licenses half of them need not be assessed at all."""
        expires = rules.expiry(lic, self._data.settings.term_months)
        if (expires - self._today).days <= self._limit:
            return True
        if lic.status != Status.ACTIVE:
            return False
        clock = self._clocks.get((lic.authority, lic.material, lic.destination))
        if clock is None:
            clock = self._clocks[lic.authority, lic.material, lic.destination] = (
                self._clock_of(lic)
            )
        return self._deadline_near(expires, clock, lic.renewal is False)

    def _clock_of(self, lic: License) -> _Clock:
        context = self._context
        days, _, calendar = context.review_of(lic)
        if context.clock(lic.authority) is not None:
            # MOFCOM's history says nothing of another authority's clock.
            return days, calendar, True, None
        basis = context.review.forecast_basis(lic.material, lic.destination)
        return days, calendar, False, basis

    def _deadline_near(self, expires: date, clock: _Clock, declined: bool) -> bool:  # noqa: FBT001 - a key's parts
        """The last day to file, legal or planned, is within the window; never
        for a renewal declined (renewal = false): nothing is to be filed."""
        days, calendar, other, basis = clock
        today, limit = self._today, self._limit
        if declined:
            return False
        if days and (rules.renew_by(expires, days, calendar) - today).days <= limit:
            return True
        if other or basis is None:
            return False
        confidence = self._data.settings.confidence
        planned = planning_dates.act_by(
            basis, expires, today, self._context.calendar, confidence
        )
        return planned is not None and (planned - today).days <= limit

    def due_row(self, row: Row) -> Row | None:
        """The row if due, with a reason naming the date that put it in the
        window when none does yet; None if not due.

        Due: the expiry, or the last day to file (the legal one, or the
        planning date the history gives) while the renewal is not filed, is
        within the window. A declined renewal (renewal = false) is due by its
        expiry only, as warn is silent on its filing day (docs/rules.md)."""
        verdict, today, limit = row.verdict, self._today, self._limit
        if verdict.days_left <= limit:
            return row  # the expiry's reason is always there
        if row.license.status != Status.ACTIVE or row.license.renewal is False:
            return None
        # The earlier of the two, the one a narrower window still holds.
        deadline, planned = verdict.renew_by, verdict.act_by
        if planned is not None and (deadline is None or planned < deadline):
            day = planned
            words = planning_dates.act_by_words(
                verdict, today, self._data.settings.confidence
            )
        elif deadline is not None:
            day, words = deadline, self._filing_words(deadline)
        else:
            return None
        if (day - today).days > limit:
            return None
        # A script must see why the row is due (audit s10-contract, 3); the
        # reasons may say it already ("file now: …" says more than a date), and
        # a license drawn to its quantity is to be applied for, not renewed.
        said = any(
            str(day) in reason or reason.startswith(("file now", rules.FILE_NOW))
            for reason in verdict.reasons
        )
        if said or words is None or rules.ran_out_advice(verdict.action):
            return row
        return row._replace(verdict=verdict._replace(reasons=(*verdict.reasons, words)))

    def _filing_words(self, deadline: date) -> str:
        settings = self._data.settings
        return rules.filing(
            deadline,
            self._today,
            settings.filing_warn_days,
            settings.filing_critical_days,
        )[1]
