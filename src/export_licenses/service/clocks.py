"""Each authority's calendar and review clock, as the rules count them.

MOFCOM, the default authority, keeps the store's ``[settings]``: ``calendar``,
``extra_holidays``, ``extra_workdays`` and ``review_working_days`` (a number, or
"observed": the store's own history, which is MOFCOM's alone). A store's own
``[authority.MOFCOM]`` ``calendar`` or ``review`` ``days``, when it gives them,
is more specific and wins. Every other authority counts on its profile
(``data/authorities.toml``, with the store's ``[authority.NAME]`` over it): its
calendar, its review clock in working or calendar days from filing or
acceptance, and what the figure is (a bound, a target, or none known). Nothing
here is built for a store whose records are all MOFCOM's (issue 23).

The service side of ``domain/clocks.py``: here each authority's calendar and
review clock are chosen from profiles and settings; the domain counts a clock in
calendar days.
"""

from typing import TYPE_CHECKING, Any, Final, NamedTuple

from export_licenses.domain.forecast import STATUTORY
from export_licenses.domain.rules import NO_REVIEW_TIME
from export_licenses.domain.values import is_default_authority
from export_licenses.domain.workdays import WorkingDays
from export_licenses.storage.calendar_cache import calendar_for

if TYPE_CHECKING:
    from collections.abc import Mapping

    from export_licenses.domain.authorities import AuthorityProfile, Review
    from export_licenses.domain.store_data import StoreData

# What ``review_basis`` says of a profile's figure (MOFCOM's is "statutory"),
# by ``authorities.Basis`` (a str enum: its values are the keys), which is not
# imported here: a store of MOFCOM's records alone never loads the profiles.
_BASIS_WORD: Final = {
    "bound": STATUTORY,
    "target": "target",
    "usual": "usual",
    "none": "none",
}


class Clock(NamedTuple):
    """One authority's review clock on its calendar."""

    authority: str
    calendar: WorkingDays  # counts the clock's days (every day, for calendar days)
    days: int  # NO_REVIEW_TIME when the profile knows none
    basis: str  # "statutory" (a bound), "target", "usual" or "none"
    start: str  # "filing" or "acceptance"
    unit: str  # "working" or "calendar"
    cite: str | None = None

    def words(self, *, accepted: bool = True) -> str:
        """The clock as the tool shows it: "90 calendar days from acceptance;
        BIS, 15 CFR 750.4: statutory"; a target says it is one. A clock from
        acceptance counts from filing while the acceptance is not recorded."""
        if self.days == NO_REVIEW_TIME:
            return f"no review time known to the {self.authority} profile"
        start = self.start
        if start == "acceptance" and not accepted:
            start = "filing (acceptance not recorded)"
        cite = f", {self.cite}" if self.cite else ""
        kind = "a target, not a bound" if self.basis == "target" else self.basis
        return (
            f"{self.days} {self.unit} days from {start}; {self.authority}{cite}: {kind}"
        )


def mofcom_overrides(data: "StoreData") -> tuple[str | None, int | None]:
    """The ``calendar`` and review ``days`` of the store's own
    ``[authority.MOFCOM]``, when it gives them (they win over ``[settings]``)."""
    table: Any = next(
        (t for name, t in data.authorities.items() if is_default_authority(name)),
        None,
    )
    if not isinstance(table, dict):
        return None, None
    review = table.get("review")
    days = review.get("days") if isinstance(review, dict) else None
    calendar = table.get("calendar")
    return (
        calendar if isinstance(calendar, str) else None,
        days if isinstance(days, int) and not isinstance(days, bool) else None,
    )


class Clocks:
    """The clocks of the authorities other than MOFCOM that a store's records
    name, each built when first asked for (the store's reading checked that
    every name is known)."""

    def __init__(self, data: "StoreData") -> None:
        self._data = data
        self._profiles: Mapping[str, AuthorityProfile] | None = None
        self._known: dict[tuple[str, bool], Clock] = {}

    def of(self, name: str, *, change: bool = False) -> Clock:
        """The clock of ``name`` (a change application's, with ``change``)."""
        key = (name.casefold(), change)
        known = self._known.get(key)
        if known is None:
            known = self._known[key] = self._build(name, change=change)
        return known

    def _build(self, name: str, *, change: bool) -> Clock:
        # The profiles: only for a record naming another authority (law.py).
        from export_licenses.service.law import profile_of  # noqa: PLC0415 - beside its one use; saves nothing (license_rows loads law first)

        profile = profile_of(self._data, name)
        review = profile.change_clock if change else profile.review
        return Clock(
            profile.name,
            _counting(profile.calendar, review),
            review.days or NO_REVIEW_TIME,
            _BASIS_WORD[review.basis],
            review.start,
            review.unit,
            review.cite,
        )


def _counting(code: str, review: "Review") -> WorkingDays:
    """The calendar that counts ``review``'s days: the profile's working days,
    or every day on it (``domain.clocks.CalendarDays``)."""
    base = calendar_for(code)
    if review.unit != "calendar":
        return base
    return _calendar_days(base)


_EVERY_DAY: dict[int, WorkingDays] = {}


def _calendar_days(base: WorkingDays) -> WorkingDays:
    """One ``CalendarDays`` per base calendar in a process (its answers are kept)."""
    from export_licenses.domain.clocks import CalendarDays  # noqa: PLC0415 - calendar-day clocks

    found = _EVERY_DAY.get(id(base))
    if found is None:
        found = _EVERY_DAY[id(base)] = CalendarDays(base)
    return found
