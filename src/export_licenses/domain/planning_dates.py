"""The planning dates a group's history gives a renewal not yet filed: the day to
file by for a confidence (``planning_date``, a verdict's ``file_by``), else the
last day whose time to the expiry covers every wait observed (``Cover``,
``covering_every_wait``), the one of the two to act on (``act_by``) and that day
in words (``act_by_words``). What a forecast is and how it joins a verdict are
``forecast``'s; ``chances`` reads the chance that goes with these dates. Pure:
dates and a fitted history in, dates and words out.
"""

from datetime import date
from typing import NamedTuple

from .forecast import Basis, a_percent
from .rules import Verdict, last_working_day
from .workdays import WorkingDays


class Cover(NamedTuple):
    """The last filing day whose time to the expiry covers every wait: the
    working days it leaves, and the pending application whose growing wait
    decides them (None: a wait that no longer grows)."""

    day: date
    leaves: int
    growing: str | None = None


def covering_every_wait(
    basis: Basis, last: date, today: date, calendar: WorkingDays
) -> Cover | None:
    """The last filing day whose working days to ``last`` cover every wait
    observed, as it will be on that day: beyond it, the curve says nothing.
    (``chances.unfiled``'s day to act on when no day reaches the confidence.)

    A pending application's wait grows a working day every working day: filed
    on D, the renewal must outlast it as it will be on D, its wait today plus
    the working days from today to D. Since those and the days from D to
    ``last`` add up to the horizon H, D leaves at least half of the pending
    wait plus H; a day counted on today's wait alone moved a working day
    earlier every working day and could never be met (audit s8-dates, 1). It
    is the same day tomorrow, as long as no new decision or application
    changes the history."""
    longest = basis.curve.last
    if longest is None:
        return None
    leaves, name = longest, None
    if basis.growing is not None:
        waited, pending = basis.growing
        horizon = calendar.working_days_between(today, last)
        grown = -(-(waited + horizon) // 2)  # ceil: whole working days
        if grown > longest or (grown == longest and waited == longest):
            leaves, name = grown, pending
    return Cover(calendar.get_nth_working_day(last, -leaves), leaves, name)


def planning_date(
    basis: Basis, expires: date, calendar: WorkingDays, confidence: float
) -> date | None:
    """``file_by``: the latest filing day whose chance of a decision by the last
    working day on or before ``expires`` is at least ``confidence`` — the
    curve's ``confidence`` quantile before that day, on the history counted
    from filing (``Basis.filed``); None when the curve never gets there."""
    basis = basis.filed
    needed = basis.needed(confidence)
    if needed is None:
        return None
    return calendar.get_nth_working_day(last_working_day(expires, calendar), -needed)


def act_by(
    basis: Basis, expires: date, today: date, calendar: WorkingDays, confidence: float
) -> date | None:
    """The day to file by on this history (``Outlook.act_by``), without the
    rest of the outlook: for a quick look at many licenses."""
    basis = basis.filed  # a renewal to file: counted from filing
    found = planning_date(basis, expires, calendar, confidence)
    if found is not None:
        return found
    last = last_working_day(expires, calendar)
    cover = covering_every_wait(basis, last, today, calendar)
    return None if cover is None else cover.day


def act_by_words(
    verdict: Verdict, today: date, confidence: float | None = None
) -> str | None:
    """The day the history dates the renewal by (``act_by``), in words: "file by
    D" when it is ``file_by`` ("… for a 90 % chance …" given the ``confidence``),
    else the day that leaves the longest wait observed before expiry. show's
    Forecast line says it; due gives it as a reason when that day is what put a
    license in its window, as nothing else in the row would say why."""
    day = verdict.act_by
    if day is None:
        return None
    if verdict.file_by is not None:
        if confidence is None:
            return f"file by {day}"
        return (
            f"file by {day} for {a_percent(confidence)} chance of a decision "
            "before expiry"
        )
    longest = "the longest wait observed before expiry"
    if verdict.act_by_growing:  # a pending wait, counted as it will be then
        longest = (
            "the longest wait before expiry as it will be then "
            f"({verdict.act_by_growing}'s is still growing)"
        )
    if day < today:
        return f"file now: the last day to leave {longest} was {day}"
    return f"file by {day} to leave {longest}"
