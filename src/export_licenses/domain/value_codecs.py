"""The kinds of value a record's field holds: each a ``Codec`` that bundles how
the value is checked (``values.py``'s checks, from the TOML file or code), typed in
(an option's value, a CSV cell) and written to TOML and JSON. The field tables
(``license.py``, ``application.py``) and the shipments' and holds' codecs are
written with them.

(Not ``from __future__ import annotations``: ``Codec`` is a NamedTuple, whose
string annotations typing would compile at import.)
"""

import enum
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, Final, NamedTuple

from export_licenses.errors import InvalidValue

from .countries import to_alpha2
from .values import (
    MAX_ID,
    MAX_TERM_MONTHS,
    SHOWN,
    check_authority,
    check_bool,
    check_choice,
    check_date,
    check_destination,
    check_hs_code,
    check_int,
    check_names,
    check_quantity,
    check_text,
    parse_date,
    parse_quantity,
    quantity_to_toml,
)

_WHOLE_NUMBER = re.compile(r"-?[0-9]+")
_DIGITS: Final = 20  # more than any bound a whole number here has


def _same(value: Any) -> Any:
    return value


def _iso(day: date) -> str:
    return day.isoformat()


class Codec(NamedTuple):
    """How one kind of value is checked, typed in and written out."""

    # A value from the TOML file (or built in code) -> the record's value.
    check: Callable[[str, Any], Any]
    # What a person typed (an option's value, a CSV cell) -> the record's value.
    parse: Callable[[str, Any], Any]
    to_toml: Callable[[Any], Any] = _same
    to_json: Callable[[Any], Any] = _same


def _whole(low: int, high: int) -> Codec:
    def check(name: str, value: Any) -> int:
        return check_int(name, value, low, high)

    def parse(name: str, value: Any) -> int:
        text = str(value).strip()
        # ASCII digits only ("²" is a digit to str.isdigit, not to int), and
        # few enough that int() reads them (it refuses 4,300 and more).
        if not _WHOLE_NUMBER.fullmatch(text):
            raise InvalidValue(name, f"expected a whole number, got {text[:SHOWN]!r}")
        if len(text.lstrip("-")) > _DIGITS:
            raise InvalidValue(name, f"expected {low} to {high}, got {text[:SHOWN]}…")
        return check(name, int(text))

    return Codec(check, parse)


def choice(kind: type[enum.StrEnum]) -> Codec:
    choices = tuple(kind)

    def check(name: str, value: Any) -> str:
        return check_choice(name, value, choices)

    return Codec(check, check)


def _text(name: str, value: Any) -> str:
    return check_text(name, value)


def _note(name: str, value: Any) -> str:
    return check_text(name, value, multiline=True)


def _hs_code(_: str, value: Any) -> str:
    return check_hs_code(value)


def _country(_: str, value: Any) -> str:
    return check_destination(value)


def _country_typed(_: str, text: str) -> str:
    return to_alpha2(text)


def _names_typed(name: str, value: Any) -> tuple[str, ...]:
    """Names typed on the command line: a repeated option, or one text split on
    semicolons ("ACME GmbH; Bolt Ltd": commas belong to company names)."""
    items = [value] if isinstance(value, str) else list(value)
    parts = [part for item in items for part in str(item).split(";") if part.strip()]
    return check_names(name, parts)


def _names_toml(names: tuple[str, ...]) -> list[str]:
    return list(names)


def _quantity_json(amount: Decimal) -> int | float:
    return quantity_to_toml(amount)


def _renewal_given(_: str, value: Any) -> bool | None:
    # --renewal restores the default (renewal expected): the key is removed.
    return None if value else False


TEXT: Final = Codec(_text, _text)
AUTHORITY: Final = Codec(check_authority, check_authority)
NAMES: Final = Codec(check_names, _names_typed, _names_toml, _names_toml)
RENEWAL: Final = Codec(check_bool, _renewal_given)
NOTE: Final = Codec(_note, _note)
DATE: Final = Codec(check_date, parse_date, to_json=_iso)
QUANTITY: Final = Codec(
    check_quantity, parse_quantity, quantity_to_toml, _quantity_json
)
COUNTRY: Final = Codec(_country, _country_typed)
HS_CODE: Final = Codec(_hs_code, _hs_code)
LICENSE_ID: Final = _whole(1, MAX_ID)
MONTHS: Final = _whole(1, MAX_TERM_MONTHS)
