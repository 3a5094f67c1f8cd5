"""Working-day calendars and their cache."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

import holidays
import pytest

from export_licenses import cache as cache_module
from export_licenses.calendars import HolidayCalendar, WorkingDays, calendar_for
from export_licenses.errors import InvalidStore

if TYPE_CHECKING:
    from pathlib import Path


def saved_calendar(path: Path) -> dict[str, Any]:
    """The calendar cache file's payload, once its checksum is verified."""
    payload = cache_module.unseal(path.read_bytes())
    assert payload is not None, "checksum does not match"
    data: dict[str, Any] = json.loads(payload)
    return data


def test_cache_is_written_and_then_answers_without_the_holidays_package(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "calendar-CN.json"
    live = HolidayCalendar("CN", cache)
    assert live.get_nth_working_day(date(2026, 2, 25), -2) == date(2026, 2, 14)
    saved = saved_calendar(cache)
    assert 2026 in saved["years"]
    assert "2026-02-14" in saved["weekend_workdays"]
    assert "2026-02-17" in saved["days_off"]

    cached = HolidayCalendar("CN", cache)
    assert cached.get_nth_working_day(date(2026, 2, 25), -2) == date(2026, 2, 14)
    assert cached._live is None  # noqa: SLF001 - answered from the file alone
    # a year not in the file is computed live and added to it
    assert cached.get_nth_working_day(date(2025, 10, 13), -6) == date(2025, 9, 28)
    assert 2025 in saved_calendar(cache)["years"]


def test_cached_and_live_answers_agree_over_two_years(tmp_path: Path) -> None:
    cache = tmp_path / "c.json"
    HolidayCalendar("CN", cache).get_nth_working_day(date(2027, 12, 31), -400)
    cached = HolidayCalendar("CN", cache)
    live = holidays.country_holidays("CN")
    day = date(2026, 1, 1)
    while day.year < 2028:
        assert cached.is_working_day(day) == live.is_working_day(day), day
        day = day.fromordinal(day.toordinal() + 1)
    assert cached._live is None  # noqa: SLF001 - all from the cache


@pytest.mark.parametrize(
    "content",
    [
        "",
        "{",
        '{"years": [2026]}',
        '{"years": ["x"], "days_off": [], "weekend_workdays": []}',
    ],
)
def test_a_broken_cache_is_ignored(tmp_path: Path, content: str) -> None:
    cache = tmp_path / "c.json"
    cache.write_text(content, encoding="utf-8")
    assert HolidayCalendar("CN", cache).get_nth_working_day(
        date(2026, 2, 25), -2
    ) == date(2026, 2, 14)


def test_an_unwritable_cache_folder_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    calendar = HolidayCalendar("CN", blocker / "sub" / "c.json")
    assert calendar.get_nth_working_day(date(2026, 2, 25), -1) == date(2026, 2, 24)


def test_unknown_calendar_is_an_invalid_store() -> None:
    with pytest.raises(InvalidStore, match="no calendar 'ZZ'"):
        HolidayCalendar("ZZ", None).is_working_day(date(2026, 1, 5))


def test_none_is_monday_to_friday() -> None:
    calendar = calendar_for("none")
    assert type(calendar) is WorkingDays
    assert calendar.get_nth_working_day(date(2026, 1, 3), 0) == date(2026, 1, 5)
