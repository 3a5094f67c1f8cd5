"""Recording a shipment against a license (``ship``): the drawdown of its
quantity, within its validity, on a license in use — with the law's reason when
it is not (exported, suspended for a change, surrendered) — and the lapse of an
individual or registration license once its one export is done (Order 792 art.
15). The other operations on a license are in ``records``; the shipment record
itself is ``domain/shipment.py``'s.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Final

from export_licenses.domain import rules
from export_licenses.domain.application import app_label
from export_licenses.domain.license import Status
from export_licenses.domain.license_fields import ONE_EXPORT, with_article
from export_licenses.domain.shipment import ID_LENGTH, Shipment, new_id
from export_licenses.domain.values import check_text
from export_licenses.errors import FieldProblem, InvalidValue, UsageProblem

from . import journal
from .common import day_problem, happened, require_active, validated
from .records import change_one

if TYPE_CHECKING:
    from datetime import date
    from decimal import Decimal
    from pathlib import Path

    from export_licenses.domain.license import License
    from export_licenses.domain.rows import Row
    from export_licenses.domain.store_data import StoreData


def ship(
    path: Path,
    key: str,
    quantity: Decimal,
    on: date | None,
    note: str | None,
    today: date,
    *,
    partial: bool = False,
) -> Row:
    """Record a shipment against the license (drawdown), on ``on`` or today. On
    an individual or registration license it completes the one export the
    license allows, which then lapses (``exported``, Order 792 art. 15), unless
    ``partial`` says the export goes on. The row's license has the shipment
    last (``shipments[-1]``): its ``on`` is the day taken, for the command to
    say."""
    day = today if on is None else on
    # A shipment ahead is a plan: recorded, it would end an individual license's
    # one export ("exported") before the goods leave, and drop it from due/warn.
    happened("on", day, today)
    if note is not None:
        try:
            note = check_text("note", note, multiline=True)
        except InvalidValue as exc:
            raise FieldProblem.of(exc) from None

    def change(data: StoreData, lic: License) -> License:
        _require_shippable(data, lic)
        if partial and lic.kind not in ONE_EXPORT and lic.kind is not None:
            raise FieldProblem(
                "partial",
                f"{lic.label()} is a {lic.kind} license, which allows repeated "
                "exports: a partial shipment is one of an individual or "
                "registration license's single export (Order 792 art. 15)",
            )
        expires = rules.expiry(lic, data.settings.term_months)
        if day < lic.issued:
            raise day_problem(on, day, f"is before the issue date {lic.issued}")
        if day > expires:
            raise day_problem(on, day, f"is after the license expired ({expires})")
        if lic.quantity is not None and lic.shipped + quantity > lic.quantity:
            left = lic.quantity - lic.shipped
            unit = f" {lic.unit}" if lic.unit else ""
            raise FieldProblem(
                "quantity",
                f"{quantity}{unit} is more than the {left}{unit} left on {lic.label()}",
            )
        # os.urandom is what secrets.token_hex reads, without secrets' import
        # of hmac and hashlib (2-4 ms) on every command.
        ident = new_id(lic.shipments, lambda: os.urandom(ID_LENGTH // 2).hex())
        shipment = Shipment(
            on=day, quantity=quantity, note=note, id=ident, partial=partial or None
        )
        shipped = lic._replace(shipments=(*lic.shipments, shipment))
        if lic.kind in ONE_EXPORT and not partial:
            shipped = shipped._replace(
                status=Status.EXPORTED, closed=day, close_reason=EXPORT_DONE
            )
        return validated(shipped)

    return change_one(path, key, today, change, journal.shipped)


# Order 792 art. 15: "once the export is completed within the validity, the
# license lapses automatically" (individual; a registration's certificate covers
# one export too, art. 19).
EXPORT_DONE: Final = "exported: its one export is done (Order 792 art. 15)"


def _require_shippable(data: StoreData, lic: License) -> None:
    """Only a license in use ships; the law's reasons first, when there is one."""
    if lic.status == Status.EXPORTED:
        raise UsageProblem(
            f"{lic.label()} was exported on {lic.closed or 'an unknown day'}: "
            f"{with_article(lic.kind or 'individual')} license covers one export "
            "and lapses once it is done (Order 792 art. 15); a further export "
            "needs a new license"
        )
    if lic.status == Status.SUSPENDED:
        pending = next(
            (a for a in data.applications if a.pending and a.changes == lic.id), None
        )
        which = f" {app_label(pending.id)}" if pending else ""
        raise UsageProblem(
            f"{lic.label()} is suspended: its change application{which} is "
            "pending, and the license is not used meanwhile (Order 792 art. 18)"
        )
    if lic.status == Status.SURRENDERED:
        raise UsageProblem(
            f"{lic.label()} was surrendered on {lic.closed or 'an unknown day'}: "
            "a key element changed, so exports under it stopped (Order 792 art. "
            "18); ship on the license granted for the new application"
        )
    require_active(lic, "ship")
