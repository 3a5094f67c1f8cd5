"""Review times learned from the store's own history: how long MOFCOM takes.

Only MOFCOM's applications count (a record naming no authority is MOFCOM's): a
BIS, EU or UK decision runs on another clock and calendar, and never enters
MOFCOM's history (issue 23).

An observation is one application with a known start (acceptance, else filing):
the working days from its start to its decision, the days its clock stood still
(``holds``, art. 17) left out — an event — or, for one still
pending, to today, and for one withdrawn, to its withdrawal — censored, since it
was still undecided then. A model fitted to the decided ones alone would be fast
exactly in a backlog, when most applications still wait (DOMAIN.md, "The review
clock in practice"), so the curve is Kaplan-Meier's (``domain.survival``).
Renewals recorded before applications existed (``renewal_filed`` on the old
license, the new license's ``issued``) count as decided.

Only applications filed in the window count (``observed_window_days``, default
365 days up to today), and those still pending however old; the groups and
their curves are ``review_model``'s.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Final

from export_licenses.domain.application import AppStatus, app_label
from export_licenses.domain.forecast import MIN_AT_RISK, STATUTORY
from export_licenses.domain.holds import net_working_days
from export_licenses.domain.months import add_months, months_between
from export_licenses.domain.observation import Observation
from export_licenses.domain.settings import STATUTORY_REVIEW_DAYS
from export_licenses.domain.values import DEFAULT_AUTHORITY, is_default_authority

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import date

    from export_licenses.domain.forecast import Basis
    from export_licenses.domain.license import License
    from export_licenses.domain.settings import Settings
    from export_licenses.domain.store_data import StoreData
    from export_licenses.domain.workdays import WorkingDays

    from .kept_model import KeptModel
    from .review_model import ReviewModel

# The share of applications decided that the "observed" review time is read at.
OBSERVED_QUANTILE: Final = 0.9


def observations(
    data: StoreData,
    calendar: WorkingDays,
    today: date,
    others: Callable[[str], tuple[str, WorkingDays, bool]] | None = None,
) -> list[Observation]:
    """Every application with a known start up to ``today``, as ``today`` saw it
    (one decided later was still pending then), and every older renewal.

    MOFCOM's alone, unless ``others`` gives another authority's name as its
    profile spells it, its calendar, and whether its clock runs from filing:
    its applications come too, each counted on its own clock and marked with
    its authority (``stats``)."""
    by_id = {lic.id: lic for lic in data.licenses}
    found: list[Observation] = []
    for app in data.applications:
        start, counted, authority = app.started, calendar, DEFAULT_AUTHORITY
        if app.authority is not None and not is_default_authority(app.authority):
            # Only MOFCOM's own applications teach MOFCOM's review times: a BIS
            # or EU decision runs on another clock (issue 23, never mixed).
            if others is None:
                continue
            authority, counted, from_filing = others(app.authority)
            start = (app.filed or start) if from_filing else start
        if start is None or start > today:
            continue
        status, end = app.status, app.decided
        if app.pending or end is None or end > today:
            status, end = AppStatus.PENDING, today
        granted = by_id.get(app.license) if app.license is not None else None
        # Accepted after filing: the wait a buyer plans on runs from filing
        # (audit s10-forecast, 1); MOFCOM's clock alone (stats shows no other).
        filed = app.filed if authority == DEFAULT_AUTHORITY else None
        since_filing = (
            net_working_days(app.holds, filed, end, counted)
            if filed is not None and filed < start
            else None
        )
        found.append(
            Observation(
                app.material,
                app.destination,
                app.filed or start,
                net_working_days(app.holds, start, end, counted),
                status,
                None if granted is None else term_of(granted, data.settings),
                authority,
                app_label(app.id),
                since_filing,
            )
        )
    recorded = {app.renews for app in data.applications if app.renews is not None}
    for old in data.licenses:
        new = by_id.get(old.superseded_by) if old.superseded_by else None
        if old.id in recorded or new is None or old.renewal_filed is None:
            continue
        if not is_default_authority(old.issuer):
            continue
        if not old.renewal_filed <= new.issued <= today:
            continue
        found.append(
            Observation(
                old.material,
                old.destination,
                old.renewal_filed,
                calendar.working_days_between(old.renewal_filed, new.issued),
                AppStatus.GRANTED,
                term_of(new, data.settings),
            )
        )
    return found


def term_of(lic: License, settings: Settings) -> int:
    """The license's term in whole months (rounded down for an explicit expiry)."""
    if lic.expires is None:
        return lic.term_months or settings.term_months
    months = months_between(lic.issued, lic.expires)
    # An expiry on the corresponding day (or a month's last day) is a whole month.
    return months + (add_months(lic.issued, months + 1) <= lic.expires)


def window_start(settings: Settings, today: date) -> date:
    """The first day of the window: ``observed_window_days`` days up to today."""
    return today - timedelta(days=settings.window_days - 1)


def in_window(
    found: Iterable[Observation], first: date, last: date, *, waiting: bool = False
) -> list[Observation]:
    """What was filed from ``first`` to ``last``; with ``waiting`` (a window
    that ends today), every application still pending too, however long ago it
    was filed: it has waited through the whole window, and dropped it would
    leave the fast ones alone exactly in a long backlog (survivorship bias:
    "5 decided, 0 pending, 100 %" beside four waiting 280 working days)."""
    return [
        o
        for o in found
        if first <= o.filed <= last or (waiting and o.status == AppStatus.PENDING)
    ]


