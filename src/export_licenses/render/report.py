"""The manager's report: one self-contained HTML page.

Inline CSS and inline SVG only: no script, no web font, nothing fetched, so it
opens the same from a mail, a file share or a browser offline. Tables turn into
stacked cards below 40rem (a phone at 375 px never scrolls sideways), and the
page prints on A4.
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from importlib.resources import files
from typing import TYPE_CHECKING, Any, Final

from export_licenses.domain.rules import FILE_NOW

from .formats import nagios_line
from .report_words import MEANING, renew_by_cell, to_file, why, words

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from export_licenses.domain.policy import PolicyAlert
    from export_licenses.domain.rows import AppRow, Row
    from export_licenses.service.summary import Summary, Todo

LEVELS: Final = ("expired", "critical", "warning", "ok")
_TRACK: Final = 1000  # the timeline's width in SVG units
# The timeline looks a year ahead at most: a BIS license valid four years would
# otherwise squeeze every six-month MOFCOM license into a sliver.
_AHEAD: Final = timedelta(days=366)


def page(summary: Summary) -> str:
    report = summary.warn
    state = nagios_line(report).split(" | ", 1)[0].removeprefix("LICENSES ")
    title = f"Export licenses on {summary.today}"
    style = files("export_licenses.render").joinpath("report.css").read_text("utf-8")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>\n{style}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{words(title)}</h1>",
        f'<p class="state state-{report.state.lower()}" id="state">{escape(state)}</p>',
        "</header>",
        "<main>",
        _week(summary.week),
        _legend(),
        _licenses(report.active, summary.today),
        _timeline(report.active, summary.today),
        _applications(summary.applications),
        _coverage(summary.coverage),
        _controls(report.policy),
        "</main>",
        (
            f"<footer>From {escape(summary.source)} on {summary.today} by "
            "<code>licenses report</code>.</footer>"
        ),
        "</body>",
        "</html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def _section(anchor: str, heading: str, body: str) -> str:
    return f'<section id="{anchor}">\n<h2>{escape(heading)}</h2>\n{body}\n</section>'


def _badge(level: str | None) -> str:
    name = level or "inactive"
    return f'<span class="level level-{name}">{escape(name)}</span>'


def _legend() -> str:
    """What every colour of the page means: the levels (badges, rows, state,
    timeline bars); the timeline's marks have their own legend above it."""
    items = "\n".join(
        f'<p class="legend-item">{_badge(None if level == "inactive" else level)} '
        f"{escape(meaning)}</p>"
        for level, meaning in MEANING.items()
    )
    return _section("legend", "Colours", items)


def _week(todos: Sequence[Todo]) -> str:
    if not todos:
        return _section("week", "This week", "<p>Nothing to file or chase.</p>")
    items = "\n".join(
        f'<li class="todo todo-{t.level}">{_badge(t.level)} '
        f"<strong>{words(t.subject)}</strong>: {words(t.what)}</li>"
        for t in todos
    )
    return _section("week", "This week", f'<ul class="todos">\n{items}\n</ul>')


