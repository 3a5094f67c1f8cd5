"""The renewal pipeline's rules: when MOFCOM's decision is due, how long it has
taken, and where supply will have a gap. Pure: dates in, verdicts out.

Art. 17 of the Regulations on the Export Control of Dual-Use Items: MOFCOM
decides within 45 working days of accepting a complete application (the clock
stops while experts review it). Art. 18: a renewal is a new application.
"""

from collections.abc import Sequence
from datetime import date
from typing import Final, NamedTuple

from .application import Application
from .holds import due_with_holds, net_working_days, open_hold
from .rules import Level, estimate_reason
from .values import is_default_authority
from .workdays import WorkingDays

# The authority's date may run a day ahead of the user's own (Beijing is UTC+8):
# a decision dated tomorrow is the authority's today, not a future event.
AHEAD_OF_TODAY: Final = 1  # days
# The days an application records as past, in the order they happen.
_EVENTS: Final = ("filed", "accepted", "decided")


def ahead_of(day: date | None, today: date) -> bool:
    """Whether a day recorded as past lies after ``today``, beyond the day
    the authority's date may run ahead: the one rule for the commands
    (service/common.py ``happened``) and the store (``after_today``)."""
    return day is not None and (day - today).days > AHEAD_OF_TODAY


def after_today(app: Application, today: date) -> str | None:
    """Why ``app`` cannot be judged on ``today``, if it cannot: a day it records
    as past (filed, accepted, decided) is later than today, beyond the day the
    authority's date may run ahead. The commands refuse such a day
    (service/common.py ``happened``); one in the store (typed by hand, imported,
    merged) is a typo or a plan, and would put the decision's due day off by as
    much: a filing typed 2027 for 2025 is never overdue until 2028."""
    for key in _EVENTS:
        day = getattr(app, key)
        if ahead_of(day, today):
            return f"{key} {day} is after today: a typo?"
    return None


def decision_due(start: date, review_days: int, calendar: WorkingDays) -> date:
    """The ``review_days``-th working day after ``start`` (acceptance or filing)."""
    return calendar.get_nth_working_day(start, review_days)


