"""The six-month cliff: pure date math and levels. Dates in, verdicts out.

The rules one license's verdict is made of: its expiry, the last day to file
its renewal, the level its days left and that day give, what a verdict holds.
``assessment`` applies them to one license or to many on one day.

No Typer, Rich, clock or store here: every function takes ``today`` from its caller.
"""

import enum
from datetime import date, timedelta
from typing import Final, NamedTuple

from .license import License
from .months import add_months
from .workdays import WorkingDays

# The review time of an authority whose profile knows none (issue 23: an EU
# member state's review times are national): no last day to file follows.
NO_REVIEW_TIME: Final = 0
_ONE_DAY: Final = timedelta(days=1)


class Level(enum.StrEnum):
    OK = "ok"
    WARNING = "warning"
    CRITICAL = "critical"
    EXPIRED = "expired"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Level.OK: 0, Level.WARNING: 1, Level.CRITICAL: 2, Level.EXPIRED: 3}


def expiry(lic: License, default_term_months: int) -> date:
    """The last valid day (inclusive) of a license.

    The explicit ``expires`` wins; else the license's own recorded term; else, for a
    license written by hand with neither, the store's ``term_months`` setting.
    """
    if lic.expires is not None:
        return lic.expires
    term = lic.term_months if lic.term_months is not None else default_term_months
    return add_months(lic.issued, term)


def days_left(expires: date, today: date) -> int:
    """Whole calendar days; 0 = last valid day is today, negative = expired."""
    return (expires - today).days


def level(days: int, warn_days: int, critical_days: int) -> Level:
    if days < 0:
        return Level.EXPIRED
    if days <= critical_days:
        return Level.CRITICAL
    if days <= warn_days:
        return Level.WARNING
    return Level.OK


def renew_by(expires: date, review_working_days: int, calendar: WorkingDays) -> date:
    """The last day to file a renewal so that the statutory decision comes in time.

    Art. 17 of the Regulations on the Export Control of Dual-Use Items: MOFCOM
    decides within 45 working days of accepting; art. 18: there is no extension,
    a renewal is a new application. A decision comes on a working day, so it must
    come on or before the last working day on or before the expiry: the deadline
    is ``review_working_days`` working days before that day (DOMAIN.md, "The last
    day to file"). Counting back from the expiry itself is a working day late
    whenever the expiry falls on a weekend or a holiday. A working day: filed on a
    day off, an application is accepted on the next working day at the earliest.
    """
    return calendar.filing_day(calendar.last_decision_day(expires), review_working_days)


def last_working_day(day: date, calendar: WorkingDays) -> date:
    """``day`` when it is worked, else the working day before it."""
    return calendar.get_nth_working_day(day + _ONE_DAY, -1)


# What to do once the last day to file a renewal has passed: today, and the
# day said after it (warn's reason, coverage's next step, the report).
FILE_NOW: Final = "file the renewal now"
# What to do about a license drawn to its quantity: its cover ended on the day
# it ran out, whatever its expiry, so a day counted back from the expiry to file
# the renewal by means nothing for supply (audit s8-dates, 4). warn's reason,
# coverage's next step, the agenda and the report all say it in these words.
APPLY_NOW: Final = "apply now"


def ran_out_action(ran_out: date) -> str:
    """ "apply now: the quantity ran out on 2026-01-13"."""
    return f"{APPLY_NOW}: the quantity ran out on {ran_out}"


def ran_out_advice(action: str | None) -> bool:
    """Whether a verdict's action is ``ran_out_action``'s."""
    return action is not None and action.startswith(f"{APPLY_NOW}: ")


# Depletion: trade-compliance systems flag usage from 90 % (as 9/10, so no
# Decimal is built here).
DEPLETION_WARNING: Final = (9, 10)


class Verdict(NamedTuple):
    expires: date
    days_left: int
    level: Level | None  # None for a license that is no longer active
    renew_by: date | None = None  # None when not active
    reasons: tuple[str, ...] = ()
    # What to do, when the filing deadline flags the license: "file the renewal
    # by 2026-01-22 (in 7 days)". Also the first of ``reasons``.
    action: str | None = None
    # Years a deadline crosses whose holiday schedule is not announced yet.
    estimated: tuple[int, ...] = ()
    # From the review-time history (domain.forecast), when there is one: the last
    # filing day for the confidence wanted, the chance of a decision before
    # expiry, what they rest on, and whether on fewer than 5 observations.
    file_by: date | None = None
    p_decision_by_expiry: float | None = None
    forecast_basis: str | None = None
    forecast_estimate: bool = False
    # The day to file by on that history (file_by, else the last day whose time
    # to the expiry covers every wait observed); None without a history.
    act_by: date | None = None
    # "at least " when p_decision_by_expiry is read beyond the longest wait
    # observed (a lower bound), "at most " with the renewal's clock stopped.
    p_bound: str = ""
    # The pending application ("A7") whose wait, the longest, act_by counts as
    # it will be on that day: it still grows
    # (domain.planning_dates.covering_every_wait).
    act_by_growing: str | None = None


def projected_gap(
    expires: date, days: int, decision_due: date, ran_out: date | None = None
) -> str | None:
    """A renewal decided after the expiry leaves days without a license: the
    days after the last valid day up to the decision day, counted in full, as
    goods cannot ship on a license that has not reached the exporter yet. A
    license drawn to its quantity covers nothing after its last shipment
    (``ran_out``): the gap starts there."""
    if days < 0:
        return None
    if ran_out is not None and ran_out < expires:
        gap = (decision_due - ran_out).days
        after = f"after the quantity ran out on {ran_out}"
    else:
        gap, after = (decision_due - expires).days, "after expiry"
    if gap <= 0:
        return None
    return (
        f"decision due {decision_due} {after}: projected gap of "
        f"{gap} day{'s' * (gap != 1)}"
    )


def estimate_reason(years: tuple[int, ...]) -> str:
    """Why a deadline is a guess: the holidays package projects unannounced years."""
    shown = ", ".join(map(str, years))
    return f"estimated: no official {shown} holiday schedule"


def filing(
    deadline: date, today: date, warn_days: int, critical_days: int
) -> tuple[Level | None, str]:
    """The level the last day to file a renewal gives, and what to do.

    Art. 17: MOFCOM decides within 45 working days of accepting an application,
    and art. 18: a renewal is a new application. Filed after ``deadline``, the
    decision can come after the expiry: CRITICAL. ``critical_days`` or fewer
    before it: CRITICAL; ``warn_days`` or fewer: WARNING; else no level.
    """
    left = (deadline - today).days
    if left < 0:
        late = -left
        return Level.CRITICAL, (
            f"{FILE_NOW}: the last day to file was {deadline}, "
            f"{late} day{'s' * (late != 1)} ago"
        )
    when = "today" if left == 0 else f"in {left} day{'s' * (left != 1)}"
    action = f"file the renewal by {deadline} ({when})"
    if left <= critical_days:
        return Level.CRITICAL, action
    if left <= warn_days:
        return Level.WARNING, action
    return None, action


def worst(levels: list[Level]) -> Level:
    return max(levels, key=_SEVERITY.__getitem__, default=Level.OK)


def worse(a: Level | None, b: Level | None) -> Level | None:
    """The worse of two levels, either of which may be none."""
    if a is None or b is None:
        return a or b
    return worst([a, b])
