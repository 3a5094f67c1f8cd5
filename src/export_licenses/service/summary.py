"""What the manager's report shows: warn's state, this week's work, every active
license, the pending applications and the coverage, for one day; and the
report itself, drawn and delivered (``report``)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from export_licenses.domain.agenda_filing import filing_action
from export_licenses.domain.license import Status
from export_licenses.domain.rules import Level
from export_licenses.storage import fsio, store_read

from .applications import list_applications
from .reports import WarnReport, warn
from .supply import coverage

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import date
    from pathlib import Path

    from export_licenses.domain.agenda import Action
    from export_licenses.domain.rows import AppRow, Row

WEEK: Final = 7


class Todo(NamedTuple):
    """One thing to do this week: by when, how urgent, about what, and what."""

    by: date | None
    level: str
    subject: str
    what: str


class Summary(NamedTuple):
    today: date
    source: str  # the store's file name
    warn: WarnReport
    week: list[Todo]
    applications: list[AppRow]  # pending, oldest first
    coverage: list[dict[str, Any]]
    # Each license's "file renewal" as agenda gives it (its day to act on, and
    # the forecast's words), or its "apply" when drawn to its quantity, by
    # license id: the table and timeline say what agenda, warn and this week
    # say (audit s8-dates). None: nothing to file.
    filings: dict[int, Action]


def summary(path: Path, today: date) -> Summary:
    report = warn(path, today)
    todos = [todo for row in report.active if (todo := _todo(row, today))]
    todos += [
        Todo(
            app.verdict.decision_due,
            app.verdict.level.value if app.verdict.level else "warning",
            f"{app.application.label()}, {app.application.material} to "
            f"{app.application.destination}",
            "; ".join(app.verdict.reasons)
            + f": ask {app.application.issuer} for the decision",
        )
        for app in report.applications
    ]
    # A control needing a license (in force, or its suspension ended) and
    # nothing to ship under (issue 23): apply now.
    todos += [
        Todo(
            today,
            bare.level.value,
            f"{bare.material} to {bare.destination}",
            f"{bare.why}, {bare.advice}",
        )
        for bare in report.uncovered
    ]
    # The worst first; within a level, the earliest date first.
    todos.sort(key=lambda t: (-Level(t.level).severity, t.by or today))
    return Summary(
        today,
        path.name,
        report,
        todos,
        list_applications(path, today, include_all=False),
        coverage(path, today),
        filings(path, today, report.active),
    )


def filings(path: Path, today: date, rows: Iterable[Row]) -> dict[int, Action]:
    """Each license's "file renewal" as ``agenda`` gives it, by license id: its
    day to act on (the history's planning day, today for "file now", else the
    statutory last day) and words, for the report and the timeline to say what
    agenda and warn say; for a license drawn to its quantity, agenda's "apply"
    (today). None for a license agenda asks nothing to file of."""
    settings = store_read.read(path).settings
    return {
        row.license.id: action
        for row in rows
        for action in filing_action(row, today, settings)
    }


def report(
    path: Path,
    today: date,
    draw: Callable[[Summary], str],
    *,
    output: Path | None = None,
) -> str | None:
    """The report of ``today``, drawn by ``draw`` (the command's renderer: the
    service knows no HTML); with ``output``, written there atomically, and
    None in its place."""
    page = draw(summary(path, today))
    if output is None:
        return page
    fsio.write_output(output, page, store=path)
    return None


def _todo(row: Row, today: date) -> Todo | None:
    """A filing deadline that falls this week or has passed, or an expiry this
    week or past; None when the license asks for nothing this week."""
    lic, verdict = row.license, row.verdict
    subject = f"{lic.label()}, {lic.material} to {lic.destination}"
    level = verdict.level.value if verdict.level else "ok"
    # The planning date when the history gives one, else the legal last day.
    planned = [day for day in (verdict.act_by, verdict.renew_by) if day]
    deadline = min(planned) if planned else None
    to_file = (
        lic.status == Status.ACTIVE
        and lic.renewal is not False
        and verdict.action is not None
        and deadline is not None
        and deadline <= today + timedelta(days=WEEK)
    )
    if verdict.days_left < 0:
        return Todo(
            verdict.expires,
            level,
            subject,
            f"{verdict.reasons[0]}: ship nothing under it; close it or file anew",
        )
    if to_file and deadline is not None:
        return Todo(deadline, level, subject, str(verdict.action))
    if verdict.days_left <= WEEK:
        return Todo(verdict.expires, level, subject, verdict.reasons[0])
    return None
