"""The HTML the manager's report is built of: a section with its heading, a
level's badge, a table that turns into stacked cards on a phone, and a cell's
text (dates kept whole, ``-`` for nothing). Every section of ``report`` and the
timeline (``report_timeline``) draw with these, so the page's markup and
classes, which ``report.css`` styles, are written in one place.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any

from .report_words import words

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence


def section(anchor: str, heading: str, body: str) -> str:
    return f'<section id="{anchor}">\n<h2>{escape(heading)}</h2>\n{body}\n</section>'


def badge(level: str | None) -> str:
    name = level or "inactive"
    return f'<span class="level level-{name}">{escape(name)}</span>'


def table(
    anchor: str, header: Sequence[str], rows: Iterable[Sequence[str]], css: str = ""
) -> str:
    head = "".join(f'<th scope="col">{escape(name)}</th>' for name in header)
    body = "\n".join(
        f"<tr{css and f' class={css!r}'}>"
        + "".join(
            f'<td data-label="{escape(name)}"><span class="value">{cell}</span></td>'
            for name, cell in zip(header, row, strict=True)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<table class="cards" id="{anchor}-table">\n<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{body}\n</tbody>\n</table>"
    )


def text(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, date):
        return f'<span class="date">{value}</span>'
    return words(str(value))


def iso_date(iso: str | None) -> date | None:
    return None if iso is None else date.fromisoformat(iso)
