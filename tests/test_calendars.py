"""Working-day calendars and their cache."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import holidays
import pytest
from typer.testing import CliRunner

from export_licenses.cli import app
from export_licenses.domain.workdays import WorkingDays
from export_licenses.errors import InvalidStore
from export_licenses.storage.calendar_cache import (
    CachedCalendar,
    calendar_for,
    seal,
    unseal,
)

if TYPE_CHECKING:
    from pathlib import Path


def saved_calendar(path: Path) -> dict[str, list[str]]:
    """The calendar cache file's lines (a key, then its words), once its checksum
    is verified."""
    payload = unseal(path.read_bytes())
    assert payload is not None, "checksum does not match"
    return {key: words for key, *words in map(str.split, payload.decode().splitlines())}


def test_cache_is_written_and_then_answers_without_the_holidays_package(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "calendar-CN.days"
    live = CachedCalendar("CN", cache)
    assert live.get_nth_working_day(date(2026, 2, 25), -2) == date(2026, 2, 14)
    saved = saved_calendar(cache)
    assert saved["calendar"] == ["CN"]
    assert "2026" in saved["years"]
    assert "2026-02-14" in saved["weekend_workdays"]
    assert "2026-02-17" in saved["days_off"]

    cached = CachedCalendar("CN", cache)
    assert cached.get_nth_working_day(date(2026, 2, 25), -2) == date(2026, 2, 14)
    assert cached._live is None  # noqa: SLF001 - answered from the file alone
    # a year not in the file is computed live and added to it
    assert cached.get_nth_working_day(date(2025, 10, 13), -6) == date(2025, 9, 28)
    assert "2025" in saved_calendar(cache)["years"]


def test_cached_and_live_answers_agree_over_two_years(tmp_path: Path) -> None:
    cache = tmp_path / "c.days"
    CachedCalendar("CN", cache).get_nth_working_day(date(2027, 12, 31), -400)
    cached = CachedCalendar("CN", cache)
    live = holidays.country_holidays("CN")
    day = date(2026, 1, 1)
    while day.year < 2028:
        assert cached.is_working_day(day) == live.is_working_day(day), day
        day = day.fromordinal(day.toordinal() + 1)
    assert cached._live is None  # noqa: SLF001 - all from the cache


# A cache file that says less than the truth (of the 2026 Spring Festival only
# Feb 17 is off), so that an answer from it shows the file was read.
GOOD_CACHE = (
    "calendar CN\nofficial_until 2026\nyears 2025 2026 2027\n"
    "days_off 2026-02-17\nweekend_workdays 2026-02-14\n"
)


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "{",
        "years 2026",
        GOOD_CACHE.replace("years 2025", "years x"),
        GOOD_CACHE.replace("2026-02-17", "2026-02-30"),
        GOOD_CACHE.replace("official_until 2026", "official_until"),
        GOOD_CACHE.replace("calendar CN", "calendar US"),
        GOOD_CACHE + "\n",
    ],
)
def test_a_broken_cache_is_ignored(tmp_path: Path, payload: str) -> None:
    cache = tmp_path / "c.days"
    cache.write_bytes(seal(payload.encode()))
    calendar = CachedCalendar("CN", cache)
    assert calendar.get_nth_working_day(date(2026, 2, 25), -2) == date(2026, 2, 14)
    assert calendar._live is not None  # noqa: SLF001 - computed live, not read


def test_a_good_cache_is_read_as_it_is(tmp_path: Path) -> None:
    cache = tmp_path / "c.days"
    cache.write_bytes(seal(GOOD_CACHE.encode()))
    calendar = CachedCalendar("CN", cache)
    assert calendar.get_nth_working_day(date(2026, 2, 25), -2) == date(2026, 2, 23)
    assert calendar.official_until() == 2026
    assert calendar._live is None  # noqa: SLF001


def test_an_unwritable_cache_folder_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    calendar = CachedCalendar("CN", blocker / "sub" / "c.days")
    assert calendar.get_nth_working_day(date(2026, 2, 25), -1) == date(2026, 2, 24)


def test_unknown_calendar_is_an_invalid_store() -> None:
    with pytest.raises(InvalidStore, match="no calendar 'ZZ'"):
        CachedCalendar("ZZ", None).is_working_day(date(2026, 1, 5))


def test_none_is_monday_to_friday() -> None:
    calendar = calendar_for("none")
    assert type(calendar) is WorkingDays
    assert calendar.get_nth_working_day(date(2026, 1, 3), 0) == date(2026, 1, 5)


@pytest.mark.parametrize(
    ("code", "extra_off", "extra_on"),
    [
        ("none", (), ()),
        ("CN", (), ()),
        ("none", (date(2026, 3, 4),), (date(2026, 3, 7),)),
        # typed days over the package's: a make-up Saturday declared off, a
        # Spring Festival weekday declared worked
        ("CN", (date(2026, 2, 14),), (date(2026, 2, 17),)),
    ],
)
def test_deadlines_count_exactly_the_days_the_calendar_says_are_worked(
    code: str, extra_off: tuple[date, ...], extra_on: tuple[date, ...]
) -> None:
    calendar = calendar_for(code, None, extra_off, extra_on)
    day = date(2025, 12, 1)
    while day.year < 2027:
        worked = calendar.is_working_day(day)
        assert (calendar.get_nth_working_day(day, 0) == day) == worked, day
        day = date.fromordinal(day.toordinal() + 1)
    for day in extra_off:
        assert not calendar.is_working_day(day)
    for day in extra_on:
        assert calendar.is_working_day(day)


def test_an_add_to_a_store_naming_an_unknown_calendar_writes_nothing(
    tmp_path: Path,
) -> None:
    """The calendar is looked up lazily: add used to append the license and
    only then fail (65) assessing it, leaving a changed store behind."""
    path = tmp_path / "s.toml"
    path.write_text('version = 1\n\n[settings]\ncalendar = "AN"\n', encoding="utf-8")
    before = path.read_bytes()
    result = CliRunner().invoke(
        app,
        ["--store", str(path), "add", "-m", "x", "-d", "US", "-i", "2025-01-01"],
    )
    assert result.exit_code == 65, result.stderr
    assert "no calendar 'AN'" in result.stderr
    assert path.read_bytes() == before
