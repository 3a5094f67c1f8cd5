"""``[[control]]`` tables, from the package's ``controls.toml`` or a store, checked
into ``Control`` records: one line naming the file, the entry and the field for
anything wrong, worded as the store's other checks are (``values``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

from export_licenses.domain.controls import (
    Catalogue,
    Control,
    Suspension,
    number_key,
)
from export_licenses.domain.countries import is_alpha2
from export_licenses.domain.key_names import unknown_keys
from export_licenses.domain.values import check_bool, check_date, check_text, describe
from export_licenses.errors import InvalidStore, InvalidValue

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

_NO_EXTRA: Mapping[str, Any] = {}
_URL: Final = re.compile(r"https?://\S+")
KEYS: Final = frozenset(Control._fields) - {"extra"}
_SUSPENSION_KEYS: Final = ("by", "from", "until", "source", "note")
_CATALOGUE_KEYS: Final = ("checked", "newest_source", "note", "control")


def _text(table: Mapping[str, Any], key: str, *, multiline: bool = False) -> Any:
    return (
        None if key not in table else check_text(key, table[key], multiline=multiline)
    )


def _required(table: Mapping[str, Any], key: str, what: str) -> Any:
    if key not in table:
        raise InvalidValue(key, f"is missing ({what})")
    return table[key]


def _url(name: str, value: Any) -> str | None:
    if value is None:
        return None
    text = check_text(name, value)
    if not _URL.fullmatch(text):
        raise InvalidValue(name, f"expected a web address (https://...), got {text!r}")
    return text


def _date(table: Mapping[str, Any], key: str) -> date | None:
    return None if key not in table else check_date(key, table[key])


def _list(name: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidValue(name, f"expected a list [...], got {describe(value)}")
    return value


def _suspension(n: int, value: Any) -> Suspension:
    name = f"suspensions[{n}]"
    if not isinstance(value, dict):
        raise InvalidValue(
            name,
            f"expected {{ by = ..., from = ..., until = ... }}, got {describe(value)}",
        )
    extra = unknown_keys(value, _SUSPENSION_KEYS, f"{name}.")
    for key in ("by", "from", "until"):
        if key not in value:
            raise InvalidValue(f"{name}.{key}", "is missing")
    start = check_date(f"{name}.from", value["from"])
    until = check_date(f"{name}.until", value["until"])
    if until < start:
        raise InvalidValue(f"{name}.until", f"{until} is before from = {start}")
    note = value.get("note")
    return Suspension(
        by=check_text(f"{name}.by", value["by"]),
        start=start,
        until=until,
        source=_url(f"{name}.source", value.get("source")),
        note=None if note is None else check_text(f"{name}.note", note, multiline=True),
        # Kept on every rewrite, as a control's own unknown keys are.
        extra=extra or _NO_EXTRA,
    )


def _items(value: Any) -> tuple[str, ...]:
    items = tuple(
        check_text(f"items[{n}]", item)
        for n, item in enumerate(_list("items", value), start=1)
    )
    if not items:
        raise InvalidValue(
            "items", "expected at least one name, symbol, HS code or control code"
        )
    return items


def _destinations(value: Any) -> tuple[str, ...]:
    codes = tuple(_list("destinations", value))
    for code in codes:
        if not isinstance(code, str) or not is_alpha2(code):
            raise InvalidValue(
                "destinations",
                f'expected ISO 3166-1 alpha-2 codes such as "US", got {describe(code)}',
            )
    return codes


def control_from_table(table: Mapping[str, Any]) -> Control:
    """Validate one ``[[control]]`` table; raises InvalidValue naming the field."""
    extra = unknown_keys(table, KEYS)
    number = check_text(
        "number", _required(table, "number", 'e.g. "MOFCOM 2026 No. 3"')
    )
    authority = check_text("authority", _required(table, "authority", 'e.g. "MOFCOM"'))
    title = check_text("title", _required(table, "title", "what it controls"))
    effective = check_date(
        "effective", _required(table, "effective", "the day it took effect")
    )
    published = _date(table, "published")
    if published is not None and effective < published:
        raise InvalidValue(
            "effective", f"{effective} is before published = {published}"
        )
    lifted = _date(table, "lifted")
    if lifted is not None and published is not None and lifted < published:
        raise InvalidValue("lifted", f"{lifted} is before published = {published}")
    suspensions = tuple(
        _suspension(n, value)
        for n, value in enumerate(_list("suspensions", table.get("suspensions", [])), 1)
    )
    source = _url("source", _required(table, "source", "where it can be read"))
    return Control(
        number=number,
        authority=authority,
        title=title,
        effective=effective,
        items=_items(table.get("items")),
        source=source or "",
        published=published,
        destinations=_destinations(table.get("destinations", [])),
        suspensions=suspensions,
        lifted=lifted,
        published_source=_url("published_source", table.get("published_source")),
        effective_source=_url("effective_source", table.get("effective_source")),
        lifted_source=_url("lifted_source", table.get("lifted_source")),
        superseded_by=_text(table, "superseded_by"),
        note=_text(table, "note", multiline=True),
        extraterritorial=check_bool(
            "extraterritorial", table.get("extraterritorial", False)
        ),
        # Kept on every rewrite, as a license's unknown keys are (CONTRACT.md).
        extra=extra or _NO_EXTRA,
    )


def control_to_table(control: Control) -> dict[str, Any]:
    """The ``[[control]]`` table of a record: the keys of ``control_from_table``
    in the contract's order, empty ones left out, unknown keys kept."""
    table: dict[str, Any] = {
        "number": control.number,
        "authority": control.authority,
        "title": control.title,
        "published": control.published,
        "effective": control.effective,
        "items": list(control.items),
        "destinations": list(control.destinations),
        "suspensions": [_suspension_table(s) for s in control.suspensions] or None,
        "lifted": control.lifted,
        "superseded_by": control.superseded_by,
        "source": control.source,
        "published_source": control.published_source,
        "effective_source": control.effective_source,
        "lifted_source": control.lifted_source,
        "note": control.note,
        "extraterritorial": control.extraterritorial or None,
    }
    return {k: v for k, v in table.items() if v is not None} | dict(control.extra)


