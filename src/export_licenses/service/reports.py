"""The operations that only read: list, due, warn (show's lookups: lookup.py).

The service side of ``cli/reports.py`` (and of ``cli/monitor.py``, warn, and
``cli/views.py``'s timeline): here the records are found and their verdicts
given; the commands parse the options and render.
"""

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Final, NamedTuple

from export_licenses.domain import review, rules
from export_licenses.domain.countries import ALIASES, to_alpha2
from export_licenses.domain.policy import PolicyAlert
from export_licenses.domain.rows import AppRow, Row
from export_licenses.domain.rules import Level
from export_licenses.domain.store_data import StoreData
from export_licenses.errors import FieldProblem, InvalidValue
from export_licenses.storage import store_read

from .common import Pipeline, iter_rows, rows_for
from .due_window import Window
from .law import known_authority
from .uncovered import Uncovered, control_alerts


class Selection(NamedTuple):
    """Which licenses ``list`` shows, and in what order: active ones unless
    ``include_all`` or a ``status``; ties of ``sort`` by expiry, then id."""

    include_all: bool = False
    material: str | None = None  # a part of the material, any case
    destination: str | None = None  # a part of the code, or a country's name
    status: str | None = None
    kind: str | None = None
    authority: str | None = None
    sort: str = "expires"  # expires, days_left, id, material, destination, level
    limit: int | None = None  # the first so many


ACTIVE: Final = Selection()  # list's default: the active licenses


def list_licenses(path: Path, today: date, chosen: Selection = ACTIVE) -> list[Row]:
    """The licenses ``chosen`` names, in its order, with their verdicts."""
    data = store_read.read(path).on(today)
    # As its profile spells it ("bis" is BIS); an unknown one names the known.
    issuer = known_authority(data, chosen.authority)
    material = chosen.material.casefold() if chosen.material else None
    destination = _destination_needle(chosen.destination)
    status, kind = chosen.status, chosen.kind
    found = [
        lic
        for lic in data.licenses
        if (lic.status == status if status else chosen.include_all or lic.active)
        and (kind is None or lic.kind == kind)
        and (issuer is None or lic.issuer == issuer)
        and (material is None or material in lic.material.casefold())
        and (destination is None or destination in lic.destination.casefold())
    ]
    return _sorted_rows(rows_for(data, today, found), chosen.sort)[: chosen.limit]


def _sorted_rows(rows: list[Row], key: str) -> list[Row]:
    """``rows`` (soonest expiry first, then id) in the order ``key`` names;
    ties keep that order."""
    if key in {"expires", "days_left"}:
        return rows
    if key == "id":
        return sorted(rows, key=lambda row: row.license.id)
    if key == "material":
        return sorted(rows, key=lambda row: row.license.material.casefold())
    if key == "destination":
        return sorted(rows, key=lambda row: row.license.destination)
    if key == "level":
        return sorted(rows, key=lambda row: -_severity(row))
    raise FieldProblem("sort", f"cannot sort by {key!r}")


def _destination_needle(text: str | None) -> str | None:
    """Match on the alpha-2 code; a longer name or alpha-3 code is resolved first.

    Longer text that is no country could match no code: it is refused, with the
    nearest names, as add and edit refuse it, rather than list nothing (a typo
    would read as "no license to that country")."""
    if not text:
        return None
    if len(text.strip()) > 2 or text.strip().casefold() in ALIASES:  # noqa: PLR2004 - alpha-2 codes are two letters
        try:
            return to_alpha2(text).casefold()
        except InvalidValue as exc:
            raise FieldProblem("destination", exc.message) from None
    return text.strip().casefold()


class DueReport(NamedTuple):
    rows: Iterator[Row]  # licenses, soonest expiry first, assessed as read
    applications: list[AppRow]  # overdue decisions, oldest first


def due(path: Path, today: date, within: int | None = None) -> DueReport:
    """Active licenses whose expiry, or renewal deadline unless filed, is near;
    and the applications whose decision is overdue."""
    data = store_read.read(path).on(today)
    context = _pipeline(data, today)
    limit = data.settings.warn_days if within is None else within
    window = Window(data, context, today, limit)
    candidates = (lic for lic in data.licenses if lic.active and window.may_be_due(lic))
    found = (
        window.due_row(row)
        for row in iter_rows(data, today, candidates, context=context)
    )
    rows = (row for row in found if row is not None)
    return DueReport(rows, _overdue(data, today, context))


