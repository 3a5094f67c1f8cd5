"""One application as the review-time history sees it (``service.leadtimes``
makes them from the store; ``service.review_model`` groups and fits them).

Pure: a record and what it says of itself.
"""

from datetime import date
from typing import Final, NamedTuple

from .application import AppStatus
from .values import DEFAULT_AUTHORITY

_DECIDED: Final = frozenset({AppStatus.GRANTED, AppStatus.REFUSED})


class Observation(NamedTuple):
    material: str
    destination: str
    filed: date  # when it entered the history: the window counts this day
    working_days: int  # to the decision, or to today or the withdrawal
    status: str  # an AppStatus: granted and refused are decisions
    term_months: int | None  # of the license granted
    # Whose clock: ``working_days`` are its days (calendar days for BIS); only
    # MOFCOM's observations are ever asked for but by ``stats`` (issue 23).
    authority: str = DEFAULT_AUTHORITY
    # "A7": named where a forecast rests on its wait (a pending one's grows).
    name: str = ""
    # The working days from filing, where acceptance came later (None: the
    # same as working_days): what a renewal not yet filed must plan on.
    from_filing: int | None = None

    @property
    def filing_days(self) -> int:
        return self.working_days if self.from_filing is None else self.from_filing

    @property
    def decided(self) -> bool:
        return self.status in _DECIDED
