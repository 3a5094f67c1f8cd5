"""The agenda: what a person must do, by date. Pure: rows and verdicts in,
actions out.

Here: an action, an ack, the groups, the window and the order. The kinds of
action, one function each, are in ``agenda_actions`` (and the modules it
names). The codes
(``Action.code``) are the contract's stable ``action`` values: only ever added,
never renamed.

The domain side of ``service/agenda.py`` and ``render/agenda.py``: here what an
action is and the order of them; the service gathers the actions from a store,
render draws them.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, Final, NamedTuple, Self

from .application import app_label
from .rules import Level

WEEK: Final = 7
DEFAULT_WITHIN: Final = 14  # days ahead: this week and the next
AGENDA_KEYS: Final = ("date", "action", "text", "license", "application", "level")


class Ack(NamedTuple):
    """``licenses ack``: seen on ``on`` at ``level``; quiet until ``until`` (or
    until the level worsens); kept on the record as ``acked``, ``ack_level``,
    ``ack_until`` and ``ack_note``."""

    on: date | None
    level: Level | None
    until: date | None
    note: str | None

    @classmethod
    def of(cls, record: Any) -> Self | None:
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
    # Dated today because it is to be done now, whatever the day ("file now":
    # no filing day gives the chance wanted): its date moving with the clock
    # is no news to notify.
    floating: bool = False
    # Whose license an export with none needs (apply_uncovered): part of its key.
    authority: str = ""
    # The years not yet announced whose holidays its date is counted across
    # (DOMAIN.md, "Working days in China"): agenda's closing note says so only
    # for the lines it shows.
    estimated: tuple[int, ...] = ()

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
            if self.destination:  # an export no license covers: what, where, whose
                record += f"->{self.destination}@{self.authority}"
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
