"""Text on a terminal without Rich: escape codes for its styles, display widths,
shortening with an ellipsis, and fitting table columns into a width.

Rich measures every cell of every row through its segment machinery: 0.6 s for
1,000 licenses, 22 s for 30,000. A table of short, known cells needs none of it,
so the tables, ``show`` and the timeline draw through this module instead, with
the same styles Rich would give them (``console.LEVEL_STYLE``).
"""

import functools
import unicodedata
from collections.abc import Sequence
from typing import Final, NamedTuple

GAP: Final = 2  # spaces between columns
SHRUNK_AT_LEAST: Final = 10  # a material cut shorter than this says nothing
NUMBER_AT_LEAST: Final = 8  # "…DY-0412": a license number's distinguishing end
# Shortened before the free text, keeping their ends: license numbers.
FIRST_SHORTENED: Final = frozenset({"Number"})
# Shortened after a whole word, so that a date in them is whole or gone, and
# no narrower than WORDS_AT_LEAST: what to do ("file the renewal now …").
WORDS_SHORTENED: Final = frozenset({"Next"})
WORDS_AT_LEAST: Final = 22
ELLIPSIS: Final = "…"
_SGR: Final = {
    "bold": "1",
    "dim": "2",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "magenta": "35",
    "cyan": "36",
    "white": "37",
}
_RESET: Final = "\x1b[0m"


@functools.cache
def _codes(style: str) -> str:
    """A Rich style ("bold white on red") as an SGR escape sequence."""
    words = style.split()
    codes = []
    for at, word in enumerate(words):
        if word == "on":
            continue
        code = _SGR[word]
        background = at > 0 and words[at - 1] == "on"
        codes.append(str(int(code) + 10) if background else code)
    return f"\x1b[{';'.join(codes)}m"


def paint(text: str, style: str, *, color: bool) -> str:
    """``text`` in ``style`` when colour is allowed, else as it is."""
    if not color or not style or not text:
        return text
    return f"{_codes(style)}{text}{_RESET}"


def width_of(text: str) -> int:
    """Columns ``text`` takes on a terminal: wide (CJK) characters take two."""
    if text.isascii():
        return len(text)
    return sum(_char_width(ch) for ch in text)


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns, ending in an ellipsis when cut."""
    if width_of(text) <= width:
        return text
    if text.isascii():  # a column per character
        return text[: max(width - 1, 0)].rstrip() + ELLIPSIS
    kept, used = [], 0
    for ch in text:
        used += _char_width(ch)
        if used > width - 1:
            break
        kept.append(ch)
    return "".join(kept).rstrip() + ELLIPSIS


def shorten_words(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns after a whole word, so that a date or
    a number is shown whole or not at all ("file now, last day …"); cut
    inside its first word only when even that does not fit."""
    if width_of(text) <= width:
        return text
    words = text.split(" ")
    for count in range(len(words) - 1, 0, -1):
        kept = " ".join(words[:count]).rstrip(",;:") + " " + ELLIPSIS
        if width_of(kept) <= width:
            return kept
    return shorten(text, width)


def pad(text: str, width: int, *, right: bool = False) -> str:
    fill = " " * max(0, width - width_of(text))
    return fill + text if right else text + fill


class Layout(NamedTuple):
    """Which columns a table shows, how wide, and which it had to leave out."""

    shown: tuple[int, ...]  # indexes into the table's headers, in order
    widths: tuple[int, ...]  # one per shown column
    hidden: tuple[str, ...]  # header names, in the order they were dropped


def fit(
    headers: Sequence[str],
    natural: Sequence[int],
    width: int,
    *,
    shrink: frozenset[str] = frozenset(),
    drop: Sequence[str] = (),
) -> Layout:
    """Columns that fit ``width``: first the ``shrink`` columns (free text) are
    shortened, down to SHRUNK_AT_LEAST; then whole columns go in ``drop`` order,
    each time giving the free text back as much room as there is. Everything
    else (ids, numbers, dates, days, levels) is never cut. When even that does
    not fit, the narrowest arrangement is returned."""
    droppable = [name for name in drop if name in headers]
    layout = Layout((), (), ())
    for count in range(len(droppable) + 1):
        hidden = tuple(droppable[:count])
        shown = tuple(at for at, name in enumerate(headers) if name not in hidden)
        widths = _shrunk(headers, natural, shown, width, shrink)
        layout = Layout(shown, widths, hidden)
        if sum(widths) + GAP * (len(shown) - 1) <= width:
            return layout
    return layout


