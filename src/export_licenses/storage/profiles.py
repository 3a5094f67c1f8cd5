"""The authority profiles the package ships (``data/authorities.toml``), with a
store's ``[authority.NAME]`` tables over them.

Apart from the catalogue of controls (``catalogue``), whose file it is read
like: only a store or a command that names an authority reads them, so the
commands every store runs (``warn``, ``list``, ``due``) do not import the
profiles' module at all.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from export_licenses.domain.authorities import (
    authorities_from_tables,
    find_authority,
    merge_authority_tables,
)
from export_licenses.errors import InvalidStore

from .catalogue import BrokenPackageData, broken, read_data, shipped_name

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from export_licenses.domain.authorities import AuthorityProfile
    from export_licenses.domain.store_data import StoreData

AUTHORITIES = "authorities.toml"


@functools.cache
def shipped_authority_tables() -> Mapping[str, Any]:
    """The ``[authority.NAME]`` tables as written: what a store's override goes
    over (``merge_authority_tables``) before the result is checked."""
    tables = read_data(AUTHORITIES).get("authority", {})
    if not isinstance(tables, dict):
        raise BrokenPackageData(
            f"{shipped_name(AUTHORITIES)}: authority: expected tables"
        )
    return tables


@functools.cache
def shipped_authorities() -> Mapping[str, AuthorityProfile]:
    """The built-in profiles, by name (MOFCOM, BIS, EU-DE, ECJU)."""
    try:
        return authorities_from_tables(
            shipped_authority_tables(), shipped_name(AUTHORITIES)
        )
    except InvalidStore as exc:
        raise broken(exc) from None


def profiles_of(
    tables: Mapping[str, Any], where: str | Path
) -> Mapping[str, AuthorityProfile]:
    """The profiles a store works with: the package's, with the store's
    ``[authority.NAME]`` tables over them (InvalidStore naming ``where``)."""
    if not tables:
        return shipped_authorities()
    merged = merge_authority_tables(shipped_authority_tables(), tables)
    return authorities_from_tables(merged, str(where))


def check_authorities(data: StoreData, path: Path) -> None:
    """Every record, and every ``[[control]]`` of the store, names an authority
    the store knows; its ``[authority.NAME]`` tables are valid over the
    package's. Only a store that names an authority (or defines one) reads the
    package's profiles. A control of an authority no record can have would
    never govern anything: a misspelt "MOFOCM" would be silently inert."""
    named = [(lic.label(), lic.authority) for lic in data.licenses if lic.authority]
    named += [
        (app.label(), app.authority) for app in data.applications if app.authority
    ]
    named += [(f"control {c.number!r}", c.authority) for c in data.controls]
    if not named and not data.authorities:
        return
    profiles = profiles_of(data.authorities, path)
    for label, name in named:
        if name is not None and find_authority(profiles, name) is None:
            known = ", ".join(profiles)
            raise InvalidStore(
                f"{path}: {label}: authority: {name!r} is not a known authority "
                f"({known}, or an [authority.NAME] table of the store)"
            )
