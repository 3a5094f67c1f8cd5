"""Applications on screen: their table (``applications``, and ``due``'s
decisions overdue) and ``show``'s lines for one.

The render side of the application rows (``domain/rows.py``'s ``AppRow``) that
``service/applications.py`` and ``service/reports.py`` give; the renewal
pipeline's figures (stats, coverage) are ``renewals.py``, which ``due`` and
``show`` do not load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, TextIO

from export_licenses.domain.application import app_label
from export_licenses.domain.forecast import a_percent

from .show import controls_text, seen
from .tables import grid, legend, marked

if TYPE_CHECKING:
    from collections.abc import Sequence

    from export_licenses.domain.application import Application
    from export_licenses.domain.rows import AppRow

    from .console import Look

APP_COLUMNS: Final = (
    "ID",
    "Renews",
    "Material",
    "Dest",
    "Filed",
    "Accepted",
    "Decision due",
    "Waited",
    "Status",
    "Level",
)
# Left out, in this order, on a terminal too narrow for a line per application.
APP_DROP: Final = ("Accepted", "Filed", "Renews", "Dest", "Waited", "Material")


def _app_cells(row: AppRow) -> list[str]:
    app, verdict = row.application, row.verdict
    return [
        app_label(app.id),
        str(app.renews) if app.renews else "-",
        app.material,
        app.destination,
        _day(app.filed),
        _day(app.accepted),
        marked(verdict.decision_due, estimate=bool(verdict.estimated)),
        "-"
        if verdict.waited_working_days is None
        else str(verdict.waited_working_days),
        _state(row),
        verdict.level.value if verdict.level else "-",
    ]


def _state(row: AppRow) -> str:
    """The status, or what stands out while pending: overdue by N working days,
    the clock stopped, no statutory time limit."""
    app, verdict = row.application, row.verdict
    if not app.pending:
        return str(app.status)
    if verdict.overdue:  # 0: past its due day, no working day since (a day off)
        return f"overdue {verdict.overdue_working_days or ''}".rstrip()
    if verdict.stopped_since is not None:
        return "stopped"
    if app.unbounded:
        return "no limit"
    return str(app.status)


def app_table(rows: Sequence[AppRow], stream: TextIO, look: Look) -> None:
    """Applications; "Waited" and "overdue N" are in working days."""
    levels = [row.verdict.level.value if row.verdict.level else None for row in rows]
    body = [_app_cells(row) for row in rows]
    level_column = APP_COLUMNS.index("Level")
    grid(
        APP_COLUMNS,
        body,
        levels,
        stream,
        look,
        level_column=level_column,
        drop=APP_DROP,
        notes=legend(body),
    )


def app_pairs(row: AppRow) -> list[tuple[str, str]]:
    """show A<n>: every field, then what the rules say."""
    app, verdict = row.application, row.verdict
    amount = "-"
    if app.quantity is not None:
        amount = f"{app.quantity.normalize():f}" + (f" {app.unit}" if app.unit else "")
    pairs = [
        ("ID", app_label(app.id)),
        ("Renews", _renews(app)),
        ("Material", app.material),
        ("Destination", app.destination),
        *_change_links(app),
        # As show N lists a license's: what the law's shape adds (issue 23).
        ("License kind", app.kind or "-"),
        ("Authority", app.issuer),
        ("End user", app.end_user or "-"),
        ("End users", "; ".join(app.end_users) if app.end_users else "-"),
        ("End use", app.end_use or "-"),
        ("Exporter", app.exporter or "-"),
        ("HS code", app.hs_code or "-"),
        ("Quantity", amount),
        ("Reference", app.reference or "-"),
        ("Filed", _day(app.filed)),
        ("Accepted", _day(app.accepted)),
        ("Decision due", _decision_due(row)),
        # Art. 17 and 26: why no decision is owed by any day.
        *([("No time limit", app.unbounded)] if app.unbounded else []),
        ("Expected", _expected(row)),
        ("Clock", _clock(row)),
        ("Waited", _waited(row)),
        ("Status", str(app.status)),
        *([("Reason", app.reason)] if app.reason else []),
        *([("Seen", ack)] if (ack := seen(app)) is not None else []),
        ("Decided", _day(app.decided)),
        ("License", f"license {app.license}" if app.license else "-"),
        ("Level", verdict.level.value if verdict.level else "- (decided)"),
        ("Why", "\n".join(verdict.reasons) or "-"),
        ("Controls", controls_text(row.controls)),
    ]
    if app.notes:
        pairs.append(("Notes", app.notes))
    pairs.extend((key, str(value)) for key, value in app.extra.items())
    return pairs


def _renews(app: Application) -> str:
    if app.renews:
        return f"license {app.renews}"
    if app.changes:
        return "- (a change application)"
    return "- (a new application)"


def _change_links(app: Application) -> list[tuple[str, str]]:
    """Art. 18: the license a change application changes, or a key change replaces."""
    links = []
    if app.changes:
        links.append(("Changes", f"license {app.changes} (a non-key change)"))
    if app.replaces:
        links.append(
            ("Replaces", f"license {app.replaces} (surrendered: a key change)")
        )
    return links


def _decision_due(row: AppRow) -> str:
    due, app = row.verdict.decision_due, row.application
    if due is None:
        if app.started is None:
            return "- (filing day unknown)"
        if app.unbounded:
            return "- (no statutory time limit)"
        if row.review_clock is not None and not row.review_days:
            return f"- ({row.review_clock})"
        return "- (the clock is stopped)"
    estimate = "; estimated" if row.verdict.estimated else ""
    if row.review_clock is not None:  # another authority's (issue 23)
        return f"{due} ({row.review_clock}{estimate})"
    start = "acceptance" if row.application.accepted else "filing"
    days = f"{row.review_days} working days after {start}"
    return f"{due} ({days}, {row.review_basis}{estimate})"


def _expected(row: AppRow) -> str:
    """When half of such applications were decided, given the wait so far."""
    found = row.forecast
    outlook = found.outlook
    parts = []
    if found.expected_decision is not None:
        parts.append(f"{found.expected_decision} (half of such were decided by then)")
    if outlook is not None and outlook.p_decision_by_expiry is not None:
        # "at most" while the clock stands, as the license's show says it.
        chance = outlook.bound + a_percent(outlook.p_decision_by_expiry)
        parts.append(f"{chance} chance before the license expires")
    estimate = "; estimated" if found.estimate else ""
    return "; ".join(parts) + estimate if parts else "-"


def _clock(row: AppRow) -> str:
    """The stops of the review clock, and whether it has a statutory limit."""
    app = row.application
    lines = [
        f"stopped {h.stopped} to {h.resumed or 'now'}"
        + (f": {h.reason}" if h.reason else "")
        for h in app.holds
    ]
    if app.unbounded:
        lines.append(f"no statutory time limit: {app.unbounded}")
    return "\n".join(lines) or "-"


def _waited(row: AppRow) -> str:
    waited = row.verdict.waited_working_days
    if waited is None:
        return "-"
    # BIS's clock counts calendar days (15 CFR 750.4; issue 23)
    return f"{waited} {'calendar' if row.review_unit == 'calendar' else 'working'} days"


def _day(day: Any) -> str:
    return "-" if day is None else str(day)
