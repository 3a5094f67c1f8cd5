"""Which catalogue entries a material falls under, and which element it is about.

A material is free text ("dysprosium oxide, 99.5%", "Dy2O3", "NdFeB magnets with
terbium"). It is matched word by word, never by substring: "Dy" is not found in
"dysprosium", and "1C90" is not "1C902". The rules, per kind of catalogue item:

- names and aliases ("dysprosium oxide", "rare earth technology"): the same
  words in a row, any case, plurals as singulars ("batteries" is "battery");
- element symbols ("Dy", "Y"): case-sensitive, because "EU", "ER", "GE" and
  "TB" are words too; found alone ("Dy metal") or inside a formula ("Dy2O3",
  "NdFeB", "(Nd,Dy)FeB"). A lone capital letter ("grade Y") is no symbol, nor is
  an all-capital word ("NY"): a symbol needs a lower-case letter or a digit by it;
- formulas ("Dy2O3", "GaAs"): the whole word; any case when it holds a digit
  ("DY2O3"), else case-sensitive ("GaP" is not "gap", "GaN" not "GAN") unless
  it has four letters or more ("SmCo", "GaAs", "InSb"): no word is spelt so,
  and such a formula is found in any case, with or without counts ("SMCO",
  "SM2CO17", "sm2co17" are SmCo). Only the catalogue's formula is so found:
  "SM2CO17" names no element by its letters ("CO" is no cobalt);
- HS codes ("2805301200", "2805.30.12"): either code a prefix of the other, both
  of at least 6 digits (a six-digit subheading may hold the item: say so);
- control codes ("1C902", "1E902.a"): the same code, or one a sub-item of the
  other ("1C902.a" falls under "1C902").

A formula, HS code or control code names its element through the entry that
lists it: "DY2O3" (No. 18's "Dy2O3", any case) is dysprosium, so it falls under
every entry that lists dysprosium (No. 61) as "Dy2O3" does. A code names no
element by itself, so it counts for the elements of the entry that lists it,
and reaches another entry only when that one lists all of them (2846901940 of
No. 18 reaches No. 61, which lists all of No. 18's elements; a letter case
never decides an element: "CO" stays no cobalt).

"X-free" ("dysprosium-free", "Dy-free", "Dy free") says the material has none:
not a match.
A match means "may fall under": the announcement's text decides.
"""

import re
from collections.abc import Callable, Collection, Iterable
from typing import Final, NamedTuple

from export_licenses.domain.controls import Control

_FREE: Final = re.compile(r"[^\W_]+[- ]free\b", re.IGNORECASE)
_TOKEN: Final = re.compile(r"[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*")
_FORMULA: Final = re.compile(r"(?:[A-Z][a-z]?\d*)+")
_SYMBOL: Final = re.compile(r"[A-Z][a-z]?")
_HS: Final = re.compile(r"[0-9]{6,10}")
_CONTROL_CODE: Final = re.compile(r"[0-9][A-E][0-9]{3}(?:\.[A-Z0-9]+)*", re.IGNORECASE)
# One text rather than 118 quoted symbols: the table is read, not edited.
_PERIODIC_TABLE: Final = (
    "H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu "
    "Zn Ga Ge As Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs "
    "Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl "
    "Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr"
)
_PERIODIC: Final = frozenset(_PERIODIC_TABLE.split())
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
# Oxides have names of their own: yttria is Y2O3, dysprosia Dy2O3.
_NAMES: Final = (
    {name: name for name in ELEMENTS.values()}
    | {name[:-3] + "ia": name for name in ELEMENTS.values() if name.endswith("ium")}
    | {"lanthana": "lanthanum"}
)


class Match(NamedTuple):
    control: Control
    item: str  # the catalogue item that matched, to show why


class _Text(NamedTuple):
    words: tuple[str, ...]  # lower case, singular: for names
    raw: frozenset[str]  # as written: for formulas without digits
    lowered: frozenset[str]  # for formulas with digits
    bare: frozenset[str]  # lower case without digits: for long formulas
    symbols: tuple[str, ...]  # element symbols, in order of appearance
    hs_codes: tuple[str, ...]
    codes: tuple[str, ...]  # control codes, case-folded


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:  # noqa: PLR2004 - "batteries", not "ties"
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:  # noqa: PLR2004 - "magnets", not "gas"
        return word[:-1]
    return word


