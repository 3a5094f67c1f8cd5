"""Commands that change a license: init, add, edit, ship, close, reopen.
Each parses, calls one service function, and says what it did. A change of a
valid license (change) is in ``changes``, the removal of a mistake in ``removal``.

The CLI side of ``service/records.py``: here the options are parsed and what was
done is said on stderr; the service checks and writes.
"""

from typing import Annotated

import typer

from export_licenses.domain.license import UNSETTABLE
from export_licenses.render.console import error_line, said_line
from export_licenses.render.lines import added_line, shipped_line, when
from export_licenses.service import records as service_records
from export_licenses.service import shipping

from .fields import (
    AuthorityOption,
    DestinationOption,
    EndUseOption,
    EndUserOption,
    EndUsersOption,
    ExpiresOption,
    ExporterOption,
    HsCodeOption,
    IssuedOption,
    KindOption,
    MaterialOption,
    NoteOption,
    NumberOption,
    QuantityOption,
    RenewalOption,
    TermOption,
    UnitOption,
    license_fields,
)
from .options import ActiveIdArgument, IdArgument, OnOption, ShippableIdArgument
from .session import Session, did, parse_day


def init(
    ctx: typer.Context,
    git: Annotated[
        bool,
        typer.Option(
            "--git",
            help="Keep the store's history in git: git init (unless its folder is "
            "in a repository), the merge driver, git = true, a first commit.",
        ),
    ] = False,
) -> None:
    """Create an empty store with the default settings; print its path.

    An existing store is left untouched (with --git: put under git).
    """
    session = Session.of(ctx)
    error_line(service_records.init(session.store, git=git))
    typer.echo(str(session.store))


def add(
    ctx: typer.Context,
    material: MaterialOption,
    destination: DestinationOption,
    issued: IssuedOption,
    number: NumberOption = None,
    kind: KindOption = None,
    authority: AuthorityOption = None,
    hs_code: HsCodeOption = None,
    quantity: QuantityOption = None,
    unit: UnitOption = None,
    exporter: ExporterOption = None,
    end_user: EndUserOption = None,
    end_users: EndUsersOption = None,
    end_use: EndUseOption = None,
    term_months: TermOption = None,
    expires: ExpiresOption = None,
    renewal: RenewalOption = None,
    notes: NoteOption = None,
) -> None:
    """Add a license; print its new id alone, so id=$(licenses add ...) works.

    Creates the store (and its folder) when it is missing.
    """
    session = Session.of(ctx)
    fields = license_fields(
        material=material,
        destination=destination,
        issued=issued,
        number=number,
        kind=kind,
        authority=authority,
        hs_code=hs_code,
        quantity=quantity,
        unit=unit,
        exporter=exporter,
        end_user=end_user,
        end_users=end_users,
        end_use=end_use,
        term_months=term_months,
        expires=expires,
        renewal=renewal,
        notes=notes,
    )
    row = service_records.add(session.store, fields, session.today())
    did(ctx, f"license {row.license.id} was added to {session.store}")
    typer.echo(str(row.license.id))
    said_line(added_line(row))


def edit(
    ctx: typer.Context,
    key: IdArgument,
    unset: Annotated[
        list[str] | None,
        typer.Option(
            "--unset",
            metavar="FIELD",
            help=f"Clear an optional field ({', '.join(UNSETTABLE)}); repeatable.",
        ),
    ] = None,
    material: MaterialOption = None,
    destination: DestinationOption = None,
    issued: IssuedOption = None,
    number: NumberOption = None,
    kind: KindOption = None,
    authority: AuthorityOption = None,
    hs_code: HsCodeOption = None,
    quantity: QuantityOption = None,
    unit: UnitOption = None,
    exporter: ExporterOption = None,
    end_user: EndUserOption = None,
    end_users: EndUsersOption = None,
    end_use: EndUseOption = None,
    term_months: TermOption = None,
    expires: ExpiresOption = None,
    renewal: RenewalOption = None,
    notes: NoteOption = None,
    correct: Annotated[
        bool,
        typer.Option(
            "--correct",
            help="The new key element is a typo put right, not a change of the "
            "license (history says corrected); a real change is licenses change.",
        ),
    ] = False,
) -> None:
    """Change fields of a license, with the same checks as add.

    A key element (material, destination, end user, end use) of a license that
    has shipped is either a typo put right (--correct) or a real change, which
    is an application (licenses change: Order 792 art. 18).
    """
    session = Session.of(ctx)
    fields = license_fields(
        material=material,
        destination=destination,
        issued=issued,
        number=number,
        kind=kind,
        authority=authority,
        hs_code=hs_code,
        quantity=quantity,
        unit=unit,
        exporter=exporter,
        end_user=end_user,
        end_users=end_users,
        end_use=end_use,
        term_months=term_months,
        expires=expires,
        renewal=renewal,
        notes=notes,
    )
    row, changed = service_records.edit(
        session.store, key, fields, unset or [], session.today(), correct=correct
    )
    if not changed:
        error_line(f"Nothing changed: {row.license.label()} already is as given")
        return
    error_line(f"Changed {row.license.label()}: {when(row.verdict)}")


def ship(
    ctx: typer.Context,
    key: ShippableIdArgument,
    quantity: Annotated[
        str, typer.Argument(metavar="QUANTITY", help="How much was shipped.")
    ],
    on: OnOption = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Free text for this shipment.")
    ] = None,
    partial: Annotated[
        bool,
        typer.Option(
            "--partial",
            help="Part of an individual or registration license's one export: "
            "the export goes on, and the license stays in use (Order 792 art. 15).",
        ),
    ] = False,
) -> None:
    """Record a shipment against a license (drawdown of its quantity).

    On an individual or registration license the shipment completes its one
    export and the license lapses (status exported, Order 792 art. 15) unless
    --partial. Refused when it would exceed the licensed quantity, falls
    outside the license's validity, or the license is not in use (exported,
    surrendered, suspended, closed, ...).
    """
    session = Session.of(ctx)
    amount = license_fields(quantity=quantity)["quantity"]
    day = None if on is None else parse_day("on", on)
    row = shipping.ship(
        session.store, key, amount, day, note, session.today(), partial=partial
    )
    said_line(shipped_line(row, amount))


def close(
    ctx: typer.Context,
    key: ActiveIdArgument,
    # Named for the field it sets, so that a problem with it names --reason.
    close_reason: Annotated[
        str | None, typer.Option("--reason", help="Why it was closed.")
    ] = None,
    revoked: Annotated[
        bool,
        typer.Option("--revoked", help="The authority revoked it (status revoked)."),
    ] = False,
) -> None:
    """Mark a license finished (closed) or revoked. It stays in the store."""
    session = Session.of(ctx)
    row = service_records.close(
        session.store, key, close_reason, session.today(), revoked=revoked
    )
    error_line(f"{row.license.label()} is now {row.license.status}")


def reopen(ctx: typer.Context, key: IdArgument) -> None:
    """Take a closed or revoked license back to active (a close by mistake).

    The closing date and reason stay on the record, with the day it was
    reopened.
    """
    session = Session.of(ctx)
    row = service_records.reopen(session.store, key, session.today())
    error_line(f"{row.license.label()} is active again: {when(row.verdict)}")
