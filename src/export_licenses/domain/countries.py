"""ISO 3166-1 country codes, as pycountry has them.

Every store read that the cache does not answer checks each destination against
the alpha-2 codes. They are written here (``ALPHA2``) rather than read from
pycountry's data file on every such read: that read (``json`` imported, a
100 KB file parsed) cost ~8 M instructions, 2 % of ``warn`` on a store of 100
licenses. ``tests/test_fields.py`` compares them with the installed pycountry's,
and a code missing here is still looked up in pycountry's file, so a code ISO
adds later is accepted before this list learns it (one it withdraws fails
that test until it is taken out here). Names and alpha-3 codes typed
by a person go through pycountry itself, on the few commands that take them.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from typing import Final

from export_licenses.errors import InvalidValue


@functools.cache
def _names() -> dict[str, str]:
    """Each alpha-2 code with its English short name: for show's names, and a
    code missing from ``ALPHA2``."""
    spec = importlib.util.find_spec("pycountry")
    if spec is not None and spec.submodule_search_locations:
        folder = Path(next(iter(spec.submodule_search_locations)))
        data = folder / "databases" / "iso3166-1.json"
        if data.is_file():
            import json  # noqa: PLC0415 - only a read the cache does not answer (5.9 M instructions)

            entries = json.loads(data.read_bytes())["3166-1"]
            return {entry["alpha_2"]: entry["name"] for entry in entries}
    import pycountry  # noqa: PLC0415 - should pycountry move its data file (89 M instructions)

    return {country.alpha_2: country.name for country in pycountry.countries}


def name_of(code: str) -> str | None:
    """The English short name of an alpha-2 code, as pycountry gives it."""
    return _names().get(code)


# pycountry 26.2.16's alpha-2 codes.
ALPHA2: Final = frozenset(
    (  # noqa: SIM905 - 249 codes as a table, not 249 lines
        "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL "
        "BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV "
        "CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD "
        "GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM "
        "IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK "
        "LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW "
        "MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR "
        "PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS "
        "ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY "
        "UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW "
    ).split()
)


def is_alpha2(code: str) -> bool:
    return code in ALPHA2 or code in _names()


# Names people type that are none of pycountry's (its names, official names and
# common names are found by pycountry itself): short forms, older names, names in
# the country's own language, and the parts for the whole. Keys casefolded.
ALIASES: Final = {
    "uk": "GB",
    "u.k.": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "korea": "KR",
    "republic of korea": "KR",
    "russia": "RU",
    "turkey": "TR",
    "turkiye": "TR",
    "holland": "NL",
    "the netherlands": "NL",
    "deutschland": "DE",
    "america": "US",
    "united states of america": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "czech republic": "CZ",
    "vietnam": "VN",
    "taiwan": "TW",
    "iran": "IR",
    "ivory coast": "CI",
    "uae": "AE",
    "emirates": "AE",
    "macau": "MO",
    "burma": "MM",
    "vatican": "VA",
    "vatican city": "VA",
    "cape verde": "CV",
    "swaziland": "SZ",
    "east timor": "TL",
    "the gambia": "GM",
    "the bahamas": "BS",
    "nippon": "JP",
    "zhongguo": "CN",
    "prc": "CN",
    "mainland china": "CN",
    "espana": "ES",
    "españa": "ES",
    "italia": "IT",
    "schweiz": "CH",
    "suisse": "CH",
    "osterreich": "AT",
    "österreich": "AT",
    "polska": "PL",
    "brasil": "BR",
}
_SUGGESTIONS: Final = 3
_ABBREVIATION: Final = 4  # "uk", "uae", "prc", "u.s.": said in capitals


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def to_alpha2(text: str) -> str:
    """Turn an alpha-2 or alpha-3 code, an English name (pycountry's name,
    official or common name) or a name people type (``ALIASES``: UK, Holland,
    Deutschland, America, ...), any case, into alpha-2."""
    cleaned = text.strip()
    if len(cleaned) == 2 and is_alpha2(cleaned.upper()):  # noqa: PLR2004 - alpha-2: two letters
        return cleaned.upper()
    alias = ALIASES.get(_folded(cleaned))
    if alias is not None:
        return alias
    import pycountry  # noqa: PLC0415 - slow import, only for names typed by a person (89 M instructions)

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
    """The nearest names by spelling ('Germny' -> DE), for the error message."""
    import difflib  # noqa: PLC0415 - only on the error path

    import pycountry  # noqa: PLC0415 - see to_alpha2 (89 M instructions)

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if name:
                names.setdefault(name.casefold(), f"{country.alpha_2} ({name})")
    for alias, code in ALIASES.items():
        spelled = alias.upper() if len(alias) <= _ABBREVIATION else alias.title()
        names.setdefault(alias, f"{code} ({spelled})")
    folded = _folded(text)
    close = difflib.get_close_matches(folded, list(names), n=_SUGGESTIONS, cutoff=0.8)
    # "Korea" is close to both Koreas: say each once, the closest first.
    shown = list(dict.fromkeys(names[name] for name in close))
    if not shown:
        return ""
    said = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"
    return f"; did you mean {said}?"
