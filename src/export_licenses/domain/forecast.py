"""Forecasts that hold in a backlog: the chance of a decision before expiry, the
day to file by for a confidence, and when half of such applications were decided.

Art. 17 of the Regulations (Order 792) bounds a review at 45 working days from
acceptance, but the clock stops for expert review and on-site checks and cases for
the State Council have no bound, so the statutory day is a legal floor, not a
forecast (DOMAIN.md, "The review clock in practice"). A group's own history, with
the applications still waiting counted as censored, is: ``survival.fit`` gives
its curve. This module holds what a forecast is (``Basis``, ``Outlook``,
``AppForecast``), a chance in words (``percent``) and how a forecast joins a
verdict (``merged``); the planning dates (``file_by``, ``act_by``) are in
``planning_dates``; ``chances`` reads a curve for one license or application,
and is loaded only for a store with a history. Pure: dates and curves in,
figures and words out.
"""

import math
from bisect import bisect_left
from datetime import date
from typing import TYPE_CHECKING, Final, NamedTuple

from .rules import Level, Verdict, ran_out_advice, worst
from .settings import STATUTORY_REVIEW_DAYS

if TYPE_CHECKING:
    from .survival import Curve

# Fewer applications than this that either were decided or have waited past
# the statutory time in a group's basis say too little: the statutory model
# alone, and the forecast keys are null. Fewer decided than this, the figures
# are an estimate ("thin history"). The waiting count: 2 decided and 8 waiting
# 150-171 working days are a backlog, not "too little to learn from" (audit
# s10-forecast, 2; DOMAIN.md, "The review clock in practice").
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

    __slots__ = (
        "_memo",
        "curve",
        "filed",
        "from_filing",
        "granted",
        "growing",
        "label",
        "past_statutory",
        "pending",
        "refused",
        "waits",
    )

    def __init__(  # noqa: PLR0913 - a fitted group's fields, kept as they are
        self,
        label: str,
        curve: "Curve",
        pending: int,
        granted: int,
        refused: int,
        waits: tuple[int, ...],
        growing: tuple[int, str] | None = None,
        past_statutory: int = 0,
        *,
        filing: "Basis | None" = None,
        from_filing: bool = False,
    ) -> None:
        self.label = label  # "dysprosium oxide/US", "dysprosium/US", "all", ...
        self.curve = curve
        self.pending = pending  # still waiting (the withdrawn are censored)
        self.granted, self.refused = granted, refused
        # Every observation's working days, ascending: how many were still being
        # observed at a given wait.
        self.waits = waits
        # The longest wait of an application still pending, and its name: it
        # grows a working day every working day until the decision comes.
        self.growing = growing
        # Still waiting after more than the statutory 45 working days: each
        # says the statutory assumption is false, as a decision says how long.
        self.past_statutory = past_statutory
        # Counted from filing, not acceptance (``filed``'s own basis).
        self.from_filing = from_filing
        # What a renewal not yet filed plans on: the same history counted from
        # filing, where acceptance came later than filing for any of it. The
        # buyer acts on the filing day; counted from acceptance, "file by D
        # for a 90 % chance" gave 0 of 12 past applications a decision in
        # time when MOFCOM accepted 15 working days after filing (audit
        # s10-forecast, 1). Itself when nothing was accepted later.
        self.filed: Basis = self if filing is None else filing
        self._memo: dict[object, object] = {}

    @property
    def decided(self) -> int:
        return self.curve.decided

    @property
    def thin(self) -> bool:
        """Fewer than MIN_DECIDED decided: usable for its waits, but every
        figure read from it is an estimate."""
        return self.curve.decided < MIN_DECIDED

    def text(self) -> str:
        """``forecast_basis``: "observed: dysprosium/US, 14 decided, 6 pending",
        and ", thin history" after it with fewer than MIN_DECIDED decided."""
        known = self._memo.get("text")  # asked for every license of the group
        if known is None:
            counts = f"{self.decided} decided, {self.pending} pending"
            thin = ", thin history" * self.thin
            known = self._memo["text"] = (
                f"{self._observed()}: {self.label}, {counts}{thin}"
            )
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
            thin = f" (thin history: fewer than {MIN_DECIDED})" * self.thin
            known = self._memo["summary"] = (
                f"{self._observed()}: {self.decided} decided{thin}, "
                f"{self.pending} waiting, {shown}"
            )
        return str(known)

    def _observed(self) -> str:
        return "observed from filing" if self.from_filing else "observed"

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
    """Enough to plan on: MIN_DECIDED applications decided or still waiting
    past the statutory time (``MIN_DECIDED``)."""
    return basis is not None and basis.decided + basis.past_statutory >= MIN_DECIDED


def past_statutory(working_days: int) -> bool:
    """A wait longer than the statutory review time (art. 17)."""
    return working_days > STATUTORY_REVIEW_DAYS


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
    # confidence, the last day whose time to the expiry covers every wait seen
    # (a pending one's as it will be on that day).
    act_by: date | None = None
    # The chance is a bound, not an estimate: "at least " beyond the longest
    # wait observed, "at most " while the clock stands; "" otherwise.
    bound: str = ""
    # The pending application ("A7") whose growing wait act_by covers, when it
    # does: the date holds, but only because it counts that growth in.
    growing: str | None = None


NO_OUTLOOK: Final = Outlook(None, None, STATUTORY, None)


class AppForecast(NamedTuple):
    """What the history says of one pending application."""

    outlook: Outlook | None = None  # a renewal's chance before the expiry
    expected_decision: date | None = None
    estimate: bool = False  # rests on fewer than MIN_AT_RISK observations
    # With no expected_decision (more than half of such still waited at the
    # longest wait observed): the day this one's wait reaches that longest
    # wait, before which the history expects no decision (a lower bound).
    decided_after: date | None = None


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


def merged(verdict: Verdict, outlook: Outlook, today: date) -> Verdict:
    """A license's verdict with what the history says: the worse level, the
    figures, and the forecast's reason. The statutory ``renew_by`` keeps its own
    reasons; what to do first (``action``, also the first reason, before the
    expiry's) is the planning date, unless the legal last day has passed."""
    level, reasons, action = verdict.level, verdict.reasons, verdict.action
    if outlook.level is not None and level is not None:
        level = worst([level, outlook.level])
    if ran_out_advice(action):
        pass  # drawn to its quantity: a day to file by, from the expiry, misleads
    elif outlook.action is None:
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
        outlook.bound,
        outlook.growing,
    )