def _suspension_table(suspension: Suspension) -> dict[str, Any]:
    table = {
        "by": suspension.by,
        "from": suspension.start,
        "until": suspension.until,
        "source": suspension.source,
        "note": suspension.note,
    }
    return {k: v for k, v in table.items() if v is not None} | dict(suspension.extra)


def controls_from_tables(tables: Any, where: str) -> tuple[Control, ...]:
    """All ``[[control]]`` tables of one file; InvalidStore names ``where``, the
    entry (its number, else its position) and the field, on one line."""
    if not isinstance(tables, list):
        raise InvalidStore(
            f"{where}: control: write each control as its own [[control]] block"
        )
    seen: dict[str, Control] = {}
    for position, table in enumerate(tables, start=1):
        if not isinstance(table, dict):
            raise InvalidStore(f"{where}: control #{position}: expected a table")
        number = table.get("number")
        named = number.strip() if isinstance(number, str) else ""
        label = f"control {named!r}" if named else f"control #{position}"
        try:
            control = control_from_table(table)
        except InvalidValue as exc:
            raise InvalidStore(
                f"{where}: {label}: {exc.field}: {exc.message}"
            ) from None
        if number_key(control.number) in seen:
            raise InvalidStore(
                f"{where}: {label}: number: used twice (one entry per announcement)"
            )
        seen[number_key(control.number)] = control
    return tuple(seen.values())


def catalogue_from_document(doc: Mapping[str, Any], where: str) -> Catalogue:
    """The package's ``controls.toml``: ``checked``, then its ``[[control]]``s."""
    try:
        return _catalogue(doc, where)
    except InvalidValue as exc:
        raise InvalidStore(f"{where}: {exc.field}: {exc.message}") from None


def _catalogue(doc: Mapping[str, Any], where: str) -> Catalogue:
    unknown = sorted(set(doc) - set(_CATALOGUE_KEYS))
    if unknown:
        expected = ", ".join(_CATALOGUE_KEYS)
        raise InvalidValue(unknown[0], f"unknown key (expected {expected})")
    what = "the day the catalogue was last checked against its sources"
    return Catalogue(
        checked=check_date("checked", _required(doc, "checked", what)),
        controls=controls_from_tables(doc.get("control", []), where),
        newest_source=_date(doc, "newest_source"),
        note=_text(doc, "note", multiline=True),
    )
