"""Working-day arithmetic for the renewal deadline and the review clock.

China's statutory holidays move every year and weekends are swapped for make-up
working days (Sunday 2025-09-28 was one), so counting working days needs the
``holidays`` package, which models both (DOMAIN.md, "Working days in China"). Its
data for a year is only as good as the State Council's announcement for that year,
usually published the November before; ``official_until`` says which years are a
projection so that callers can say a date is an estimate.

Pure: the ``holidays`` package is read-only reference data. The cache of each
year's exceptions lives in ``storage.calendar_cache``.
"""

from __future__ import annotations

import bisect
from collections import Counter
from datetime import MAXYEAR, MINYEAR, date, timedelta
from typing import TYPE_CHECKING, Any, Final

from export_licenses.errors import InvalidStore

if TYPE_CHECKING:
    from collections.abc import Iterable

SATURDAY: Final = 5
# No country's calendar works fewer days a year (China's about 250).
MIN_WORKING_DAYS: Final = 100
_NOT_LOOKED_UP: Final = -1
_ONE_DAY: Final = timedelta(days=1)
# How far around a date a count of working days may look before it says the
# calendar has none there (plus a year per 200 working days counted).
SEARCH_YEARS: Final = 2
WORKING_DAYS_A_YEAR: Final = 200


def weekdays_in(year: int) -> int:
    """Mondays to Fridays in ``year``: 52 weeks of five, and the day or two more."""
    last = date(year, 12, 31)
    more = last.toordinal() - date(year, 1, 1).toordinal() + 1 - 52 * 7
    return 52 * 5 + sum((last.toordinal() - n - 1) % 7 < SATURDAY for n in range(more))


def thinnest_year(
    days_off: Iterable[date], workdays: Iterable[date], years: Iterable[int]
) -> tuple[int, int] | None:
    """The first of ``years`` that ``days_off`` and ``workdays`` (exceptions to
    Monday-Friday) leave with fewer than MIN_WORKING_DAYS, and how many it has."""
    off = Counter(day.year for day in days_off if day.weekday() < SATURDAY)
    on = Counter(day.year for day in workdays if day.weekday() >= SATURDAY)
    for year in sorted(years):
        left = weekdays_in(year) - off[year] + on[year]
        if left < MIN_WORKING_DAYS:
            return year, max(left, 0)
    return None


