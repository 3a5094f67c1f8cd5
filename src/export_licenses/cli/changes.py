"""The change command: change a license while it is valid (Order 792 art. 18), a
new application for a key element, a change application for any other.

The CLI side of ``service/changes.py`` (the same concept): here the options are
parsed and the application's id printed, the license's fate said on stderr; the
service checks and writes.
"""

import typer

from export_licenses.domain.application import app_label
from export_licenses.render.console import said_line
from export_licenses.service import changes

from .fields import (
    DestinationOption,
    EndUseOption,
    EndUserOption,
    EndUsersOption,
    ExporterOption,
    HsCodeOption,
    MaterialOption,
    NoteOption,
    QuantityOption,
    UnitOption,
    filing_of,
    license_fields,
)
from .options import AcceptedOption, IdArgument, OnOption, ReferenceOption
from .session import Session, did


def change(
    ctx: typer.Context,
    key: IdArgument,
    material: MaterialOption = None,
    destination: DestinationOption = None,
    end_user: EndUserOption = None,
    end_users: EndUsersOption = None,
    end_use: EndUseOption = None,
    quantity: QuantityOption = None,
    unit: UnitOption = None,
    exporter: ExporterOption = None,
    hs_code: HsCodeOption = None,
    filed: OnOption = None,
    accepted: AcceptedOption = None,
    reference: ReferenceOption = None,
    notes: NoteOption = None,
) -> None:
    """Change a license while it is valid (Order 792 art. 18); print the
    application's id (A1, A2, …).

    A key element (--material, --destination, --end-user, --end-users,
    --end-use) needs a new application: it is filed with the new values and
    the license is surrendered (no more shipments). Any other element
    (--quantity, --unit, --exporter, --hs-code) is a change application,
    decided within 20 working days of acceptance: the license is suspended
    meanwhile; grant issues the changed license, refuse puts the old one back.
    """
    session = Session.of(ctx)
    today = session.today()
    fields = license_fields(
        material=material,
        destination=destination,
        end_user=end_user,
        end_users=end_users,
        end_use=end_use,
        quantity=quantity,
        unit=unit,
        exporter=exporter,
        hs_code=hs_code,
        notes=notes,
    )
    filing = filing_of(filed, accepted, reference, fields)
    done = changes.change(session.store, key, fields, filing, today)
    app = done.application.application
    did(ctx, f"application {app_label(app.id)} was recorded in {session.store}")
    typer.echo(app_label(app.id))
    lic = done.license
    if done.key:
        then = (
            f"{lic.label()} is surrendered: exports under it stop (Order 792 art. 18)"
        )
    else:
        then = (
            f"{lic.label()} is suspended until it is decided "
            "(Order 792 art. 18: not used meanwhile)"
        )
    reasons = "; ".join(done.application.verdict.reasons)
    said_line(f"Recorded {app.label()}: {reasons}; {then}")
