"""Every search over days is bounded: a calendar with no working day near a date
is an answer — UNKNOWN for warn, 65 for the rest — never a hang (issue 20,
section 1). extra_holidays that leave a year without the working days of a real
calendar make the store invalid for every command, writes included; a calendar
cache file that marks every day off is not believed.

Each command runs as a child process with the suite's hang guard: a guard
against a hung child, never the verdict, which is the exit code and the message.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING

import pytest

from export_licenses.domain.review import working_days_between
from export_licenses.domain.settings import settings_from_table
from export_licenses.domain.workdays import WorkingDays, weekdays_in
from export_licenses.errors import InvalidStore, InvalidValue
from export_licenses.storage.calendar_cache import (
    CachedCalendar,
    _cache_file,
    calendar_for,
    seal,
    unseal,
)
from helpers import EXAMPLE, HANG_GUARD, in_process, licenses_process

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

TODAY = "2026-01-15"
# Commands that assess licenses or applications (so count working days), and
# writes that do not: all refuse the store.
EVERY_KIND = [
    ["warn"],
    ["warn", "--format", "json"],
    ["list"],
    ["list", "--format", "csv"],
    ["due"],
    ["show", "1"],
    ["timeline"],
    ["applications"],
    ["agenda"],
    ["stats"],
    ["coverage"],
    ["export", "--format", "ics"],
    ["report"],
    ["add", "-m", "x", "-d", "US", "-i", "2025-12-01"],
    ["edit", "1", "--note", "n"],
    ["apply", "-m", "x", "-d", "JP"],
    ["close", "1"],
    ["remove", "1", "--yes"],
    ["ship", "1", "1"],
    ["withdraw", "A3"],
    ["export", "--format", "csv"],
]


def every_day(first: int, last: int) -> list[str]:
    day, end, days = date(first, 1, 1), date(last, 12, 31), []
    while day <= end:
        days.append(day.isoformat())
        day += timedelta(days=1)
    return days


def all_off_store(tmp_path: Path, calendar: str = "none") -> Path:
    """The example store with extra_holidays on every day of 2022 to 2030."""
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        'calendar = "CN"',
        f'calendar = "{calendar}"\nextra_holidays = [{", ".join(every_day(2022, 2030))}]',
    )
    path = tmp_path / "all-off.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("calendar", ["none", "CN"])
def test_extra_holidays_on_every_day_are_unknown_to_warn_not_a_hang(
    tmp_path: Path, calendar: str
) -> None:
    path = all_off_store(tmp_path, calendar)
    result = licenses_process("--store", str(path), "--today", TODAY, "warn")
    assert result.returncode == 3, result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "UNKNOWN" in result.stderr
    assert "extra_holidays: leave 0 working days in 2022" in result.stderr


def test_every_command_refuses_a_year_without_working_days(tmp_path: Path) -> None:
    path = all_off_store(tmp_path)
    before = path.read_bytes()
    for args in EVERY_KIND:
        result = in_process(path, "--today", TODAY, *args)
        expected = 3 if args[0] == "warn" else 65
        assert result.exit_code == expected, (args, result.stderr)
        assert len(result.stderr.splitlines()) == 1, (args, result.stderr)
        assert "extra_holidays: leave 0 working days" in result.stderr, args
        assert path.read_bytes() == before, args


def test_a_calendar_cache_that_marks_every_day_off_is_not_believed(
    tmp_path: Path,
) -> None:
    """A cache can never change an answer: one that says no day is worked is
    damaged, so the calendar is computed afresh (and the file mended)."""
    store = tmp_path / "example.toml"
    store.write_bytes(EXAMPLE.read_bytes())
    fresh, planted = tmp_path / "fresh-cache", tmp_path / "planted-cache"
    args = ("--store", str(store), "--today", TODAY, "warn", "--format", "json")
    truth = licenses_process(*args, env={"LICENSES_CACHE_DIR": str(fresh)})
    assert truth.returncode in {1, 2}, truth.stderr

    planted.mkdir(mode=0o700)
    cache_file = _cache_file("CN", str(planted))
    assert cache_file is not None
    years = range(2015, 2036)
    weekdays = [d for d in every_day(2015, 2035) if date.fromisoformat(d).weekday() < 5]
    lines = [
        "calendar CN",
        "official_until 2026",
        f"years {' '.join(map(str, years))}",
        f"days_off {' '.join(weekdays)}",
        "weekend_workdays",
    ]
    cache_file.write_bytes(seal(("\n".join(lines) + "\n").encode()))
    cache_file.chmod(0o600)

    answer = licenses_process(*args, env={"LICENSES_CACHE_DIR": str(planted)})
    assert (answer.returncode, answer.stdout) == (truth.returncode, truth.stdout)
    mended = unseal(cache_file.read_bytes())
    assert mended is not None
    assert "2026-01-05" not in mended.decode()  # a Monday that is worked


def bounded(search: Callable[[], object]) -> object:
    """``search()``'s outcome, run in a thread so that a search that never ends
    fails the test (after the hang guard) instead of hanging the suite."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(search())
        except InvalidStore as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG_GUARD)
    assert outcome, "the search over days did not end"
    return outcome[0]


