"""The ``[settings]`` table: defaults, validation, and its TOML form."""

import re
from collections.abc import Mapping
from datetime import date
from typing import Any, Final, NamedTuple

from export_licenses.errors import InvalidValue

from .key_names import unknown_keys
from .values import MAX_TERM_MONTHS, check_date, check_int, describe, kind_of
from .workdays import MIN_WORKING_DAYS, thinnest_year

MAX_DAYS: Final = 3660
# MOFCOM decides in 45 working days (art. 17); a year of working days is ample
# room for slower regimes, and 0 would put the renewal deadline on the expiry.
MAX_REVIEW_WORKING_DAYS: Final = 250
_NO_EXTRA: Mapping[str, Any] = {}
_CALENDAR_CODE = re.compile(r"[A-Z]{2,3}(-[A-Z0-9]{1,3})?|none")


class Settings(NamedTuple):
    term_months: int = 6
    warn_days: int = 90
    critical_days: int = 30
    # Art. 17 of the Regulations: MOFCOM decides within 45 working days; or
    # "observed": the p90 of the store's own decided applications, never below 45.
    review_working_days: int | str = 45
    calendar: str = "CN"  # a holidays-package country code, or "none" (Mon-Fri)
    # The last day to file a renewal is the date to act on: WARNING this many
    # days before it, CRITICAL this many days before it or once it has passed.
    filing_warn_days: int = 30
    filing_critical_days: int = 7
    # An announced holiday schedule typed in before the holidays package has it.
    extra_holidays: tuple[date, ...] = ()
    extra_workdays: tuple[date, ...] = ()
    # Every write is a git commit of the store (see gitrepo.py).
    git: bool = False
    # licenses notify: Apprise URLs, and the days before an action's date on
    # which it is sent again (besides when new or worse).
    notify: tuple[str, ...] = ()
    remind_days: tuple[int, ...] = (30, 7, 1)
    # Review times are learned from the applications filed in the last this
    # many days (None: not written in the store, DEFAULT_WINDOW_DAYS).
    observed_window_days: int | None = None
    # The planning date (file_by) is the last filing day with at least this
    # chance of a decision before expiry (None: DEFAULT_CONFIDENCE).
    forecast_confidence: float | None = None
    # A control of the catalogue that changes state this many days before or
    # after today is a warning (issue 23; None: DEFAULT_POLICY_DAYS).
    policy_warn_days: int | None = None
    extra: Mapping[str, Any] = _NO_EXTRA

    @property
    def observed(self) -> bool:
        return self.review_working_days == OBSERVED

    @property
    def window_days(self) -> int:
        days = self.observed_window_days
        return DEFAULT_WINDOW_DAYS if days is None else days

    @property
    def policy_days(self) -> int:
        days = self.policy_warn_days
        return DEFAULT_POLICY_DAYS if days is None else days

    @property
    def confidence(self) -> float:
        wanted = self.forecast_confidence
        return DEFAULT_CONFIDENCE if wanted is None else wanted


SETTINGS_KEYS: Final = Settings._fields[:-1]
OBSERVED: Final = "observed"
STATUTORY_REVIEW_DAYS: Final = 45
DEFAULT_WINDOW_DAYS: Final = 365
DEFAULT_CONFIDENCE: Final = 0.9
DEFAULT_POLICY_DAYS: Final = 30
# A planning date is for a chance better than a coin toss and short of certainty,
# which a finite history cannot give.
CONFIDENCE_RANGE: Final = (0.5, 0.99)
# Written only when given, so stores that do not use them keep their text.
_ONLY_WHEN_GIVEN: Final = (
    "extra_holidays",
    "extra_workdays",
    "git",
    "notify",
    "remind_days",
    "observed_window_days",
    "forecast_confidence",
    "policy_warn_days",
)
MAX_URL: Final = 2000


def _review_days(table: Mapping[str, Any]) -> int | str:
    value = table.get("review_working_days", STATUTORY_REVIEW_DAYS)
    if value == OBSERVED:
        return OBSERVED
    if isinstance(value, str):
        raise InvalidValue(
            "review_working_days",
            f'expected a whole number of working days or "observed", got {value!r}',
        )
    return check_int("review_working_days", value, 1, MAX_REVIEW_WORKING_DAYS)


def _dates(table: Mapping[str, Any], key: str) -> tuple[date, ...]:
    value = table.get(key, [])
    if not isinstance(value, list):
        raise InvalidValue(key, f"expected a list of dates, got {describe(value)}")
    return tuple(sorted({check_date(key, day) for day in value}))


