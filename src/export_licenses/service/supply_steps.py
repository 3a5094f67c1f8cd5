"""The next step for one group of ``supply``'s coverage (a material, destination
and end user): the earliest thing to do and by when — chase an overdue
decision, file the renewal by the planning or the last day, apply anew once the
last license has expired — and whether that day is an estimate. A step already
late is something to do today, never a past date alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from export_licenses.domain import rules
from export_licenses.domain.license import Status

if TYPE_CHECKING:
    from datetime import date

    from export_licenses.domain.rows import AppRow, Row


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
        if due < today:
            steps.append((today, f"chase the decision, due {due}", False))
        else:
            steps.append((due, "decision due", bool(app.verdict.estimated)))
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
        # Something to do today, never a past date alone.
        return (
            []
            if pending
            else [(today, f"apply anew, expired {verdict.expires}", False)]
        )
    if lic.status != Status.ACTIVE:
        return []
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
