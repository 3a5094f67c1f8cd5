"""Will supply have a gap? Per material, destination and end user: how long the
active licenses cover, what to do next (``supply_steps``), and — from the
review-time history — the chance that a new license is in hand before the cover
ends."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from export_licenses.domain import review, rules
from export_licenses.domain.application import Purpose, app_label
from export_licenses.domain.license import Status
from export_licenses.domain.shipment import exhausted_on
from export_licenses.domain.values import quantity_to_toml
from export_licenses.storage import store

from .common import Pipeline, rows_for
from .supply_outlook import at_least, chance_of_no_gap, decision_day, when_in_hand
from .supply_steps import in_use, next_step, resumes, suspensions
from .uncovered import uncovered_rows

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date
    from pathlib import Path

    from export_licenses.domain.license import License
    from export_licenses.domain.rows import AppRow, Row
    from export_licenses.domain.store_data import StoreData

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
    "p_no_gap",
    "remaining",
    "unit",
    "next_action_estimate",
    # issue 23: why the row is at its level, when the catalogue says so
    "reasons",
    # issue 23: whose licenses the row counts (each authority's apart)
    "authority",
    # projected_gap_days rests on a holiday year not yet announced
    "projected_gap_estimate",
    # "at_least": projected_gap_days is a lower bound (the history cannot say
    # when half of such applications are decided); null otherwise
    "projected_gap_bound",
)
YEAR: Final = 365
# A license whose renewal is not filed (a suspended one's is owed as any other's).


class _Group(NamedTuple):
    material: str
    destination: str
    end_user: str | None
    authority: str


def coverage(path: Path, today: date) -> list[dict[str, Any]]:
    """One row per material, destination and end user with an active license or
    a pending application; the biggest projected gap first."""
    data = store.read(path).on(today)
    context = Pipeline.of(data, today)
    groups: dict[_Key, _Group] = {}
    members: dict[_Key, list[License]] = {}
    for lic in data.licenses:
        # A general license covers each of its end users (Order 792 art. 15).
        for end_user in lic.all_end_users or (None,):
            group = _Group(lic.material, lic.destination, end_user, lic.issuer)
            key = _key(group)
            members.setdefault(key, []).append(lic)
            if lic.active:
                groups.setdefault(key, group)
    wanted: dict[_Key, list[AppRow]] = {}
    for app in data.applications:
        group = _Group(app.material, app.destination, app.end_user, app.issuer)
        key = _key(group)
        if app.pending:
            wanted.setdefault(key, []).append(context.assess(app, today))
            groups.setdefault(key, group)
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
    rows += uncovered_rows(data, today, COVERAGE_KEYS)
    rows.sort(
        key=lambda row: (
            -(row["projected_gap_days"] or 0),
            row["covered_until"] or "",
            row["material"],
        )
    )
    return rows


# Material, destination, end user (any case) and authority: a license of one
# authority covers nothing of another's (a BIS license is no MOFCOM license).
_Key = tuple[str, str, str, str]


def _key(group: _Group) -> _Key:
    material, destination, end_user, authority = group
    return (
        material.casefold(),
        destination,
        (end_user or "").casefold(),
        authority.casefold(),
    )


def _coverage_row(
    data: StoreData,
    today: date,
    group: _Group,
    licenses: list[License],
    pending: list[AppRow],
    context: Pipeline,
) -> dict[str, Any]:
    active = rows_for(
        data, today, (lic for lic in licenses if lic.active), context=context
    )
    # What is left counts: a license drawn to its quantity covers nothing after
    # its last shipment. The last license is the one to renew, suspended or
    # not (agenda and warn say "file the renewal" for it); only the licenses
    # in use cover (a suspended one refuses shipments: supply_steps.in_use).
    last: Row | None = max(active, key=_cover_end, default=None)
    covering = [row for row in active if in_use(row)]
    covered_until = max(map(_cover_end, covering), default=None)
    # A change application renews nothing (art. 18: a granted change keeps the
    # old expiry), so only the others are counted on to restore cover.
    renewing = [a for a in pending if a.application.purpose != Purpose.CHANGE]
    action, action_date, estimate = next_step(last, pending, today)
    basis = context.review.forecast_basis(group.material, group.destination)
    if last is not None and context.clock(last.license.authority) is not None:
        basis = None  # the history is MOFCOM's alone (issue 23)
    resumed = resumes(active, pending, today, _cover_end, decision_day)
    available, guessed = when_in_hand(last, renewing, today, context, basis, resumed)
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
        "p_no_gap": chance_of_no_gap(
            basis, last, covered_until, renewing, today, context
        ),
        **_remaining(active),
        "next_action_estimate": estimate,
        "reasons": suspensions(active, pending, _cover_end),
        "authority": group.authority,
        "projected_gap_estimate": gap is not None and guessed,
        "projected_gap_bound": (
            "at_least"
            if gap is not None and at_least(available, pending, today)
            else None
        ),
    }


def _cover_end(row: Row) -> date:
    """The last day a license can be shipped under: its expiry, or the day its
    last shipment drew it down to nothing."""
    lic, expires = row.license, row.verdict.expires
    ran_out = exhausted_on(lic.quantity, lic.shipments)
    return expires if ran_out is None else min(expires, ran_out)


def _remaining(active: list[Row]) -> dict[str, Any]:
    """What the active licenses still allow, when every one has a quantity in
    one unit (else null: kilograms and pieces do not add up)."""
    units = {row.license.unit for row in active}
    if not active or len(units) != 1 or any(r.license.quantity is None for r in active):
        return {"remaining": None, "unit": None}
    zero = active[0].license.shipped * 0  # a Decimal, without importing decimal
    left = sum(
        (
            max(quantity - r.license.shipped, zero)
            for r in active
            if (quantity := r.license.quantity) is not None
        ),
        start=zero,
    )
    return {"remaining": quantity_to_toml(left), "unit": units.pop()}


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
        ends = min(ends, lic.closed)
    ran_out = exhausted_on(lic.quantity, lic.shipments)
    return ends if ran_out is None else min(ends, ran_out)


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
