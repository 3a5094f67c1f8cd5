"""ISO 3166-1 country codes.

Every read of the store checks each destination against the alpha-2 list, so that
check picks the codes out of pycountry's data file directly (well under 1 ms)
instead of importing pycountry (about 55 ms) or even the json module (about
2 ms). Names and alpha-3 codes typed by a person go through pycountry itself, on
the few commands that take them.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

from export_licenses.errors import InvalidValue

# One entry's code in the data file: `"alpha_2": "AW",`
_ALPHA_2 = re.compile(r'"alpha_2"\s*:\s*"([A-Z]{2})"')


def _data_file() -> Path | None:
    """pycountry's ISO 3166-1 data file, found without importing pycountry."""
    spec = importlib.util.find_spec("pycountry")
    if spec is not None and spec.submodule_search_locations:
        data = Path(next(iter(spec.submodule_search_locations)))
        data = data / "databases" / "iso3166-1.json"
        if data.is_file():
            return data
    return None


@functools.cache
def alpha2_codes() -> frozenset[str]:
    data = _data_file()
    codes = _ALPHA_2.findall(data.read_text(encoding="utf-8")) if data else []
    if codes:
        return frozenset(codes)
    import pycountry  # noqa: PLC0415 - fallback when the data file moved

    return frozenset(country.alpha_2 for country in pycountry.countries)


@functools.cache
def _names() -> dict[str, str]:
    data = _data_file()
    if data is not None:
        import json  # noqa: PLC0415 - only `show` prints names

        entries = json.loads(data.read_text(encoding="utf-8"))["3166-1"]
        return {entry["alpha_2"]: entry["name"] for entry in entries}
    import pycountry  # noqa: PLC0415 - fallback when the data file moved

    return {country.alpha_2: country.name for country in pycountry.countries}


def name_of(code: str) -> str | None:
    """The English short name of an alpha-2 code, as pycountry gives it."""
    return _names().get(code)


def is_alpha2(code: str) -> bool:
    return code in alpha2_codes()


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
