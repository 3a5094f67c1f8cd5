"""The manager's report: one self-contained HTML page.

Inline CSS and inline SVG only: no script, no web font, nothing fetched, so it
opens the same from a mail, a file share or a browser offline. Tables turn into
stacked cards below 40rem (a phone at 375 px never scrolls sideways), and the
page prints on A4. Here the page and its sections; the markup they share is in
``report_html``, the timeline in ``report_timeline``, the wording in
``report_words``.
"""

from __future__ import annotations

from html import escape
from importlib.resources import files
from typing import TYPE_CHECKING, Any, Final

from export_licenses.domain.rules import FILE_NOW
from export_licenses.service.controls import STORE, catalogue_date

from .lines import nagios_line
from .renewals import gap_bound
from .report_html import badge, iso_date, section, table, text
from .report_timeline import timeline
from .report_words import MEANING, renew_by_cell, why, words

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import date

    from export_licenses.domain.agenda import Action
    from export_licenses.domain.policy import PolicyAlert
    from export_licenses.domain.rows import AppRow, Row
    from export_licenses.service.summary import Summary, Todo

LEVELS: Final = ("expired", "critical", "warning", "ok")


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
        _licenses(report.active, summary.today, summary.filings),
        timeline(report.active, summary.today, summary.filings),
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


def _legend() -> str:
    """What every colour of the page means: the levels (badges, rows, state,
    timeline bars); the timeline's marks have their own legend above it."""
    items = "\n".join(
        f'<p class="legend-item">{badge(None if level == "inactive" else level)} '
        f"{escape(meaning)}</p>"
        for level, meaning in MEANING.items()
    )
    return section("legend", "Colours", items)


def _week(todos: Sequence[Todo]) -> str:
    if not todos:
        return section("week", "This week", "<p>Nothing to file or chase.</p>")
    items = "\n".join(
        f'<li class="todo todo-{t.level}">{badge(t.level)} '
        f"<strong>{words(t.subject)}</strong>: {words(t.what)}</li>"
        for t in todos
    )
    return section("week", "This week", f'<ul class="todos">\n{items}\n</ul>')


def _licenses(rows: Sequence[Row], today: date, filings: Mapping[int, Action]) -> str:
    if not rows:
        return section("licenses", "Licenses", "<p>No active license.</p>")
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
                f"{r.license.id}&nbsp;{text(r.license.number)}",
                text(r.license.material),
                f'<span class="date">{text(r.license.destination)}</span>',
                text("; ".join(r.license.all_end_users)),  # a general one's too
                text(r.verdict.expires),
                f'<span class="days">{r.verdict.days_left}</span>',
                renew_by_cell(r, today, filings.get(r.license.id)),
                why(r, today, filings.get(r.license.id)),
            ]
            for r in chosen
        ]
        blocks.append(
            f"<h3>{badge(level)} {len(chosen)}</h3>\n"
            + table(f"licenses-{level}", header, cells, css=f"row-{level}")
        )
    return section("licenses", "Licenses by level", "\n".join(blocks))


def _applications(rows: Sequence[AppRow]) -> str:
    if not rows:
        return ""
    header = ("Application", "Material", "To", "Filed", "Decision due", "Status")
    cells = [
        [
            words(a.application.label().removeprefix("application ")),
            text(a.application.material),
            text(a.application.destination),
            text(a.application.filed),
            text(a.verdict.decision_due),
            badge(a.verdict.level.value if a.verdict.level else None)
            + (" overdue" if a.verdict.overdue else f" {escape(a.application.status)}"),
        ]
        for a in rows
    ]
    return section(
        "applications",
        f"Applications waiting for {' or '.join(_authorities(rows))}",
        table("applications", header, cells),
    )


def _authorities(rows: Sequence[AppRow]) -> list[str]:
    """Whom the applications wait for: MOFCOM, or each authority they name
    (issue 23), in the order first named."""
    return list(dict.fromkeys(a.application.issuer for a in rows)) or ["MOFCOM"]


def _next_step(action: str | None, by: str | None) -> str:
    day = iso_date(by)
    if action and action.startswith(FILE_NOW):  # "(last day …)": today, no date
        return f"<strong>{FILE_NOW}</strong>{text(action.removeprefix(FILE_NOW))}"
    if action and day:
        return f"{words(action)} by {text(day)}"
    return text(action)


def _coverage(rows: Sequence[dict[str, Any]]) -> str:
    """coverage's rows, each with its level and, where there is one, why (a
    control in force, or whose suspension ended, and no license: issue 23)."""
    if not rows:
        return ""
    header = (
        "Material",
        "To",
        "End user",
        "Covered until",
        "Gap (days)",
        "Next step",
        "Level",
    )
    cells = [
        [
            text(row["material"]),
            text(row["destination"]),
            text(row["end_user"]),
            text(iso_date(row["covered_until"]) or _suspended(row)),
            _gap(row),
            _next_step(row["next_action"], row["next_action_date"]),
            _level(row),
        ]
        for row in rows
    ]
    return section(
        "coverage",
        "Coverage by material and destination",
        table("coverage", header, cells),
    )


def _suspended(row: dict[str, Any]) -> str | None:
    """As ``coverage`` prints it: licenses that cover nothing today are
    suspended for a pending change (Order 792 art. 18); the level's reasons
    say which."""
    return "suspended" if row["licenses"] else None


def _level(row: dict[str, Any]) -> str:
    """The row's level as its badge, then its reasons ("-" for no level)."""
    level = badge(row["level"]) if row["level"] else "-"
    return " ".join([level, *map(words, row["reasons"])])


def _gap(row: dict[str, Any]) -> str:
    """The projected gap; "-" when none can be projected (no license to run
    out, nothing filed with a due day), never 0; "estimated" when it is
    counted across a holiday year not yet announced."""
    gap = row["projected_gap_days"]
    if gap is None:
        return text(None)
    shown = gap_bound(gap) if row.get("projected_gap_bound") else str(gap)
    return f"{shown} (estimated)" if row["projected_gap_estimate"] else shown


def _controls(alerts: Sequence[PolicyAlert]) -> str:
    """The catalogue's controls changing state near today for what the store
    holds (issue 23), and the catalogue's date: it knows nothing after it."""
    own = list(dict.fromkeys(a.number for a in alerts if a.origin == STORE))
    mine = (
        f" {words(', '.join(own))}: the store's own [[control]] "
        f"entr{'ies' if len(own) > 1 else 'y'}, not the catalogue's."
        if own
        else ""
    )
    as_of = (
        f'<p class="note">Catalogue of controls as of '
        f'<span class="date">{catalogue_date()}</span>.{mine}</p>'
    )
    if not alerts:
        body = "<p>No control changes state near today.</p>"
        return section("controls", "Controls", f"{body}\n{as_of}")
    items = "\n".join(
        f'<li class="todo todo-{a.level.value}">{badge(a.level.value)} '
        f"{words(a.text)}</li>"
        for a in alerts
    )
    body = f'<ul class="todos">\n{items}\n</ul>\n{as_of}'
    return section("controls", "Controls", body)
