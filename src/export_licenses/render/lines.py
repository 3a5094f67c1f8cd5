"""Lines of words: the expiry in words, the confirmations of add, ship, refuse,
withdraw, hold and resume (grant's and renew's words), warn's alert lines for a
pipe or a terminal, and the Nagios status line."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from export_licenses.domain.drawdown import misdated
from export_licenses.domain.license import Status
from export_licenses.domain.review import ahead_of
from export_licenses.domain.rules import Level, estimate_reason

from .console import wrapped

if TYPE_CHECKING:
    from collections.abc import Iterable
    from decimal import Decimal

    from export_licenses.domain.license import License
    from export_licenses.domain.policy import PolicyAlert
    from export_licenses.domain.rows import AppRow, Row
    from export_licenses.domain.rules import Verdict
    from export_licenses.service.reports import WarnReport


ESTIMATED = "estimated: "  # how a calendar estimate's reason begins


def when(verdict: Verdict) -> str:
    """The expiry in words: 'expires 2026-05-03 (108 days left)' and its variants."""
    days = verdict.days_left
    if days < 0:
        return f"expired {verdict.expires} ({-days} day{'s' * (days != -1)} ago)"
    if days == 0:
        return f"expires {verdict.expires} (today is its last valid day)"
    return f"expires {verdict.expires} ({days} day{'s' * (days != 1)} left)"


def added_line(row: Row) -> str:
    """add's confirmation: 'Added license 2: terbium metal to DE, expires
    2026-02-28 (44 days left)', and ``flagged``'s words."""
    lic, verdict = row.license, row.verdict
    line = f"Added {lic.label()}: {lic.material} to {lic.destination}, {when(verdict)}"
    return line + flagged(row)


def flagged(row: Row) -> str:
    """What a confirmation adds for a license already flagged: the day to act
    on and the level, as warn gives them: '; renew by 2025-12-19: CRITICAL', or
    '; file by 2026-01-26: WARNING' where the history's day comes before the
    statutory one (the level rests on it); nothing for one that is ok (or no
    longer active). A day that is an estimate is marked ``~`` as list marks it,
    and the line says why: '; renew by 2026-12-21~: WARNING (~ an estimate: no
    official 2027 holiday schedule yet)'."""
    verdict = row.verdict
    if verdict.level is None or verdict.level is Level.OK:
        return ""
    level = verdict.level.value.upper()
    if row.license.renewal_pending:  # no day to act on: its decision to wait for
        filed = row.license.renewal_filed or "an unknown day"
        return f"; renewal filed on {filed}: {level}"
    by = act_on(verdict)
    guesses = _guesses(row, by)
    if not by:
        return f"; {level}"
    if not guesses:
        return f"; {by}: {level}"
    from .tables import ESTIMATE  # noqa: PLC0415 - tables brings cells: 2.8 ms of add's start-up (no cycle)

    return f"; {by}{ESTIMATE}: {level} ({ESTIMATE} an estimate: {'; '.join(guesses)})"


def _guesses(row: Row, by: str | None) -> list[str]:
    """Why ``act_on``'s renew-by day is an estimate, as list's Renew by column
    judges it: the calendar, the review time. The history's 'file by' day is
    given as warn gives it, unmarked."""
    verdict = row.verdict
    if by is None or not by.startswith("renew by"):
        return []
    guesses = []
    if verdict.estimated:
        years = ", ".join(map(str, verdict.estimated))
        guesses.append(f"no official {years} holiday schedule yet")
    if row.review_estimate:
        guesses.append("fewer than 5 applications observed that long")
    return guesses


def act_on(verdict: Verdict) -> str | None:
    """The day to file the renewal by, in words: the statutory 'renew by DAY',
    or the history's 'file by DAY' (act_by) when earlier, 'file now' once that
    has passed; None without either."""
    planned, statutory = verdict.act_by, verdict.renew_by
    if planned is None or (statutory is not None and statutory <= planned):
        return None if statutory is None else f"renew by {statutory}"
    today = verdict.expires - timedelta(days=verdict.days_left)
    return "file now" if planned < today else f"file by {planned}"