def _shrunk(
    headers: Sequence[str],
    natural: Sequence[int],
    shown: Sequence[int],
    width: int,
    shrink: frozenset[str],
) -> tuple[int, ...]:
    widths = {at: natural[at] for at in shown}
    excess = sum(widths.values()) + GAP * (len(shown) - 1) - width
    # A license number gives way first, down to its distinguishing end
    # ("…DY-0412"); then the free text, the widest column first, one column
    # at a time.
    for at in shown:
        if excess > 0 and headers[at] in FIRST_SHORTENED and headers[at] in shrink:
            floor = min(natural[at], max(NUMBER_AT_LEAST, len(headers[at])))
            given = min(excess, max(0, widths[at] - floor))
            widths[at] -= given
            excess -= given
    free = [
        at
        for at in shown
        if headers[at] in shrink and headers[at] not in FIRST_SHORTENED
    ]
    while excess > 0 and free:
        at = max(free, key=lambda i: widths[i])
        least = WORDS_AT_LEAST if headers[at] in WORDS_SHORTENED else SHRUNK_AT_LEAST
        floor = min(natural[at], max(least, len(headers[at])))
        if widths[at] <= floor:
            free.remove(at)
            continue
        widths[at] -= 1
        excess -= 1
    return tuple(widths[at] for at in shown)


def hidden_note(hidden: Sequence[str], width: int = 1000) -> str:
    """The footer under a table that lost columns to the terminal's width: one
    line that fits ``width``, never wrapped."""
    names = list(hidden)
    said = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    for note in (
        f"{said} hidden; widen the terminal or use --format",
        f"{said} hidden (--format shows all)",
        f"hidden: {', '.join(names)} (--format)",
        f"hidden: {len(names)} column{'s' * (len(names) != 1)} (--format)",
    ):
        if width_of(note) <= width:
            return note
    return shorten(note, width)


def _tail(text: str, width: int) -> str:
    """The last characters of ``text`` that fit ``width`` columns."""
    if text.isascii():  # a column per character
        return text[max(len(text) - width, 0) :] if width > 0 else ""
    kept: list[str] = []
    used = 0
    for ch in reversed(text):
        used += _char_width(ch)
        if used > width:
            break
        kept.append(ch)
    return "".join(reversed(kept))


def shorten_start(text: str, width: int) -> str:
    """``text`` cut at its start, keeping its distinguishing end: a license
    number "MOFCOM-2025-DY-0412" at 8 columns is "…DY-0412"."""
    if width_of(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    return ELLIPSIS + _tail(text, width - 1).lstrip()


def shorten_middle(text: str, width: int) -> str:
    """``text`` with its middle left out: both ends stay, the last word whole
    where it fits ("NdFeB m…terbium")."""
    if width_of(text) <= width:
        return text
    if width < 5:  # noqa: PLR2004 - too narrow for two ends: the start, as shorten
        return shorten(text, width)
    last = text.rsplit(maxsplit=1)[-1] if text.strip() else ""
    tail_width = width_of(last) if 0 < width_of(last) <= width - 3 else width // 2
    head = shorten(text, width - tail_width).removesuffix(ELLIPSIS).rstrip()
    tail = _tail(text, width - width_of(head) - 1).lstrip()
    return f"{head}{ELLIPSIS}{tail}"


def shorten_all(texts: Sequence[str], width: int) -> list[str]:
    """Each text shortened to ``width`` at its end; where two different texts
    would then read the same, both keep their ends too (middle left out)."""
    cut = [shorten(text, width) for text in texts]
    seen: dict[str, set[str]] = {}
    for text, short in zip(texts, cut, strict=True):
        seen.setdefault(short, set()).add(text)
    return [
        shorten_middle(text, width) if len(seen[short]) > 1 else short
        for text, short in zip(texts, cut, strict=True)
    ]
