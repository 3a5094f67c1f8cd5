"""The decision on an application: grant, renew (a license's renewal granted),
refuse, withdraw. Each parses, calls one service function, and says what it did.

The CLI side of ``service/decisions.py`` (the same concept): here the options
are parsed, the new license's id printed and the outcome said on stderr; the
service checks and writes. Filing and acceptance are in ``renewals``.
"""

from typing import TYPE_CHECKING, Annotated

import typer

from export_licenses.domain.application import AppStatus
from export_licenses.render.console import error_line
from export_licenses.render.lines import decided_line, flagged, when
from export_licenses.service import decisions

from .fields import (
    ExpiresOption,
    IssuedOption,
    NumberOption,
    TermOption,
    license_fields,
)
from .options import ActiveIdArgument, AppArgument, OnOption
from .session import Session, did, parse_day

if TYPE_CHECKING:
    from export_licenses.domain.rows import Row


def grant(
    ctx: typer.Context,
    key: AppArgument,
    issued: IssuedOption,
    number: NumberOption = None,
    term_months: TermOption = None,
    expires: ExpiresOption = None,
) -> None:
    """The authority granted the application: add its license; print the new id.

    For a renewal the old license becomes renewed, as with renew. --issued is
    required; the term defaults to [settings] term_months.
    """
    session = Session.of(ctx)
    fields = license_fields(
        issued=issued, number=number, term_months=term_months, expires=expires
    )
    row = decisions.grant(
        session.store, key, decisions.NewTerm(**fields), session.today()
    )
    _print_granted(ctx, row, session)


def renew(
    ctx: typer.Context,
    key: ActiveIdArgument,
    issued: IssuedOption,
    number: NumberOption = None,
    term_months: TermOption = None,
    expires: ExpiresOption = None,
) -> None:
    """The renewal was granted: add the new license, mark the old one renewed.

    Grants the license's pending renewal application (see apply), or records
    one filed on an unknown day. --issued is required. Copies material,
    destination, exporter, end user, kind, quantity, unit and HS code; prints
    the new id alone.
    """
    session = Session.of(ctx)
    fields = license_fields(
        issued=issued, number=number, term_months=term_months, expires=expires
    )
    row = decisions.renew(
        session.store, key, decisions.NewTerm(**fields), session.today()
    )
    _print_granted(ctx, row, session)


def _print_granted(ctx: typer.Context, row: "Row", session: Session) -> None:
    lic = row.license
    did(ctx, f"license {lic.id} was added to {session.store}")
    typer.echo(str(lic.id))
    renewing = f", renewing license {lic.renews}" if lic.renews else ""
    if lic.replaces:
        renewing = f", replacing license {lic.replaces} (Order 792 art. 18)"
    error_line(f"Added {lic.label()}{renewing}: {when(row.verdict)}{flagged(row)}")


def refuse(
    ctx: typer.Context,
    key: AppArgument,
    on: OnOption = None,
    reason: Annotated[
        str | None,
        typer.Option("--reason", help="What the authority gave as the reason."),
    ] = None,
) -> None:
    """The authority refused the application.

    A refused renewal puts its license back to active, so the filing deadline
    is flagged again.
    """
    _decide(Session.of(ctx), key, AppStatus.REFUSED, on, reason)


def withdraw(ctx: typer.Context, key: AppArgument, on: OnOption = None) -> None:
    """The application was withdrawn. A withdrawn renewal puts its license back
    to active.
    """
    _decide(Session.of(ctx), key, AppStatus.WITHDRAWN, on, None)


def _decide(
    session: Session, key: str, status: AppStatus, on: str | None, reason: str | None
) -> None:
    day = None if on is None else parse_day("on", on)
    row, active = decisions.decide(
        session.store, key, status, day, reason, session.today()
    )
    error_line(decided_line(row, active))