def _table(
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


def _text(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, date):
        return f'<span class="date">{value}</span>'
    return words(str(value))


def _day(iso: str | None) -> date | None:
    return None if iso is None else date.fromisoformat(iso)


def _licenses(rows: Sequence[Row], today: date) -> str:
    if not rows:
        return _section("licenses", "Licenses", "<p>No active license.</p>")
    header = (
        "License",
        "Material",
        "To",
        "End user",
        "Expires",
        "Days left",
        "Renew by",
        "Why",
    )
    blocks = []
    for level in LEVELS:
        chosen = [r for r in rows if r.verdict.level and r.verdict.level.value == level]
        if not chosen:
            continue
        cells = [
            [
                f"{r.license.id}&nbsp;{_text(r.license.number)}",
                _text(r.license.material),
                f'<span class="date">{_text(r.license.destination)}</span>',
                _text("; ".join(r.license.all_end_users)),  # a general one's too
                _text(r.verdict.expires),
                f'<span class="days">{r.verdict.days_left}</span>',
                renew_by_cell(r, today),
                why(r, today),
            ]
            for r in chosen
        ]
        blocks.append(
            f"<h3>{_badge(level)} {len(chosen)}</h3>\n"
            + _table(f"licenses-{level}", header, cells, css=f"row-{level}")
        )
    return _section("licenses", "Licenses by level", "\n".join(blocks))


def _timeline(rows: Sequence[Row], today: date) -> str:
    if not rows:
        return ""
    start = min(*(r.license.issued for r in rows), today)
    end = max(*(r.verdict.expires for r in rows), today) + timedelta(days=1)
    end = min(end, today + _AHEAD)  # a longer bar runs on past the right edge
    span = max((end - start).days, 1)

    def x(day: date) -> float:
        return round((day - start).days / span * _TRACK, 1)

    lines = []
    for r in rows:
        level = r.verdict.level.value if r.verdict.level else "ok"
        stop = min(r.verdict.expires + timedelta(days=1), end)
        width = max(x(stop) - x(r.license.issued), 2)
        bar = (
            f'<rect class="bar bar-{level}" x="{x(r.license.issued)}" y="3" '
            f'width="{width}" '
            f'height="12"><title>{escape(str(r.license.issued))} to '
            f"{escape(str(r.verdict.expires))}</title></rect>"
        )
        deadline = ""
        if r.verdict.renew_by is not None and r.verdict.renew_by < end and to_file(r):
            late = r.verdict.renew_by < today
            title = (
                f"file now: the last day was {r.verdict.renew_by}"
                if late
                else f"file by {r.verdict.renew_by}"
            )
            deadline = (
                f'<rect class="deadline" x="{x(r.verdict.renew_by)}" y="0" '
                f'width="5" height="18"><title>{title}</title></rect>'
            )
        now = f'<rect class="today" x="{x(today)}" y="0" width="3" height="18"/>'
        lines.append(
            f'<div class="lane"><span class="lane-label">{r.license.id}&nbsp;'
            f"{_text(r.license.number)} &middot; {_text(r.license.material)}</span>"
            f'<svg class="lane-bar" viewBox="0 0 {_TRACK} 18" '
            f'preserveAspectRatio="none" role="img" aria-label="license '
            f'{r.license.id}: valid to {r.verdict.expires}">'
            f"{bar}{deadline}{now}</svg></div>"
        )
    axis = "".join(
        f'<span style="left:{share:.1f}%"{_AT_END * (share > _END_SHARE)}>'
        f"{month:%b %Y}</span>"
        for month in _months(start, end)
        for share in [x(month) / _TRACK * 100]
    )
    legend = (
        '<p class="legend">'
        + "".join(
            f'<span class="entry"><span class="key key-bar bar-{level}"></span> '
            f"valid, {level}</span> "
            for level in ("ok", "warning", "critical", "expired")
        )
        + '<span class="entry"><span class="key key-deadline"></span> last day to '
        "file the renewal (none once filed)</span> "
        f'<span class="entry"><span class="key key-today"></span> today '
        f'(<span class="date">{today}</span>)</span></p>'
    )
    body = (
        f'{legend}\n<div class="timeline">\n<div class="lane"><span class="lane-label">'
        f'</span><div class="axis">{axis}</div></div>\n' + "\n".join(lines) + "\n</div>"
    )
    return _section("timeline", "Timeline", body)


# A month label centred on its day would stick out past the right edge of a
# narrow screen: near the end it ends on its day instead.
_END_SHARE: Final = 85
_AT_END: Final = ' class="end"'


def _months(start: date, end: date) -> list[date]:
    """First days of months between start and end, at most about 8 of them."""
    months = []
    year, month = start.year, start.month + 1
    while date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1) < end:
        months.append(date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1))
        month += 1
    step = max(1, -(-len(months) // 8))
    return months[::step]


def _applications(rows: Sequence[AppRow]) -> str:
    if not rows:
        return ""
    header = ("Application", "Material", "To", "Filed", "Decision due", "Status")
    cells = [
        [
            words(a.application.label().removeprefix("application ")),
            _text(a.application.material),
            _text(a.application.destination),
            _text(a.application.filed),
            _text(a.verdict.decision_due),
            _badge(a.verdict.level.value if a.verdict.level else None)
            + (" overdue" if a.verdict.overdue else f" {escape(a.application.status)}"),
        ]
        for a in rows
    ]
    return _section(
        "applications",
        f"Applications waiting for {' or '.join(_authorities(rows))}",
        _table("applications", header, cells),
    )


def _authorities(rows: Sequence[AppRow]) -> list[str]:
    """Whom the applications wait for: MOFCOM, or each authority they name
    (issue 23), in the order first named."""
    return list(dict.fromkeys(a.application.issuer for a in rows)) or ["MOFCOM"]


def _next_step(action: str | None, by: str | None) -> str:
    day = _day(by)
    if action and action.startswith(FILE_NOW):  # "(last day …)": today, no date
        return f"<strong>{FILE_NOW}</strong>{_text(action.removeprefix(FILE_NOW))}"
    if action and day:
        return f"{words(action)} by {_text(day)}"
    return _text(action)


def _coverage(rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return ""
    header = ("Material", "To", "End user", "Covered until", "Gap (days)", "Next step")
    cells = [
        [
            _text(row["material"]),
            _text(row["destination"]),
            _text(row["end_user"]),
            _text(_day(row["covered_until"])),
            _text(row["projected_gap_days"] or 0),
            _next_step(row["next_action"], row["next_action_date"]),
        ]
        for row in rows
    ]
    return _section(
        "coverage",
        "Coverage by material and destination",
        _table("coverage", header, cells),
    )


def _controls(alerts: Sequence[PolicyAlert]) -> str:
    """The catalogue's controls changing state near today for what the store
    holds (issue 23), and the catalogue's date: it knows nothing after it."""
    from export_licenses.service.controls import catalogue_date  # noqa: PLC0415

    as_of = (
        f'<p class="note">Catalogue of controls as of '
        f'<span class="date">{catalogue_date()}</span>.</p>'
    )
    if not alerts:
        body = "<p>No control changes state near today.</p>"
        return _section("controls", "Controls", f"{body}\n{as_of}")
    items = "\n".join(
        f'<li class="todo todo-{a.level.value}">{_badge(a.level.value)} '
        f"{words(a.text)}</li>"
        for a in alerts
    )
    body = f'<ul class="todos">\n{items}\n</ul>\n{as_of}'
    return _section("controls", "Controls", body)
