"""Commands that look closer: show (one license or application, every field),
timeline (the months as a picture) and agenda (what to do, by date).

Apart from ``reports`` (list and due), which a person runs most and whose
start-up loads none of what these draw with.
"""

import json
import sys
from typing import Annotated

import typer

from export_licenses.domain.rows import AppRow
from export_licenses.render import chart
from export_licenses.render.console import error_line
from export_licenses.render.show import detail_object, detail_pairs, details
from export_licenses.service import reports as service_reports
from export_licenses.service import summary as service_summary

from .completion import any_keys
from .options import (
    MAX_DAYS_AHEAD,
    DataFormat,
    FormatOption,
    TableOrJson,
    days_option,
)
from .session import Session


def show(
    ctx: typer.Context,
    keys: Annotated[
        list[str],
        typer.Argument(
            metavar="ID...",
            help="Licenses (id, number, or a part of the number only one has) "
            "or applications (A1); id:A1 or number:A1 says which, when A1 is both.",
            autocompletion=any_keys,
        ),
    ],
    fmt: Annotated[
        TableOrJson,
        typer.Option(
            "--format", "-f", help="table, or JSON (an array for several ids)."
        ),
    ] = TableOrJson.TABLE,
) -> None:
    """One license, or application, with every field.

    A license with its expiry, days left and level; an application (A1, A2, …)
    with when its decision is due.
    """
    # Here, not at the top: timeline and agenda, which share this module, look
    # nothing up and draw no application.
    from export_licenses.render.applications import app_pairs
    from export_licenses.service import lookup

    session = Session.of(ctx)
    rows = lookup.lookup_all(session.store, session.today(), keys)
    if fmt is TableOrJson.JSON:
        objects = [detail_object(row) for row in rows]
        shown = objects[0] if len(objects) == 1 else objects
        sys.stdout.write(json.dumps(shown, indent=2, ensure_ascii=False, default=str))
        sys.stdout.write("\n")
        return
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

    Bars are coloured by level; the day to file the renewal (as agenda gives it)
    is marked on each bar.
    """
    session = Session.of(ctx)
    day = session.today()
    rows = service_reports.list_licenses(session.store, day)
    if not rows:
        error_line("no active licenses")
        return
    with session.paged():
        filings = service_summary.filings(session.store, day, rows)
        days = {key: action.day for key, action in filings.items()}
        chart.draw(rows, day, months, sys.stdout, session.look(), days)


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
    # agenda's alone: show and timeline, which share this module, need neither.
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
