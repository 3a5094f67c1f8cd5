"""What the verdicts of a store's records on one day rest on (``Pipeline``):
the store's calendar, the review times and history, the other authorities'
clocks (MOFCOM's: the store's settings and history; another's: its profile,
issue 23), the catalogue's controls; and each application's verdict with its
forecast. The licenses' rows, which use it, are ``license_rows``."""

import functools
from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, NamedTuple, Self

from export_licenses.domain import review, rules
from export_licenses.domain.application import Application
from export_licenses.domain.forecast import STATUTORY
from export_licenses.domain.law import CHANGE_REVIEW_DAYS
from export_licenses.domain.license import License
from export_licenses.domain.rows import AppRow
from export_licenses.domain.settings import STATUTORY_REVIEW_DAYS, Settings
from export_licenses.domain.store_data import StoreData
from export_licenses.domain.values import is_default_authority
from export_licenses.domain.workdays import WorkingDays
from export_licenses.storage.calendar_cache import calendar_for

from . import forecasts
from .controls import ControlIndex
from .leadtimes import ReviewTimes, review_times

if TYPE_CHECKING:  # built only for a store with other authorities (_clocks_of)
    from .clocks import Clock, Clocks


def _clocks_of(data: StoreData) -> Callable[[], "Clocks"]:
    """The other authorities' clocks, built (and their module imported) only
    when a record names one: a store of MOFCOM's records never loads them."""

    @functools.cache
    def build() -> "Clocks":
        from .clocks import Clocks  # noqa: PLC0415 - other authorities only (1.3 M instructions)

        return Clocks(data)

    return build


def calendar_of(settings: Settings) -> WorkingDays:
    """The store's working-day calendar, with the days the user typed in."""
    return calendar_for(
        settings.calendar, None, settings.extra_holidays, settings.extra_workdays
    )


def check_calendar(settings: Settings, day: date) -> None:
    """InvalidStore, before anything is written, when the store names a calendar
    the holidays package does not have (it is looked up lazily, so an append
    would otherwise fail only after writing, when the new row is assessed)."""
    calendar_of(settings).is_working_day(day)


class Pipeline(NamedTuple):
    """What the verdicts of a store's licenses and applications rest on."""

    calendar: WorkingDays
    review: ReviewTimes
    settings: Settings = Settings()
    # The expiry of each active license: a pending renewal's chance of a
    # decision before it.
    expiries: Mapping[int, date] = {}
    # The controls each record may fall under (issue 23): matched when asked.
    controls: ControlIndex | None = None
    # The other authorities' calendars and review clocks (issue 23).
    clocks: Callable[[], "Clocks"] | None = None

    @classmethod
    def of(cls, data: StoreData, today: date, *, needed: bool = True) -> Self:
        """What ``today``'s verdicts rest on: the review times are learned from
        the applications filed in the window up to ``today``."""
        # Building a holiday calendar costs time: only when something needs it.
        index = ControlIndex(data, today)
        if not needed:
            return cls(
                WorkingDays(), ReviewTimes(STATUTORY_REVIEW_DAYS), controls=index
            )
        settings = data.settings
        if data.authorities:  # the store's [authority.MOFCOM] wins (clocks.py)
            from .clocks import mofcom_overrides  # noqa: PLC0415 - other authorities only (1.3 M instructions)

            code, days = mofcom_overrides(data)
            settings = settings._replace(
                calendar=code or settings.calendar,
                review_working_days=days or settings.review_working_days,
            )
        calendar = calendar_of(settings)
        renewed = {app.renews for app in data.applications if app.pending}
        expiries = {
            lic.id: rules.expiry(lic, settings.term_months)
            for lic in data.licenses
            if lic.id in renewed and lic.active
        }
        # The store itself, not a copy with these settings: its day's model
        # is kept with its cache entry (kept_model).
        times = review_times(data, calendar, today, settings.review_working_days)
        return cls(calendar, times, settings, expiries, index, _clocks_of(data))

    def clock(self, authority: str | None, *, change: bool = False) -> "Clock | None":
        """The review clock of a record's authority; None for MOFCOM's, which
        is the store's calendar and review time (the setting, or the history)."""
        if is_default_authority(authority) or self.clocks is None:
            return None
        return self.clocks().of(authority or "", change=change)

    def review_of(self, lic: License) -> tuple[int, str, WorkingDays]:
        """The review time a license's renewal is reckoned with, what it rests
        on, and the calendar it is counted on: its authority's (issue 23)."""
        clock = self.clock(lic.authority)
        if clock is None:
            days, basis = self.review.lookup(lic.material, lic.destination)
            return days, basis, self.calendar
        return clock.days, clock.basis, clock.calendar

    def assess(self, app: Application, today: date) -> AppRow:
        """The application's verdict and what the history says of it."""
        return self.forecasted(self.verdict(app, today), today)

    def overdue(self, app: Application, today: date) -> AppRow | None:
        """``verdict`` of an application whose decision is overdue, or that
        records a day after today (``review.after_today``), else None. Most
        pending applications are neither: their reasons are never worded
        (saves ~2 ms, 14 M instructions, of warn at 1,000 applications)."""
        if review.after_today(app, today) is not None:
            return self.verdict(app, today)
        clock = self.clock(app.authority, change=app.changes is not None)
        if clock is not None:
            start = app.filed or app.accepted if clock.start == "filing" else None
            calendar, days = clock.calendar, clock.days
        else:
            start, calendar = None, self.calendar
            days = (
                CHANGE_REVIEW_DAYS
                if app.changes is not None
                else self.review.decision_days(app.material, app.destination)[0]
            )
        if not review.is_overdue(app, today, calendar, days, start=start):
            return None
        return self.verdict(app, today)

    def verdict(self, app: Application, today: date) -> AppRow:
        """The verdict alone: for a caller that keeps only some of the rows."""
        clock = self.clock(app.authority, change=app.changes is not None)
        if clock is not None:  # another authority's clock, on its calendar
            start = app.filed or app.accepted if clock.start == "filing" else None
            verdict = review.assess_application(
                app, today, clock.calendar, clock.days, start=start, basis=clock.basis
            )
            return AppRow(
                app,
                verdict,
                clock.basis,
                clock.days,
                lookup=self.controls,
                review_clock=clock.words(accepted=app.accepted is not None),
                review_unit=clock.unit,
            )
        if app.changes is not None:
            # Order 792 art. 18: a change of a non-key element, 20 working days
            # from acceptance; its own clock, never the history of new ones.
            days, basis = CHANGE_REVIEW_DAYS, STATUTORY
        else:
            days, basis = self.review.decision_days(app.material, app.destination)
        verdict = review.assess_application(app, today, self.calendar, days)
        return AppRow(app, verdict, basis, days, lookup=self.controls)

    def forecasted(self, row: AppRow, today: date) -> AppRow:
        app = row.application
        if (
            not app.pending
            or app.changes is not None
            or not is_default_authority(app.authority)
        ):
            # A change application has its own clock (art. 18): the history of
            # new applications says nothing of it; nor does MOFCOM's history of
            # another authority's (issue 23).
            return row
        found = forecasts.for_application(
            app,
            row.verdict,
            self.review.forecast_basis(app.material, app.destination),
            None if app.renews is None else self.expiries.get(app.renews),
            self.settings,
            self.calendar,
            today,
        )
        return row._replace(forecast=found)
