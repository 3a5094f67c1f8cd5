"""When a new license could be in hand for a coverage row, and the chance it
is there before the cover ends (``supply``): from the decision days of the
applications pending, else a renewal filed today, on the review-time history
counted from filing for what is not filed yet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from export_licenses.domain import review, rules
from export_licenses.domain.forecast import MIN_AT_RISK, usable
from export_licenses.domain.license import Status

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date

    from export_licenses.domain.forecast import Basis
    from export_licenses.domain.rows import AppRow, Row

    from .common import Pipeline

# A license whose renewal is not filed yet (a suspended one's may be filed).
_UNFILED: Final = frozenset({Status.ACTIVE, Status.SUSPENDED})


def when_in_hand(
    last: Row | None,
    pending: list[AppRow],
    today: date,
    context: Pipeline,
    basis: Basis | None = None,
    resumed: Iterable[tuple[date, bool]] = (),
) -> tuple[date | None, bool]:
    """When a license could be in hand: the earliest decision due of a
    renewal or new application (an overdue one when the history expects it,
    else today at the earliest) or of a change that puts a suspended license
    back in use before it expires (``resumed``), else a renewal filed today's;
    and whether that day is an estimate: counted across a holiday year not yet
    announced (as the decision due day itself is: DOMAIN.md), or the history's
    expectation resting on few cases."""
    dues = [day for a in pending if (day := decision_day(a, today)) is not None]
    dues += resumed
    if dues:
        return min(dues)
    if pending or last is None or last.verdict.renew_by is None:
        return None, False
    lic = last.license
    if lic.renewal is False:
        return None, False
    days, _, calendar = context.review_of(lic)  # its authority's (issue 23)
    if not days:
        return None, False
    due = review.decision_due(today, days, calendar)
    guessed = bool(calendar.guessed_years(today, due))
    # Filed today, half of such were decided after the history's median: the
    # day the row's own chance speaks of, when it comes after the statutory one.
    # Filed today: counted from filing (Basis.filed), as the chance is.
    filed = None if basis is None or not usable(basis) else basis.filed
    median = None if filed is None else filed.needed(0.5)
    if median is not None:
        expected = calendar.get_nth_working_day(today, median)
        if expected > due:
            few = filed is not None and filed.at_risk(median) < MIN_AT_RISK
            return expected, few or bool(calendar.guessed_years(today, expected))
    return due, guessed


def decision_day(app: AppRow, today: date) -> tuple[date, bool] | None:
    """When the application's decision may come, and whether that is an
    estimate (``_decision``)."""
    found = _decision(app, today)
    return None if found is None else found[:2]


def _decision(app: AppRow, today: date) -> tuple[date, bool, bool] | None:
    """When the application's decision may come, whether that is an estimate,
    and whether it is only the earliest day the history allows. The history's
    expected decision for an application that has waited this long (the day by
    which half of such were decided) is the honest day where it comes after
    the statutory one, overdue or not: counted to the statutory day until it
    passed, a gap read 0 beside a 7 % chance of no gap, then jumped to 34 days
    overnight (audit s8-dates, 5). Where more than half of such still waited at
    the longest wait observed, the day it reaches that wait is a lower bound:
    an overdue renewal read "today", so a gap of 0 beside a 0 % chance of no
    gap (audit s10-forecast, 3). An overdue one without a history: today at
    the earliest."""
    due = app.verdict.decision_due
    if due is None:
        return None
    forecast = app.forecast
    expected = forecast.expected_decision
    if expected is not None and expected > max(due, today):
        return expected, forecast.estimate, False
    after = forecast.decided_after
    if after is not None and (due < today or after > due):
        return max(after, today), True, True
    if due >= today:
        return due, bool(app.verdict.estimated), False
    return today, False, False


def at_least(available: date | None, pending: list[AppRow], today: date) -> bool:
    """Whether ``available`` is only a lower bound: the day of an application
    whose decision day is one, and of none whose day is not."""
    found = [day for a in pending if (day := _decision(a, today)) is not None]
    return any(d[0] == available and d[2] for d in found) and not any(
        d[0] == available and not d[2] for d in found
    )


def chance_of_no_gap(
    basis: Basis | None,
    last: Row | None,
    covered_until: date | None,
    pending: list[AppRow],
    today: date,
    context: Pipeline,
) -> float | None:
    """The chance a new license is granted by the last working day of the
    cover: a decision in time (the best of the pending applications, given
    their waits; else a renewal filed today) times the share of decisions that
    were grants. 0 when nothing covers today; null without a history of 5
    decided applications, or when the license is not to be renewed."""
    if basis is None or not usable(basis):
        return None
    if last is None or covered_until is None or covered_until < today:
        return 0.0
    if last.license.renewal is False:
        return None
    cover_ends = rules.last_working_day(covered_until, context.calendar)
    ahead = context.calendar.working_days_between(today, cover_ends)
    chances = [
        basis.curve.decided_by(waited + ahead, waited)
        for a in pending
        if (waited := a.verdict.waited_working_days) is not None
    ]
    if last.license.status in _UNFILED and not last.license.renewal_pending:
        chances.append(basis.filed.curve.decided_by(ahead))  # from filing
    known = [p for p in chances if p is not None]
    if not known:
        return None
    # A thin history may hold no decision yet: no refusal seen either.
    rate = basis.granted / basis.decided if basis.decided else 1.0
    return round(max(known) * rate, 3)
