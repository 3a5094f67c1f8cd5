"""Lead times learned from the store's own history: how long MOFCOM took.

A sample is one decided application: the working days from its acceptance (or
filing) to the decision, with the term of the license it granted. Renewals
recorded before applications existed (``renewal_filed`` on the old license, the
new license's ``issued``) count too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, NamedTuple

from export_licenses.domain import review
from export_licenses.domain.application import AppStatus
from export_licenses.domain.months import add_months, months_between
from export_licenses.domain.settings import STATUTORY_REVIEW_DAYS

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from export_licenses.domain.license import License
    from export_licenses.domain.settings import Settings
    from export_licenses.domain.store_data import StoreData
    from export_licenses.domain.workdays import WorkingDays

# Fewer decided applications than this say too little to plan on.
MIN_SAMPLES: Final = 3
STATUTORY: Final = "statutory"


class Sample(NamedTuple):
    material: str
    destination: str
    working_days: int
    granted: bool
    term_months: int | None  # of the license granted


def group_key(material: str, destination: str) -> tuple[str, str]:
    return material.casefold(), destination


def samples(data: StoreData, calendar: WorkingDays) -> list[Sample]:
    """Every decided application with known dates, and every older renewal."""
    by_id = {lic.id: lic for lic in data.licenses}
    found: list[Sample] = []
    for app in data.applications:
        start = app.started
        if app.status not in {AppStatus.GRANTED, AppStatus.REFUSED}:
            continue
        if start is None or app.decided is None:
            continue
        granted = by_id.get(app.license) if app.license is not None else None
        found.append(
            Sample(
                app.material,
                app.destination,
                review.working_days_between(start, app.decided, calendar),
                app.status == AppStatus.GRANTED,
                None if granted is None else term_of(granted, data.settings),
            )
        )
    recorded = {app.renews for app in data.applications if app.renews is not None}
    for old in data.licenses:
        new = by_id.get(old.superseded_by) if old.superseded_by else None
        if old.id in recorded or new is None or old.renewal_filed is None:
            continue
        if new.issued < old.renewal_filed:
            continue
        found.append(
            Sample(
                old.material,
                old.destination,
                review.working_days_between(old.renewal_filed, new.issued, calendar),
                granted=True,
                term_months=term_of(new, data.settings),
            )
        )
    return found


def term_of(lic: License, settings: Settings) -> int:
    """The license's term in whole months (rounded down for an explicit expiry)."""
    if lic.expires is None:
        return lic.term_months or settings.term_months
    months = months_between(lic.issued, lic.expires)
    # An expiry on the corresponding day (or a month's last day) is a whole month.
    return months + (add_months(lic.issued, months + 1) <= lic.expires)


class ReviewTimes(NamedTuple):
    """The working days to expect for a decision, per material and destination."""

    default: int
    basis: str
    groups: Mapping[tuple[str, str], tuple[int, str]] = {}

    def lookup(self, material: str, destination: str) -> tuple[int, str]:
        if not self.groups:  # a fixed review time: asked once per license
            return self.default, self.basis
        return self.groups.get(
            group_key(material, destination), (self.default, self.basis)
        )


def review_times(data: StoreData, calendar: WorkingDays) -> ReviewTimes:
    """Fixed by the setting, or learned: p90 of the same material and destination
    when it has 3 decided applications, else of the whole store, else the
    statutory 45, and never below 45."""
    setting = data.settings.review_working_days
    if isinstance(setting, int):
        basis = STATUTORY if setting == STATUTORY_REVIEW_DAYS else "settings"
        return ReviewTimes(setting, basis)
    found = samples(data, calendar)
    default = _observed([s.working_days for s in found])
    groups: dict[tuple[str, str], list[int]] = {}
    for sample in found:
        groups.setdefault(group_key(sample.material, sample.destination), []).append(
            sample.working_days
        )
    learned = {
        key: _observed(days) for key, days in groups.items() if len(days) >= MIN_SAMPLES
    }
    return ReviewTimes(*default, learned)


def _observed(days: Iterable[int]) -> tuple[int, str]:
    chosen = list(days)
    if len(chosen) < MIN_SAMPLES:
        return STATUTORY_REVIEW_DAYS, STATUTORY
    worst = review.p90(chosen) or 0
    return max(STATUTORY_REVIEW_DAYS, worst), f"observed: {len(chosen)} samples"
