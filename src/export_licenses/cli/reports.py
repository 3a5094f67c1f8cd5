"""Commands that read the store: list, due, show, timeline, agenda. (warn, the
monitoring check, is in ``monitor``.)

The CLI side of ``service/reports.py``: here the options are parsed and the rows
drawn (``render``); the service finds the records and their verdicts.
"""

from __future__ import annotations

import enum
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from export_licenses.domain.license import Kind, Status
from export_licenses.domain.rows import AppRow
from export_licenses.render import chart, formats, tables
from export_licenses.render.console import error_line
from export_licenses.render.show import detail_object, detail_pairs, details
from export_licenses.service import reports as service_reports

from .completion import any_keys
from .options import (
    MAX_DAYS_AHEAD,
    AllLicensesOption,
    AuthorityFilter,
    DataFormat,
    FormatOption,
    days_option,
)
from .session import Session

if TYPE_CHECKING:
    from export_licenses.domain.rows import Row


class SortKey(enum.StrEnum):
    EXPIRES = "expires"
    ID = "id"
    MATERIAL = "material"
    DESTINATION = "destination"
    DAYS_LEFT = "days_left"
    LEVEL = "level"


class ShowFormat(enum.StrEnum):
    TABLE = "table"
    JSON = "json"


def list_licenses(
    ctx: typer.Context,
    all_: AllLicensesOption = False,
    material: Annotated[
        str | None,
        typer.Option("--material", "-m", help="Only materials containing this text."),
    ] = None,
    destination: Annotated[
        str | None,
        typer.Option(
            "--destination", "-d", help="Only destinations whose code contains this."
        ),
    ] = None,
    status: Annotated[
        Status | None,
        typer.Option("--status", "-s", help="Only licenses in this status."),
    ] = None,
    kind: Annotated[
        Kind | None, typer.Option("--kind", help="Only individual or general licenses.")
    ] = None,
    authority: AuthorityFilter = None,
    sort: Annotated[
        SortKey,
        typer.Option(
            "--sort",
            help="Order: expires (and days_left) soonest first, id, material, "
            "destination, or level worst first; ties by expiry, then id.",
        ),
    ] = SortKey.EXPIRES,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, metavar="N", help="Only the first N licenses."),
    ] = None,
    fmt: FormatOption = DataFormat.TABLE,
) -> None:
    """List active licenses, soonest expiry first."""
    session = Session.of(ctx)
    rows = service_reports.list_licenses(
        session.store,
        session.today(),
        include_all=all_,
        material=material,
        destination=destination,
        status=status,
        kind=kind,
        authority=authority,
    )
    rows = service_reports.sorted_rows(rows, sort.value)[:limit]
    with session.paged():
        _print_rows(rows, fmt, session, empty="no licenses match")


def due(
    ctx: typer.Context,
    within: Annotated[
        int | None,
        days_option(
            "--within",
            "-w",
            text="Days ahead to look (default: [settings] warn_days, 90).",
        ),
    ] = None,
    fmt: FormatOption = DataFormat.TABLE,
) -> None:
    """Active licenses with a deadline within DAYS or past, soonest expiry first.

    The deadlines are the expiry and, unless the renewal is filed, the last day to
    file it (review_working_days working days before the last working day on or
    before the expiry; another authority's license, its own clock and calendar).
    The table then
    lists the applications whose decision is overdue (see applications).
    """
    session = Session.of(ctx)
    report = service_reports.due(session.store, session.today(), within)
    if fmt is not DataFormat.TABLE:
        # Row by row as they are assessed: at 100,000 licenses the whole
        # document would take several times the memory of the store.
        with session.paged():
            formats.write_data(report.rows, fmt.value, sys.stdout)
        return
    rows = list(report.rows)
    with session.paged():
        if not report.applications:
            _print_rows(rows, fmt, session, empty="nothing due")
            return
        if rows:
            tables.table(rows, sys.stdout, session.look())
            sys.stdout.write("\nDecisions overdue:\n")
        # Here, not at the top: list, which shares this module, never draws one.
        from export_licenses.render.applications import app_table

        app_table(report.applications, sys.stdout, session.look())


