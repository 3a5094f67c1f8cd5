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

from bisect import bisect_left
from typing import TYPE_CHECKING, Final, NamedTuple

if TYPE_CHECKING:
    from .survival import Curve

# Fewer decided applications than this in a group's basis say too little: the
# statutory model alone, and the forecast keys are null.
MIN_DECIDED: Final = 5
# A figure read where fewer applications than this were still observed (at risk)
# rests on a handful of cases: an estimate, marked as such.
MIN_AT_RISK: Final = 5
STATUTORY: Final = "statutory"


class Basis(NamedTuple):
    """A group's history, fitted: the curve and the counts that describe it."""

    label: str  # "dysprosium oxide/US", "dysprosium/US", "dysprosium" or "all"
    curve: Curve
    pending: int  # still waiting (the withdrawn are censored, not pending)
    granted: int
    refused: int
    # Every observation's working days, ascending: how many were still being
    # observed at a given wait.
    waits: tuple[int, ...]

    @property
    def decided(self) -> int:
        return self.curve.decided

    def text(self) -> str:
        """``forecast_basis``: "observed: dysprosium/US, 14 decided, 6 pending"."""
        return f"observed: {self.label}, {self.decided} decided, {self.pending} pending"

    def summary(self) -> str:
        """For reasons: "observed: 14 decided, 6 waiting, median 71 working days"."""
        median = self.curve.quantile(0.5)
        shown = (
            f"median {median} working day{'s' * (median != 1)}"
            if median is not None
            else f"median over {self.curve.last} working days"
        )
        return f"observed: {self.decided} decided, {self.pending} waiting, {shown}"

    def at_risk(self, t: int) -> int:
        """Observations that lasted ``t`` working days or longer."""
        return len(self.waits) - bisect_left(self.waits, t)


def usable(basis: Basis | None) -> bool:
    return basis is not None and basis.decided >= MIN_DECIDED
