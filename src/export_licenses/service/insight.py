"""What the store's history says of review times: ``stats`` (coverage, the
supply gaps, is in ``coverage``)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final

from export_licenses.domain import review
from export_licenses.domain.families import family_name
from export_licenses.storage import store

from .common import Pipeline
from .leadtimes import (
    Observation,
    basis_of,
    controlled,
    in_window,
    observations,
    window_start,
)

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

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
        _stats_row(key, chosen, earlier.get(key, []), first, elements)
        for key, chosen in sorted(groups.items())
    ]
    rows.append(_stats_row(None, now, previous, first, elements))
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


def _shown(family: str, chosen: list[Observation], elements: frozenset[str]) -> str:
    """A family as people read it: the element's name, else the material as it
    was first typed (the family key is casefolded to compare spellings)."""
    if family in elements or not chosen:
        return family
    return chosen[0].material.strip()


def _stats_row(
    key: tuple[str, str] | None,
    chosen: list[Observation],
    previous: list[Observation],
    first: date,
    elements: frozenset[str],
) -> dict[str, Any]:
    basis = basis_of(key, chosen)
    curve = basis.curve
    terms = [o.term_months for o in chosen if o.term_months is not None]
    return {
        "material": None if key is None else _shown(key[0], chosen, elements),
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
