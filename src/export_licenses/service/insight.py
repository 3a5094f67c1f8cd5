"""What the store's history says: lead times (stats) and supply gaps (coverage)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from export_licenses.domain import review, rules
from export_licenses.domain.application import app_label
from export_licenses.domain.families import family_name
from export_licenses.domain.license import Status
from export_licenses.storage import store

from .common import Pipeline, rows_for
from .leadtimes import (
    Observation,
    basis_of,
    controlled,
    in_window,
    observations,
    window_start,
)

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date
    from pathlib import Path

    from export_licenses.domain.license import License
    from export_licenses.domain.rows import AppRow, Row
    from export_licenses.domain.store_data import StoreData

STATS_KEYS: Final = (
    "material",
    "destination",
    "decided",
    "granted",
    "refused",
    "median_working_days",
    "p90_working_days",
    "median_term_months",
    "pending",
    "grant_rate",
    "median_working_days_previous",
    "window_start",
    "longest_wait_working_days",
)
COVERAGE_KEYS: Final = (
    "material",
    "destination",
    "end_user",
    "licenses",
    "applications",
    "covered_until",
    "next_action",
    "next_action_date",
    "projected_gap_days",
    "gap_days_last_year",
    "level",
)
YEAR: Final = 365


def stats(path: Path, today: date, since: date | None = None) -> list[dict[str, Any]]:
    """Per material family and destination, then a total row (material and
    destination null): the applications filed in the window (``since`` to
    ``today``; by default the last ``observed_window_days``), how many were
    decided and how many wait, and their review times in working days read from
    the survival curve, beside the median of the window before (the trend)."""
    data = store.read(path)
    found = observations(data, Pipeline.of(data, today).calendar, today)
    first = window_start(data.settings, today) if since is None else since
    before = first - timedelta(days=(today - first).days + 1)
    now = in_window(found, first, today)
    previous = in_window(found, before, first - timedelta(days=1))
    elements = controlled() if now or previous else frozenset()
    groups, earlier = _by_group(now, elements), _by_group(previous, elements)
    rows = [
        _stats_row(key, chosen, earlier.get(key, []), first)
        for key, chosen in sorted(groups.items())
    ]
    rows.append(_stats_row(None, now, previous, first))
    return rows


def _by_group(
    found: list[Observation], elements: frozenset[str]
) -> dict[tuple[str, str], list[Observation]]:
    """Per family and destination."""
    groups: dict[tuple[str, str], list[Observation]] = {}
    for o in found:
        key = family_name(o.material, elements), o.destination
        groups.setdefault(key, []).append(o)
    return groups


def _stats_row(
    key: tuple[str, str] | None,
    chosen: list[Observation],
    previous: list[Observation],
    first: date,
) -> dict[str, Any]:
    basis = basis_of(key, chosen)
    curve = basis.curve
    terms = [o.term_months for o in chosen if o.term_months is not None]
    return {
        "material": None if key is None else key[0],
        "destination": None if key is None else key[1],
        "decided": basis.decided,
        "granted": basis.granted,
        "refused": basis.refused,
        "median_working_days": curve.quantile(0.5),
        "p90_working_days": curve.quantile(0.9),
        "median_term_months": review.median(terms),
        "pending": basis.pending,
        "grant_rate": (
            round(basis.granted / basis.decided, 3) if basis.decided else None
        ),
        "median_working_days_previous": basis_of(key, previous).curve.quantile(0.5),
        "window_start": first.isoformat(),
        "longest_wait_working_days": curve.last,
    }


class _Group(NamedTuple):
    material: str
    destination: str
    end_user: str | None


def coverage(path: Path, today: date) -> list[dict[str, Any]]:
    """One row per material, destination and end user with an active license or
    a pending application; the biggest projected gap first."""
    data = store.read(path)
    context = Pipeline.of(data, today)
    groups: dict[tuple[str, str, str], _Group] = {}
    members: dict[tuple[str, str, str], list[License]] = {}
    for lic in data.licenses:
        key = _key(lic.material, lic.destination, lic.end_user)
        members.setdefault(key, []).append(lic)
    wanted: dict[tuple[str, str, str], list[AppRow]] = {}
    for app in data.applications:
        key = _key(app.material, app.destination, app.end_user)
        if app.pending:
            wanted.setdefault(key, []).append(context.assess(app, today))
            groups.setdefault(key, _Group(app.material, app.destination, app.end_user))
    for key, licenses in members.items():
        if any(lic.active for lic in licenses):
            first = licenses[0]
            groups[key] = _Group(first.material, first.destination, first.end_user)
    rows = [
        _coverage_row(
            data,
            today,
            group,
            members.get(key, []),
            wanted.get(key, []),
            context,
        )
        for key, group in groups.items()
    ]
    rows.sort(
        key=lambda row: (
            -(row["projected_gap_days"] or 0),
            row["covered_until"] or "",
            row["material"],
        )
    )
    return rows


def _key(material: str, destination: str, end_user: str | None) -> tuple[str, str, str]:
    return material.casefold(), destination, (end_user or "").casefold()


def _coverage_row(
    data: StoreData,
    today: date,
    group: _Group,
    licenses: list[License],
    pending: list[AppRow],
    context: Pipeline,
) -> dict[str, Any]:
    active = rows_for(data, today, (lic for lic in licenses if lic.active))
    last: Row | None = max(active, key=lambda r: r.verdict.expires, default=None)
    covered_until = None if last is None else last.verdict.expires
    action, action_date, available = _next_step(last, pending, today, context)
    gap = (
        None if available is None else review.gap_days(covered_until, available, today)
    )
    levels = [r.verdict.level for r in active if r.verdict.level]
    levels += [a.verdict.level for a in pending if a.verdict.level]
    worst = rules.worst(levels) if levels else None
    return {
        "material": group.material,
        "destination": group.destination,
        "end_user": group.end_user,
        "licenses": [r.license.id for r in sorted(active, key=lambda r: r.license.id)],
        "applications": [app_label(a.application.id) for a in pending],
        "covered_until": _iso(covered_until),
        "next_action": action,
        "next_action_date": _iso(action_date),
        "projected_gap_days": gap,
        "gap_days_last_year": _past_gaps(licenses, today, data.settings.term_months),
        "level": None if worst is None else worst.value,
    }


def _next_step(
    last: Row | None, pending: list[AppRow], today: date, context: Pipeline
) -> tuple[str | None, date | None, date | None]:
    """What to do next, by when, and when a new license could be in hand."""
    dues = [a.verdict.decision_due for a in pending if a.verdict.decision_due]
    if dues:
        # An overdue decision can come today at the earliest.
        return "decision due", min(dues), max(min(dues), today)
    if pending:  # filed on an unknown day
        return "decision due", None, None
    if last is None or last.verdict.renew_by is None:
        return None, None, None
    lic = last.license
    if lic.renewal is False:
        return "expires, not to be renewed", last.verdict.expires, None
    days, _ = context.review.lookup(lic.material, lic.destination)
    filed_today = review.decision_due(today, days, context.calendar)
    return "file the renewal", last.verdict.renew_by, filed_today


def _past_gaps(licenses: Iterable[License], today: date, term: int) -> int | None:
    """Days in the past 365 (from the group's first license) without a valid one."""
    periods = [(lic.issued, _valid_until(lic, term)) for lic in licenses]
    if not periods:
        return None
    first = max(min(start for start, _ in periods), today - timedelta(days=YEAR - 1))
    return review.uncovered_days(periods, first, today)


def _valid_until(lic: License, term: int) -> date:
    ends = rules.expiry(lic, term)
    if lic.status in {Status.CLOSED, Status.REVOKED} and lic.closed is not None:
        return min(ends, lic.closed)
    return ends


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
