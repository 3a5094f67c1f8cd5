"""The comments of a block a change touched, carried into the block written anew.

``kept_text`` keeps, as written, every block a person commented that the change
left alone. A block the change did touch (an edit, a renewal's status, a
``[settings]`` written out with its defaults) is written anew in the tool's
form; this module puts the person's comments back into it, beside what they
were beside: a comment on the lines above a key (or a table header) goes above
the same key of the same table, one at the end of a key's line goes at the end
of that key's line. A comment whose key the change removed goes to the end of
the block: a rewrite never drops what a person wrote.

Only comments are found by reading the text — a "#" outside every string and
at the top level of a statement or inside a multi-line array — by a small scan
of TOML's strings, so a "# line" inside a multi-line note is never taken for
one. The caller checks the result reads as the new block (``carried``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

_Anchor = tuple[str, int, tuple[str, ...]]  # table header, its occurrence, key


class _Statement(NamedTuple):
    anchor: _Anchor
    first: int  # its first line
    last: int  # its last line (a multi-line value ends there)


class _Comment(NamedTuple):
    text: str  # "# …", or "  # …" with its spacing when at a line's end
    anchor: _Anchor | None  # None: after the last statement
    inline: bool  # at the end of the anchor's last line


def carried(new: str, olds: list[str], read: Any) -> str:
    """``new`` (a block in the tool's form) with the comments of ``olds`` (the
    same record's old blocks) put back; ``read`` parses a TOML text. ``new``
    as it is when the result would not read as ``new`` does."""
    lines = new.split("\n")
    statements, own = _scan(new)
    where = {s.anchor: s for s in statements}
    own_words = {c.text.strip() for c in own}  # the tool's header, in the head
    done: set[tuple[_Anchor | None, str]] = set()
    above: dict[int, list[str]] = {}
    after: dict[int, str] = {}
    tail: list[str] = []
    for old in olds:
        for comment in _scan(old)[1]:
            words = comment.text.strip()
            if words in own_words or (comment.anchor, words) in done:
                continue  # the tool's own, or the other side's same words
            done.add((comment.anchor, words))
            statement = where.get(comment.anchor) if comment.anchor else None
            if statement is None:
                tail.append(words)
            elif comment.inline and statement.last not in after:
                after[statement.last] = comment.text
            else:
                above.setdefault(statement.first, []).append(words)
    if not (above or after or tail):
        return new
    out: list[str] = []
    for n, line in enumerate(lines):
        out.extend(above.get(n, ()))
        out.append(line + after.get(n, ""))
    if tail:  # after the last line of the block, not above the next one's header
        end = max((n for n, text in enumerate(out) if text.strip()), default=-1) + 1
        out[end:end] = tail
    text = "\n".join(out)
    try:
        same = read(text) == read(new)
    except (ValueError, RecursionError):  # TOMLDecodeError; nested too deep
        same = False
    return text if same else new


def _scan(block: str) -> tuple[list[_Statement], list[_Comment]]:
    """The statements (table headers and ``key = value``) of ``block`` with
    their lines, and its comments with what each belongs to."""
    found = _Found()
    line, depth, i, n = 0, 0, 0, len(block)
    while i < n:
        c = block[i]
        if found.start is None and c not in " \t\r\n#":
            found.start = (i, line)
        if c in "\"'":
            i, line = _past_string(block, i, line)
            continue
        if c == "#":
            end = block.find("\n", i)
            end = n if end < 0 else end
            gap = i
            while gap and block[gap - 1] in " \t":
                gap -= 1
            # At the end of a statement's line it is that line's; alone on its
            # line, or inside a multi-line array, it goes above the statement.
            inline = found.start is not None and depth == 0
            found.waiting.append(
                (block[gap:end].rstrip() if inline else block[i:end].rstrip(), inline)
            )
            i = end
            continue
        if c in "[{" and found.start is not None and found.start[0] != i:
            depth += 1
        elif c in "]}" and depth:
            depth -= 1
        elif c == "\n":
            if depth == 0:
                found.close(block, i, line)
            line += 1
        i += 1
    found.close(block, n, line)
    found.comments.extend(
        _Comment(text.strip(), None, inline=False) for text, _ in found.waiting
    )
    return found.statements, found.comments


class _Found:
    """What ``_scan`` has found so far."""

    def __init__(self) -> None:
        self.statements: list[_Statement] = []
        self.comments: list[_Comment] = []
        self.waiting: list[tuple[str, bool]] = []  # comments before a statement
        self.start: tuple[int, int] | None = None  # the open statement: offset, line
        self.header, self.count = "", 0
        self.seen: dict[str, int] = {}

    def close(self, block: str, end: int, line: int) -> None:
        """The open statement ends at ``end``, on ``line``."""
        if self.start is None:
            return
        head = block[self.start[0] : end].split("#", 1)[0].strip()
        if head.startswith("["):
            self.header = "".join(head.split())
            self.count = self.seen[self.header] = self.seen.get(self.header, 0) + 1
            anchor: _Anchor = (self.header, self.count, ())
        else:
            anchor = (self.header, self.count, _key_path(head))
        self.statements.append(_Statement(anchor, self.start[1], line))
        self.comments.extend(_Comment(t, anchor, inline) for t, inline in self.waiting)
        self.waiting, self.start = [], None


def _past_string(text: str, i: int, line: int) -> tuple[int, int]:
    """Where the string opening at ``text[i]`` ends, and the line it ends on."""
    quote = text[i]
    delimiter = quote * 3 if text.startswith(quote * 3, i) else quote
    i += len(delimiter)
    while i < len(text):
        c = text[i]
        if c == "\\" and quote == '"':
            line += text[i + 1 : i + 2] == "\n"
            i += 2
            continue
        if text.startswith(delimiter, i):
            i += len(delimiter)
            while len(delimiter) > 1 and text[i : i + 1] == quote:  # """a"""" ends a"
                i += 1
            return i, line
        if c == "\n":
            line += 1
            if len(delimiter) == 1:
                return i, line - 1  # an unclosed string: the line ends it
        i += 1
    return i, line


def _key_path(statement: str) -> tuple[str, ...]:
    """The dotted key of ``key = value``, as written: quotes and spaces
    around the dots do not make another key."""
    key = statement.split("=", 1)[0] if "=" in statement else statement
    return tuple(map(_unquoted, key.split(".")))


def _unquoted(part: str) -> str:
    part = part.strip()
    quoted = len(part) > 1 and part[0] == part[-1] and part[0] in "\"'"
    return part[1:-1] if quoted else part
