"""The verdicts of a store's records on one day: each license's and each
application's, on its authority's calendar and review clock (MOFCOM's: the
store's settings and history; another's: its profile, issue 23), with the
history's forecasts and what the law adds."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, NamedTuple

from export_licenses.domain import review, rules
from export_licenses.domain.forecast import STATUTORY, Basis
from export_licenses.domain.law import CHANGE_REVIEW_DAYS
from export_licenses.domain.license import Status
from export_licenses.domain.rows import AppRow, Row
from export_licenses.domain.settings import STATUTORY_REVIEW_DAYS, Settings
from export_licenses.domain.values import is_default_authority
from export_licenses.domain.workdays import WorkingDays
from export_licenses.storage.calendar_cache import calendar_for

from . import forecasts
from .controls import ControlIndex
from .law import Law
from .leadtimes import ReviewTimes, review_times

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping
    from datetime import date

    from export_licenses.domain.application import Application
    from export_licenses.domain.license import License
    from export_licenses.domain.store_data import StoreData

    from .clocks import Clock, Clocks


def _clocks_of(data: StoreData) -> Callable[[], Clocks]:
    """The other authorities' clocks, built (and their module imported) only
    when a record names one: a store of MOFCOM's records never loads them."""

    @functools.cache
    def build() -> Clocks:
        from .clocks import Clocks  # noqa: PLC0415

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
    clocks: Callable[[], Clocks] | None = None

    @classmethod
    def of(cls, data: StoreData, today: date, *, needed: bool = True) -> Pipeline:
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
            from .clocks import mofcom_overrides  # noqa: PLC0415

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

    def clock(self, authority: str | None, *, change: bool = False) -> Clock | None:
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
        """``verdict`` of an application whose decision is overdue, else None.
        Most pending applications are not: their reasons are never worded
        (saves ~2 ms, 14 M instructions, of warn at 1,000 applications)."""
        clock = self.clock(app.authority, change=app.changes is not None)
        if clock is not None:
            start = app.filed or app.accepted if clock.start == "filing" else None
            calendar, days = clock.calendar, clock.days
        else:
            start, calendar = None, self.calendar
            days = (
                CHANGE_REVIEW_DAYS
                if app.changes is not None
                else self.review.lookup(app.material, app.destination)[0]
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
            days, basis = self.review.lookup(app.material, app.destination)
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


def rows_for(
    data: StoreData,
    today: date,
    licenses: Iterable[License],
    *,
    warn_days: int | None = None,
    critical_days: int | None = None,
    context: Pipeline | None = None,
) -> list[Row]:
    """Each license with its verdict, soonest expiry first (then id).

    ``context``: the store's calendar and review times, when the caller has them
    already (learning observed review times reads every application).
    """
    return list(
        iter_rows(
            data,
            today,
            licenses,
            warn_days=warn_days,
            critical_days=critical_days,
            context=context,
        )
    )


def iter_rows(
    data: StoreData,
    today: date,
    licenses: Iterable[License],
    *,
    warn_days: int | None = None,
    critical_days: int | None = None,
    context: Pipeline | None = None,
) -> Iterator[Row]:
    """``rows_for``, one row at a time: the licenses are put in order by their
    expiry first, so no more than one verdict need be held at once."""
    settings = data.settings
    term = settings.term_months
    chosen = sorted(
        ((rules.expiry(lic, term), lic) for lic in licenses),
        key=lambda pair: (pair[0], pair[1].id),
    )
    if context is None:
        context = Pipeline.of(data, today, needed=any(lic.active for _, lic in chosen))
    renewals = {
        app.renews: context.assess(app, today)
        for app in data.applications
        if app.pending and app.renews is not None
    }
    assessor = rules.Assessor(
        settings, today, context.calendar, warn_days, critical_days
    )
    forecaster = forecasts.Forecaster(context.review, settings, context.calendar, today)
    law, review = Law(data), context.review
    groups: dict[tuple[str, str], tuple[int, str, bool, Basis | None]] = {}
    # A license nothing of its own flags (see _plain) has the verdict of every
    # such license with its expiry, review time and history: worked out once per
    # distinct triple (10,000 licenses of the benchmarks: ~600), not per license.
    # Saves 8-9 ms of CPU on warn and due at those 10,000; nothing at a large
    # trader's, whose licenses have kinds and shipments (benchmarks/ledger.py).
    shared: dict[tuple[date, int, Basis | None], rules.Verdict] = {}
    # Their statutory verdict is one per expiry and review time, whatever the
    # history: asked once per pair, not once per history (warn at 1,000
    # licenses with 1,000 applications: 476 pairs, 980 triples; ~2 M
    # instructions).
    statutory: dict[tuple[date, int], rules.Verdict] = {}
    for expires, lic in chosen:
        plain = _plain(lic) and lic.id not in renewals
        if plain:  # MOFCOM's clock: the store's review time and history
            group = groups.get((lic.material, lic.destination))
            if group is None:
                days, basis, thin = review.observed(lic.material, lic.destination)
                history = review.forecast_basis(lic.material, lic.destination)
                group = groups[lic.material, lic.destination] = (
                    days,
                    basis,
                    thin,
                    history,
                )
            days, basis, thin, history = group
            verdict = shared.get((expires, days, history))
            if verdict is None:
                verdict = statutory.get((expires, days))
                if verdict is None:
                    verdict = statutory[expires, days] = assessor.assess(lic, days)
                verdict = forecaster.plain(verdict, history)
                verdict = shared[expires, days, history] = law.judged(lic, verdict)
            yield Row(
                lic,
                verdict,
                None if lic.expires else (lic.term_months or term),
                basis,
                days or None,
                context.controls,
                None,
                thin,
            )
            continue
        clock = context.clock(lic.authority)
        renewal = renewals.get(lic.id)
        due = None if renewal is None else renewal.verdict.decision_due
        thin = False
        if clock is None:
            days, basis, thin = review.observed(lic.material, lic.destination)
            verdict = forecaster.verdict(lic, assessor.assess(lic, days, due), renewal)
        else:  # its authority's clock and calendar; MOFCOM's history is not its
            days, basis = clock.days, clock.basis
            verdict = assessor.assess(lic, days, due, clock.calendar)
            verdict = forecaster.verdict(lic, verdict, renewal, own=basis)
            if basis == "target" and verdict.renew_by is not None:
                target = (
                    f"renew-by counts {clock.authority}'s {days}-{clock.unit}-day "
                    "review target, not a bound"
                )
                verdict = verdict._replace(reasons=(*verdict.reasons, target))
        verdict = law.judged(lic, verdict)
        active = lic.active
        yield Row(
            lic,
            verdict,
            None if lic.expires else (lic.term_months or term),
            basis if active else None,
            (days or None) if active else None,
            context.controls,
            None if clock is None or not active else clock.words(),
            thin and active,
        )


def _plain(lic: License) -> bool:
    """Whether a license's verdict follows from its expiry, review time and
    history alone: active, no renewal filed or declined, nothing shipped, no
    kind or authority for the law to weigh (MOFCOM's clock), not suspended (and
    no renewal application pending, which the caller checks)."""
    return (
        lic.status == Status.ACTIVE
        and lic.renewal is not False
        and not lic.shipments
        and lic.kind is None
        and lic.authority is None
    )


def row_for(
    data: StoreData, today: date, lic: License, context: Pipeline | None = None
) -> Row:
    return rows_for(data, today, [lic], context=context)[0]
