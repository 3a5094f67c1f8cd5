"""Forecasts that hold in a backlog: the chance of a decision before expiry, the
day to file by for a confidence, and when half of such applications were decided.

Art. 17 of the Regulations (Order 792) bounds a review at 45 working days from
acceptance, but the clock stops for expert review and on-site checks and cases for
the State Council have no bound, so the statutory day is a legal floor, not a
forecast (DOMAIN.md, "The review clock in practice"). A group's own history, with
the applications still waiting counted as censored, is: ``survival.fit`` gives
its curve, and this module reads it for one license or application. Pure: dates
and curves in, figures and words out.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from typing import TYPE_CHECKING, Final, NamedTuple

from .rules import Level, Verdict, last_working_day, worst

if TYPE_CHECKING:
    from datetime import date

    from .survival import Curve
    from .workdays import WorkingDays

# Fewer decided applications than this in a group's basis say too little: the
# statutory model alone, and the forecast keys are null.
MIN_DECIDED: Final = 5
# A figure read where fewer applications than this were still observed (at risk)
# rests on a handful of cases: an estimate, marked as such.
MIN_AT_RISK: Final = 5
STATUTORY: Final = "statutory"


class Basis:
    """A group's history, fitted: the curve and the counts that describe it.

    Read for every license of the group: what does not depend on the license
    (its texts, the working days a confidence needs) is worked out once.
    """

    __slots__ = ("_memo", "curve", "granted", "label", "pending", "refused", "waits")

    def __init__(
        self,
        label: str,
        curve: Curve,
        pending: int,
        granted: int,
        refused: int,
        waits: tuple[int, ...],
    ) -> None:
        self.label = label  # "dysprosium oxide/US", "dysprosium/US", "all", ...
        self.curve = curve
        self.pending = pending  # still waiting (the withdrawn are censored)
        self.granted, self.refused = granted, refused
        # Every observation's working days, ascending: how many were still being
        # observed at a given wait.
        self.waits = waits
        self._memo: dict[object, object] = {}

    @property
    def decided(self) -> int:
        return self.curve.decided

    def text(self) -> str:
        """``forecast_basis``: "observed: dysprosium/US, 14 decided, 6 pending"."""
        known = self._memo.get("text")  # asked for every license of the group
        if known is None:
            counts = f"{self.decided} decided, {self.pending} pending"
            known = self._memo["text"] = f"observed: {self.label}, {counts}"
        return str(known)

    def summary(self) -> str:
        """For reasons: "observed: 14 decided, 6 waiting, median 71 working days"."""
        known = self._memo.get("summary")
        if known is None:
            median = self.needed(0.5)
            shown = (
                f"median {median} working day{'s' * (median != 1)}"
                if median is not None
                else f"median over {self.curve.last} working days"
            )
            known = self._memo["summary"] = (
                f"observed: {self.decided} decided, {self.pending} waiting, {shown}"
            )
        return str(known)

    def needed(self, share: float) -> int | None:
        """The working days by which ``share`` of the applications were decided
        (the curve's quantile), once per share."""
        if share not in self._memo:
            self._memo[share] = self.curve.quantile(share)
        found = self._memo[share]
        return found if isinstance(found, int) else None

    def at_risk(self, t: int) -> int:
        """Observations that lasted ``t`` working days or longer."""
        return len(self.waits) - bisect_left(self.waits, t)


def usable(basis: Basis | None) -> bool:
    return basis is not None and basis.decided >= MIN_DECIDED


class Outlook(NamedTuple):
    """What the history says of one license's renewal."""

    p_decision_by_expiry: float | None
    file_by: date | None
    basis: str  # forecast_basis
    level: Level | None  # None: the forecast flags nothing
    reasons: tuple[str, ...] = ()
    action: str | None = None  # what to do, when the forecast flags it
    estimate: bool = False  # rests on fewer than MIN_AT_RISK observations
    # The day to file by on this history: file_by, or, when no day reaches the
    # confidence, the last day whose time to the expiry covers every wait seen.
    act_by: date | None = None


NO_OUTLOOK: Final = Outlook(None, None, STATUTORY, None)


class AppForecast(NamedTuple):
    """What the history says of one pending application."""

    outlook: Outlook | None = None  # a renewal's chance before the expiry
    expected_decision: date | None = None
    estimate: bool = False  # rests on fewer than MIN_AT_RISK observations


NOTHING: Final = AppForecast()


def percent(p: float) -> str:
    """A chance in words, rounded down: "a 90 % chance" is never an overstatement."""
    return f"{math.floor(p * 100 + 1e-9)} %"


def a_percent(p: float) -> str:
    """ "a 40 %", "an 80 %": the article as the number is said (eight, eleven,
    eighteen, eighty-…)."""
    shown = percent(p)
    number = int(shown.split()[0])
    vowel = number in {8, 11, 18} or 80 <= number <= 89  # noqa: PLR2004 - spoken numbers
    return f"{'an' if vowel else 'a'} {shown}"


def unfiled(
    basis: Basis,
    expires: date,
    today: date,
    calendar: WorkingDays,
    confidence: float,
    filing_warn_days: int,
) -> Outlook:
    """A license whose renewal is not filed: the chance if filed today, and the
    latest filing day whose chance is at least ``confidence`` (``file_by``).

    Filed and accepted on D, the decision must come within the working days from
    D to the last working day on or before the expiry: ``file_by`` lies the
    curve's ``confidence`` quantile before that day, as ``renew_by`` lies 45.

    When the curve never gets there (more than 1 - confidence of the history
    still waited after the longest wait observed), no day is known to reach it,
    and a chance read beyond that wait is only a lower bound (the curve says
    nothing there): the day to act on is then the last one whose time to the
    expiry covers every wait observed, and the chance flags the license only
    where it is an estimate, not a bound.
    """
    last = last_working_day(expires, calendar)
    if last < today:
        return Outlook(None, None, basis.text(), None)
    horizon = calendar.working_days_between(today, last)
    p = basis.curve.decided_by(horizon)
    # planning_date's, from the last working day already found.
    needed = basis.needed(confidence)
    file_by = None if needed is None else calendar.get_nth_working_day(last, -needed)
    act_by = file_by or _covering_every_wait(basis, last, calendar)
    estimate = (
        basis.at_risk(horizon) < MIN_AT_RISK
        or (needed is not None and basis.at_risk(needed) < MIN_AT_RISK)
        or bool(calendar.guessed_years(min(act_by or today, today), expires))
    )
    level: Level | None = None
    if file_by is None:
        if act_by is not None and 0 <= (act_by - today).days <= filing_warn_days:
            level = Level.WARNING
    elif file_by < today:
        level = Level.CRITICAL
    elif (file_by - today).days <= filing_warn_days:
        level = Level.WARNING
    if basis.curve.last is not None and horizon <= basis.curve.last:
        level = _worse(level, _by_chance(p, confidence))
    if level is None:  # no words: most licenses, and nothing prints them
        return Outlook(p, file_by, basis.text(), None, estimate=estimate, act_by=act_by)
    action = _unfiled_action(basis, p, file_by, act_by, today, confidence)
    reason = f"{action} ({basis.summary()})"
    return Outlook(p, file_by, basis.text(), level, (reason,), reason, estimate, act_by)


def _unfiled_action(
    basis: Basis,
    p: float | None,
    file_by: date | None,
    act_by: date | None,
    today: date,
    confidence: float,
) -> str:
    """What to do about a renewal not filed, as ``unfiled`` found it."""
    wanted = f"{a_percent(confidence)} chance of a decision before expiry"
    today_text = "" if p is None else f"; filed today: {a_percent(p)} chance"
    if file_by is None:
        if act_by is None or act_by < today:
            return f"file now: no filing day gives {wanted}{today_text}"
        return (
            f"file by {act_by}: no filing day gives {wanted}, as more than "
            f"{percent(1 - confidence)} still waited after {basis.curve.last} "
            "working days, the longest wait observed"
        )
    if file_by < today:
        return f"file now: the last day for {wanted} was {file_by}{today_text}"
    return f"file by {file_by} for {wanted}"


def _covering_every_wait(
    basis: Basis, last: date, calendar: WorkingDays
) -> date | None:
    """The last filing day whose working days to ``last`` cover the longest
    wait observed: beyond it, the curve says nothing."""
    longest = basis.curve.last
    return None if longest is None else calendar.get_nth_working_day(last, -longest)


def planning_date(
    basis: Basis, expires: date, calendar: WorkingDays, confidence: float
) -> date | None:
    """``file_by``: the latest filing day whose chance of a decision by the last
    working day on or before ``expires`` is at least ``confidence`` — the
    curve's ``confidence`` quantile before that day; None when the curve never
    gets there."""
    needed = basis.needed(confidence)
    if needed is None:
        return None
    return calendar.get_nth_working_day(last_working_day(expires, calendar), -needed)


def act_by(
    basis: Basis, expires: date, calendar: WorkingDays, confidence: float
) -> date | None:
    """The day to file by on this history (``Outlook.act_by``), without the
    rest of the outlook: for a quick look at many licenses."""
    found = planning_date(basis, expires, calendar, confidence)
    if found is not None:
        return found
    return _covering_every_wait(basis, last_working_day(expires, calendar), calendar)


def filed(
    basis: Basis,
    expires: date,
    today: date,
    calendar: WorkingDays,
    confidence: float,
    waited: int,
    stopped_since: date | None = None,
) -> Outlook:
    """A license whose renewal is pending after ``waited`` working days (net of
    stops): the chance the decision comes by the last working day on or before
    the expiry, given it has not come yet, S(t_exp)/S(t_waited).

    With the clock stopped (``stopped_since``) the days until it runs again do
    not count, and nobody knows how many they will be: the chance is the one if
    it ran again today, an upper bound.
    """
    last = last_working_day(expires, calendar)
    if last < today:
        return Outlook(None, None, basis.text(), None)
    horizon = waited + calendar.working_days_between(today, last)
    p = basis.curve.decided_by(horizon, waited)
    if p is None:
        reason = (
            f"waited {waited} working days, longer than any application observed: "
            f"no estimate ({basis.summary()})"
        )
        return Outlook(None, None, basis.text(), None, (reason,), estimate=True)
    # Beyond the longest wait observed the curve says nothing: a lower bound.
    lower = basis.curve.last is not None and horizon > basis.curve.last
    bound = "at most " if stopped_since is not None else "at least " if lower else ""
    reason = (
        f"{bound}{a_percent(p)} chance of a decision before expiry, after "
        f"{waited} working day{'s' * (waited != 1)} of waiting ({basis.summary()})"
    )
    level = None if lower else _by_chance(p, confidence)
    estimate = basis.at_risk(horizon) < MIN_AT_RISK
    return Outlook(p, None, basis.text(), level, (reason,), None, estimate)


def expected_decision(
    basis: Basis, waited: int, today: date, calendar: WorkingDays
) -> tuple[date | None, bool]:
    """The day by which half of such applications were decided, given the wait
    so far (``None`` when the curve has not fallen that far), and whether it
    rests on fewer than MIN_AT_RISK observations."""
    median = basis.curve.quantile(0.5, waited)
    if median is None:
        return None, False
    day = calendar.get_nth_working_day(today, median - waited)
    return day, basis.at_risk(median) < MIN_AT_RISK


def merged(verdict: Verdict, outlook: Outlook, today: date) -> Verdict:
    """A license's verdict with what the history says: the worse level, the
    figures, and the forecast's reason. The statutory ``renew_by`` keeps its own
    reasons; what to do first (``action``, also the first reason, before the
    expiry's) is the planning date, unless the legal last day has passed."""
    level, reasons, action = verdict.level, verdict.reasons, verdict.action
    if outlook.level is not None and level is not None:
        level = worst([level, outlook.level])
    if outlook.action is None:
        reasons = (*reasons, *outlook.reasons)
    else:
        rest = reasons[1:] if action else reasons  # from the expiry's reason on
        legal_passed = verdict.renew_by is not None and verdict.renew_by < today
        first, second = outlook.action, action
        if action is not None and legal_passed:
            first, second = action, outlook.action
        reasons = (first, *rest[:1], *([second] if second else []), *rest[1:])
        action = first
    # Built field by field, not by _replace: once per license with a history,
    # ~0.6 us each (5 M instructions of warn at 1,000 licenses with a history).
    # tests/test_forecast.py checks that every other field is kept.
    return Verdict(
        verdict.expires,
        verdict.days_left,
        level,
        verdict.renew_by,
        reasons,
        action,
        verdict.estimated,
        outlook.file_by,
        outlook.p_decision_by_expiry,
        outlook.basis,
        outlook.estimate,
        outlook.act_by,
    )


def _by_chance(p: float | None, confidence: float) -> Level | None:
    if p is None:
        return None
    if p < 0.5:  # noqa: PLR2004 - "less likely than not", the issue's threshold
        return Level.CRITICAL
    return Level.WARNING if p < confidence else None


def _worse(a: Level | None, b: Level | None) -> Level | None:
    if a is None or b is None:
        return a or b
    return worst([a, b])