def shipped_line(row: Row, amount: Decimal) -> str:
    """ship's confirmation: 'Shipped 100 on 2026-01-10 against license 1: 300 of
    1000 kg shipped in all', on the day the service took (the license's last
    shipment: --on, else today), and the end of a one-export license's export.
    ``amount`` is the quantity as it was typed."""
    lic = row.license
    limit = f" of {lic.quantity:f}" if lic.quantity is not None else ""
    unit = f" {lic.unit}" if lic.unit else ""
    done = ""
    if lic.status == Status.EXPORTED:
        done = f"; the export is done: {lic.label()} is exported (Order 792 art. 15)"
        today = row.verdict.expires - timedelta(days=row.verdict.days_left)
        if lic.closed is not None and lic.closed > today:
            # Tomorrow's shipment (clock slack): every view keeps the license
            # in use until that day (StoreData.on).
            done = (
                f"; the export is done on {lic.closed}: {lic.label()} is exported "
                "from that day (Order 792 art. 15)"
            )
    return (
        f"Shipped {amount:f} on {lic.shipments[-1].on} against {lic.label()}: "
        f"{lic.shipped:f}{limit}{unit} shipped in all{done}"
    )


def decided_line(row: AppRow, active: License | None) -> str:
    """refuse's and withdraw's confirmation: 'Recorded application A2 as refused
    on 2026-01-10', on the day the service took (--on, else today), and the
    license that is active again, if one is."""
    app = row.application
    back = ""
    if active is not None and active.status == Status.SUSPENDED:
        # Its renewal refused while a change is pending: still not to be used.
        back = f"; {active.label()} stays suspended: its change is pending"
    elif active is not None:
        back = f"; {active.label()} is {_in_use(active)}"
    return f"Recorded {app.label()} as {app.status} on {app.decided}{back}"


def _in_use(lic: License) -> str:
    if lic.status == Status.RENEWAL_FILED:
        return "in use again, its renewal filed"
    return "active again"


def held_line(row: AppRow) -> str:
    """hold's confirmation: the application, and its decision's state."""
    return f"Recorded {row.application.label()}: {row.verdict.reasons[0]}"


def resumed_line(row: AppRow) -> str:
    """resume's confirmation: 'Recorded application A2: clock runs again on
    2026-01-10; …', on the day the service took (its last stop's end: --on,
    else today)."""
    app = row.application
    return (
        f"Recorded {app.label()}: clock runs again on {app.holds[-1].resumed}; "
        f"{row.verdict.reasons[0]}"
    )


def warn_line(row: Row) -> str:
    """One line for a monitor, saying what to do first: 'CRITICAL: license 7
    (MOFCOM-…), yttrium oxide to US: file the renewal by 2026-01-22 (in 7 days);
    expires 2026-04-01 (76 days left)'."""
    lic, verdict = row.license, row.verdict
    level = (verdict.level or Level.OK).value.upper()
    # An expired license has no action (nothing to file past the cliff), but
    # what else is known still follows its expiry: renewal filed on …, the
    # decision's due day, not to be renewed, shipped (docs: warn).
    others = [
        reason
        for reason in verdict.reasons[2 if verdict.action else 1 :]
        if not reason.startswith(ESTIMATED)  # said once, under the lines
    ]
    parts = [*([verdict.action] if verdict.action else []), when(verdict), *others]
    return f"{level}: {lic.label()}, {lic.material} to {lic.destination}: " + "; ".join(
        parts
    )


def warn_text(report: WarnReport, width: int | None) -> str:
    """warn's lines: one per alert in a pipe (cron, Nagios); at a terminal of
    ``width`` columns each alert wrapped under itself. A calendar estimate is
    said once, at the end."""
    lines = [warn_line(row) for row in report.rows]
    # Worst first: after the expired and critical licenses, before the
    # warnings; each says the catalogue's date itself, as coverage's does.
    worse = sum(_severity(row) >= Level.CRITICAL.severity for row in report.rows)
    lines[worse:worse] = [
        f"{u.level.value.upper()}: {u.text}" for u in report.uncovered
    ]
    if report.unsettled is not None:  # first: every line below is one side's
        lines.insert(0, f"UNKNOWN: {report.unsettled.said()}")
    lines += [app_line(app) for app in report.applications]
    lines += [f"{a.level.value.upper()}: {a.text}" for a in report.policy]
    if report.policy:  # what the alerts rest on: it knows nothing later
        lines.append(f"Controls: {controls_basis(report.policy)}")
    years = sorted(
        {year for row in report.rows for year in row.verdict.estimated}
        | {year for app in report.applications for year in app.verdict.estimated}
    )
    if years:
        lines.append(estimate_reason(tuple(years)))
    if width is None:
        return "".join(line + "\n" for line in lines)
    return "".join(part + "\n" for line in lines for part in wrapped(line, width))


