"""How long MOFCOM takes to decide, learned with the applications still waiting.

Art. 17 of the Regulations (Order 792) bounds a review at 45 working days from
acceptance, but time for appraisal, expert opinions and on-site checks does not
count, so real decisions often take longer (DOMAIN.md, "The review clock in
practice"). In a backlog most applications are still pending: a model fitted to
the decided ones alone is survivorship bias, fast exactly when it matters (3
decided at 36 working days and 4 waiting for 110-124 do not make a median of 36).
So review time is a survival time, estimated with Kaplan-Meier: a decision is an
event; a pending application is censored at the working days it has waited so
far, a withdrawn one at its withdrawal. Durations are whole working days.

Standard library only, and nothing imported: the CLI's start-up budget allows
no numpy. Checked against ``lifelines.KaplanMeierFitter`` in the tests.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterable

# A product of a few hundred factors is off by ~1e-14, and 1 - 0.9 is
# 0.09999999999999998: a curve within this of a level has reached it (9 of 10
# decided by day 5 make day 5 the p90).
EPSILON: Final = 1e-9


class Curve:
    """The Kaplan-Meier curve S(t): the share of applications not yet decided
    after t working days. A right-continuous step function: S(t) = 1 before the
    first decision, and it drops only on days on which decisions came.

    Beyond ``last``, the longest wait observed, the data say nothing; S stays at
    its last value (as in lifelines), so a chance of a decision read there is a
    lower bound, and a quantile it never reaches is ``None``.
    """

    __slots__ = ("censored", "decided", "last", "times", "values")

    def __init__(
        self,
        times: tuple[int, ...],
        values: tuple[float, ...],
        decided: int,
        censored: int,
        last: int | None,
    ) -> None:
        self.times = times  # the working days on which decisions came, ascending
        self.values = values  # S(t) from each of those days on
        self.decided = decided  # events
        self.censored = censored  # pending (or withdrawn): still waiting, or gone
        self.last = last  # the longest wait observed, decided or not

    @property
    def n(self) -> int:
        return self.decided + self.censored

    def __repr__(self) -> str:
        steps = list(zip(self.times, self.values, strict=True))
        return (
            f"Curve(decided={self.decided}, censored={self.censored}, "
            f"last={self.last}, steps={steps})"
        )

    def survival(self, t: int) -> float:
        """S(t): the share still undecided after ``t`` working days."""
        i = bisect_right(self.times, t)
        return self.values[i - 1] if i else 1.0

    def decided_by(self, t: int, waited: int | None = None) -> float | None:
        """The chance of a decision within ``t`` working days of the start.

        With ``waited``, given no decision in the first ``waited`` working days
        (a pending application): 1 - S(t) / S(waited), and 0.0 for t <= waited.
        ``None`` when no observation lasted beyond ``waited`` (among them when
        S(waited) = 0: everyone observed was decided sooner), or when the
        curve is empty: the history says nothing about such a wait, and a
        caller falls back to the statutory model rather than read a 0 % here.
        """
        start = self._start(waited)
        if start is None:
            return None
        if waited is not None and t <= waited:
            return 0.0
        return 1.0 - self.survival(t) / start

    def quantile(self, q: float, waited: int | None = None) -> int | None:
        """The fewest working days from the start by which a share ``q`` is
        decided (given no decision in the first ``waited``): the median is
        q=0.5, the p90 q=0.9. For planning, the smallest horizon at which the
        chance of a decision reaches a confidence is ``quantile(confidence)``:
        file at least that many working days before the day a decision is
        needed. ``None`` when the curve never falls that far (more than 1-q
        still waiting at ``last``: say "over ``last`` working days"), or when
        ``decided_by`` has no answer.
        """
        if not 0.0 < q <= 1.0:
            raise ValueError(f"a quantile is a share in (0, 1], not {q}")
        start = self._start(waited)
        if start is None:
            return None
        first = 0 if waited is None else bisect_right(self.times, waited)
        level = (1.0 - q + EPSILON) * start
        for t, s in zip(self.times[first:], self.values[first:], strict=True):
            if s <= level:
                return t
        return None

    def _start(self, waited: int | None) -> float | None:
        """S(waited), what the curve is conditioned on; ``None`` when no
        observation lasted beyond ``waited``."""
        if self.last is None:
            return None
        if waited is None:
            return 1.0
        if waited < 0:
            raise ValueError(f"a wait is never negative: {waited}")
        if waited >= self.last:
            return None
        return self.survival(waited)


def fit(observations: Iterable[tuple[int, bool]]) -> Curve:
    """The Kaplan-Meier curve of ``(working_days, decided)`` observations.

    ``decided`` False is censored: still pending after that many working days,
    or withdrawn then. S(t) is the product over decision days u <= t of
    (1 - d_u / n_u), with d_u decisions on day u and n_u applications that had
    not left before u. Ties are the usual convention (lifelines'): those
    censored on a decision day are still at risk on that day.
    """
    decisions: dict[int, int] = {}
    leaving: dict[int, int] = {}
    decided = censored = 0
    for days, was_decided in observations:
        if days < 0:
            raise ValueError(f"a review time is never negative: {days}")
        leaving[days] = leaving.get(days, 0) + 1
        if was_decided:
            decisions[days] = decisions.get(days, 0) + 1
            decided += 1
        else:
            censored += 1
    at_risk = decided + censored
    s = 1.0
    times: list[int] = []
    values: list[float] = []
    for day in sorted(leaving):
        d = decisions.get(day, 0)
        if d:
            s *= (at_risk - d) / at_risk
            times.append(day)
            values.append(s)
        at_risk -= leaving[day]
    last = max(leaving) if leaving else None
    return Curve(tuple(times), tuple(values), decided, censored, last)
