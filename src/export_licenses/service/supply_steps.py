"""The next step for one group of ``supply``'s coverage (a material, destination
and end user): the earliest thing to do and by when — chase an overdue
decision, file the renewal by the planning or the last day, apply anew once the
last license has expired — and whether that day is an estimate. A step already
late is something to do today, never a past date alone.

And what a pending change does to the cover (Order 792 art. 18, DOMAIN.md): the
license it changes is suspended, so it covers no shipment until the change is
decided; either way the decision puts a license back in use with the old
expiry (granted: re-issued; refused: the old one), so it restores cover only
up to that expiry and is never counted as a renewal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from export_licenses.domain import rules
from export_licenses.domain.application import Purpose, app_label
from export_licenses.domain.law import suspended_reason
from export_licenses.domain.license import Status

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from export_licenses.domain.rows import AppRow, Row

    DecisionDay = Callable[[AppRow, date], tuple[date, bool] | None]


def in_use(row: Row) -> bool:
    """Covers shipments today: a suspended license refuses them (art. 18)."""
    return row.license.status != Status.SUSPENDED


def _changes_of(active: list[Row], pending: list[AppRow]) -> list[tuple[Row, AppRow]]:
    """Each suspended license with its pending change application."""
    suspended = {r.license.id: r for r in active if not in_use(r)}
    return [
        (suspended[app.application.changes], app)
        for app in pending
        if app.application.purpose == Purpose.CHANGE
        and app.application.changes in suspended
    ]


def resumes(
    active: list[Row],
    pending: list[AppRow],
    today: date,
    cover_end: Callable[[Row], date],
    decision_day: DecisionDay,
) -> list[tuple[date, bool]]:
    """The days a decided change puts a suspended license back in use (and
    whether each is an estimate): only those before the license's cover ends,
    since the decision keeps its expiry."""
    days = []
    for row, app in _changes_of(active, pending):
        day = decision_day(app, today)
        if day is not None and day[0] < cover_end(row):
            days.append(day)
    return days


def suspensions(
    active: list[Row], pending: list[AppRow], cover_end: Callable[[Row], date]
) -> list[str]:
    """Why a suspended license covers nothing today, as the row's reasons."""
    reasons = []
    for row, app in _changes_of(active, pending):
        reason = f"license {row.license.id} is " + suspended_reason(
            app_label(app.application.id)
        )
        due, ends = app.verdict.decision_due, cover_end(row)
        if due is not None and due >= ends:
            reason += (
                f"; its decision is due {due}, not before the cover ends on {ends}, "
                "and a granted change keeps that expiry: only a renewal restores cover"
            )
        reasons.append(reason)
    return reasons


def next_step(
    last: Row | None, pending: list[AppRow], today: date
) -> tuple[str | None, date | None, bool]:
    """The earliest thing to do, by when, and whether that date is an estimate.
    An overdue decision is something to chase today, never a past date alone; a
    renewal still to file is listed beside the pending applications, not hidden
    by them."""
    # On one day, what the person must do comes before what they wait on: a
    # renewal to file now is not hidden by a decision to chase (the texts'
    # order put "chase" first).
    steps = [
        *(
            (when, 0, what, guess)
            for when, what, guess in _license_steps(last, pending, today)
        ),
        *(
            (when, 1, what, guess)
            for when, what, guess in _decision_steps(pending, today)
        ),
    ]
    if steps:
        when, _, what, estimate = min(steps)
        return what, when, estimate
    if pending:  # no due day: the clock stands, has no limit, or no start
        return _undated(pending[0]), None, False
    return None, None, False


def _decision_steps(pending: list[AppRow], today: date) -> list[tuple[date, str, bool]]:
    steps = []
    for app in pending:
        due = app.verdict.decision_due
        if due is None:
            continue
        # A change's decision is told apart: it restores no cover past the
        # old expiry (the module's doc).
        which = "change decision" if app.application.purpose == Purpose.CHANGE else ""
        if due < today:
            chase = f"chase the {which or 'decision'}, due {due}"
            steps.append((today, chase, False))
        else:
            said = f"{which or 'decision'} due"
            steps.append((due, said, bool(app.verdict.estimated)))
    return steps


def _license_steps(
    last: Row | None, pending: list[AppRow], today: date
) -> list[tuple[date, str, bool]]:
    """What the group's last license asks for: its renewal by the planning date
    the history gives, else the legal floor; a new application once it has
    expired (unless one is pending); nothing more if it is not to be renewed."""
    renew_by = None if last is None else last.verdict.renew_by
    if last is None or renew_by is None:
        return []
    lic, verdict = last.license, last.verdict
    guessed = bool(verdict.estimated) or last.review_estimate
    if lic.renewal is False:
        return [(verdict.expires, "expires, not to be renewed", False)]
    if verdict.days_left < 0:
        # Something to do today, never a past date alone; a pending change
        # renews nothing.
        renewing = [a for a in pending if a.application.purpose != Purpose.CHANGE]
        return (
            []
            if renewing
            else [(today, f"apply anew, expired {verdict.expires}", False)]
        )
    if lic.status not in {Status.ACTIVE, Status.SUSPENDED} or lic.renewal_pending:
        return []  # renewal filed (its application is the step), or ended
    # Drawn to its quantity: the cover ended then (covered_until), so the
    # renewal's day counted from the expiry is no step; applying today is.
    ran_out = verdict.action if rules.ran_out_advice(verdict.action) else None
    planned = verdict.act_by
    day, estimate, said = renew_by, guessed, "last day"
    if planned is not None and planned < renew_by:  # the history's day comes first
        day, said = planned, "planning day"
        estimate = verdict.forecast_estimate or guessed
    if day < today or ran_out:  # something to do today, never a past date alone
        return [(today, ran_out or f"{rules.FILE_NOW} ({said} {day})", False)]
    return [(day, "file the renewal", estimate)]


def _undated(app: AppRow) -> str:
    """What a pending application without a due day waits on."""
    if app.verdict.stopped_since is not None:
        return f"clock stopped since {app.verdict.stopped_since}"
    if app.application.unbounded:
        return "decision due, no statutory time limit"
    return "decision due"
