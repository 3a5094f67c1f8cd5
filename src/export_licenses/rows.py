"""A license with its verdict for one day: what list, due, warn and show print.

The JSON row (and the CSV/TSV columns of list and due) is the license's fields
that have a ``column`` in the field table, plus the computed columns below, in
column order. Keys may be added, never removed or renamed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, NamedTuple

from .model import FIELDS, License
from .values import quantity_to_toml

if TYPE_CHECKING:
    from collections.abc import Callable

    from .rules import Verdict


class Row(NamedTuple):
    license: License
    verdict: Verdict
    # The term in months the expiry rests on (None with an explicit expiry).
    term_months: int | None = None

    def as_json(self) -> dict[str, Any]:
        """The contract's JSON row: every key always present, null when empty."""
        return {key: value(self) for key, value in _COLUMNS}


def _iso(day: Any) -> str | None:
    return None if day is None else str(day.isoformat())


def _field(key: str, to_json: Callable[[Any], Any]) -> Callable[[Row], Any]:
    def value(row: Row) -> Any:
        found = getattr(row.license, key)
        return None if found is None else to_json(found)

    return value


def _shipped(row: Row) -> int | float:
    return quantity_to_toml(row.license.shipped)


# Columns computed from the verdict, at their place in the row.
_COMPUTED: Final[tuple[tuple[int, str, Callable[[Row], Any]], ...]] = (
    (6, "expires", lambda row: row.verdict.expires.isoformat()),
    (7, "days_left", lambda row: row.verdict.days_left),
    (
        8,
        "level",
        lambda row: None if row.verdict.level is None else row.verdict.level.value,
    ),
    (12, "renew_by", lambda row: _iso(row.verdict.renew_by)),
    (13, "reasons", lambda row: list(row.verdict.reasons)),
    (20, "shipped", _shipped),
)
_COLUMNS: Final = tuple(
    (key, value)
    for _, key, value in sorted(
        [
            *(
                (f.column, f.key, _field(f.key, f.codec.to_json))
                for f in FIELDS
                if f.column
            ),
            *_COMPUTED,
        ],
        key=lambda column: column[0],
    )
)
ROW_KEYS: Final = tuple(key for key, _ in _COLUMNS)