def test_a_search_over_days_gives_up_with_one_line() -> None:
    off = frozenset(date.fromisoformat(d) for d in every_day(2022, 2030))
    calendar = calendar_for("none", None, off, ())
    for n in (-45, -1, 0, 1, 45, 250):
        found = bounded(partial(calendar.get_nth_working_day, date(2026, 7, 1), n))
        assert isinstance(found, InvalidStore), (n, found)
        assert "no working day near 2026-07-01" in str(found)
    # outside the days off, the same calendar still answers
    assert bounded(lambda: calendar.get_nth_working_day(date(2031, 1, 1), 0)) == date(
        2031, 1, 1
    )
    assert bounded(lambda: calendar.get_nth_working_day(date(2031, 1, 1), 1)) == date(
        2031, 1, 2
    )


def test_a_gap_of_a_few_months_is_counted_across() -> None:
    """A long but finite gap (a quarter off) is a calendar, not a mistake: the
    count runs across it."""
    off = frozenset(date(2026, 4, 1) + timedelta(days=n) for n in range(91))
    calendar = calendar_for("none", None, off, ())
    assert calendar.get_nth_working_day(date(2026, 7, 1), -1) == date(2026, 3, 31)
    assert calendar.get_nth_working_day(date(2026, 3, 31), 1) == date(2026, 7, 1)


def test_monday_to_friday_answers_at_the_ends_of_the_years_allowed() -> None:
    calendar = WorkingDays()
    assert calendar.get_nth_working_day(date(1900, 1, 1), -250) < date(1900, 1, 1)
    assert calendar.get_nth_working_day(date(2199, 12, 31), 250) > date(2199, 12, 31)


def test_a_century_of_working_days_is_looked_up_in_one_pass(tmp_path: Path) -> None:
    """An application filed in 1900 and still pending: its working days are
    counted in the calendar's span, and the cache file written once, not once
    for every year of the century."""
    calendar = CachedCalendar("CN", tmp_path / "c.days")
    saves: list[None] = []
    calendar.changed = lambda: saves.append(None)  # type: ignore[method-assign]
    waited = working_days_between(date(1900, 1, 2), date(2026, 1, 15), calendar)
    assert 30_000 < waited < 33_000
    assert len(saves) <= 2


@pytest.mark.parametrize("code", ["none", "CN"])
def test_counting_in_the_span_agrees_with_asking_day_by_day(code: str) -> None:
    off = (date(2026, 3, 4), date(2026, 3, 7))
    calendar = calendar_for(code, None, off, (date(2026, 3, 8),))
    start = date(2025, 12, 20)
    for end in (start + timedelta(days=n) for n in range(0, 500, 7)):
        day, by_day = start, 0
        while day < end:
            day += timedelta(days=1)
            by_day += calendar.is_working_day(day)
        assert calendar.working_days_between(start, end) == by_day, end
    assert calendar.working_days_between(date(2026, 5, 1), date(2026, 4, 1)) == 0


def test_weekdays_in_a_year() -> None:
    for year in range(1900, 2200):
        days = date(year + 1, 1, 1).toordinal() - date(year, 1, 1).toordinal()
        first = date(year, 1, 1)
        expected = sum((first + timedelta(days=n)).weekday() < 5 for n in range(days))
        assert weekdays_in(year) == expected, year


def test_typed_holidays_that_leave_a_year_too_few_working_days_are_refused() -> None:
    weekdays = [
        date(2027, 1, 1) + timedelta(days=n)
        for n in range(365)
        if (date(2027, 1, 1) + timedelta(days=n)).weekday() < 5
    ]
    enough = {"extra_holidays": weekdays[: 261 - 100]}
    assert settings_from_table(enough).extra_holidays
    too_many = {"extra_holidays": weekdays[: 261 - 99]}
    with pytest.raises(InvalidValue, match="leave 99 working days in 2027"):
        settings_from_table(too_many)
    # a Saturday typed in as worked counts
    saturday = date(2027, 1, 2)
    assert settings_from_table({**too_many, "extra_workdays": [saturday]})