def _words(text: str) -> tuple[str, ...]:
    return tuple(
        _singular(part)
        for token in _TOKEN.findall(text)
        for part in token.casefold().split(".")
    )


def _symbols(token: str) -> list[str]:
    """The element symbols of a formula-like word, or none (see the module doc)."""
    if not _FORMULA.fullmatch(token) or (token.isupper() and token.isalpha()):
        return []
    symbols = _SYMBOL.findall(token)
    return symbols if all(s in _PERIODIC for s in symbols) else []


def _parse(material: str) -> _Text:
    text = _FREE.sub(" ", material)
    tokens = _TOKEN.findall(text)
    digits = [t.replace(".", "") for t in tokens]
    return _Text(
        words=_words(text),
        raw=frozenset(tokens),
        lowered=frozenset(t.casefold() for t in tokens),
        bare=frozenset(_bare(t) for t in tokens),
        symbols=tuple(s for t in tokens for s in _symbols(t)),
        hs_codes=tuple(d for d in digits if _HS.fullmatch(d)),
        codes=tuple(t.casefold() for t in tokens if _CONTROL_CODE.fullmatch(t)),
    )


def _bare(token: str) -> str:
    """A word in lower case without its digits: "SM2CO17" is "smco"."""
    return "".join(c for c in token.casefold() if not c.isdigit())


# A formula without a digit this long is spelt by no word: found in any case.
_LONG_FORMULA: Final = 4


def _hs_matches(code: str, item: str) -> bool:
    return code.startswith(item) or item.startswith(code)


def _code_matches(code: str, item: str) -> bool:
    return code == item or code.startswith(item + ".") or item.startswith(code + ".")


def _item_test(item: str) -> tuple[str, str | tuple[str, ...]]:
    """How one catalogue item is looked for: a kind and the normalised item."""
    digits = item.replace(".", "").replace(" ", "")
    if _HS.fullmatch(digits):
        return "hs", digits
    if _CONTROL_CODE.fullmatch(item):
        return "code", item.casefold()
    if item in _PERIODIC:
        return "symbol", item
    if _symbols(item):
        if any(c.isdigit() for c in item):
            return "lowered", item.casefold()
        return ("bare", _bare(item)) if len(item) >= _LONG_FORMULA else ("raw", item)
    return "words", _words(item)


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return size > 0 and any(
        words[i : i + size] == phrase for i in range(len(words) - size + 1)
    )


def _found(kind: str, needle: str | tuple[str, ...], text: _Text) -> bool:
    if kind == "words":
        return _contains(text.words, needle)  # type: ignore[arg-type]
    if kind == "hs":
        return any(_hs_matches(code, needle) for code in text.hs_codes)  # type: ignore[arg-type]
    if kind == "code":
        return any(_code_matches(code, needle) for code in text.codes)  # type: ignore[arg-type]
    if kind == "symbol":
        return needle in text.symbols
    if kind == "bare":
        return needle in text.bare
    return needle in (text.lowered if kind == "lowered" else text.raw)


