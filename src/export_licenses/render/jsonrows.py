"""One JSON value indented as ``json.dumps(..., indent=2)`` would indent it, for
writing rows one at a time.

``json.dumps`` with an indent runs the json module's pure-Python encoder, which
builds a fresh set of closures, reference cycles, on every call: 100,000 rows
left that many cycles for the garbage collector and took most of the time of
``due --format json``. Here the containers are laid out directly and each scalar
goes through the module's C string encoder; the text is byte for byte the same
(a property test compares them on arbitrary values).
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring
from typing import Any


def indented(value: Any, indent: str = "") -> str:
    """``value`` as JSON, its inner lines indented by two spaces per level below
    ``indent`` (the indentation of the line it starts on)."""
    inner = indent + "  "
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        items = [
            f"{encode_basestring(key)}: {indented(item, inner)}"
            for key, item in value.items()
        ]
        return _laid_out("{", items, "}", indent)
    if isinstance(value, list | tuple):
        return _laid_out("[", [indented(item, inner) for item in value], "]", indent)
    return _scalar(value, indent)


def _laid_out(opening: str, items: list[str], closing: str, indent: str) -> str:
    if not items:
        return opening + closing
    inner = "\n" + indent + "  "
    return f"{opening}{inner}{(',' + inner).join(items)}\n{indent}{closing}"


def _scalar(value: Any, indent: str) -> str:
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None or isinstance(value, bool):
        return "null" if value is None else "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float) and math.isfinite(value):
        return float.__repr__(value)
    # NaN and the infinities, a dict with keys that are not text, or a value
    # JSON has no form for (a TypeError, as json.dumps gives): the json module's.
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + indent)
