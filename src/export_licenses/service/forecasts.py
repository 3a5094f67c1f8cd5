"""The history's forecasts for the rows of one run: licenses and applications.

Each group's curve is fitted once per run (``review_model.ReviewModel``); a license
whose renewal is not filed shares its forecast with every license of its expiry
and group, so 10,000 licenses cost a few hundred curve readings. The readings
(``domain/chances.py``) are imported where a curve is read: a store without a
history (most, and every large one of the benchmarks) loads neither them nor
the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from export_licenses.domain import forecast
from export_licenses.domain.application import app_label
from export_licenses.domain.forecast import (
    NO_OUTLOOK,
    NOTHING,
    AppForecast,
    Outlook,
    usable,
)
from export_licenses.domain.license import Status

if TYPE_CHECKING:
    from datetime import date

    from export_licenses.domain.application import Application
    from export_licenses.domain.forecast import Basis
    from export_licenses.domain.license import License
    from export_licenses.domain.review import AppVerdict
    from export_licenses.domain.rows import AppRow
    from export_licenses.domain.rules import Verdict
    from export_licenses.domain.settings import Settings
    from export_licenses.domain.workdays import WorkingDays

    from .leadtimes import ReviewTimes

_FILED: Final = Status.RENEWAL_FILED


def for_application(
    app: Application,
    verdict: AppVerdict,
    basis: Basis | None,
    expires: date | None,
    settings: Settings,
    calendar: WorkingDays,
    today: date,
) -> AppForecast:
    """A pending application's expected decision and, for a renewal of an
    active license expiring on ``expires``, the chance of a decision by then."""
    waited = verdict.waited_working_days
    if not app.pending or waited is None or basis is None or not usable(basis):
        return NOTHING
    from export_licenses.domain import chances  # noqa: PLC0415 - a history only (0.4 M instructions)

    stopped = verdict.stopped_since
    expected, estimate, after = None, False, None
    if stopped is None:  # while the clock stands nobody knows when it runs again
        expected, estimate = chances.expected_decision(basis, waited, today, calendar)
        if expected is None:
            after = chances.decided_after(basis, waited, today, calendar)
    outlook = None
    if expires is not None:
        outlook = chances.filed(
            basis, expires, today, calendar, settings.confidence, waited, stopped
        )
    return AppForecast(
        outlook, expected, estimate or bool(outlook and outlook.estimate), after
    )


class Forecaster:
    """License verdicts with the history's forecast merged in, for one run."""

    def __init__(
        self,
        review: ReviewTimes,
        settings: Settings,
        calendar: WorkingDays,
        today: date,
    ) -> None:
        self._review, self._settings = review, settings
        self._calendar, self._today = calendar, today
        self._unfiled: dict[tuple[date, int], Outlook] = {}
        # By the identities of a shared verdict and outlook; the value keeps
        # both alive, so that no other object can take their identities.
        self._merged: dict[tuple[int, int], tuple[Verdict, Outlook, Verdict]] = {}
        # A store without a history (most of them, and the large ones of the
        # benchmarks): every license is on the statutory model, one look-up each.
        self._history = review.model is not None and review.model.has_history
        self._statutory: dict[int, tuple[Verdict, Verdict]] = {}

    def verdict(
        self,
        lic: License,
        verdict: Verdict,
        renewal: AppRow | None,
        own: str | None = None,
    ) -> Verdict:
        """``verdict`` with the forecast of ``lic``'s renewal, when it has one
        (an active license that is to be renewed). ``own``: the basis of
        another authority's clock (issue 23), whose licenses the history (of
        MOFCOM's applications alone) says nothing of."""
        if not lic.active or lic.renewal is False:
            return verdict
        if own is not None:
            outlook = Outlook(None, None, own, None)
            merged = forecast.merged(verdict, outlook, self._today)
            if renewal is None:
                return merged
            return merged._replace(reasons=merged.reasons + _clock(renewal))
        if not self._history and renewal is None:
            plain = self._statutory.get(id(verdict))
            if plain is None:  # the value keeps the verdict, and so its id
                merged = forecast.merged(verdict, NO_OUTLOOK, self._today)
                plain = self._statutory[id(verdict)] = (verdict, merged)
            return plain[1]
        outlook = self._outlook(lic, verdict, renewal)
        if renewal is not None:  # its own wait: nothing to share
            merged = forecast.merged(verdict, outlook, self._today)
            return merged._replace(reasons=merged.reasons + _clock(renewal))
        # Licenses of one expiry and group share both verdict and outlook.
        key = (id(verdict), id(outlook))
        known = self._merged.get(key)
        if known is None:
            merged = forecast.merged(verdict, outlook, self._today)
            known = self._merged[key] = (verdict, outlook, merged)
        return known[2]

    def plain(self, verdict: Verdict, basis: Basis | None) -> Verdict:
        """``verdict(lic, verdict, None)`` for an active license with no renewal
        filed or declined, on MOFCOM's clock, whose group's history is
        ``basis``: what ``license_rows.iter_rows`` shares per expiry, review time
        and history. Asked once per such triple, it skips the look-ups and the
        sharing ``verdict`` does per license (~5 M instructions of warn at
        1,000 licenses with 1,000 applications)."""
        if not self._history or basis is None:
            return forecast.merged(verdict, NO_OUTLOOK, self._today)
        return forecast.merged(
            verdict, self._unfiled_outlook(verdict, basis), self._today
        )

    def _outlook(
        self, lic: License, verdict: Verdict, renewal: AppRow | None
    ) -> Outlook:
        basis = self._review.forecast_basis(lic.material, lic.destination)
        if basis is None:
            return NO_OUTLOOK
        if lic.renewal_pending:
            if renewal is not None and renewal.forecast.outlook is not None:
                return renewal.forecast.outlook
            # Filed on a day nobody wrote down: no wait to condition on.
            return Outlook(None, None, basis.text(), None)
        return self._unfiled_outlook(verdict, basis)

    def _unfiled_outlook(self, verdict: Verdict, basis: Basis) -> Outlook:
        key = (verdict.expires, id(basis))
        known = self._unfiled.get(key)
        if known is None:
            from export_licenses.domain import chances  # noqa: PLC0415 - a history only (0.4 M instructions)

            known = self._unfiled[key] = chances.unfiled(
                basis,
                verdict.expires,
                self._today,
                self._calendar,
                self._settings.confidence,
                self._settings.filing_warn_days,
            )
        return known


def _clock(renewal: AppRow) -> tuple[str, ...]:
    """What the renewal's review clock does that the license should say: it
    stands (a hold), or it has no bound."""
    app, verdict = renewal.application, renewal.verdict
    said: list[str] = []
    if verdict.stopped_since is not None:
        hold = app.holds[-1]
        said.append(
            f"renewal {app_label(app.id)}: clock stopped since {hold.stopped}: "
            f"{hold.reason or 'no reason given'}"
        )
    if app.unbounded:
        said.append(
            f"renewal {app_label(app.id)}: no statutory time limit: {app.unbounded}"
        )
    return tuple(said)