def _misdated(report: WarnReport) -> list[str]:
    """The Nagios line's count of days that cannot be, among the flagged rows:
    licenses issued after today and shipments dated after it (a typo, or the
    day checked is wrong: it names the day), shipments dated before issue."""
    today = report.today
    if today is None:
        return []
    issued = sum(ahead_of(row.license.issued, today) for row in report.rows)
    found = [m for row in report.rows for m in misdated(row.license, today)]
    ahead = sum(m.ahead for m in found)
    counts = (
        (issued, "license", "issued after today", f" ({today})"),
        (ahead, "shipment", "dated after today", f" ({today})"),
        (len(found) - ahead, "shipment", "dated before issue", ""),
    )
    return [
        f"{count} {noun}{'s' * (count != 1)} {what}{day}"
        for count, noun, what, day in counts
        if count
    ]


def _severity(row: Row) -> int:
    return 0 if row.verdict.level is None else row.verdict.level.severity


def as_of_day() -> str:
    from export_licenses.service.controls import catalogue_date  # noqa: PLC0415 - output naming controls

    return catalogue_date().isoformat()


def controls_basis(alerts: Iterable[PolicyAlert]) -> str:
    """What alerts on controls rest on: "catalogue as of 2026-11-29" for the
    package's entries, and the store's own [[control]] entries named as such,
    which the catalogue's day says nothing of."""
    from export_licenses.service.controls import STORE, resting_on  # noqa: PLC0415 - output naming controls

    alerts = list(alerts)
    own = frozenset(a.number for a in alerts if a.origin == STORE)
    return resting_on((a.number for a in alerts), own)


def app_line(row: AppRow) -> str:
    """warn's line for an application: 'WARNING: application A3 (renewal of
    license 7), samarium to JP: decision overdue by 5 working days (due …)'."""
    app, verdict = row.application, row.verdict
    level = (verdict.level or Level.OK).value.upper()
    filed = f"filed {app.filed}" if app.filed else "filed on an unknown day"
    reasons = [r for r in verdict.reasons if not r.startswith(ESTIMATED)]
    return f"{level}: {app.label()}, {app.material} to {app.destination}: " + "; ".join(
        [*reasons, filed]
    )


def nagios_line(report: WarnReport) -> str:
    """One status line as the monitoring-plugin guidelines define it."""
    counts = {"expired": 0, "critical": 0, "warning": 0, "ok": report.ok_count}
    for row in report.rows:
        if row.verdict.level is not None:
            counts[row.verdict.level.value] += 1
    flagged = [
        f"{counts[name]} {name}"
        for name in ("expired", "critical", "warning")
        if counts[name]
    ]
    overdue = sum(row.verdict.overdue for row in report.applications)
    if overdue:
        flagged.append(f"{overdue} decision{'s' * (overdue != 1)} overdue")
    # The rest record a day after today (review.after_today): not overdue.
    odd = len(report.applications) - overdue
    if odd:
        flagged.append(f"{odd} application{'s' * (odd != 1)} dated after today")
    flagged += _misdated(report)
    bare = len(report.uncovered)
    if bare:  # a control in force, and no license (coverage's critical rows)
        flagged.append(f"{bare} export{'s' * (bare != 1)} needing a license")
    changed = len(report.policy)
    if changed:
        flagged.append(f"{changed} control{'s' * (changed != 1)} changing state")
    summary = (
        ", ".join(flagged) or f"{counts['ok']} license{'s' * (counts['ok'] != 1)} ok"
    )
    if report.unsettled is not None:  # what the counts stand on, first
        summary = f"{report.unsettled.said()}; {summary}"
    perfdata = " ".join(
        f"{name}={count}" for name, count in [*counts.items(), ("overdue", overdue)]
    )
    return f"LICENSES {report.state} - {summary} | {perfdata}"