def working_days_between(start: date, end: date, calendar: WorkingDays) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end <= start)."""
    return calendar.working_days_between(start, end)


class AppVerdict(NamedTuple):
    decision_due: date | None  # None: start unknown, clock stopped, or no bound
    waited_working_days: int | None  # to today, or to the decision; stops left out
    overdue_working_days: int | None  # None unless pending and past due
    level: Level | None  # WARNING when overdue, OK when pending, None when decided
    reasons: tuple[str, ...] = ()
    estimated: tuple[int, ...] = ()
    # The first day of the stop the review clock still stands in (holds.py).
    stopped_since: date | None = None

    @property
    def overdue(self) -> bool:
        return self.overdue_working_days is not None


def _due(
    app: Application, start: date, calendar: WorkingDays, review_days: int
) -> date | None:
    """The day the decision is due (``AppVerdict.decision_due``)."""
    if app.unbounded or not review_days:
        return None
    due = due_with_holds(app.holds, start, review_days, calendar)
    if due is None:
        return None
    # A decision comes on a working day: a clock in calendar days (BIS, 15 CFR
    # 750.4) that ends on a day off is due the working day before.
    return calendar.last_decision_day(due)


def is_overdue(
    app: Application,
    today: date,
    calendar: WorkingDays,
    review_days: int,
    *,
    start: date | None = None,
) -> bool:
    """``assess_application(...).overdue``, without the rest of the verdict:
    pending, a due day known, and ``today`` past it."""
    start = start or app.started
    if start is None or not app.pending:
        return False
    due = _due(app, start, calendar, review_days)
    return due is not None and today > due


def assess_application(
    app: Application,
    today: date,
    calendar: WorkingDays,
    review_days: int,
    *,
    start: date | None = None,
    basis: str = "bound",
) -> AppVerdict:
    """Where one application stands on ``today``.

    Art. 17: the decision is due ``review_days`` working days after acceptance,
    the days the clock stood still (``holds``) not counted; while it stands the
    day is not known. A case with no statutory bound (``unbounded``: State
    Council review, art. 17; an end user on the watch list, art. 26) has none.
    Another authority's clock (issue 23) counts from ``start`` on its own
    ``calendar``; a ``basis`` of "target" is a service target, not a bound, and
    "none" (no review time known, ``review_days`` 0) gives no due day.
    """
    start = start or app.started
    if start is None:
        return AppVerdict(
            None,
            None,
            None,
            Level.OK if app.pending else None,
            ("filed on an unknown day",),
        )
    stop = open_hold(app.holds) if app.pending else None
    due = _due(app, start, calendar, review_days)
    end = today if app.pending else (app.decided or today)
    waited = net_working_days(app.holds, start, end, calendar)
    estimated = calendar.guessed_years(start, due or end)
    reasons: list[str] = []
    overdue: int | None = None
    level: Level | None = None
    if not app.pending:
        reasons.append(f"{app.status} on {app.decided or 'an unknown day'}")
    elif stop is not None:
        level = Level.OK
        reasons.append(
            f"clock stopped since {stop.stopped}: {stop.reason or 'no reason given'}"
        )
    if app.unbounded:
        # Order 792's articles only where Order 792 is the law applied.
        cite = " (art. 17, art. 26)" if is_default_authority(app.issuer) else ""
        reasons.append(f"no statutory time limit: {app.unbounded}{cite}")
        level = level or (Level.OK if app.pending else None)
    elif app.pending and due is not None:
        level, word = Level.OK, calendar.day_word
        target = "; a target, not a bound" if basis == "target" else ""
        if today > due:
            overdue = working_days_between(due, today, calendar)
            level = Level.WARNING
            late = f" by {overdue} {word}{'s' * (overdue != 1)}" if overdue else ""
            reasons.append(f"decision overdue{late} (due {due}{target})")
        else:
            left = working_days_between(today, due, calendar)
            reasons.append(
                f"decision due {due} (in {left} {word}{'s' * (left != 1)}{target})"
            )
    elif app.pending and not review_days:
        level = level or Level.OK
        reasons.append(
            f"no review time known to the {app.issuer} profile: your own "
            "applications' times are the only guide"
        )
    if estimated:
        reasons.append(estimate_reason(estimated))
    future = after_today(app, today)
    if future is not None:
        # A record that cannot be judged is never OK, decided or not: a monitor
        # would be green on it (the level a typo'd store gets from warn).
        level = Level.WARNING
        reasons.insert(0, future)
    return AppVerdict(
        due,
        waited,
        overdue,
        level,
        tuple(reasons),
        estimated,
        None if stop is None else stop.stopped,
    )


# --- lead times ------------------------------------------------------------------


def median(samples: Sequence[int]) -> float | int | None:
    """The middle value; the mean of the two middle ones for an even count."""
    if not samples:
        return None
    # By hand: the statistics module costs 3 ms of import on every command.
    ordered = sorted(samples)
    half = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[half]
    middle = (ordered[half - 1] + ordered[half]) / 2
    return int(middle) if middle.is_integer() else middle


# --- coverage --------------------------------------------------------------------


def gap_days(covered_until: date | None, available_from: date, today: date) -> int:
    """Days without a valid license before a new one can be used.

    The day of the decision counts as a day without one: goods cannot ship on
    a license that has not reached the exporter yet.
    """
    if covered_until is None or covered_until < today:
        return max(0, (available_from - today).days + 1)
    return max(0, (available_from - covered_until).days)


def uncovered_days(
    periods: Sequence[tuple[date, date]], first: date, last: date
) -> int:
    """Days from ``first`` to ``last`` (inclusive) that no period covers."""
    if last < first:
        return 0
    covered = 0
    cursor = first  # the first day not yet counted
    for start, end in sorted(periods):
        begin, until = max(start, cursor), min(end, last)
        if until >= begin:
            covered += (until - begin).days + 1
            cursor = until.fromordinal(until.toordinal() + 1)
    return (last - first).days + 1 - covered
