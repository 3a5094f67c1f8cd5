"""The tables of licenses: list and due. (show, timeline and agenda are in
``views``; warn, the monitoring check, is in ``monitor``.)

The CLI side of ``service/reports.py``: here the options are parsed and the rows
drawn (``render``); the service finds the records and their verdicts.
"""

import enum
import sys
from collections.abc import Iterable
from typing import Annotated

import typer

from export_licenses.domain.license import Kind, Status
from export_licenses.domain.rows import Row
from export_licenses.render import tables
from export_licenses.render.console import error_line
from export_licenses.service import reports as service_reports

from .options import (
    AllLicensesOption,
    AuthorityFilter,
    DataFormat,
    FormatOption,
    days_option,
)
from .session import Session


class SortKey(enum.StrEnum):
    EXPIRES = "expires"
    ID = "id"
    MATERIAL = "material"
    DESTINATION = "destination"
    DAYS_LEFT = "days_left"
    LEVEL = "level"


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
        typer.Option(
            "--status",
            "-s",
            metavar="STATUS",  # the choices, in the help, wrap at 80 columns
            help=f"Only licenses in this status: {', '.join(Status)}.",
        ),
    ] = None,
    kind: Annotated[
        Kind | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help=f"Only licenses of this kind: {', '.join(Kind)}.",
        ),
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
    chosen = service_reports.Selection(
        all_, material, destination, status, kind, authority, sort.value, limit
    )
    rows = service_reports.list_licenses(session.store, session.today(), chosen)
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
            _write_data(report.rows, fmt)
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
        _write_data(rows, fmt)
    elif not rows:
        error_line(empty)
    else:
        tables.table(rows, sys.stdout, session.look())


def _write_data(rows: Iterable[Row], fmt: DataFormat) -> None:
    # Here, not at the top: a table, what a person at a terminal gets, needs
    # neither json nor csv (~8 M instructions of start-up; benchmarks/run).
    from export_licenses.render.formats import write_data

    write_data(rows, fmt.value, sys.stdout)