def _print_rows(
    rows: list[Row], fmt: DataFormat, session: Session, *, empty: str
) -> None:
    if fmt is not DataFormat.TABLE:
        formats.write_data(rows, fmt.value, sys.stdout)
    elif not rows:
        error_line(empty)
    else:
        tables.table(rows, sys.stdout, session.look())


def show(
    ctx: typer.Context,
    keys: Annotated[
        list[str],
        typer.Argument(
            metavar="ID...",
            help="Licenses (id, number, or a part of the number only one has) "
            "or applications (A1).",
            autocompletion=any_keys,
        ),
    ],
    fmt: Annotated[
        ShowFormat,
        typer.Option(
            "--format", "-f", help="table, or JSON (an array for several ids)."
        ),
    ] = ShowFormat.TABLE,
) -> None:
    """Licenses, every field, with expiry, days left and level; or applications
    (A1, A2, …) with when the decision is due.
    """
    session = Session.of(ctx)
    # Here, not at the top: list, which shares this module, never looks one up.
    from export_licenses.service import lookup

    rows = lookup.lookup_all(session.store, session.today(), keys)
    if fmt is ShowFormat.JSON:
        import json

        objects = [detail_object(row) for row in rows]
        shown = objects[0] if len(objects) == 1 else objects
        sys.stdout.write(json.dumps(shown, indent=2, ensure_ascii=False, default=str))
        sys.stdout.write("\n")
        return
    # Here, not at the top: list, which shares this module, never draws one.
    from export_licenses.render.applications import app_pairs

    with session.paged():
        for number, row in enumerate(rows):
            if number:
                sys.stdout.write("\n")
            level = row.verdict.level.value if row.verdict.level else None
            pairs = app_pairs(row) if isinstance(row, AppRow) else detail_pairs(row)
            details(pairs, level, sys.stdout, session.look())


def timeline(
    ctx: typer.Context,
    months: Annotated[
        int,
        typer.Option(
            "--months",
            "-m",
            min=2,
            max=60,
            help="Months on the axis, from two months before today.",
        ),
    ] = 9,
) -> None:
    """A picture of every active license from issue to expiry, with today marked.

    Bars are coloured by level; the renewal deadline is marked on each bar.
    """
    session = Session.of(ctx)
    day = session.today()
    rows = service_reports.list_licenses(session.store, day)
    if not rows:
        error_line("no active licenses")
        return
    with session.paged():
        chart.draw(rows, day, months, sys.stdout, session.look())


def agenda(
    ctx: typer.Context,
    within: Annotated[
        int,
        days_option(
            "--within",
            "-w",
            text="Days ahead to look, besides what is overdue.",
            most=MAX_DAYS_AHEAD,
        ),
    ] = 14,
    all_: Annotated[
        bool,
        typer.Option("--all", "-a", help="Every action ahead, whatever its date."),
    ] = False,
    fmt: FormatOption = DataFormat.TABLE,
) -> None:
    """What to do, by date: overdue, this week, next week, later.

    File a renewal (by the forecast's planning date when the history gives
    one), chase MOFCOM on an overdue decision, ask whether a stopped review
    clock runs again, ship before an expiry, close a license that is used up
    or expired, review a control that changes state. Exit 0 whatever is due:
    agenda is a view, warn is the check.
    """
    from export_licenses.render.agenda import write
    from export_licenses.service.agenda import agenda_report

    session = Session.of(ctx)
    report = agenda_report(session.store, session.today(), None if all_ else within)
    if fmt is DataFormat.TABLE and not report.actions:
        ahead = "ahead" if all_ else f"in the next {within} days"
        error_line(f"nothing to do {ahead}")
        return
    with session.paged():
        write(report, fmt.value, sys.stdout, session.look())
