"""A value of the store as the store spells it, on one line: ``2027-06-01``,
``"gallium metal"``, ``{id = 1, date = 2026-01-02, quantity = 10}``. For the
messages that quote the file to a person (a merge's conflicts, which are
settled by hand in that file): Python's spelling (``datetime.date(2027, 6,
1)``, ``Decimal('1.5')``) is not what they will find there (audit
s10-contract, 4). Pure: no TOML library, as the domain has none."""

import math
import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Final

# A key TOML takes bare; any other is quoted.
_BARE: Final = re.compile(r"[A-Za-z0-9_-]+")
# What a TOML basic string must escape: the quote, the backslash, control codes.
_ESCAPES: Final = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def toml_inline(value: Any) -> str:  # noqa: PLR0911 - one per kind of TOML value
    """``value`` in TOML's inline spelling."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, dict):
        pairs = (f"{_key(str(k))} = {toml_inline(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_inline(item) for item in value) + "]"
    return str(value)


def _key(key: str) -> str:
    return key if _BARE.fullmatch(key) else _string(key)


def _string(text: str) -> str:
    escaped = "".join(
        _ESCAPES.get(c)
        or (f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F else c)  # noqa: PLR2004 - control codes
        for c in text
    )
    return f'"{escaped}"'