class ReviewTimes:
    """The working days to expect for a decision, per material and destination:
    the setting, or with ``review_working_days = "observed"`` the time by which
    90 % of the group's applications were decided (never below the statutory
    45); and the group's history for the forecasts."""

    def __init__(
        self, setting: int | str, model: ReviewModel | KeptModel | None = None
    ) -> None:
        self.model = model
        if isinstance(setting, int):
            basis = STATUTORY if setting == STATUTORY_REVIEW_DAYS else "settings"
            self._fixed: tuple[int, str] | None = (setting, basis)
        else:
            self._fixed = None
        self._looked_up: dict[tuple[str, str], tuple[int, str, bool, bool]] = {}

    def lookup(self, material: str, destination: str) -> tuple[int, str]:
        """The review time to plan on, and what it rests on."""
        days, basis, _ = self.observed(material, destination)
        return days, basis

    def decision_days(self, material: str, destination: str) -> tuple[int, str]:
        """The working days a pending application's decision is due in: the
        setting, or with "observed" the observed time — unless that is only the
        longest wait so far (fewer than 90 % decided: "at least that long"), in
        a backlog the oldest pending application's own, which would make it fall
        due every working day and be overdue only on days off; the statutory 45
        (art. 17) is then the date the decision is owed by."""
        if self._fixed is not None:
            return self._fixed
        days, basis, _, at_least = self._looked_up_in_full(material, destination)
        return (STATUTORY_REVIEW_DAYS, STATUTORY) if at_least else (days, basis)

    def observed(self, material: str, destination: str) -> tuple[int, str, bool]:
        """``lookup``, and whether its review time is an estimate: observed,
        longer than the statutory time, and resting on fewer than MIN_AT_RISK
        applications observed that long."""
        if self._fixed is not None:  # a fixed review time: asked once per license
            return (*self._fixed, False)
        return self._looked_up_in_full(material, destination)[:3]

    def _looked_up_in_full(
        self, material: str, destination: str
    ) -> tuple[int, str, bool, bool]:
        wanted = (material, destination)
        known = self._looked_up.get(wanted)
        if known is None:
            known = self._looked_up[wanted] = self._observed(material, destination)
        return known

    def _observed(self, material: str, destination: str) -> tuple[int, str, bool, bool]:
        """The review time, what it rests on, whether it is an estimate, and
        whether it is only the longest wait so far (a floor, not a quantile)."""
        basis = self.forecast_basis(material, destination)
        if basis is None:
            # Too few decided to plan on (issue 22: 5). Their history can still
            # say the review takes longer than the statutory time: 3 decided at
            # 36 working days and 4 waiting for 110-124 are a backlog, and
            # planning on 45 would leave the licenses "ok". Longer, it is the
            # time planned on, as an estimate; shorter, the statutory floor.
            thin = (
                None
                if self.model is None
                else self.model.nearest(material, destination)
            )
            days = None if thin is None else _review_days(thin)
            if thin is None or days is None or days <= STATUTORY_REVIEW_DAYS:
                return STATUTORY_REVIEW_DAYS, STATUTORY, False, False
            return days, thin.text(), True, _at_least(thin)
        days = _review_days(basis) or 0
        if days <= STATUTORY_REVIEW_DAYS:
            return STATUTORY_REVIEW_DAYS, basis.text(), False, False
        few = basis.thin or basis.at_risk(days) < MIN_AT_RISK
        return days, basis.text(), few, _at_least(basis)

    def forecast_basis(self, material: str, destination: str) -> Basis | None:
        return None if self.model is None else self.model.basis(material, destination)


def _at_least(basis: Basis) -> bool:
    """Whether the review time is the longest wait so far: fewer than 90 %
    decided by then."""
    return basis.curve.quantile(OBSERVED_QUANTILE) is None


def _review_days(basis: Basis) -> int | None:
    """The working days by which 90 % of the group was decided; when more than
    a tenth still waits beyond the longest wait observed, that wait: at least
    that long, which is all the history can say."""
    days = basis.curve.quantile(OBSERVED_QUANTILE)
    return basis.curve.last if days is None else days


def review_times(
    data: StoreData,
    calendar: WorkingDays,
    today: date,
    setting: int | str | None = None,
) -> ReviewTimes:
    """The store's review times on ``today``, learned over the window.
    ``setting``: the review time set for MOFCOM, when not ``[settings]``'s.

    The model fitted on a day is kept with the store's cache entry and read
    back by the day's later runs (``kept_model``)."""
    setting = data.settings.review_working_days if setting is None else setting
    if not data.applications:  # a history of old renewal records at most
        model = _fitted(data, calendar, today)
        return ReviewTimes(setting, model)
    # Only a store with applications keeps its day's model: the module is not
    # even imported for the others (4 M instructions of warn at 1,000 licenses).
    from . import kept_model  # noqa: PLC0415 - see above (4.2 M instructions)

    key = kept_model.day_key(today)
    kept = kept_model.load(data, key, lambda: _fitted(data, calendar, today))
    if kept is not None:
        return ReviewTimes(setting, kept)
    model = _fitted(data, calendar, today)
    if model is not None:  # none: no history in the window, the set time alone
        kept_model.keep(data, key, model)
    return ReviewTimes(setting, model)


def _fitted(data: StoreData, calendar: WorkingDays, today: date) -> ReviewModel | None:
    found = observations(data, calendar, today)
    chosen = in_window(found, window_start(data.settings, today), today, waiting=True)
    if not chosen:
        return None
    # The model (material families, survival curves, the catalogue's elements)
    # is imported only for a store with a history: `warn` on 100 licenses
    # without one runs 1.4 M instructions fewer (7.5 M with the matching).
    from .review_model import ReviewModel  # noqa: PLC0415 - see above (9.0 M instructions)

    return ReviewModel(chosen)
