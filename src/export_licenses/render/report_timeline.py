"""The manager's report's timeline: one lane per active license, its bar
coloured by level from issue to expiry, the day to file its renewal (as the
agenda gives it) and today marked, over a month axis. Inline SVG only, so the
page stays one file (``report``).
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from typing import TYPE_CHECKING, Final

from .report_html import section, text
from .report_words import estimated, planned, to_file

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from export_licenses.domain.agenda import Action
    from export_licenses.domain.rows import Row

_TRACK: Final = 1000  # the timeline's width in SVG units
# The timeline looks a year ahead at most: a BIS license valid four years would
# otherwise squeeze every six-month MOFCOM license into a sliver.
_AHEAD: Final = timedelta(days=366)


def timeline(rows: Sequence[Row], today: date, filings: Mapping[int, Action]) -> str:
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
        deadline = _mark(r, today, filings.get(r.license.id), x, end)
        now = f'<rect class="today" x="{x(today)}" y="0" width="3" height="18"/>'
        lines.append(
            f'<div class="lane"><span class="lane-label">{r.license.id}&nbsp;'
            f"{text(r.license.number)} &middot; {text(r.license.material)}</span>"
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
        + '<span class="entry"><span class="key key-deadline"></span> day to file '
        "a renewal or apply (none once filed)</span> "
        f'<span class="entry"><span class="key key-today"></span> today '
        f'(<span class="date">{today}</span>)</span> '
        # Not one unbroken entry: it wraps on a phone.
        "The day to file is the agenda's: the history's planning day, or today "
        "where it says file now (or apply now: the quantity ran out); else the "
        "last day to file the renewal.</p>"
    )
    body = (
        f'{legend}\n<div class="timeline">\n<div class="lane"><span class="lane-label">'
        f'</span><div class="axis">{axis}</div></div>\n' + "\n".join(lines) + "\n</div>"
    )
    return section("timeline", "Timeline", body)


def _mark(
    row: Row,
    today: date,
    filing: Action | None,
    x: Callable[[date], float],
    end: date,
) -> str:
    """The black mark on the day to file that agenda and warn give (the
    history's planning day, today for "file now"), its tooltip naming the
    statutory last day too; on the statutory day where agenda has none; today
    with agenda's "apply now" for a license drawn to its quantity."""
    deadline = row.verdict.renew_by
    if filing is not None and filing.code == "apply":
        return _rect(x(filing.day), str(row.verdict.action))
    if deadline is None or not to_file(row):
        return ""
    day = deadline if filing is None else filing.day
    if day >= end:
        return ""
    guess = "; estimated" * estimated(row, filing)
    if filing is not None and filing.detail.startswith("file now") and day < deadline:
        if row.verdict.forecast_estimate:
            guess = "; chance estimated"
        title = f"{filing.detail}; last day to file: {deadline}{guess}"
    elif day < today:
        title = f"file now: the last day was {deadline}{guess}"
    elif planned(row, filing):
        title = f"file by {day}; last day to file: {deadline}{guess}"
    else:
        title = f"last day to file: {deadline}{guess}"
    return _rect(x(day), title)


def _rect(at: float, title: str) -> str:
    return (
        f'<rect class="deadline" x="{at}" y="0" '
        f'width="5" height="18"><title>{escape(title)}</title></rect>'
    )


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