def _urls(table: Mapping[str, Any]) -> tuple[str, ...]:
    # Never the value itself: a notification URL may hold a password or a
    # token, and this line reaches cron mail and monitoring logs (warn's).
    value = table.get("notify", [])
    hidden = "(not shown: a URL may hold a password)"
    if not isinstance(value, list):
        raise InvalidValue(
            "notify",
            'expected a list of notification URLs such as ["mailto://…"], got '
            f"{kind_of(value)} {hidden}",
        )
    for n, url in enumerate(value, 1):
        if isinstance(url, str) and 0 < len(url.strip()) <= MAX_URL:
            continue
        what = kind_of(url) if not isinstance(url, str) else "empty text"
        if isinstance(url, str) and url.strip():
            what = f"text of {len(url.strip())} characters, over {MAX_URL}"
        raise InvalidValue(
            "notify",
            f"item {n} is {what}: expected a notification URL such as "
            f'"mailto://…" {hidden}',
        )
    return tuple(url.strip() for url in value)


def _remind_days(table: Mapping[str, Any]) -> tuple[int, ...]:
    value = table.get("remind_days", list(Settings().remind_days))
    if not isinstance(value, list):
        raise InvalidValue(
            "remind_days",
            f"expected a list of days such as [30, 7, 1], got {describe(value)}",
        )
    days = {check_int("remind_days", day, 0, MAX_DAYS) for day in value}
    return tuple(sorted(days, reverse=True))


def _confidence(table: Mapping[str, Any]) -> float | None:
    value = table.get("forecast_confidence")
    if value is None:
        return None
    low, high = CONFIDENCE_RANGE
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidValue(
            "forecast_confidence",
            f"expected a chance such as 0.9, got {describe(value)}",
        )
    if not low <= value <= high:
        raise InvalidValue(
            "forecast_confidence", f"expected {low} to {high}, got {value}"
        )
    return float(value)


def _check_working_days_left(
    days_off: tuple[date, ...], workdays: tuple[date, ...]
) -> None:
    """A year of typed holidays keeps the working days of a real calendar:
    holidays on (nearly) every day of a year are a mistake that would leave no
    working day to count a deadline on."""
    thin = thinnest_year(days_off, workdays, {day.year for day in days_off})
    if thin is not None:
        year, left = thin
        raise InvalidValue(
            "extra_holidays",
            f"leave {left} working days in {year}; a calendar has at least "
            f"{MIN_WORKING_DAYS} a year",
        )


def settings_from_table(table: Any) -> Settings:
    if not isinstance(table, Mapping):
        raise InvalidValue("settings", "expected a [settings] table")
    extra = unknown_keys(table, SETTINGS_KEYS)
    defaults = Settings()

    def whole(key: str, low: int, high: int) -> int:
        return check_int(key, table.get(key, getattr(defaults, key)), low, high)

    warn = whole("warn_days", 0, MAX_DAYS)
    critical = whole("critical_days", 0, MAX_DAYS)
    if critical > warn:
        raise InvalidValue(
            "critical_days", f"must not be above warn_days ({critical} > {warn})"
        )
    filing_warn = whole("filing_warn_days", 0, MAX_DAYS)
    filing_critical = whole("filing_critical_days", 0, MAX_DAYS)
    if filing_critical > filing_warn:
        raise InvalidValue(
            "filing_critical_days",
            f"must not be above filing_warn_days ({filing_critical} > {filing_warn})",
        )
    calendar = table.get("calendar", defaults.calendar)
    if not isinstance(calendar, str) or not _CALENDAR_CODE.fullmatch(calendar):
        raise InvalidValue(
            "calendar",
            'expected a country code of the holidays package such as "CN", '
            f'or "none" for Monday to Friday, got {describe(calendar)}',
        )
    extra_holidays = _dates(table, "extra_holidays")
    extra_workdays = _dates(table, "extra_workdays")
    both = sorted(set(extra_holidays) & set(extra_workdays))
    if both:
        raise InvalidValue(
            "extra_workdays", f"{both[0]} is also in extra_holidays: choose one"
        )
    window = table.get("observed_window_days")
    if window is not None:
        window = check_int("observed_window_days", window, 1, MAX_DAYS)
    _check_working_days_left(extra_holidays, extra_workdays)
    git = table.get("git", False)
    if not isinstance(git, bool):
        raise InvalidValue("git", f"expected true or false, got {describe(git)}")
    return Settings(
        notify=_urls(table),
        remind_days=_remind_days(table),
        term_months=whole("term_months", 1, MAX_TERM_MONTHS),
        warn_days=warn,
        critical_days=critical,
        review_working_days=_review_days(table),
        calendar=calendar,
        filing_warn_days=filing_warn,
        filing_critical_days=filing_critical,
        extra_holidays=extra_holidays,
        extra_workdays=extra_workdays,
        git=git,
        observed_window_days=window,
        forecast_confidence=_confidence(table),
        policy_warn_days=None
        if table.get("policy_warn_days") is None
        else check_int("policy_warn_days", table["policy_warn_days"], 0, MAX_DAYS),
        extra=extra,
    )


def settings_to_table(settings: Settings) -> dict[str, Any]:
    defaults = Settings()
    table = {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in zip(SETTINGS_KEYS, settings, strict=False)
        if key not in _ONLY_WHEN_GIVEN or value != getattr(defaults, key)
    }
    return table | dict(settings.extra)
