"""Commands that move licenses in and out: import (CSV, Excel), export (JSON, CSV,
ICS, Excel), and the HTML report.

The CLI side of ``service/transfer.py`` (and of ``service/summary.py``'s
report): here the options are parsed and what was imported or written is said;
the service reads or writes the store and writes the file --output names,
``interchange`` has the formats, ``render`` the report.
"""

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from export_licenses.render.console import error_line, progress_bar

from .options import MAX_DAYS_AHEAD, AllLicensesOption
from .session import Session, did

OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write here, not stdout."),
]


class ExportFormat(enum.StrEnum):
    JSON = "json"
    CSV = "csv"
    ICS = "ics"
    XLSX = "xlsx"


def import_licenses(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="A CSV file or an Excel workbook (.xlsx)."),
    ],
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet",
            metavar="NAME",
            help="The workbook's sheet of licenses (default: Licenses, else the "
            "first sheet).",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row; change nothing.")
    ] = False,
    dayfirst: Annotated[
        bool, typer.Option("--dayfirst", help="Also read dates as DD/MM/YYYY.")
    ] = False,
) -> None:
    """Import licenses from CSV or an Excel workbook; all or nothing.

    Columns are the store's field names, in any order and case ("End user" is
    end_user; imported licenses get new ids, and links between them follow). CSV:
    UTF-8 with or without BOM, comma or semicolon. A workbook's "Shipments" sheet
    is read too. Creates the store when it is missing.
    """
    from export_licenses.service import transfer

    session = Session.of(ctx)
    with progress_bar(sys.stderr, "Checking rows") as progress:
        result = transfer.import_file(
            session.store,
            file,
            sheet=sheet,
            dayfirst=dayfirst,
            dry_run=dry_run,
            progress=progress,
            today=session.today(),
        )
    count = len(result.imported)
    if result.dry_run:
        error_line(f"{count} license{'s' * (count != 1)} would be imported")
    elif not count:  # nothing was written (store.append): say so
        error_line(f"Nothing to import from {file}: no change to {session.store}")
    else:
        did(ctx, f"{file} was imported into {session.store}")
        error_line(f"Imported into {session.store}")
    typer.echo(str(count))


def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="json (full records), csv (for import), ics, xlsx (needs -o or a "
            "redirect).",
        ),
    ] = ExportFormat.JSON,
    all_: AllLicensesOption = False,
    output: OutputOption = None,
    remind: Annotated[
        int,
        typer.Option(
            "--remind",
            metavar="DAYS",
            min=0,
            max=MAX_DAYS_AHEAD,
            help="ics: a reminder this many days before each event (0: none).",
        ),
    ] = 7,
) -> None:
    """Export licenses as JSON, CSV or Excel (both what import reads), or as an
    iCalendar file.

    The calendar has an all-day event on each active license's expiry and on its
    renewal deadline, with stable UIDs so a re-import updates them. The workbook
    has a Licenses sheet with days left and the level, an Applications sheet once
    there are applications, and a Shipments sheet.
    """
    from export_licenses.service import transfer

    session = Session.of(ctx)
    if fmt is ExportFormat.XLSX and output is None and sys.stdout.isatty():
        raise typer.BadParameter(
            "a workbook is binary: give --output FILE.xlsx or redirect stdout",
            param_hint="'--format xlsx'",
        )
    content, count = transfer.export(
        session.store,
        fmt.value,
        include_all=all_,
        today=session.today(),
        remind_days=remind,
        output=output,
    )
    noun = "license" if count == 1 else "licenses"
    _deliver(content, f"Wrote {count} {noun} to {output}")


def report(
    ctx: typer.Context,
    output: OutputOption = None,
) -> None:
    """A one-page HTML report for people who do not use a terminal.

    warn's state in one line, what to do this week, the licenses by level, the
    timeline with filing deadlines and today, the applications waiting and the
    coverage. Self-contained (no scripts, fonts or links to fetch): mail it, or
    open it in a browser; it reads on a phone and prints on A4.
    """
    from export_licenses.render.report import page
    from export_licenses.service import summary

    session = Session.of(ctx)
    html = summary.report(session.store, session.today(), page, output=output)
    _deliver(html, f"Wrote the report to {output}")


def _deliver(content: str | bytes | None, done: str) -> None:
    """To stdout; or, None, the service wrote it to --output: say so on stderr."""
    if content is None:
        error_line(done)
    elif isinstance(content, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
    else:
        sys.stdout.write(content)
