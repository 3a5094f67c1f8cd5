"""Tables of rows: styled and fitted to the width on a terminal, plain aligned
text in a pipe."""

from __future__ import annotations

from functools import partial
from itertools import chain, repeat
from typing import TYPE_CHECKING, Any, Final, TextIO

from .cells import (
    FIRST_SHORTENED,
    GAP,
    WORDS_SHORTENED,
    fit,
    hidden_note,
    pad,
    paint,
    shorten,
    shorten_all,
    shorten_start,
    shorten_words,
    width_of,
)
from .console import LEVEL_STYLE, Look, screen_size, unicode_ok

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import date

    from export_licenses.domain.rows import Row

COLUMNS: Final = (
    "ID",
    "Number",
    "Material",
    "Dest",
    "Issued",
    "Expires",
    "Renew by",
    "Left",
    "Level",
)
# Left out, in this order, when a terminal is too narrow for a line per license.
# The expiry and the last days to file are what a person acts on: they go last.
DROP: Final = (
    "Issued",
    "Status",
    "Dest",
    "Material",
    "Renew by",
    "File by",
    "Expires",
)
_FILE_BY_AT: Final = COLUMNS.index("Renew by") + 1
_RIGHT: Final = frozenset({"ID", "Left", "Waited", "Overdue"})
# Free text: shortened with an ellipsis when a terminal is narrow.
_SHORTENED: Final = frozenset(
    {"Number", "Material", "End user", "Controls", *WORDS_SHORTENED}
)


def _cells(row: Row, *, with_status: bool, with_file_by: bool) -> list[str]:
    lic, verdict = row.license, row.verdict
    cells = [
        str(lic.id),
        lic.number or "-",
        lic.material,
        lic.destination,
        lic.issued.isoformat(),
        verdict.expires.isoformat(),
        marked(
            verdict.renew_by, estimate=bool(verdict.estimated) or row.review_estimate
        ),
        str(verdict.days_left),
        verdict.level or "-",  # a Level is a str: its value
    ]
    if with_file_by:
        cells.insert(
            _FILE_BY_AT,
            marked(
                verdict.file_by,
                estimate=verdict.forecast_estimate or bool(verdict.estimated),
            ),
        )
    if with_status:
        cells.append(lic.status)
    return cells


def _headers(rows: Sequence[Row]) -> tuple[list[str], bool, bool]:
    """The columns: Status once a row is not active, File by (the planning date
    from the review-time history) once a row has one."""
    with_status = any(not row.license.active for row in rows)
    with_file_by = any(row.verdict.file_by for row in rows)
    headers = [*COLUMNS, *(["Status"] if with_status else [])]
    if with_file_by:
        headers.insert(_FILE_BY_AT, "File by")
    return headers, with_status, with_file_by


def table(rows: Sequence[Row], stream: TextIO, look: Look) -> None:
    headers, with_status, with_file_by = _headers(rows)
    body = [
        _cells(row, with_status=with_status, with_file_by=with_file_by) for row in rows
    ]
    levels = [row.verdict.level.value if row.verdict.level else None for row in rows]
    level_column = headers.index("Level")
    grid(
        headers,
        body,
        levels,
        stream,
        look,
        level_column=level_column,
        drop=DROP,
        notes=legend(body),
    )


# A date that is a guess, in a table: "2027-03-04~", and the line that says why
# (the first of these that fits the terminal; the whole one in a pipe).
ESTIMATE: Final = "~"
LEGENDS: Final = (
    (
        "~ an estimate: the date rests on a holiday schedule not yet announced, "
        "or on fewer than 5 applications observed that long"
    ),
    (
        "~ an estimate: a holiday year not yet announced, or under 5 applications "
        "seen that long"
    ),
    "~ estimate: unannounced holidays or < 5 observations",
    "~ estimate",
)
LEGEND: Final = LEGENDS[0]


def marked(day: date | None, *, estimate: bool) -> str:
    """A date cell: ``-`` when none, with ``~`` when it is an estimate."""
    if day is None:
        return "-"
    return day.isoformat() + (ESTIMATE if estimate else "")


def marked_values(
    rows: Sequence[dict[str, Any]], key: str, flag: str
) -> list[dict[str, Any]]:
    """``rows`` with the value of ``key`` marked ``~`` where ``flag`` is true,
    for a table that prints the value as it is (coverage's projected gap: its
    table then carries the legend, as for a marked date)."""
    return [
        row | {key: f"{row[key]}{ESTIMATE}"}
        if row[flag] and row[key] is not None
        else row
        for row in rows
    ]