class WorkingDays:
    """Monday to Friday, no holidays: the calendar "none", and the base of others."""

    def __init__(self) -> None:
        # The working days of whole years, as ordinals, so that the n-th working
        # day from any date is one bisection (licenses ask once each).
        self._working: list[int] = []
        self._first_year = self._last_year = 0
        # Many licenses share an expiry: each distinct question is answered once
        # (14 ms of CPU of `due --within 60` at 10,000 licenses, 1 ms at a large
        # trader's; benchmarks/ledger.py). An answer never changes once given
        # (only answers inside the known span are given, and extending the span
        # keeps its days), so it is kept.
        self._answers: dict[tuple[date, int], date] = {}

    # What the clock counts, as messages say it ("in 3 working days").
    day_word = "working day"

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < SATURDAY

    def last_decision_day(self, day: date) -> date:
        """The last day on or before ``day`` that a decision can come on: a
        working day (DOMAIN.md, "The last day to file")."""
        return self.get_nth_working_day(day + _ONE_DAY, -1)

    def filing_day(self, decided_by: date, days: int) -> date:
        """The last day to file so that a decision ``days`` of this clock
        after it comes by ``decided_by`` (itself a day a decision can come on)."""
        return self.get_nth_working_day(decided_by, -days)

    def official_until(self) -> int | None:
        """The last year whose schedule is announced; None: no year is a guess."""
        return None

    def guessed_years(self, start: date, end: date) -> tuple[int, ...]:
        """The years from ``start`` to ``end`` whose working days are a projection."""
        last = self.official_until()
        # Asked once per license: the common answer first, without min and max.
        if last is None or (start.year <= last and end.year <= last):
            return ()
        first, final = min(start, end).year, max(start, end).year
        return tuple(
            year
            for year in range(max(first, last + 1), final + 1)
            if year not in self.announced_years()
        )

    def announced_years(self) -> frozenset[int]:
        """Years the user typed a schedule for (extra_holidays, extra_workdays)."""
        return frozenset()

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if end
        <= start): two bisections in the known span, not a call per day."""
        if end <= start:
            return 0
        if not (self._covers(start) and self._covers(end)):
            self._extend(start.year, end.year)
        after = bisect.bisect_right(self._working, start.toordinal())
        return bisect.bisect_right(self._working, end.toordinal()) - after

    def get_nth_working_day(self, key: date, n: int) -> date:
        """The n-th working day after ``key`` (before it when n < 0), like holidays."""
        known = self._answers.get((key, n))
        if known is None:
            known = self._answers[key, n] = self._nth_working_day(key, n)
        return known

    def _nth_working_day(self, key: date, n: int) -> date:
        ordinal = key.toordinal()
        # The span grows a year at a time on each side until it holds the
        # answer; no real calendar goes SEARCH_YEARS without a working day, so
        # one that does (extra_holidays on every day of years, a damaged
        # cache) is an error, never a search that does not end.
        reach = SEARCH_YEARS + abs(n) // WORKING_DAYS_A_YEAR
        first = max(key.year - reach, MINYEAR)
        last = min(key.year + reach, MAXYEAR)
        while True:
            if n > 0:
                index = bisect.bisect_right(self._working, ordinal) + n - 1
            elif n < 0:
                index = bisect.bisect_left(self._working, ordinal) + n
            else:  # the day itself when worked, else the next working day
                index = bisect.bisect_left(self._working, ordinal)
            # The answer lies between the day and the span's edge on the side
            # the count goes: every day in between is known.
            if self._covers(key) and 0 <= index < len(self._working):
                return date.fromordinal(self._working[index])
            if self._first_year <= first and self._last_year >= last:
                raise InvalidStore(
                    f"[settings] calendar: no working day near {key} (counting "
                    f"{n} working days from it, none in {first}-{last}); check "
                    "calendar and extra_holidays"
                )
            step = 1 + abs(n) // WORKING_DAYS_A_YEAR
            self._extend(max(key.year - step, first), min(key.year + step, last))

    def _covers(self, day: date) -> bool:
        return self._first_year <= day.year <= self._last_year

    def _extend(self, first: int, last: int) -> None:
        """Know the working days of ``first`` to ``last``, and one more year
        on each side when the known span holds those already."""
        if self._working or self._first_year:
            first, last = min(first, self._first_year), max(last, self._last_year)
            if (first, last) == (self._first_year, self._last_year):
                first, last = max(first - 1, MINYEAR), min(last + 1, MAXYEAR)
        start, end = date(first, 1, 1).toordinal(), date(last, 12, 31).toordinal()
        # Monday to Friday by arithmetic (ordinal 1 is a Monday), then the
        # calendar's exceptions: one set lookup a day instead of a method call.
        off, on = self.exceptions(first, last)
        working = [
            day
            for day in range(start, end + 1)
            if ((day - 1) % 7 < SATURDAY and day not in off) or day in on
        ]
        self._working, self._first_year, self._last_year = working, first, last

    def exceptions(self, first: int, last: int) -> tuple[set[int], set[int]]:  # noqa: ARG002 - Monday to Friday has none in any year
        """The weekdays not worked and the weekend days worked, as ordinals, in
        the years ``first`` to ``last``: what ``is_working_day`` says, at once."""
        return set(), set()


class HolidayCalendar(WorkingDays):
    """A holidays-package calendar, reduced to its exceptions to Monday-Friday."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code
        self.days_off: set[date] = set()  # weekdays that are not worked
        self.weekend_workdays: set[date] = set()
        self.years: set[int] = set()
        self._live: Any = None
        self._official: int | None = _NOT_LOOKED_UP

    def official_until(self) -> int | None:
        if self._official == _NOT_LOOKED_UP:
            self._official = _last_announced(self.code, self._holidays())
            self.changed()
        return self._official

    def is_working_day(self, day: date) -> bool:
        if day.year not in self.years:
            self._add_year(day.year)
        if day.weekday() >= SATURDAY:
            return day in self.weekend_workdays
        return day not in self.days_off

    def exceptions(self, first: int, last: int) -> tuple[set[int], set[int]]:
        missing = [year for year in range(first, last + 1) if year not in self.years]
        for year in missing:
            self._add_year(year, save=False)
        if missing:
            self.changed()  # once for all the years looked up, not once a year
        return (
            {day.toordinal() for day in self.days_off},
            {day.toordinal() for day in self.weekend_workdays},
        )

    def _add_year(self, year: int, *, save: bool = True) -> None:
        live = self._holidays()
        day, end = date(year, 1, 1), date(year, 12, 31)
        while day <= end:
            working = live.is_working_day(day)
            if day.weekday() >= SATURDAY and working:
                self.weekend_workdays.add(day)
            elif day.weekday() < SATURDAY and not working:
                self.days_off.add(day)
            day += _ONE_DAY
        self.years.add(year)
        if save:
            self.changed()

    def _holidays(self) -> Any:
        if self._live is None:
            import holidays  # noqa: PLC0415 - only for a year not yet in the cache (151 M instructions)

            country, _, subdivision = self.code.partition("-")
            try:
                self._live = holidays.country_holidays(
                    country, subdiv=subdivision or None
                )
            except NotImplementedError:
                raise InvalidStore(
                    f"[settings] calendar: the holidays package has no calendar "
                    f'{self.code!r}; use a code it knows, such as "CN", or "none"'
                ) from None
        return self._live

    def changed(self) -> None:
        """Called after a year or the announced span was looked up live: a
        subclass that keeps a cache (``storage.calendar_cache``) saves here."""


def _last_announced(code: str, live: Any) -> int | None:
    """The last year of China's calendar that rests on an announced schedule.

    The State Council announces each year's holidays and make-up working days the
    November before; the holidays package records them as special holidays and
    projects later years from fixed rules, without make-up days (0.109: 2027 is a
    projection). Other countries' calendars follow fixed rules: no year is a guess.
    """
    if code.partition("-")[0] != "CN":
        return None
    known = getattr(live, "special_public_holidays", None) or {}
    return max((year for year in known if isinstance(year, int)), default=None)


class WithOverrides(WorkingDays):
    """A calendar with days the user typed in: ``extra_holidays`` are not worked,
    ``extra_workdays`` are. A year with either counts as announced."""

    def __init__(
        self, base: WorkingDays, days_off: frozenset[date], workdays: frozenset[date]
    ) -> None:
        super().__init__()
        self.base = base
        self.days_off = days_off
        self.workdays = workdays
        self._announced = frozenset(day.year for day in days_off | workdays)

    def official_until(self) -> int | None:
        return self.base.official_until()

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.days_off:
            return False
        return self.base.is_working_day(day)

    def exceptions(self, first: int, last: int) -> tuple[set[int], set[int]]:
        off, on = self.base.exceptions(first, last)
        typed_on = {day.toordinal() for day in self.workdays}
        typed_off = {day.toordinal() for day in self.days_off}
        return (off - typed_on) | typed_off, (on - typed_off) | typed_on

    def announced_years(self) -> frozenset[int]:
        return self._announced
