"""What the store's history says: lead times (stats) and supply gaps (coverage)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from export_licenses.domain import review, rules
from export_licenses.domain.application import app_label
from export_licenses.domain.license import Status
from export_licenses.storage import store

from .common import Pipeline, rows_for
from .leadtimes import Sample, group_key, samples

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


def stats(path: Path) -> list[dict[str, Any]]:
    """Per material and destination, then a total row (material and destination
    null): decisions, and how long they took in working days."""
    data = store.read(path)
    found = samples(data, Pipeline.of(data).calendar)
    groups: dict[tuple[str, str], list[Sample]] = {}
    names: dict[tuple[str, str], str] = {}
    for sample in found:
        key = group_key(sample.material, sample.destination)
        groups.setdefault(key, []).append(sample)
        names.setdefault(key, sample.material)
    rows = [
        _stats_row(names[key], key[1], chosen) for key, chosen in sorted(groups.items())
    ]
    return [*rows, _stats_row(None, None, found)]


def _stats_row(
    material: str | None, destination: str | None, chosen: list[Sample]
) -> dict[str, Any]:
    days = [s.working_days for s in chosen]
    terms = [s.term_months for s in chosen if s.term_months is not None]
    return {
        "material": material,
        "destination": destination,
        "decided": len(chosen),
        "granted": sum(s.granted for s in chosen),
        "refused": sum(not s.granted for s in chosen),
        "median_working_days": review.median(days),
        "p90_working_days": review.p90(days),
        "median_term_months": review.median(terms),
    }


class _Group(NamedTuple):
    material: str
    destination: str
    end_user: str | None


def coverage(path: Path, today: date) -> list[dict[str, Any]]:
    """One row per material, destination and end user with an active license or
    a pending application; the biggest projected gap first."""
    data = store.read(path)
    context = Pipeline.of(data)
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