def legend(body: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """The legend under a table (``grid``'s ``notes``), when a date in it is
    marked."""
    cells = [*chain.from_iterable(body)]
    # One search of the joined text instead of a method call per cell (50,000
    # cells at 5,000 rows: 5 ms to 1.5 ms); exact while no cell holds a NUL.
    text = "\0".join(cells) + "\0"
    if text.count("\0") == len(cells):
        marked = ESTIMATE + "\0" in text
    else:
        marked = any(cell.endswith(ESTIMATE) for cell in cells)
    return LEGENDS if marked else ()


def grid(
    headers: Sequence[str],
    body: Sequence[Sequence[str]],
    levels: Sequence[str | None],
    stream: TextIO,
    look: Look,
    *,
    level_column: int | None = None,
    drop: Sequence[str] = (),
    notes: Sequence[str] = (),
) -> None:
    """Any table of this tool. In a pipe: every column, aligned with spaces. On a
    terminal: a bold header over a rule, the level column coloured, and one line
    per row at any width (free text shortened, then ``drop`` columns hidden).
    ``notes``: a line under the rows, said in the first of its wordings that
    fits (the first in a pipe), above the footer naming hidden columns."""
    if not look.rich:
        # FORCE_COLOR in a pipe (`| less -R`) colours the levels of the same
        # plain columns: every column whole, no rule, as a script reads them.
        painted = level_column if look.color else None
        stream.write(plain_table(headers, body, levels, painted))
        if notes:
            stream.write(paint(notes[0], "dim", color=look.color) + "\n")
        return
    columns_text = [list(column) for column in zip(headers, *body, strict=True)]
    # A column of plain ASCII (most are: ids, dates, numbers) is measured and
    # padded with len and ljust, in C; others cell by cell, by display width.
    ascii_only = ["".join(texts).isascii() for texts in columns_text]
    natural = [
        max(map(len if plain else width_of, texts))
        for texts, plain in zip(columns_text, ascii_only, strict=True)
    ]
    columns, _ = screen_size(stream)
    layout = fit(headers, natural, columns, shrink=_SHORTENED, drop=drop)
    drawn = [
        _column(columns_text[at], width, headers[at], ascii_only=ascii_only[at])
        for at, width in zip(layout.shown, layout.widths, strict=True)
    ]
    if level_column in layout.shown:
        at = layout.shown.index(level_column)
        drawn[at][1:] = [
            _painted(cell, level, color=look.color)
            for cell, level in zip(drawn[at][1:], levels, strict=True)
        ]
    gap = " " * GAP
    lines = [gap.join(cells).rstrip() for cells in zip(*drawn, strict=True)]
    total = sum(layout.widths) + GAP * (len(layout.widths) - 1)
    rule = "─" if unicode_ok() else "-"
    parts = [paint(lines[0], "bold", color=look.color), "\n", rule * total, "\n"]
    parts += [f"{text}\n" for text in lines[1:]]
    if notes:  # one line, never wrapped
        note = next((n for n in notes if width_of(n) <= columns), notes[-1])
        parts += [paint(shorten(note, columns), "dim", color=look.color), "\n"]
    if layout.hidden:  # one line: a footer never wraps
        note = hidden_note(layout.hidden, columns)
        parts += [paint(note, "dim", color=look.color), "\n"]
    stream.write("".join(parts))


def _column(
    texts: list[str], width: int, header: str, *, ascii_only: bool
) -> list[str]:
    """A column's cells (its header first), shortened if free text, padded."""
    if header in FIRST_SHORTENED:
        texts = [texts[0], *(shorten_start(text, width) for text in texts[1:])]
    elif header in WORDS_SHORTENED:
        texts = [texts[0], *(shorten_words(text, width) for text in texts[1:])]
    elif header in _SHORTENED:
        texts = [texts[0], *shorten_all(texts[1:], width)]
    right = header in _RIGHT
    if ascii_only:
        return [text.rjust(width) if right else text.ljust(width) for text in texts]
    return [pad(text, width, right=right) for text in texts]


def _painted(cell: str, level: str | None, *, color: bool) -> str:
    """A padded level cell with its word in the level's style (dim when none)."""
    text = cell.rstrip()
    style = LEVEL_STYLE.get(level, "") if level else "dim"
    return paint(text, style, color=color) + cell[len(text) :]


def plain_table(
    headers: Sequence[str],
    body: Sequence[Sequence[str]],
    levels: Sequence[str | None] = (),
    painted: int | None = None,
) -> str:
    """Columns aligned with spaces: no box drawing, and no escape codes but
    the level styles of column ``painted`` (FORCE_COLOR) when it is given."""
    # Padded a column at a time by map, in C, then joined a line at a time
    # (5,000 rows: 8 ms to 3.5 ms of str.format per line).
    padded = []
    columns = zip(headers, *body, strict=True)
    for at, (name, texts) in enumerate(zip(headers, columns, strict=True)):
        right = name in _RIGHT
        cells: Iterable[str]
        if "".join(texts).isascii():
            width = max(map(len, texts))
            cells = map(str.rjust if right else str.ljust, texts, repeat(width))
        else:  # wide (CJK) characters take two columns: padded by display width
            width = max(map(width_of, texts))
            cells = [pad(text, width, right=right) for text in texts]
        if at == painted:
            header, *rest = cells
            styled = map(partial(_painted, color=True), rest, levels)
            cells = [header, *styled]
        padded.append(cells)
    lines = map("  ".join, zip(*padded, strict=True))
    return "\n".join(map(str.rstrip, lines)) + "\n"
