"""Tables of rows: Rich on a terminal, plain aligned text in a pipe."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, TextIO

from .console import LEVEL_STYLE, Look, console, escape

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
_LEVEL_COLUMN: Final = COLUMNS.index("Level")
_RIGHT: Final = frozenset({"ID", "Left", "Waited", "Overdue"})
_FOLDING: Final = frozenset({"Number", "Material", "End user", "Why"})


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
    grid(headers, body, levels, stream, look, level_column=_LEVEL_COLUMN)


def grid(
    headers: Sequence[str],
    body: Sequence[Sequence[str]],
    levels: Sequence[str | None],
    stream: TextIO,
    look: Look,
    *,
    level_column: int | None = None,
) -> None:
    """Any table of this tool: the level column coloured, rows without a level
    dimmed, dates, codes and numbers never wrapped."""
    if not look.rich:
        stream.write(plain_table(headers, body))
        return
    from rich import box  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    drawn = Table(
        header_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    for name in headers:
        # Dates, codes and numbers never wrap; the free text folds instead.
        drawn.add_column(
            name,
            justify="right" if name in _RIGHT else "left",
            no_wrap=name not in _FOLDING,
            overflow="fold",
        )
    for level, cells in zip(levels, body, strict=True):
        style = LEVEL_STYLE.get(level, "") if level else "dim"
        shown = [escape(cell) for cell in cells]
        if level_column is not None:
            shown[level_column] = f"[{style}]{shown[level_column]}[/]"
        drawn.add_row(*shown)
    console(stream, look).print(drawn)


def plain_table(headers: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    """Columns aligned with spaces: no box drawing, no escape codes."""
    rows = [list(headers), *body]
    widths = [max(map(len, column)) for column in zip(*rows, strict=True)]
    line = "  ".join(
        f"{{:{'>' if name in _RIGHT else '<'}{width}}}"
        for name, width in zip(headers, widths, strict=True)
    )
    return "".join(line.format(*cells).rstrip() + "\n" for cells in rows)
