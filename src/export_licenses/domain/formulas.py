"""Element symbols in a word: the periodic table, the elements this tool
tracks, and how a formula names them ("Dy2O3", "NdFeB", and "DYF3" in one
case: ``matching``'s module doc has the rules). Pure: text in, symbols out.
"""

import re
from itertools import pairwise
from typing import Final

_FORMULA: Final = re.compile(r"(?:[A-Z][a-z]?\d*)+")
_SYMBOL: Final = re.compile(r"[A-Z][a-z]?")
# One text rather than 118 quoted symbols: the table is read, not edited.
_PERIODIC_TABLE: Final = (
    "H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu "
    "Zn Ga Ge As Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs "
    "Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl "
    "Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr"
)
PERIODIC: Final = frozenset(_PERIODIC_TABLE.split())
# The elements a material can be "about": the rare earths and the other minerals
# this tool tracks (DOMAIN.md). Iron, boron or cobalt in "NdFeB" or "SmCo" are
# the matrix, not the family. Symbol -> name, with the oxides' own names.
ELEMENTS: Final = {
    "Sc": "scandium", "Y": "yttrium", "La": "lanthanum", "Ce": "cerium",
    "Pr": "praseodymium", "Nd": "neodymium", "Pm": "promethium",
    "Sm": "samarium", "Eu": "europium", "Gd": "gadolinium", "Tb": "terbium",
    "Dy": "dysprosium", "Ho": "holmium", "Er": "erbium", "Tm": "thulium",
    "Yb": "ytterbium", "Lu": "lutetium", "Ga": "gallium", "Ge": "germanium",
    "Sb": "antimony",
}  # fmt: skip


def symbols(token: str) -> list[str]:
    """The element symbols of a formula-like word as written ("Dy2O3",
    "NdFeB"), or none (``matching``'s module doc)."""
    if not _FORMULA.fullmatch(token) or (token.isupper() and token.isalpha()):
        return []
    found = _SYMBOL.findall(token)
    return found if all(s in PERIODIC for s in found) else []


# A word in one case with a digit in it, a letter first ("DYF3", "tbf3"): a
# formula as people type it in capitals or in lower case, read in any case.
_ONE_CASE: Final = re.compile(r"(?=[^\d]*\d)(?:[A-Z][A-Z0-9]*|[a-z][a-z0-9]*)")
# No formula is longer: a longer word is not read (its readings double with
# each pair of letters that may be one symbol or two).
_LONGEST_FORMULA: Final = 20


def element_symbols(token: str) -> list[str]:
    """The element symbols a word names: as written (``symbols``), or, for a
    word in one case, the elements of ``ELEMENTS`` it names read in any case."""
    if _ONE_CASE.fullmatch(token) and len(token) <= _LONGEST_FORMULA:
        return _any_case(token)
    return symbols(token)


def _any_case(token: str) -> list[str]:
    """The tracked elements (``ELEMENTS``) a word in one case names as a
    formula: "DYF3" is DyF3 (dysprosium), "TB4O7" terbium. Each way of cutting
    it into symbols and counts is a reading, but not one of a single symbol
    ("SM2 crates", "N52": a size, a grade), one that writes an element twice in
    a row ("H O2 O3"), or one with a count above 20 ("SCH40", "ER70S": a pipe
    schedule, a welding wire). A reading that names tracked elements wins over
    one that names none ("SC2O3" is Sc2O3, not S C2 O3); two that name
    different ones say nothing ("YB2O3": Y or Yb). "CO2" names none: cobalt is
    not tracked, so no cobalt from letter case."""
    named: set[tuple[str, ...]] = set()
    for reading in _readings(token.casefold(), 0):
        if len(reading) > 1 and all(a != b for a, b in pairwise(reading)):
            named.add(tuple(s for s in reading if s in ELEMENTS))
    named.discard(())
    return list(named.pop()) if len(named) == 1 else []


# The largest count in a formula (Sm2Co17): a larger number is a size or a grade.
_LARGEST_COUNT: Final = 20


def _readings(word: str, start: int) -> list[tuple[str, ...]]:
    """Each way to cut ``word[start:]`` (lower case) into element symbols,
    each followed by its count, if any."""
    if start == len(word):
        return [()]
    found: list[tuple[str, ...]] = []
    for size in (1, 2):
        symbol = word[start : start + size].capitalize()
        if len(symbol) < size or symbol not in PERIODIC:
            continue
        end = start + size
        while end < len(word) and word[end].isdigit():
            end += 1
        count = word[start + size : end]
        if count and (count[0] == "0" or int(count) > _LARGEST_COUNT):
            continue
        found += [(symbol, *rest) for rest in _readings(word, end)]
    return found
