"""Records to plain JSON values and back, for the cache: data only, never code.

Decoding can only build the record types registered by the caller and plain
values (dates, decimals, tuples, mappings); anything else fails, and the cache
takes a failure as a miss.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


# Tagged scalars; datetime before date, as a datetime is also a date.
_SCALARS: Final[tuple[tuple[type, str, Callable[[Any], str]], ...]] = (
    (datetime, "dt", datetime.isoformat),
    (date, "d", date.isoformat),
    (time, "tm", time.isoformat),
    (Decimal, "q", str),
)
_UNTAG: Final[dict[str, Callable[[Any], Any]]] = {
    "d": date.fromisoformat,
    "t": tuple,
    "m": dict,
    "q": Decimal,
    "dt": datetime.fromisoformat,
    "tm": time.fromisoformat,
}


def encode(value: Any) -> Any:
    """A value JSON can hold, tagged where JSON has no type of its own."""
    if value is None or isinstance(value, str | int | float):
        return value  # bool is an int
    if isinstance(value, tuple):
        items = [encode(v) for v in value]
        if hasattr(value, "_fields"):
            return {"n": type(value).__name__, "v": items}
        return {"t": items}
    if isinstance(value, list):
        return [encode(v) for v in value]
    for kind, tag, text in _SCALARS:
        if isinstance(value, kind):
            return {tag: text(value)}
    if hasattr(value, "items"):
        return {"m": [[str(k), encode(v)] for k, v in value.items()]}
    raise TypeError(f"cannot encode a {type(value).__name__}")


def decoder(records: Mapping[str, type]) -> Callable[[str | bytes], Any]:
    """A ``json.loads`` that rebuilds ``records`` (by class name) and tagged values."""

    def hook(obj: dict[str, Any]) -> Any:
        if "n" in obj:
            return records[obj["n"]](*obj["v"])
        ((tag, value),) = obj.items()
        return _UNTAG[tag](value)

    def decode(text: str | bytes) -> Any:
        return json.loads(text, object_hook=hook)

    return decode
