"""The renewal pipeline: apply, accept, applications, stats, coverage. The
decision on an application (grant, renew, refuse, withdraw) is in ``decisions``.

The CLI side of ``render/renewals.py`` (and of ``service/applications.py``,
``insight.py`` and ``supply.py``): here the options are parsed; the service
computes, render draws.
"""

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from export_licenses.domain.application import app_label
from export_licenses.domain.rows import APP_ROW_KEYS
from export_licenses.errors import UsageProblem
from export_licenses.render.applications import app_table
from export_licenses.render.console import error_line, said_line
from export_licenses.render.formats import data, objects_as
from export_licenses.render.renewals import bounded_gaps, coverage_table, stats_table
from export_licenses.render.tables import marked_values
from export_licenses.service import applications as pipeline
from export_licenses.service import insight, supply

from .completion import active_license_keys
from .fields import (
    AuthorityOption,
    DestinationOption,
    EndUseOption,
    EndUserOption,
    EndUsersOption,
    ExporterOption,
    HsCodeOption,
    KindOption,
    MaterialOption,
    NoteOption,
    QuantityOption,
    UnitOption,
    filing_of,
    license_fields,
    require,
)
from .options import (
    AcceptedOption,
    AppArgument,
    AuthorityFilter,
    DataFormat,
    FormatOption,
    OnOption,
    ReferenceOption,
)
from .session import Session, did, parse_day

if TYPE_CHECKING:
    from export_licenses.domain.rows import AppRow


def apply(
    ctx: typer.Context,
    key: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help="The license whose renewal was filed (id or number). Without it, "
            "a new application: --material and --destination are required.",
            show_default=False,
            autocompletion=active_license_keys,
        ),
    ] = None,
    filed: OnOption = None,
    accepted: AcceptedOption = None,
    reference: ReferenceOption = None,
    material: MaterialOption = None,
    destination: DestinationOption = None,
    kind: KindOption = None,
    authority: AuthorityOption = None,
    hs_code: HsCodeOption = None,
    quantity: QuantityOption = None,
    unit: UnitOption = None,
    exporter: ExporterOption = None,
    end_user: EndUserOption = None,
    end_users: EndUsersOption = None,
    end_use: EndUseOption = None,
    notes: NoteOption = None,
) -> None:
    """Record an application filed with MOFCOM (or --authority); print its id.

    With ID: the renewal of that license (it copies material, destination, end
    user, exporter, quantity and unit; the license becomes renewal-filed). The
    decision is due review_working_days working days after --accepted, or after
    filing when acceptance is not known: MOFCOM's clock. Another authority's
    counts its own (BIS: 90 calendar days; ECJU: a 20-working-day target from
    filing), on its own calendar.
    """
    session = Session.of(ctx)
    today = session.today()
    fields = license_fields(
        material=material,
        destination=destination,
        kind=kind,
        authority=authority,
        hs_code=hs_code,
        quantity=quantity,
        unit=unit,
        exporter=exporter,
        end_user=end_user,
        end_users=end_users,
        end_use=end_use,
        notes=notes,
    )
    filing = filing_of(filed, accepted, reference, fields)
    if key is not None:
        if fields:
            raise UsageProblem(
                "give an ID (a renewal) or --material and --destination "
                "(a new application), not both"
            )
        row = pipeline.file_renewal(session.store, key, filing, today)
    else:
        require(ctx, fields, "material", "destination")
        row = pipeline.file_new(session.store, fields, filing, today)
    did(
        ctx,
        f"application {app_label(row.application.id)} was recorded in {session.store}",
    )
    typer.echo(app_label(row.application.id))
    said_line(f"Recorded {row.application.label()}: {'; '.join(row.verdict.reasons)}")


def accept(
    ctx: typer.Context,
    key: AppArgument,
    on: OnOption = None,
    reference: ReferenceOption = None,
    unbounded: Annotated[
        str | None,
        typer.Option(
            "--unbounded",
            metavar="TEXT",
            help="The review has no statutory time limit, and why: a case for the "
            "State Council (art. 17), an end user on the watch list (art. 26). "
            "Without --on, an acceptance already recorded is kept.",
        ),
    ] = None,
) -> None:
    """The authority accepted the application: its decision is due from then.

    MOFCOM's decision is due review_working_days working days after this day,
    not after filing.

    Another authority's decision is due on its own clock (its profile's days,
    from filing or from acceptance).
    """
    session = Session.of(ctx)
    today = session.today()
    day = None if on is None else parse_day("on", on)
    row = pipeline.accept(session.store, key, day, reference, today, unbounded)
    error_line(
        f"Recorded {row.application.label()} as accepted on "
        f"{row.application.accepted}: {row.verdict.reasons[0]}"
    )


def applications(
    ctx: typer.Context,
    all_: Annotated[
        bool,
        typer.Option("--all", "-a", help="Also granted, refused and withdrawn ones."),
    ] = False,
    authority: AuthorityFilter = None,
    fmt: FormatOption = DataFormat.TABLE,
) -> None:
    """Pending applications, oldest first, with when the decision is due."""
    session = Session.of(ctx)
    rows = pipeline.list_applications(
        session.store, session.today(), include_all=all_, authority=authority
    )
    with session.paged():
        print_applications(rows, fmt, session)


def print_applications(rows: "list[AppRow]", fmt: DataFormat, session: Session) -> None:
    if fmt is not DataFormat.TABLE:
        sys.stdout.write(data(rows, fmt.value, APP_ROW_KEYS))
    elif not rows:
        error_line("no applications")
    else:
        app_table(rows, sys.stdout, session.look())


def stats(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="YYYY-MM-DD",
            help="The window: applications filed from this day to today "
            "(default: the last observed_window_days, 365).",
        ),
    ] = None,
    authority: AuthorityFilter = None,
    fmt: FormatOption = DataFormat.TABLE,
) -> None:
    """How long each authority takes to decide, per material and destination.

    Learnt from the store's own applications filed in the window
    (observed_window_days), counting the ones still pending.

    Working days from acceptance (or filing) to the decision, read from the
    Kaplan-Meier curve: median and p90 ("over N" when more than half, or a
    tenth, still wait), the previous window's median, the grant rate, and the
    median term granted in months. Each authority is counted apart on its own
    clock (BIS in calendar days), never mixed with MOFCOM's.
    """
    session = Session.of(ctx)
    today = session.today()
    first = None if since is None else parse_day("since", since)
    # A person's table keeps MOFCOM's "all 0" row; a script's rows are data only.
    table = fmt is DataFormat.TABLE
    rows = insight.stats(session.store, today, first, authority, empty_total=table)
    with session.paged():
        if not table:
            sys.stdout.write(objects_as(rows, fmt.value, insight.STATS_KEYS))
        else:
            stats_table(rows, sys.stdout, session.look())


def coverage(ctx: typer.Context, fmt: FormatOption = DataFormat.TABLE) -> None:
    """Will supply have a gap? One row per material, destination, end user.

    Each with an active license or a pending application, the biggest gap
    first.
    """
    session = Session.of(ctx)
    rows = supply.coverage(session.store, session.today())
    with session.paged():
        if fmt is not DataFormat.TABLE:
            sys.stdout.write(objects_as(rows, fmt.value, supply.COVERAGE_KEYS))
        elif not rows:
            error_line("no active licenses or pending applications")
        else:
            # A gap counted across an unannounced holiday year says so, as
            # its dates do (render/renewals.py prints the value as given).
            marked = marked_values(
                bounded_gaps(rows), "projected_gap_days", "projected_gap_estimate"
            )
            coverage_table(marked, sys.stdout, session.look())
