"""What a group's curve says of one license or application: the chance of a
decision before expiry if the renewal were filed today, and the last day to
file for a confidence (``unfiled``); the chance for a renewal already waiting
(``filed``); the day by which half of such applications were decided
(``expected_decision``). The history's forecasts (``forecast``), read from a
curve; loaded only for a store with a history (``service/forecasts.py``).
Pure: dates and curves in, figures and words out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from .forecast import MIN_AT_RISK, Basis, Outlook, a_percent, percent
from .planning_dates import Cover, covering_every_wait
from .rules import Level, last_working_day, worse

if TYPE_CHECKING:
    from datetime import date

    from .workdays import WorkingDays


# Said wherever a chance rests on fewer than MIN_AT_RISK applications observed
# that long, as show and the JSON's forecast_estimate say it (issue 22).
_ESTIMATED: Final = "; estimated"


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

    Filed on D, the decision must come within the working days from D to the
    last working day on or before the expiry: ``file_by`` lies the curve's
    ``confidence`` quantile before that day. The renewal is not filed yet, so
    the curve is the history counted from filing (``Basis.filed``), the day a
    buyer acts on; the legal floor ``renew_by`` alone assumes acceptance on
    the day of filing.

    When the curve never gets there (more than 1 - confidence of the history
    still waited after the longest wait observed), no day is known to reach it,
    and a chance read beyond that wait is only a lower bound (the curve says
    nothing there): the day to act on is then the last one whose time to the
    expiry covers every wait observed, and the chance flags the license only
    where it is an estimate, not a bound.
    """
    basis = basis.filed
    last = last_working_day(expires, calendar)
    if last < today:
        return Outlook(None, None, basis.text(), None)
    horizon = calendar.working_days_between(today, last)
    p = basis.curve.decided_by(horizon)
    # planning_date's, from the last working day already found.
    needed = basis.needed(confidence)
    file_by = None if needed is None else calendar.get_nth_working_day(last, -needed)
    cover = None if file_by else covering_every_wait(basis, last, today, calendar)
    act_by = file_by or (cover.day if cover else None)
    growing = cover.growing if cover else None
    estimate = (
        basis.thin
        or basis.at_risk(horizon) < MIN_AT_RISK
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
        level = worse(level, _by_chance(p, confidence))
    # Beyond the longest wait observed the curve says nothing: a lower bound.
    bound = "at least " if _beyond(basis, horizon) else ""
    if level is None:  # no words: most licenses, and nothing prints them
        return Outlook(
            p,
            file_by,
            basis.text(),
            None,
            (),
            None,
            estimate,
            act_by,
            bound,
            growing,
        )
    action = _unfiled_action(basis, p, file_by, cover, today, confidence)
    reason = f"{action} ({basis.summary()}{_ESTIMATED if estimate else ''})"
    return Outlook(
        p,
        file_by,
        basis.text(),
        level,
        (reason,),
        reason,
        estimate,
        act_by,
        bound,
        growing,
    )


def _unfiled_action(
    basis: Basis,
    p: float | None,
    file_by: date | None,
    cover: Cover | None,
    today: date,
    confidence: float,
) -> str:
    """What to do about a renewal not filed, as ``unfiled`` found it."""
    wanted = f"{a_percent(confidence)} chance of a decision before expiry"
    today_text = "" if p is None else f"; filed today: {a_percent(p)} chance"
    if file_by is None:
        if cover is None or cover.day < today:
            return f"file now: no filing day gives {wanted}{today_text}"
        # The day first, with what it gives; then why no day gives more (it
        # read as if the date itself gave no chance).
        longest = f"{basis.curve.last} working days, the longest wait observed,"
        if cover.growing is not None and basis.growing is not None:
            longest = (
                f"{cover.leaves} working days, the longest wait as it will be by "
                f"then ({cover.growing}'s, {basis.growing[0]} today, is still "
                "growing),"
            )
        return (
            f"file by {cover.day} to leave {longest} before expiry; more than "
            f"{percent(1 - confidence)} still waited that long, so no filing day "
            f"is known to give {wanted}"
        )
    if file_by < today:
        return f"file now: the last day for {wanted} was {file_by}{today_text}"
    return f"file by {file_by} for {wanted}"


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
    lower = _beyond(basis, horizon)
    bound = "at most " if stopped_since is not None else "at least " if lower else ""
    # Counted across a year whose holidays are not announced, the working days
    # to the expiry are a projection too, as renew-by's are (DOMAIN.md): two
    # more Spring Festival days turned a 50 % chance into 41 % (audit
    # s10-forecast, 4).
    estimate = (
        basis.thin
        or basis.at_risk(horizon) < MIN_AT_RISK
        or bool(calendar.guessed_years(today, last))
    )
    reason = (
        f"{bound}{a_percent(p)} chance of a decision before expiry, after "
        f"{waited} working day{'s' * (waited != 1)} of waiting ({basis.summary()}"
        f"{_ESTIMATED if estimate else ''})"
    )
    level = None if lower else _by_chance(p, confidence)
    return Outlook(p, None, basis.text(), level, (reason,), None, estimate, bound=bound)


def _beyond(basis: Basis, horizon: int) -> bool:
    """``horizon`` working days lie beyond the longest wait observed."""
    return basis.curve.last is not None and horizon > basis.curve.last


def expected_decision(
    basis: Basis, waited: int, today: date, calendar: WorkingDays
) -> tuple[date | None, bool]:
    """The day by which half of such applications were decided, given the wait
    so far (``None`` when the curve has not fallen that far), and whether it
    is an estimate: resting on fewer than MIN_AT_RISK observations, or counted
    across a year whose holidays are not announced."""
    median = basis.curve.quantile(0.5, waited)
    if median is None:
        return None, False
    day = calendar.get_nth_working_day(today, median - waited)
    few = basis.thin or basis.at_risk(median) < MIN_AT_RISK
    return day, few or bool(calendar.guessed_years(today, day))


def decided_after(
    basis: Basis, waited: int, today: date, calendar: WorkingDays
) -> date | None:
    """When ``expected_decision`` has no day: the day this application's wait
    reaches the longest wait observed. More than half of such were still
    undecided then, so the day half were decided is later: a lower bound
    (today, for the longest waiter itself)."""
    longest = basis.curve.last
    if longest is None:
        return None
    if longest <= waited:
        return today
    return calendar.get_nth_working_day(today, longest - waited)


def _by_chance(p: float | None, confidence: float) -> Level | None:
    if p is None:
        return None
    if p < 0.5:  # noqa: PLR2004 - "less likely than not", the issue's threshold
        return Level.CRITICAL
    return Level.WARNING if p < confidence else None
