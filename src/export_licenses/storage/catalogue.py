"""The package's own data: the catalogue of controls, and how every data file of
the package is read (the authority profiles are in ``profiles``).

Both are TOML files shipped inside the package (``data/controls.toml``,
``data/authorities.toml``): data, never code, parsed with tomli and checked by
the same rules as a store's ``[[control]]`` and ``[authority.NAME]`` blocks. Each
is read once per process. A store's entries go over them with
``domain.controls.merge_controls`` and ``domain.authorities.merge_authority_tables``.

The storage side of the catalogue of controls, whose command is
``cli/catalogue.py``: here only the package's files are read;
``domain/controls.py`` is what an entry is and its state,
``service/controls.py`` lays a store's entries over the package's.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from export_licenses.domain.control_tables import catalogue_from_document
from export_licenses.errors import InvalidStore, LicensesError

if TYPE_CHECKING:
    from export_licenses.domain.controls import Catalogue

CONTROLS = "controls.toml"


class BrokenPackageData(LicensesError):
    """A data file of the package is missing or invalid: a bug, exit 70."""

    exit_code = 70


def shipped_name(name: str) -> str:
    return f"the package's {name}"


def read_data(name: str) -> dict[str, Any]:
    import tomli  # noqa: PLC0415 - only commands that use the catalogue pay for it (10 M instructions)

    # Next to the package's modules in every ordinary install. importlib.resources
    # finds it in any install (a zip too) but costs ~12 ms of imports at start-up,
    # so it is only the fallback.
    path = Path(__file__).resolve().parent.parent / "data" / name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        from importlib.resources import files  # noqa: PLC0415 - zipped installs (9.4 M instructions)

        try:
            data = files("export_licenses").joinpath("data", name).read_bytes()
        except OSError as exc:
            raise BrokenPackageData(
                f"{shipped_name(name)} cannot be read: {exc}"
            ) from None
    except OSError as exc:
        raise BrokenPackageData(f"{shipped_name(name)} cannot be read: {exc}") from None
    try:
        return tomli.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomli.TOMLDecodeError) as exc:
        raise BrokenPackageData(f"{shipped_name(name)}: {exc}") from None


def broken(exc: InvalidStore) -> BrokenPackageData:
    return BrokenPackageData(f"{exc} (a bug in this installation: please report it)")


@functools.cache
def shipped_catalogue() -> Catalogue:
    """The catalogue the package ships: ``checked`` and its entries."""
    try:
        return catalogue_from_document(read_data(CONTROLS), shipped_name(CONTROLS))
    except InvalidStore as exc:
        raise broken(exc) from None
