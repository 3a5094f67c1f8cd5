"""The package's own data: the catalogue of controls and the authority profiles.

Both are TOML files shipped inside the package (``data/controls.toml``,
``data/authorities.toml``): data, never code, parsed with tomli and checked by
the same rules as a store's ``[[control]]`` and ``[authority.NAME]`` blocks. Each
is read once per process. A store's entries go over them with
``domain.controls.merge_controls`` and ``domain.authorities.merge_authority_tables``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from export_licenses.domain.authorities import (
    authorities_from_tables,
    find_authority,
    merge_authority_tables,
)
from export_licenses.domain.control_tables import catalogue_from_document
from export_licenses.errors import InvalidStore, LicensesError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from export_licenses.domain.authorities import AuthorityProfile
    from export_licenses.domain.controls import Catalogue
    from export_licenses.domain.store_data import StoreData

CONTROLS = "controls.toml"
AUTHORITIES = "authorities.toml"


class BrokenPackageData(LicensesError):
    """A data file of the package is missing or invalid: a bug, exit 70."""

    exit_code = 70


def _where(name: str) -> str:
    return f"the package's {name}"


def _read(name: str) -> dict[str, Any]:
    import tomli  # noqa: PLC0415 - only commands that use the catalogue pay for it

    # Next to the package's modules in every ordinary install. importlib.resources
    # finds it in any install (a zip too) but costs ~12 ms of imports at start-up,
    # so it is only the fallback.
    path = Path(__file__).resolve().parent.parent / "data" / name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        from importlib.resources import files  # noqa: PLC0415

        try:
            data = files("export_licenses").joinpath("data", name).read_bytes()
        except OSError as exc:
            raise BrokenPackageData(f"{_where(name)} cannot be read: {exc}") from None
    except OSError as exc:
        raise BrokenPackageData(f"{_where(name)} cannot be read: {exc}") from None
    try:
        return tomli.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomli.TOMLDecodeError) as exc:
        raise BrokenPackageData(f"{_where(name)}: {exc}") from None


def _broken(exc: InvalidStore) -> BrokenPackageData:
    return BrokenPackageData(f"{exc} (a bug in this installation: please report it)")


@functools.cache
def shipped_catalogue() -> Catalogue:
    """The catalogue the package ships: ``checked`` and its entries."""
    try:
        return catalogue_from_document(_read(CONTROLS), _where(CONTROLS))
    except InvalidStore as exc:
        raise _broken(exc) from None


@functools.cache
def shipped_authority_tables() -> Mapping[str, Any]:
    """The ``[authority.NAME]`` tables as written: what a store's override goes
    over (``merge_authority_tables``) before the result is checked."""
    tables = _read(AUTHORITIES).get("authority", {})
    if not isinstance(tables, dict):
        raise BrokenPackageData(f"{_where(AUTHORITIES)}: authority: expected tables")
    return tables


@functools.cache
def shipped_authorities() -> Mapping[str, AuthorityProfile]:
    """The built-in profiles, by name (MOFCOM, BIS, EU-DE, ECJU)."""
    try:
        return authorities_from_tables(shipped_authority_tables(), _where(AUTHORITIES))
    except InvalidStore as exc:
        raise _broken(exc) from None


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
    """Every record names an authority the store knows; its ``[authority.NAME]``
    tables are valid over the package's. Only a store that names an authority
    (or defines one) reads the package's profiles."""
    named = [(lic.label(), lic.authority) for lic in data.licenses if lic.authority]
    named += [
        (app.label(), app.authority) for app in data.applications if app.authority
    ]
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
