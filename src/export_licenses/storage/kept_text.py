"""A rewrite of the store keeps what a person wrote in every block the change
does not touch: comments, blank lines, the quoting and the order of keys.

``toml_text.dumps`` writes a store in its deterministic form. Cut at its table
headers, a text is a list of blocks: the head (``version``), then one block per
table or record, a record's own sub-tables (``[license.x]``,
``[[license.shipments]]``) in its block. A block of the old text that reads as
the same data as a block of the new one stands in for it, where the new one
puts it; a block the change touched is written anew, and its old comments are
put back beside the same keys (``carried_comments``).

A block stands in only for one under the same header that reads the same alone,
with the same types; a block that does not read alone (a multi-line string
holding a line that looks like a header, a table written in pieces) is written
anew; and the result, read whole, must say what the deterministic text says, or
that text is written. A merge passes both sides to one call: a text already
changed is never cut again. A file with no comment of a person's (what the tool
wrote) costs one search for "#"; the parses are paid only by a file with
comments of its own.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from . import carried_comments
from .toml_text import HEADER

_Key = tuple[str, Any]  # a block's header, and its data with the types


def kept(new: str, *olds: bytes) -> str:
    """``new``, with each of its blocks that one of ``olds`` holds, commented,
    as written there (a merge passes both sides, in one pass: a text already
    changed is never cut again)."""
    texts = [text for text in map(_commented_text, olds) if text is not None]
    if not texts:
        return new
    new_blocks = _blocks(new)
    spare = _spare(texts, set(new_blocks))
    if not spare:
        return new
    # A new block is parsed only when a spare one has its header and id.
    wanted = {_signature(block) for blocks in spare.values() for block in blocks}
    out: list[str] = []
    touched: list[int] = []  # where a block the change touched is
    for block in new_blocks:
        same = None
        if _signature(block) in wanted:
            key = _key(block)
            same = None if key is None else spare.get(key)
            touched.append(len(out))  # written anew, unless ``same`` stands in
        if same:
            out.append(_ended(same.pop(0)))
            touched.pop()
        else:
            out.append(block)
    # A block the change touched takes its old form's comments (what no new
    # block stood in for) beside the same keys: carried_comments.
    left: dict[tuple[str, str], list[str]] = {}
    for blocks in spare.values():
        for block in blocks:
            left.setdefault(_signature(block), []).append(block)
    for at in touched:
        olds_of = left.get(_signature(out[at]), [])
        out[at] = carried_comments.carried(out[at], olds_of, _read)
    text = "".join(out)
    if text == new:
        return new
    # Each block stands for one that reads the same alone, under the same
    # header; read whole, the file must still say what ``new`` says, or ``new``
    # is written (a review found texts the blocks alone did not show: two
    # parses, ~85 ms each at 10,000 licenses, paid only by a store with
    # comments of its own).
    return text if _read(text) == _read(new) else new


def _spare(texts: list[str], present: set[str]) -> dict[_Key, list[str]]:
    """The old blocks with a comment that the new text does not hold as they
    are, by what they read as. Only a block with a comment is worth its parse:
    any other one reads the same written anew, and the file comes back to the
    one form."""
    spare: dict[_Key, list[str]] = {}
    for text in texts:
        for block in _blocks(text):
            if "#" in block and block not in present:
                key = _key(block)
                if key is not None:
                    spare.setdefault(key, []).append(block)
    return spare


def _commented_text(old: bytes) -> str | None:
    """``old`` as text when it holds a "#" beyond the header the tool writes,
    else None: nothing to keep, and no split of the texts (20 ms at 10,000
    licenses, 55 at a large trader's 3.5 MB, against 160 and 380 ms for the
    write itself)."""
    own = len(HEADER.encode()) if old.startswith(HEADER.encode()) else 0
    if old.find(b"#", own) < 0:
        return None
    try:
        return old.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None


def _blocks(text: str) -> list[str]:
    """``text`` cut before each table header, a record's sub-tables kept with it."""
    starts = [0]
    record = None  # the array of tables the current block is a record of
    for found in _header().finditer(text):
        name, array = found["name"].strip(), bool(found["array"])
        first = name.split(".", 1)[0].strip().strip("\"'")
        if record is not None and first == record and (not array or "." in name):
            continue  # [license.x], [[license.shipments]]: part of the record
        record = name if array and "." not in name else None
        start = _with_its_comments(text, found.start())
        if start > starts[-1]:
            starts.append(start)
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def _with_its_comments(text: str, start: int) -> int:
    """Where a block begins: the comment and blank lines right above its
    header are its own (``# --- dysprosium ---`` before ``[[license]]``)."""
    while start > 0:
        above = text.rfind("\n", 0, start - 1) + 1
        line = text[above:start].strip()
        # A "comment" that closes a multi-line string is that string's last
        # line: it stays with its block.
        if line and (not line.startswith("#") or '"""' in line or "'''" in line):
            break
        start = above
    return start


@functools.cache
def _header() -> re.Pattern[str]:
    return re.compile(r"^[ \t]*\[(?P<array>\[)?(?P<name>[^\[\]\n]+)\]", re.MULTILINE)


def _signature(block: str) -> tuple[str, str]:
    """A block's header and ``id`` line, as written: cheap to find, and the
    same for the blocks that can hold the same record."""
    header = _header().search(block)
    ident = _id_line().search(block)
    return (
        "" if header is None else " ".join(header[0].split()),
        "" if ident is None else "".join(ident[0].split()).replace("'", '"'),
    )


@functools.cache
def _id_line() -> re.Pattern[str]:
    return re.compile(r"^[ \t]*id[ \t]*=[^\n#]*", re.MULTILINE)


def _key(block: str) -> _Key | None:
    """What a block holds, with the types of its values, under its header
    (a ``[foo]`` with ``bar.y = 2`` is not ``[foo.bar]`` with ``y = 2``);
    None when it does not read alone (it is then written anew)."""
    try:
        return _signature(block)[0], _typed(_read(block))
    except (ValueError, RecursionError):  # TOMLDecodeError; nested too deep
        return None


def _typed(value: Any) -> Any:
    """``value`` as a hashable tree that keeps each value's type: the text
    "2025-12-01" is not the date 2025-12-01, nor 1 the same as 1.0 or True."""
    if isinstance(value, dict):
        return ("table", tuple(sorted((k, _typed(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("array", tuple(_typed(v) for v in value))
    return (type(value).__name__, repr(value))


def _read(text: str) -> dict[str, Any]:
    import tomli  # noqa: PLC0415 - only a rewrite of a hand-written file (10 M instructions)

    return tomli.loads(text)


def _ended(block: str) -> str:
    """A block as the new text's: its own line ends made "\n" (a CRLF file's
    kept blocks otherwise mix them), a final one added."""
    block = block.replace("\r\n", "\n")
    return block if block.endswith("\n") else block + "\n"
