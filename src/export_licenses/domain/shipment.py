"""Shipments drawn against a license: the record, and its codec for the table.

Amounts are Decimal, so drawdown sums are exact.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date  # noqa: TC003 - the cache's decoder reads the fields' types
from decimal import Decimal  # noqa: TC003
from typing import Any, Final, NamedTuple

from export_licenses.errors import InvalidValue

from . import values as v
from .values import Codec


class Shipment(NamedTuple):
    on: date
    quantity: Decimal
    note: str | None = None
    extra: Mapping[str, Any] = {}


def _shipments(_: str, value: Any) -> tuple[Shipment, ...]:
    if not isinstance(value, list | tuple):
        raise InvalidValue("shipments", "expected a list of shipments")
    if all(isinstance(item, Shipment) for item in value):
        return tuple(value)  # built in code from checked values
    shipments = []
    for n, item in enumerate(value, start=1):
        name = f"shipments #{n}"
        if not isinstance(item, Mapping):
            raise InvalidValue(
                name, "expected a table such as { on = 2026-01-05, quantity = 100 }"
            )
        for required in ("on", "quantity"):
            if required not in item:
                raise InvalidValue(f"{name} {required}", "is missing")
        note = item.get("note")
        shipments.append(
            Shipment(
                on=v.check_date(f"{name} on", item["on"]),
                quantity=v.check_quantity(f"{name} quantity", item["quantity"]),
                note=None if note is None else v.check_text(f"{name} note", note),
                extra={k: x for k, x in item.items() if k not in SHIPMENT_KEYS},
            )
        )
    return tuple(shipments)


def _shipment_table(shipment: Shipment) -> dict[str, Any]:
    table: dict[str, Any] = {
        "on": shipment.on,
        "quantity": v.quantity_to_toml(shipment.quantity),
    }
    if shipment.note is not None:
        table["note"] = shipment.note
    return table | dict(shipment.extra)


def _shipments_toml(shipments: tuple[Shipment, ...]) -> list[dict[str, Any]] | None:
    return [_shipment_table(s) for s in shipments] or None


SHIPMENT_KEYS: Final = ("on", "quantity", "note")
SHIPMENTS: Final = Codec(_shipments, _shipments, _shipments_toml)
