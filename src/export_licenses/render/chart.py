"""The timeline picture: each active license as a bar from issue to expiry.

Laid out here as rows of (text, style) pieces, so the same picture prints through
Rich on a terminal (colour, box-drawing glyphs) and as plain ASCII in a pipe.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Final, NamedTuple, TextIO

from export_licenses.domain.license import Status
from export_licenses.domain.months import add_months

from .cells import paint
from .console import BAR_STYLE, Look, screen_size, terminal_columns, unicode_ok

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from export_licenses.domain.rows import Row

MIN_LABEL: Final = 12  # "123 dyspros…"
TAIL_WIDTH: Final = 15  # " -123d critical"
MIN_CHART: Final = 20
MONTHS_BEFORE_TODAY: Final = 2

Piece = tuple[str, str]  # (text, Rich style or "")


class Glyphs(NamedTuple):
    bar: str
    today: str
    renew: str
    left: str
    right: str
    more: str  # a label cut short

    @classmethod
    def for_terminal(cls, *, unicode: bool) -> Glyphs:
        if unicode:
            return cls(bar="━", today="│", renew="◆", left="◂", right="▸", more="…")
        return cls(bar="=", today="|", renew="R", left="<", right=">", more="~")


class Window(NamedTuple):
    start: date
    end: date  # exclusive
    columns: int
    label: int  # the width of the labels before the bars

    @classmethod
    def around(cls, today: date, months: int, columns: int, label: int) -> Window:
        first = add_months(today.replace(day=1), -MONTHS_BEFORE_TODAY)
        return cls(first, add_months(first, months), columns, label)

    @property
    def days_per_column(self) -> float:
        return (self.end - self.start).days / self.columns

    def column(self, day: date) -> int:
        return int((day - self.start).days / self.days_per_column)


def picture(
    rows: Sequence[Row],
    today: date,
    months: int,
    width: int,
    glyphs: Glyphs,
    filings: Mapping[int, date] | None = None,
) -> list[list[Piece]]:
    """``filings``: each license's day to file as agenda gives it (by id)."""
    # Labels take what they need, up to a third of what the bars leave.
    longest = max((len(_label(row)) for row in rows), default=MIN_LABEL)
    label = max(MIN_LABEL, min(longest, (width - TAIL_WIDTH - 2) // 3))
    chart = max(MIN_CHART, width - label - TAIL_WIDTH - 2)
    window = Window.around(today, months, chart, label)
    lines = [_axis(window)]
    days = filings or {}
    lines.extend(
        _bar(row, window, glyphs, today, days.get(row.license.id)) for row in rows
    )
    lines.append(_legend(glyphs, today, window))
    return lines


def _axis(window: Window) -> list[Piece]:
    """Month names at the column of each month's first day, where they fit."""
    cells = [" "] * window.columns
    month = window.start
    free_from = 0
    while month < window.end:
        at = window.column(month)
        name = month.strftime("%b")
        if at >= free_from and at + len(name) <= window.columns:
            cells[at : at + len(name)] = list(name)
            free_from = at + len(name) + 1
        month = add_months(month, 1)
    return [(" " * window.label + " ", ""), ("".join(cells), "bold")]


def _bar(
    row: Row, window: Window, glyphs: Glyphs, today: date, filing: date | None
) -> list[Piece]:
    lic, verdict = row.license, row.verdict
    level = verdict.level.value if verdict.level else "-"
    style = BAR_STYLE.get(level, "")
    label = _label(row)
    if len(label) > window.label:
        label = label[: window.label - 1] + glyphs.more
    cells: list[Piece] = [(" ", "")] * window.columns
    first = max(0, window.column(lic.issued))
    last = min(window.columns - 1, window.column(verdict.expires))
    for at in range(first, last + 1):
        cells[at] = (glyphs.bar, style)
    if lic.issued < window.start and last >= 0:
        cells[0] = (glyphs.left, style)
    if verdict.expires >= window.end and first < window.columns:
        cells[-1] = (glyphs.right, style)
    marker = window.column(today)
    if 0 <= marker < window.columns:
        cells[marker] = (glyphs.today, "bold cyan")
    # The day to file that agenda and warn give (the history's planning day,
    # today for "file now" and for "apply now", drawn to its quantity); the
    # statutory day where agenda names none (expired); none once filed or
    # declined.
    renew = filing or verdict.renew_by
    if renew is not None and lic.status == Status.ACTIVE and lic.renewal is not False:
        at = window.column(renew)
        if 0 <= at < window.columns:
            cells[at] = (glyphs.renew, "bold magenta")
    tail = f" {verdict.days_left:>5}d {level}"
    return [(f"{label:<{window.label}} ", ""), *_merge(cells), (tail, style)]


def _label(row: Row) -> str:
    return f"{row.license.id:>3} {row.license.material}"


def _merge(cells: list[Piece]) -> list[Piece]:
    """Runs of one style as one piece: fewer spans for Rich to draw."""
    merged: list[Piece] = []
    for text, style in cells:
        if merged and merged[-1][1] == style:
            merged[-1] = (merged[-1][0] + text, style)
        else:
            merged.append((text, style))
    return merged


def _legend(glyphs: Glyphs, today: date, window: Window) -> list[Piece]:
    last = window.end - timedelta(days=1)
    return [
        (f"{window.start:%b %Y} - {last:%b %Y}".ljust(window.label) + " ", "dim"),
        (f"{glyphs.bar} valid  ", ""),
        (f"{glyphs.renew}", "bold magenta"),
        # The mark stands on agenda's day, "apply now" for a used-up license too.
        (" file renewal / apply by  ", ""),
        (glyphs.today, "bold cyan"),
        (f" today {today}", ""),
    ]


def draw(
    rows: Sequence[Row],
    today: date,
    months: int,
    stream: TextIO,
    look: Look,
    filings: Mapping[int, date] | None = None,
) -> None:
    """Unicode and colour on a terminal; ASCII, no escape codes, in a pipe."""
    unicode = look.rich and unicode_ok()
    width = screen_size(stream)[0] if look.rich else terminal_columns(80)
    glyphs = Glyphs.for_terminal(unicode=unicode)
    lines = picture(rows, today, months, width, glyphs, filings)
    color = look.color
    stream.writelines(
        "".join(paint(text, style, color=color) for text, style in line).rstrip() + "\n"
        for line in lines
    )