class Matcher:
    """The catalogue's items, sorted once; then any number of materials."""

    def __init__(self, controls: Iterable[Control]) -> None:
        self._tests = [
            (control, [(item, *_item_test(item)) for item in control.items])
            for control in controls
        ]
        # Per entry: the elements it lists by name or symbol (each with that
        # item, to show why), and all it names (a code's, see the module doc).
        self._listed = [_listed(tests) for _, tests in self._tests]
        self._named = [frozenset(_mentions(" ".join(c.items))) for c, _ in self._tests]
        # One answer per material and destination: 444 ms of CPU of `list --all
        # --format json` at a large trader's 5,000 licenses (benchmarks/ledger.py).
        self._answers: dict[tuple[str, str, str], tuple[Match, ...]] = {}
        self._controlled: frozenset[str] | None = None

    def match(
        self,
        material: str | None,
        *,
        hs_code: str | None = None,
        control_code: str | None = None,
    ) -> tuple[Match, ...]:
        """The entries whose items the material (or its HS or control code) names,
        in catalogue order, each with the first item that matched."""
        key = (material or "", hs_code or "", control_code or "")
        known = self._answers.get(key)
        if known is None:
            # A license's own HS and control code fields count as words of it.
            text = _parse(" ".join(key))
            found = [_first(tests, text) for _, tests in self._tests]
            self._through_elements(found)
            known = self._answers[key] = tuple(
                Match(control, item)
                for (control, _), items in zip(self._tests, found, strict=True)
                for item in items
            )
        return known

    def _through_elements(self, found: list[list[str]]) -> None:
        """Add to ``found`` (the item matched per entry) the entries reached
        through the element of a matched formula or code (module doc)."""
        wanted: list[frozenset[str]] = []
        for at, items in enumerate(found):
            for item in items:
                if _item_test(item)[0] in {"symbol", "words"}:
                    continue  # an element's own name or symbol: matched directly
                wanted.append(frozenset(_mentions(item)) or self._named[at])
        for elements in filter(None, wanted):
            for at, listed in enumerate(self._listed):
                if not found[at] and elements <= listed.keys():
                    found[at] = [listed[min(elements)]]

    def family(self, material: str) -> str | None:
        """``family`` with the elements this catalogue controls."""
        if self._controlled is None:
            self._controlled = controlled_elements(c for c, _ in self._tests)
        return family(material, self._controlled)


def _listed(tests: list[tuple[str, str, str | tuple[str, ...]]]) -> dict[str, str]:
    """The elements an entry lists by name or symbol, each with its item."""
    listed: dict[str, str] = {}
    for item, kind, needle in tests:
        name = None
        if kind == "symbol":
            name = ELEMENTS.get(item)
        elif kind == "words" and len(needle) == 1:
            name = _NAMES.get(needle[0])
        if name:
            listed.setdefault(name, item)
    return listed


def _first(
    tests: list[tuple[str, str, str | tuple[str, ...]]], text: _Text
) -> list[str]:
    for item, kind, needle in tests:
        if _found(kind, needle, text):
            return [item]
    return []


def _mentions(material: str) -> list[str]:
    """The elements a material names, in order: by name, oxide name or symbol."""
    found: list[str] = []
    for token in _TOKEN.findall(_FREE.sub(" ", material)):
        names = [_NAMES.get(word) for word in _words(token)]
        names += [ELEMENTS.get(symbol) for symbol in _symbols(token)]
        found.extend(name for name in names if name and name not in found)
    return found


def controlled_elements(controls: Iterable[Control]) -> frozenset[str]:
    """The elements the entries name among their items (by name or symbol)."""
    return frozenset(
        name
        for control in controls
        for item in control.items
        for name in _mentions(item)
    )


def family(
    material: str,
    controlled: Collection[str] | Callable[[], Collection[str]] = frozenset(),
) -> str | None:
    """The element a material is about, for grouping (review times by family).

    "Dysprosium oxide", "Dysprosium metal", "Dy2O3" and "DyFe alloy" are all
    "dysprosium". When a material names several elements ("NdFeB magnets with
    terbium"), the first one in ``controlled`` wins ("terbium": the license is
    needed for it, so its review is the one that matters); when none of them is
    controlled, the first one named ("neodymium"). None when the material names
    no element ("superhard materials"): group such a material by its own text.
    ``controlled`` is ``controlled_elements(catalogue)``, or ``Matcher.family``,
    or a function that gives it, called only for a material naming several.
    """
    mentioned = _mentions(material)
    if len(mentioned) < 2:  # noqa: PLR2004 - nothing to choose between
        # Needs no catalogue: a history of one-element materials never reads it
        # (~5 ms, 20 M instructions of warn at 1,000 with 1,000 applications).
        return mentioned[0] if mentioned else None
    if callable(controlled):
        controlled = controlled()
    for name in mentioned:
        if name in controlled:
            return name
    return mentioned[0] if mentioned else None