def _pipeline(data: StoreData, today: date) -> Pipeline:
    """One calendar and one set of review times for the licenses and the
    applications of a report; none built when nothing is active or pending."""
    needed = any(lic.active for lic in data.licenses) or any(
        app.pending for app in data.applications
    )
    return Pipeline.of(data, today, needed=needed)


def _overdue(
    data: StoreData, today: date, context: Pipeline, *, forecast: bool = True
) -> list[AppRow]:
    """The applications whose decision is overdue, and those (decided or not)
    that record a day after today, oldest first; with ``forecast``, what the
    history says of each (``expected_decision``)."""
    flagged = (
        app
        for app in data.applications
        if app.pending or review.after_today(app, today) is not None
    )
    rows = [
        row
        for row in (context.overdue(app, today) for app in flagged)
        if row is not None and row.verdict.level == Level.WARNING
    ]
    return [context.forecasted(row, today) for row in rows] if forecast else rows


class WarnReport(NamedTuple):
    state: str  # "OK" | "WARNING" | "CRITICAL" | "UNKNOWN" (an unsettled merge)
    rows: list[Row]  # flagged only, worst first
    ok_count: int = 0  # active licenses not flagged
    applications: tuple[AppRow, ...] = ()  # overdue decisions, oldest first
    active: tuple[Row, ...] = ()  # every active license, soonest expiry first
    # The catalogue's controls changing state near today (issue 23).
    policy: tuple[PolicyAlert, ...] = ()
    # What the store ships under a control in force, with no license or
    # application covering it: critical (issue 23 section 3).
    uncovered: tuple[Uncovered, ...] = ()
    # A merge of the store left changes to settle: the alerts are our side's.
    unsettled: store_read.Unsettled | None = None
    today: date | None = None  # the day checked (--today, LICENSES_TODAY, clock)

    @property
    def exit_code(self) -> int:
        return {"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}[self.state]


def warn(
    path: Path,
    today: date,
    within: int | None = None,
    critical: int | None = None,
    *,
    forecast_applications: bool = True,
) -> WarnReport:
    """The monitoring check: flagged licenses, worst first, and the overall state.

    ``forecast_applications`` False: the overdue applications come without
    what the history says of them (``AppRow.forecast`` is ``NOTHING``), which
    no level depends on and only the JSON output shows. Forecasting them is
    ~10 M instructions (1 ms) of ``warn --quiet`` at 1,000 licenses with 1,000
    applications, 245 of them overdue (benchmarks' ``history-1000.toml``).
    """
    if within is not None and critical is not None and critical > within:
        raise FieldProblem(
            "critical", f"{critical} days is above the warning threshold of {within}"
        )
    data, unsettled = store_read.read_unsettled(path)
    data = data.on(today)
    warn_days = data.settings.warn_days if within is None else within
    if critical is not None and critical > warn_days:
        raise FieldProblem(
            "critical",
            f"{critical} days is above the warning threshold of {warn_days} "
            "(from [settings] warn_days)",
        )
    critical_days = data.settings.critical_days if critical is None else critical
    # A lone --within below the stored critical_days narrows both thresholds.
    critical_days = min(critical_days, warn_days)
    context = _pipeline(data, today)
    rows = rows_for(
        data,
        today,
        (lic for lic in data.licenses if lic.active),
        warn_days=warn_days,
        critical_days=critical_days,
        context=context,
    )
    flagged = [r for r in rows if r.verdict.level not in {None, Level.OK}]
    flagged.sort(key=lambda r: -_severity(r))  # stable: expiry, id within a level
    overdue = _overdue(data, today, context, forecast=forecast_applications)
    alerts, uncovered = control_alerts(data, today)
    worst = rules.worst(
        [r.verdict.level for r in flagged if r.verdict.level]
        + [a.verdict.level for a in overdue if a.verdict.level]
        + [alert.level for alert in alerts]
        + [bare.level for bare in uncovered]
    )
    state = {Level.OK: "OK", Level.WARNING: "WARNING"}.get(worst, "CRITICAL")
    if unsettled is not None and state != "CRITICAL":
        # Their side of a change may be worse than ours (an expiry days away):
        # OK or WARNING would vouch for what was not read. CRITICAL stays.
        state = "UNKNOWN"
    return WarnReport(
        state,
        flagged,
        len(rows) - len(flagged),
        tuple(overdue),
        tuple(rows),
        tuple(alerts),
        tuple(uncovered),
        unsettled,
        today,
    )


def _severity(row: Row) -> int:
    return 0 if row.verdict.level is None else row.verdict.level.severity
