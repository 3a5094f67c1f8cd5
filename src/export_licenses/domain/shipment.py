"""Shipments drawn against a license: the record, and its codec for the table.

Amounts are Decimal, so drawdown sums are exact. A shipment is an event: two
sites that each ship 100 kg on the same day made two shipments, so each one
``ship`` records carries a short random ``id`` (unique within its license) by
which a merge tells them apart (``merge_shipments``). Shipments written before
ids, or by hand without one, read and work as they are, and keep no id.
"""

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final, NamedTuple

from export_licenses.errors import InvalidValue

from . import values as v
from .key_names import unknown_keys
from .value_codecs import Codec


class Shipment(NamedTuple):
    on: date
    quantity: Decimal
    note: str | None = None
    extra: Mapping[str, Any] = {}
    id: str | None = None  # None: recorded before shipments had ids
    # ``ship --partial``: the export goes on, so an individual license does not
    # lapse with this shipment (Order 792 art. 15). None when not said.
    partial: bool | None = None


# Ten hex digits: 40 random bits, so two sites' ids for one license collide
# about once in a trillion pairs; within a license a new id is checked unique.
ID_LENGTH: Final = 10
_ID: Final = re.compile(r"[0-9A-Za-z_-]{1,40}")


def new_id(taken: tuple[Shipment, ...], token: Callable[[], str]) -> str:
    """A shipment id no shipment of ``taken`` has; ``token`` gives random ones
    (the domain has no randomness of its own)."""
    used = {s.id for s in taken}
    while (made := token()) in used:
        pass
    return made


def _check_id(name: str, value: Any) -> str:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise InvalidValue(
            name,
            "expected a short id of letters, digits, - and _ such as "
            f'"3f9a0c27be", got {v.describe(value)}',
        )
    return value


def _shipments(_: str, value: Any) -> tuple[Shipment, ...]:
    if not isinstance(value, list | tuple):
        raise InvalidValue("shipments", "expected a list of shipments")
    if all(isinstance(item, Shipment) for item in value):
        return tuple(value)  # built in code from checked values
    shipments = []
    ids: set[str] = set()
    for n, item in enumerate(value, start=1):
        name = f"shipments #{n}"
        if not isinstance(item, Mapping):
            raise InvalidValue(
                name, "expected a table such as { on = 2026-01-05, quantity = 100 }"
            )
        extra = unknown_keys(item, SHIPMENT_KEYS, f"{name} ")
        for required in ("on", "quantity"):
            if required not in item:
                raise InvalidValue(f"{name} {required}", "is missing")
        note = item.get("note")
        ident = None if item.get("id") is None else _check_id(f"{name} id", item["id"])
        if ident is not None and ident in ids:
            raise InvalidValue(f"{name} id", f"{ident!r} is used twice in this license")
        ids.add(ident or "")
        partial = item.get("partial")
        if partial is not None and not isinstance(partial, bool):
            raise InvalidValue(
                f"{name} partial", f"expected true or false, got {v.describe(partial)}"
            )
        shipments.append(
            Shipment(
                on=v.check_date(f"{name} on", item["on"]),
                quantity=v.check_quantity(f"{name} quantity", item["quantity"]),
                note=None if note is None else v.check_text(f"{name} note", note),
                extra=extra,
                id=ident,
                partial=partial or None,
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
    if shipment.id is not None:
        table["id"] = shipment.id
    if shipment.partial:
        table["partial"] = True
    return table | dict(shipment.extra)


def _shipments_toml(shipments: tuple[Shipment, ...]) -> list[dict[str, Any]] | None:
    return [_shipment_table(s) for s in shipments] or None


SHIPMENT_KEYS: Final = ("on", "quantity", "note", "id", "partial")
SHIPMENTS: Final = Codec(_shipments, _shipments, _shipments_toml)


def exhausted_on(
    quantity: Decimal | None, shipments: tuple[Shipment, ...]
) -> date | None:
    """The day of the last shipment when the shipments drew ``quantity`` down
    to nothing: a license covers nothing after it. None while some is left (or
    no quantity is set)."""
    if quantity is None or not shipments:
        return None
    if sum((s.quantity for s in shipments), start=0 * quantity) < quantity:
        return None
    return max(s.on for s in shipments)
