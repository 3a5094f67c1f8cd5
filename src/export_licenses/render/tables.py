"""Tables of rows: styled and fitted to the width on a terminal, plain aligned
text in a pipe."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, TextIO

from .cells import GAP, fit, hidden_note, pad, paint, shorten, width_of
from .console import LEVEL_STYLE, Look, screen_size, unicode_ok

if TYPE_CHECKING:
    from collections.abc import Sequence

    from export_licenses.rows import Row

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
DROP: Final = ("Issued", "Status", "Expires", "Dest", "Material", "Renew by")
_LEVEL_COLUMN: Final = COLUMNS.index("Level")
_RIGHT: Final = frozenset({"ID", "Left", "Waited", "Overdue"})
# Free text: shortened with an ellipsis when a terminal is narrow.
_SHORTENED: Final = frozenset({"Material", "End user"})


def _cells(row: Row, with_status: bool) -> list[str]:
    lic, verdict = row.license, row.verdict
    cells = [
        str(lic.id),
        lic.number or "-",
        lic.material,
        lic.destination,
        lic.issued.isoformat(),
        verdict.expires.isoformat(),
        verdict.renew_by.isoformat() if verdict.renew_by else "-",
        str(verdict.days_left),
        verdict.level or "-",  # a Level is a str: its value
    ]
    if with_status:
        cells.append(lic.status)
    return cells


def _headers(rows: Sequence[Row]) -> tuple[list[str], bool]:
    with_status = any(not row.license.active for row in rows)
    return [*COLUMNS, *(["Status"] if with_status else [])], with_status


def table(rows: Sequence[Row], stream: TextIO, look: Look) -> None:
    headers, with_status = _headers(rows)
    body = [_cells(row, with_status) for row in rows]
    levels = [row.verdict.level.value if row.verdict.level else None for row in rows]
    grid(headers, body, levels, stream, look, level_column=_LEVEL_COLUMN, drop=DROP)


def grid(
    headers: Sequence[str],
    body: Sequence[Sequence[str]],
    levels: Sequence[str | None],
    stream: TextIO,
    look: Look,
    *,
    level_column: int | None = None,
    drop: Sequence[str] = (),
) -> None:
    """Any table of this tool. In a pipe: every column, aligned with spaces. On a
    terminal: a bold header over a rule, the level column coloured, and one line
    per row at any width (free text shortened, then ``drop`` columns hidden)."""
    if not look.rich:
        stream.write(plain_table(headers, body))
        return
    natural = [
        max(width_of(name), *(width_of(cells[at]) for cells in body))
        for at, name in enumerate(headers)
    ]
    columns, _ = screen_size(stream)
    layout = fit(headers, natural, columns, shrink=_SHORTENED, drop=drop)
    rights = [headers[at] in _RIGHT for at in layout.shown]
    shrinkable = [headers[at] in _SHORTENED for at in layout.shown]

    def line(cells: Sequence[str]) -> list[str]:
        out = []
        for at, width, cut in zip(layout.shown, layout.widths, shrinkable, strict=True):
            out.append(shorten(cells[at], width) if cut else cells[at])
        return out

    def padded(cells: Sequence[str]) -> list[str]:
        return [
            pad(text, width, right=right)
            for text, width, right in zip(cells, layout.widths, rights, strict=True)
        ]

    rule = "─" if unicode_ok() else "-"
    total = sum(layout.widths) + GAP * (len(layout.widths) - 1)
    gap = " " * GAP
    parts = [paint(gap.join(padded(line(headers))).rstrip(), "bold", look.color), "\n"]
    parts += [rule * total, "\n"]
    shown_level = (
        layout.shown.index(level_column) if level_column in layout.shown else None
    )
    for level, cells in zip(levels, body, strict=True):
        texts = line(cells)
        drawn = padded(texts)
        if shown_level is not None:
            style = LEVEL_STYLE.get(level, "") if level else "dim"
            text = texts[shown_level]
            drawn[shown_level] = (
                paint(text, style, look.color) + drawn[shown_level][len(text) :]
            )
        parts += [gap.join(drawn).rstrip(), "\n"]
    if layout.hidden:
        import textwrap  # noqa: PLC0415 - only for a narrow terminal

        for note in textwrap.wrap(hidden_note(layout.hidden), columns):
            parts += [paint(note, "dim", look.color), "\n"]
    stream.write("".join(parts))


def plain_table(headers: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    """Columns aligned with spaces: no box drawing, no escape codes."""
    rows = [list(headers), *body]
    widths = [max(map(len, column)) for column in zip(*rows, strict=True)]
    line = "  ".join(
        f"{{:{'>' if name in _RIGHT else '<'}{width}}}"
        for name, width in zip(headers, widths, strict=True)
    )
    return "".join(line.format(*cells).rstrip() + "\n" for cells in rows)
