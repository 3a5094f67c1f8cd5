"""Keys a person wrote that the tool does not know: kept, unless evidently a
misspelling of a key it does know.

A key the tool does not know is kept on every rewrite (CONTRACT.md: the tool
never drops what a person wrote), so teams and newer versions can add their own.
But one a letter away from a known key is a typo, not a key of one's own: kept
without a word, ``[[licence]]`` reads as "no licenses" and ``expire =`` leaves
the legal deadline at its default, and ``warn`` stays green. So every table of
the store sorts its unknown keys through ``unknown_keys`` (docs/store.md, "Keys
the tool does not know"), which refuses a near miss of one of the table's own
keys, naming the key it is near.
"""

from collections.abc import Collection, Mapping
from functools import lru_cache
from typing import Any, Final

from export_licenses.errors import InvalidValue

# Shorter keys are only caught in another case: one edit of "id" or "to" is a
# different word more often than a typo.
MIN_LETTERS: Final = 4
# difflib's ratio at or above which two keys are one key misspelt: it takes two
# slips in a long key ("reveiw_workng_days"), none that merely shares a word
# ("filing_notice_days" is 0.76 from "filing_warn_days").
NEAR: Final = 0.85


def unknown_keys(
    table: Mapping[str, Any], known: Collection[str], within: str = ""
) -> dict[str, Any]:
    """The keys of ``table`` not in ``known``, with their values, as written.

    Raises InvalidValue naming the first one that is a misspelling of a key in
    ``known`` (``misspelling_of``), and the key it is near; ``within`` names the
    table inside a record, as its other messages do ("shipments #2 ",
    "suspensions[1].").
    """
    extra = {key: value for key, value in table.items() if key not in known}
    for key in extra:
        near = misspelling_of(key, known)
        if near is not None:
            raise InvalidValue(
                within + key,
                f"unknown key; did you mean {near!r}? (keys the tool does not "
                "know are kept, but not one this near a known key)",
            )
    return extra


def misspelling_of(key: str, known: Collection[str]) -> str | None:
    """The known key that ``key`` evidently misspells, if any: the same key in
    another case (or with ``-`` or a space for ``_``), or, for a key of 4 or more
    letters, one edit away (a letter added, dropped, changed or two swapped) or
    ``NEAR`` alike. Of several, the most alike."""
    frozen = known if isinstance(known, frozenset) else frozenset(known)
    return _misspelling(key, frozen) if isinstance(key, str) else None


# Stores repeat their own keys in every record (a "po_number" on each of 100,000
# licenses): each key is judged once per table kind.
@lru_cache(maxsize=4096)
def _misspelling(key: str, known: frozenset[str]) -> str | None:
    from difflib import SequenceMatcher  # noqa: PLC0415 - only a store with keys of its own (~1 ms)

    plain = _plain(key)
    best: tuple[float, str] | None = None
    for name in sorted(known):
        if _plain(name) == plain:
            return name
        if len(plain) < MIN_LETTERS:
            continue
        ratio = SequenceMatcher(None, plain, name).ratio()
        if (ratio >= NEAR or _one_edit(plain, name)) and (
            best is None or ratio > best[0]
        ):
            best = (ratio, name)
    return None if best is None else best[1]


def _plain(key: str) -> str:
    return key.casefold().replace("-", "_").replace(" ", "_")


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by one letter added, dropped or changed, or
    two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (
            len(diff) == 2  # noqa: PLR2004 - a swap is two letters
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = sorted((a, b), key=len)
    same = next(
        (i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y),
        len(short),
    )
    return short[same:] == long[same + 1 :]
