"""The kinds of action on the agenda, one function each (``ACTION_KINDS`` for
licenses, ``APPLICATION_KINDS`` for applications, ``control_actions`` for the
catalogue). Pure: a row, ``today`` and the settings in, actions out.

A new kind is one more function that takes a row and ``today`` and returns the
actions it sees, and one more entry in its tuple: the service, the JSON, the CSV,
the terminal lines and notify follow.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Final

from .agenda import Action
from .application import app_label
from .forecast import a_percent, percent
from .license import Status
from .rules import Level, filing
from .rules import level as level_for_days

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from .controls import Control
    from .license import License
    from .rows import AppRow, Row
    from .settings import Settings

# Not to be shipped on: exported (its one export done) and suspended (a
# pending non-key change, art. 18).
_DONE: Final = frozenset({"exported", "suspended"})
# Below this chance of a decision before expiry, a renewal is critical (issue 22).
EVEN_CHANCE: Final = 0.5


def _subject(lic: License) -> str:
    number = f" ({lic.number})" if lic.number else ""
    return f"license {lic.id}{number}, {lic.material} to {lic.destination}"


def _for(lic: License, **fields: Any) -> Action:
    return Action(
        license=lic.id,
        number=lic.number,
        material=lic.material,
        destination=lic.destination,
        **fields,
    )


def _days(count: int) -> str:
    return f"{count} day{'s' * (count != 1)}"


def _flagged(lic: License) -> bool:
    return lic.active and lic.status not in _DONE


def _used_up(lic: License) -> bool:
    """Fully shipped: nothing is left to export under it."""
    return bool(
        lic.quantity is not None and lic.shipments and lic.shipped >= lic.quantity
    )


# --- license actions: each takes a row, today and the settings ---------------------


def file_renewal(row: Row, today: date, settings: Settings) -> list[Action]:
    """The last day to file the renewal (art. 17: 45 working days before the last
    working day of the license); or, where the review-time history gives one
    (issue 22), the planning date ``file_by``, which comes first and names the
    statutory last day too. When no filing day gives the chance wanted, today."""
    lic, verdict = row.license, row.verdict
    deadline = verdict.renew_by
    if (
        lic.status != Status.ACTIVE
        or lic.renewal is False
        or deadline is None
        or verdict.days_left < 0
        or _used_up(lic)
    ):
        return []
    level, _ = filing(
        deadline, today, settings.filing_warn_days, settings.filing_critical_days
    )
    estimated = "; estimated" if verdict.estimated else ""
    if deadline < today:  # the legal floor has passed: nothing else matters
        late = (today - deadline).days
        text = (
            f"file the renewal of {_subject(lic)} now: the last day to file was "
            f"{deadline}, {_days(late)} ago{estimated}"
        )
        return [_filing(lic, deadline, text, level, "file now")]
    planned = _planned(row, today, settings)
    if planned is None:
        text = f"file the renewal of {_subject(lic)}: last day {deadline}{estimated}"
        return [_filing(lic, deadline, text, level, "last day to file")]
    day, words, detail, plan_level = planned
    text = (
        f"file the renewal of {_subject(lic)}{words}, statutory last day "
        f"{deadline}{estimated}"
    )
    action = _filing(lic, day, text, _worse(level, plan_level), detail)
    return [action._replace(floating=verdict.file_by is None)]


def _planned(
    row: Row, today: date, settings: Settings
) -> tuple[date, str, str, Level | None] | None:
    """The forecast's day to file, before the statutory one: its date, words,
    short detail and level (the forecast's thresholds: past or no day reaching
    the chance is critical below an even chance; within filing_warn_days is
    warning); None when the forecast gives nothing earlier."""
    verdict, deadline = row.verdict, row.verdict.renew_by
    plan, p = verdict.file_by, verdict.p_decision_by_expiry
    wanted = f"{a_percent(settings.confidence)} chance of a decision before expiry"
    if plan is None:
        if p is None or p >= settings.confidence:
            return None  # the statutory model, or every day ahead reaches it
        level = Level.CRITICAL if p < EVEN_CHANCE else Level.WARNING
        words = (
            f" now: no filing day gives {wanted}; filed today, {a_percent(p)} chance"
        )
        return today, words, f"file now, {percent(p)} chance", level
    if deadline is not None and plan >= deadline:
        return None  # the legal floor comes first
    if plan < today:
        words = f" now: the last day for {wanted} was {plan}"
        return plan, words, f"file now, last day {deadline}", Level.CRITICAL
    soon = (plan - today).days <= settings.filing_warn_days
    warn: Level | None = Level.WARNING if soon else None
    words = f": planned by {plan} for {wanted}"
    return plan, words, f"planned, last day {deadline}", warn


def _filing(
    lic: License, day: date, text: str, level: Level | None, detail: str
) -> Action:
    return _for(
        lic,
        day=day,
        code="file_renewal",
        verb="file renewal",
        text=text,
        level=level,
        detail=detail,
    )


def _worse(a: Level | None, b: Level | None) -> Level | None:
    if a is None or b is None:
        return a or b
    return a if a.severity >= b.severity else b


def ship_before_expiry(row: Row, _today: date, settings: Settings) -> list[Action]:
    """The last valid day of a license with quantity left (art. 39: exporting
    after the validity is a violation); a license without a quantity gets an
    ``expires`` line instead, the same date to plan shipments around."""
    lic, verdict = row.license, row.verdict
    if not _flagged(lic) or verdict.days_left < 0:
        return []
    # The expiry's own level: a filing deadline has its own line.
    expiry_level = level_for_days(
        verdict.days_left, settings.warn_days, settings.critical_days
    )
    flagged = None if expiry_level is Level.OK else expiry_level
    if lic.quantity is not None:
        left = lic.quantity - lic.shipped
        if left <= 0:
            return []
        unit = f" {lic.unit}" if lic.unit else ""
        amount = f"{left.normalize():f}{unit}"
        return [
            _for(
                lic,
                day=verdict.expires,
                code="ship_before_expiry",
                verb="ship by expiry",
                text=f"ship the remaining {amount} under {_subject(lic)} by "
                f"{verdict.expires}, its last valid day",
                level=flagged,
                detail=f"{amount} left",
            )
        ]
    when = "today" if verdict.days_left == 0 else f"in {_days(verdict.days_left)}"
    return [
        _for(
            lic,
            day=verdict.expires,
            code="expires",
            verb="last valid day",
            text=f"{_subject(lic)} expires on {verdict.expires} ({when}): ship "
            "nothing under it after that day",
            level=flagged,
            detail="expires",
        )
    ]


def close(row: Row, _today: date, _: Settings) -> list[Action]:
    """An active license that can no longer be used: fully shipped, exported
    (art. 15: an individual license lapses once the export is done), or expired."""
    lic, verdict = row.license, row.verdict
    if not lic.active:
        return []
    if _used_up(lic):
        last = max(s.on for s in lic.shipments)
        return [
            _for(
                lic,
                day=last,
                code="close",
                verb="close",
                text=f"close {_subject(lic)}: fully shipped on {last}",
                level=Level.WARNING,
                detail="fully shipped",
            )
        ]
    if verdict.days_left < 0:
        return [
            _for(
                lic,
                day=verdict.expires + timedelta(days=1),
                code="close",
                verb="close",
                text=f"close {_subject(lic)}: it expired on {verdict.expires}; "
                "ship nothing under it",
                level=Level.EXPIRED,
                detail=f"expired {verdict.expires}",
            )
        ]
    return []


ACTION_KINDS: Final[tuple[Callable[[Row, date, Settings], list[Action]], ...]] = (
    file_renewal,
    ship_before_expiry,
    close,
)


# --- application actions -----------------------------------------------------------


def _app_subject(row: AppRow) -> str:
    app = row.application
    renewing = f" (renewal of license {app.renews})" if app.renews else ""
    return (
        f"application {app_label(app.id)}{renewing}, {app.material} to "
        f"{app.destination}"
    )


def chase_decision(row: AppRow, _today: date) -> list[Action]:
    """A pending application whose statutory decision date has passed (art. 17:
    45 working days from acceptance): ask MOFCOM."""
    app, verdict = row.application, row.verdict
    due = verdict.decision_due
    if not app.pending or not verdict.overdue or due is None:
        return []
    late = verdict.overdue_working_days or 0
    # BIS's clock counts calendar days (15 CFR 750.4; issue 23)
    word = "day" if row.review_unit == "calendar" else "working day"
    late_text = f"{late} {word}{'s' * (late != 1)} late"
    return [
        Action(
            day=due,
            code="chase_decision",
            verb="chase decision",
            text=f"ask {app.issuer} for the decision on {_app_subject(row)}: "
            f"due {due}, "
            f"{late_text}",
            level=verdict.level,
            application=app.id,
            number=app.reference,
            material=app.material,
            destination=app.destination,
            detail=late_text,
        )
    ]


def resume_clock(row: AppRow, _today: date) -> list[Action]:
    """A pending application whose review clock stands (a hold: expert review,
    on-site check, documents requested; art. 17): its decision has no due day
    until the clock runs again, so the thing to do is to find out and record
    it (``licenses resume``). Dated the day the clock stopped: a date that does
    not move from one day to the next (notify sends it once), and the age of
    the question. Not flagged: nothing statutory is late."""
    app, verdict = row.application, row.verdict
    since = verdict.stopped_since
    if not app.pending or since is None:
        return []
    reason = next((h.reason for h in reversed(app.holds) if h.reason), None)
    why = f" ({reason})" if reason else ""
    return [
        Action(
            day=since,
            code="resume_clock",
            verb="resume clock",
            text=f"ask {app.issuer} whether the review clock of "
            f"{_app_subject(row)} runs again: stopped since {since}{why}; "
            "record it with licenses resume "
            f"{app_label(app.id)} --on DATE",
            level=None if verdict.level is Level.OK else verdict.level,
            application=app.id,
            number=app.reference,
            material=app.material,
            destination=app.destination,
            detail=reason or "clock stopped",
        )
    ]


APPLICATION_KINDS: Final[tuple[Callable[[AppRow, date], list[Action]], ...]] = (
    chase_decision,
    resume_clock,
)


# --- the catalogue -----------------------------------------------------------------


def control_actions(
    control: Control,
    changes: Sequence[tuple[date, str]],
    materials: Sequence[str],
) -> list[Action]:
    """A control whose state changes on a day, for the materials it names:
    review what is licensed or applied for under it (``changes``: each day and
    the new state in words)."""
    shown = ", ".join(materials[:3]) + (" …" if len(materials) > 3 else "")  # noqa: PLR2004
    return [
        Action(
            day=day,
            code="review_control",
            verb="review control",
            text=f"{control.number} ({control.title.split(':')[0]}): {state} on "
            f"{day}; review what you export of {shown}",
            level=Level.WARNING,
            material=control.number,
            detail=state,
        )
        for day, state in changes
    ]
