"""The agenda: what a person must do, by date. Pure: rows and verdicts in,
actions out.

One function per kind of action (``ACTION_KINDS`` for licenses,
``APPLICATION_KINDS`` for applications, ``control_actions`` for the catalogue).
A new kind is one more function that takes a row and ``today`` and returns the
actions it sees, and one more entry in its tuple: the service, the JSON, the CSV
and the terminal lines follow. The codes (``Action.code``) are the contract's
stable ``action`` values: only ever added, never renamed.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from .application import app_label
from .license import Status
from .rules import Level, filing
from .rules import level as level_for_days

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from .controls import Control
    from .license import License
    from .rows import AppRow, Row
    from .settings import Settings

WEEK: Final = 7
DEFAULT_WITHIN: Final = 14  # days ahead: this week and the next
AGENDA_KEYS: Final = ("date", "action", "text", "license", "application", "level")
GROUPS: Final = ("overdue", "this week", "next week", "later")
# Not to be shipped on: exported (its one export done) and suspended (a
# pending non-key change, art. 18).
_DONE: Final = frozenset({"exported", "suspended"})


class Ack(NamedTuple):
    """``licenses ack``: seen on ``on`` at ``level``; quiet until ``until`` (or
    until the level worsens); kept on the record as ``acked``, ``ack_level``,
    ``ack_until`` and ``ack_note``."""

    on: date | None
    level: Level | None
    until: date | None
    note: str | None

    @classmethod
    def of(cls, record: Any) -> Ack | None:
        """The ack of a license or an application, or None."""
        on, until, note = record.acked, record.ack_until, record.ack_note
        if on is None and until is None and note is None:
            return None
        level = Level(record.ack_level) if record.ack_level else None
        return cls(on, level, until, note)

    def holds(self, level: Level | None, today: date) -> bool:
        """Whether it still silences an alert at ``level`` on ``today``: not
        after ``until``, and never once the level is worse than when seen."""
        if self.until is not None and today >= self.until:
            return False
        seen = self.level.severity if self.level else 0
        return (level.severity if level else 0) <= seen

    def words(self, today: date) -> str | None:
        """How agenda and show say it: "seen until 2026-01-19", "seen"."""
        if self.until is not None:
            if today >= self.until:
                return None
            return f"seen until {self.until}"
        return "seen"


class Action(NamedTuple):
    """One thing to do. ``verb`` is its short name on a terminal line; ``text``
    the whole sentence (JSON, CSV, notifications)."""

    day: date
    code: str  # file_renewal, chase_decision, ... (stable)
    verb: str  # "file renewal": at most 15 columns
    text: str
    level: Level | None
    license: int | None = None
    application: int | None = None
    number: str | None = None
    material: str = ""
    destination: str = ""
    detail: str = ""  # the line's tail: "last day 2026-01-22", "5 working days late"
    seen: str | None = None  # how an ack reads: "seen until 2026-01-19"

    @property
    def key(self) -> str:
        """What makes it the same action from one day to the next (for notify):
        its kind and its record; the date is left out, as a date that moves (a
        decision due later after a hold) is the same thing to do."""
        record = (
            f"L{self.license}" if self.license is not None else f"A{self.application}"
        )
        if self.license is None and self.application is None:
            record = self.material  # a control: its number
        return f"{self.code}:{record}"

    def as_json(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "action": self.code,
            "text": self.text,
            "license": self.license,
            "application": (
                None if self.application is None else app_label(self.application)
            ),
            "level": None if self.level is None else self.level.value,
        }


def group_of(day: date, today: date) -> str:
    """overdue, this week (to Sunday), next week, or later."""
    if day < today:
        return "overdue"
    monday = today - timedelta(days=today.weekday())
    if day < monday + timedelta(days=WEEK):
        return "this week"
    if day < monday + timedelta(days=2 * WEEK):
        return "next week"
    return "later"


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
    working day of the license); and the planning date, where a forecast gives
    one (``file_by``), which comes first."""
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
    plan = verdict.file_by  # the forecast's planning date (issue 22), or None
    estimated = "; estimated" if verdict.estimated else ""
    if deadline < today:
        late = (today - deadline).days
        detail = "file now"
        text = (
            f"file the renewal of {_subject(lic)} now: the last day to file was "
            f"{deadline}, {_days(late)} ago{estimated}"
        )
        day = deadline
    elif plan is not None and plan < deadline:
        detail = f"plan {plan}, last day {deadline}"
        text = (
            f"file the renewal of {_subject(lic)}: planned by {plan}, statutory "
            f"last day {deadline}{estimated}"
        )
        day = plan
    else:
        detail = "last day to file"
        text = f"file the renewal of {_subject(lic)}: last day {deadline}{estimated}"
        day = deadline
    return [
        _for(
            lic,
            day=day,
            code="file_renewal",
            verb="file renewal",
            text=text,
            level=level,
            detail=detail,
        )
    ]


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
    late_text = f"{late} working day{'s' * (late != 1)} late"
    return [
        Action(
            day=due,
            code="chase_decision",
            verb="chase decision",
            text=f"ask MOFCOM for the decision on {_app_subject(row)}: due {due}, "
            f"{late_text}",
            level=verdict.level,
            application=app.id,
            number=app.reference,
            material=app.material,
            destination=app.destination,
            detail=late_text,
        )
    ]


APPLICATION_KINDS: Final[tuple[Callable[[AppRow, date], list[Action]], ...]] = (
    chase_decision,
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


# --- the whole agenda --------------------------------------------------------------


def in_window(action: Action, today: date, within: int | None) -> bool:
    """Overdue, or on a day up to ``within`` days ahead (None: any day)."""
    return within is None or action.day <= today + timedelta(days=within)


def ordered(actions: Iterable[Action]) -> list[Action]:
    """By date, then the worst first, then by license or application."""
    return sorted(
        actions,
        key=lambda a: (
            a.day,
            -(a.level.severity if a.level else -1),
            a.license if a.license is not None else 1 << 40,
            a.application or 0,
            a.code,
        ),
    )


def with_ack(action: Action, ack: Ack | None, today: date) -> Action:
    """The action as agenda shows it under an ack that still holds."""
    if ack is None or not ack.holds(action.level, today):
        return action
    return action._replace(seen=ack.words(today))
