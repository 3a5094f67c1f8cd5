"""Records to plain JSON values and back, for the cache: data only, never code.

Decoding can only build the record types registered by the caller and plain
values (dates, decimals, tuples, mappings); anything else fails, and the cache
takes a failure as a miss.

Licenses, by far the most numerous records, are written as one flat list in the
field table's order, each value converted by its field's kind: one decoding step
per license instead of one per tagged value (about twice as fast at 10,000).
"""

from __future__ import annotations

import functools
import json
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, Final

from export_licenses.domain.license import FIELDS, LICENSE_KEYS, License
from export_licenses.domain.shipment import Shipment
from export_licenses.domain.values import DATE, QUANTITY, Codec

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from decimal import Decimal


def _decimal(text: str) -> Decimal:
    """A quantity; the decimal module loads only for a store that has one (1 ms)."""
    from decimal import Decimal  # noqa: PLC0415

    return Decimal(text)


@functools.cache
def _scalars() -> tuple[tuple[type, str, Callable[[Any], str]], ...]:
    """Tagged scalars; datetime before date, as a datetime is also a date."""
    from decimal import Decimal  # noqa: PLC0415 - only when writing the cache

    return (
        (datetime, "dt", datetime.isoformat),
        (date, "d", date.isoformat),
        (time, "tm", time.isoformat),
        (Decimal, "q", str),
    )


_UNTAG: Final[dict[str, Callable[[Any], Any]]] = {
    "d": date.fromisoformat,
    "t": tuple,
    "m": dict,
    "ms": lambda keys_values: dict(zip(*keys_values, strict=True)),
    "q": _decimal,
    "dt": datetime.fromisoformat,
    "tm": time.fromisoformat,
}


def encode(value: Any) -> Any:
    """A value JSON can hold, tagged where JSON has no type of its own."""
    if value is None or isinstance(value, str | int | float):
        return value  # bool is an int
    if isinstance(value, tuple):
        return _encode_tuple(value)
    if isinstance(value, list):
        return [encode(v) for v in value]
    for kind, tag, text in _scalars():
        if isinstance(value, kind):
            return {tag: text(value)}
    if hasattr(value, "items"):
        if all(type(v) is str for v in value.values()):  # a head's numbers: fast
            return {"ms": [list(value), list(value.values())]}
        return {"m": [[str(k), encode(v)] for k, v in value.items()]}
    raise TypeError(f"cannot encode a {type(value).__name__}")


def _encode_tuple(value: tuple[Any, ...]) -> dict[str, Any]:
    if isinstance(value, License):
        return {"L": _license_values(value)}
    if value and all(isinstance(item, License) for item in value):
        return {"LL": [_license_values(lic) for lic in value]}
    items = [encode(v) for v in value]
    if hasattr(value, "_fields"):
        return {"n": type(value).__name__, "v": items}
    return {"t": items}


def decoder(records: Mapping[str, type]) -> Callable[[str | bytes], Any]:
    """A ``json.loads`` that rebuilds ``records`` (by class name) and tagged values."""

    def hook(obj: dict[str, Any]) -> Any:
        if "LL" in obj:  # a store's licenses: one step for all of them
            return tuple(map(_license, obj["LL"]))
        if "L" in obj:
            return _license(obj["L"])
        if "n" in obj:
            return records[obj["n"]](*obj["v"])
        ((tag, value),) = obj.items()
        return _UNTAG[tag](value)

    def decode(text: str | bytes) -> Any:
        return json.loads(text, object_hook=hook)

    return decode


# --- licenses: flat lists in the field table's order ------------------------------

_SHIPMENTS: Final = LICENSE_KEYS.index("shipments")
# Where a plain JSON value is not yet the record's value, and what makes it so.
_CONVERTERS: Final[dict[Codec, Callable[[str], Any]]] = {
    DATE: date.fromisoformat,
    QUANTITY: _decimal,
}
_FROM_PLAIN: Final = tuple(
    (index, _CONVERTERS[field.codec])
    for index, field in enumerate(FIELDS)
    if field.codec in {DATE, QUANTITY}
)


_make_license: Final = License._make  # skips the keyword-argument __new__


def _license_values(lic: License) -> list[Any]:
    values: list[Any] = [
        None if value is None else _plain(value) for value in lic[: len(FIELDS)]
    ]
    values[_SHIPMENTS] = [
        [
            s.on.isoformat(),
            str(s.quantity),
            s.note,
            encode(s.extra) if s.extra else None,
        ]
        for s in lic.shipments
    ]
    values.append(encode(lic.extra or None))
    return values


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str | int | float | tuple):  # tuple: shipments, done apart
        return value
    return str(value)  # a quantity: the Decimal's exact text


def _license(values: list[Any]) -> License:
    for index, convert in _FROM_PLAIN:
        if values[index] is not None:
            values[index] = convert(values[index])
    if values[_SHIPMENTS]:
        values[_SHIPMENTS] = tuple(
            Shipment(date.fromisoformat(on), _decimal(quantity), note, extra or {})
            for on, quantity, note, extra in values[_SHIPMENTS]
        )
    else:
        values[_SHIPMENTS] = ()
    values[-1] = values[-1] or {}
    return _make_license(values)
