"""ISO 3166-1 country codes, as pycountry has them.

Every store read that the cache does not answer checks each destination against
the alpha-2 codes: they come from pycountry's own data file, read with ``json``
(about 1 ms), rather than from importing pycountry (27 ms of CPU, about half of
a small store's whole start-up). Names and alpha-3 codes typed by a person go
through pycountry itself, on the few commands that take them.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path

from export_licenses.errors import InvalidValue


@functools.cache
def _names() -> dict[str, str]:
    """Each alpha-2 code with its English short name."""
    spec = importlib.util.find_spec("pycountry")
    if spec is not None and spec.submodule_search_locations:
        folder = Path(next(iter(spec.submodule_search_locations)))
        data = folder / "databases" / "iso3166-1.json"
        if data.is_file():
            entries = json.loads(data.read_bytes())["3166-1"]
            return {entry["alpha_2"]: entry["name"] for entry in entries}
    import pycountry  # noqa: PLC0415 - should pycountry move its data file

    return {country.alpha_2: country.name for country in pycountry.countries}


def alpha2_codes() -> frozenset[str]:
    return frozenset(_names())


def name_of(code: str) -> str | None:
    """The English short name of an alpha-2 code, as pycountry gives it."""
    return _names().get(code)


def is_alpha2(code: str) -> bool:
    return code in _names()


def to_alpha2(text: str) -> str:
    """Turn an alpha-2 or alpha-3 code or an English name (any case) into alpha-2."""
    cleaned = text.strip()
    if len(cleaned) == 2 and is_alpha2(cleaned.upper()):  # noqa: PLR2004
        return cleaned.upper()
    import pycountry  # noqa: PLC0415 - slow import, only for names typed by a person

    try:
        country = pycountry.countries.lookup(cleaned)
    except LookupError:
        raise InvalidValue(
            "destination",
            f"unknown country {text!r}{_suggestion(cleaned)}"
            " (give an ISO 3166-1 code such as DE or DEU, or an English name)",
        ) from None
    return str(country.alpha_2)


def _suggestion(text: str) -> str:
    """A near miss by spelling ('Germny' -> DE), for the error message."""
    import difflib  # noqa: PLC0415 - only on the error path

    import pycountry  # noqa: PLC0415 - see to_alpha2

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if name:
                names.setdefault(name.casefold(), f"{country.alpha_2} ({country.name})")
    close = difflib.get_close_matches(text.casefold(), list(names), n=1, cutoff=0.8)
    return f"; did you mean {names[close[0]]}?" if close else ""
