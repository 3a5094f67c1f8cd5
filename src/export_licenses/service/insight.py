"""What the store's history says of review times: ``stats`` (coverage, the
supply gaps, is in ``coverage``)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final

from export_licenses.domain import review
from export_licenses.domain.families import family_name
from export_licenses.domain.values import DEFAULT_AUTHORITY
from export_licenses.errors import FieldProblem
from export_licenses.storage import store_read

from .common import Pipeline
from .law import known_authority
from .leadtimes import (
    in_window,
    observations,
    window_start,
)
from .review_model import basis_of, controlled

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from export_licenses.domain.observation import Observation

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
    # Issue 23: whose applications (never mixed), and what the row's days
    # count: "working" days, or "calendar" days (BIS, 15 CFR 750.4).
    "authority",
    "review_unit",
)


def stats(
    path: Path,
    today: date,
    since: date | None = None,
    authority: str | None = None,
    *,
    empty_total: bool = True,
) -> list[dict[str, Any]]:
    """Per authority (never mixed: each counts on its own clock and calendar,
    issue 23), per material family and destination, then the authority's total
    row (material and destination null): the applications filed in the window
    (``since`` to ``today``; by default the last ``observed_window_days``), how
    many were decided and how many wait, and their review times read from the
    survival curve, beside the median of the window before (the trend).
    MOFCOM comes first and always has its total row; another authority comes
    when it has an application in either window. ``authority``: its rows only
    (a name the store knows, in its profile's spelling). Without
    ``empty_total``, MOFCOM's total row is left out when it counts nothing: a
    script counting CSV rows must not take it for an application's."""
    if since is not None and since > today:
        raise FieldProblem("since", f"{since} is after today ({today})")
    data = store_read.read(path).on(today)
    authority = known_authority(data, authority)
    context = Pipeline.of(data, today)

    def other(name: str) -> tuple[str, Any, bool]:
        clock = context.clock(name)
        if clock is None:  # MOFCOM's, in another spelling
            return DEFAULT_AUTHORITY, context.calendar, False
        return clock.authority, clock.calendar, clock.start == "filing"

    found = observations(data, context.calendar, today, other)
    first = window_start(data.settings, today) if since is None else since
    before = first - timedelta(days=(today - first).days + 1)
    now = in_window(found, first, today, waiting=True)
    previous = in_window(found, before, first - timedelta(days=1))
    names = sorted({o.authority for o in now + previous} - {DEFAULT_AUTHORITY})
    rows: list[dict[str, Any]] = []
    for name in [DEFAULT_AUTHORITY, *names]:
        if authority is not None and name != authority:
            continue
        clock = context.clock(name)
        unit = "working" if clock is None else clock.unit
        mine = [o for o in now if o.authority == name]
        earlier = [o for o in previous if o.authority == name]
        rows += _authority_rows(mine, earlier, first) if mine or earlier else []
        if not mine and not earlier and empty_total:
            rows.append(_stats_row(None, [], [], first, frozenset()))
        for row in rows:
            row.setdefault("authority", name)
            row.setdefault("review_unit", unit)
    return rows


def _authority_rows(
    now: list[Observation], previous: list[Observation], first: date
) -> list[dict[str, Any]]:
    """One authority's rows: per family and destination, then its total."""
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
