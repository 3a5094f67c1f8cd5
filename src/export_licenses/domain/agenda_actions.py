"""The kinds of action on the agenda, one function each (``ACTION_KINDS`` for
licenses, ``APPLICATION_KINDS`` for applications, ``control_actions`` for the
catalogue). Pure: a row, ``today`` and the settings in, actions out. Filing a
renewal is in ``agenda_filing``, the applications' kinds in
``agenda_applications``, what they share in naming a license in
``agenda_records``; shipping, closing and the catalogue are here.

A new kind is one more function that takes a row and ``today`` and returns the
actions it sees, and one more entry in its tuple: the service, the JSON, the CSV,
the terminal lines and notify follow.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Final

from .agenda import Action
from .agenda_applications import APPLICATION_KINDS
from .agenda_filing import apply_anew, file_renewal
from .agenda_records import days, for_license, in_use, subject, used_up
from .rules import Level
from .rules import level as level_for_days

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from .controls import Control
    from .rows import Row
    from .settings import Settings

__all__ = [
    "ACTION_KINDS",
    "APPLICATION_KINDS",
    "apply_uncovered",
    "control_actions",
    "file_renewal",
]


# --- license actions: each takes a row, today and the settings ---------------------
# (filing a renewal: agenda_filing; applications: agenda_applications)


def ship_before_expiry(row: Row, _today: date, settings: Settings) -> list[Action]:
    """The last valid day of a license with quantity left (art. 39: exporting
    after the validity is a violation); a license without a quantity gets an
    ``expires`` line instead, the same date to plan shipments around."""
    lic, verdict = row.license, row.verdict
    if not in_use(lic) or verdict.days_left < 0:
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
            for_license(
                lic,
                day=verdict.expires,
                code="ship_before_expiry",
                verb="ship by expiry",
                text=f"ship the remaining {amount} under {subject(lic)} by "
                f"{verdict.expires}, its last valid day",
                level=flagged,
                detail=f"{amount} left",
            )
        ]
    when = "today" if verdict.days_left == 0 else f"in {days(verdict.days_left)}"
    return [
        for_license(
            lic,
            day=verdict.expires,
            code="expires",
            verb="last valid day",
            text=f"{subject(lic)} expires on {verdict.expires} ({when}): ship "
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
    if used_up(lic):
        last = max(s.on for s in lic.shipments)
        return [
            for_license(
                lic,
                day=last,
                code="close",
                verb="close",
                text=f"close {subject(lic)}: fully shipped on {last}",
                level=Level.WARNING,
                detail="fully shipped",
            )
        ]
    if verdict.days_left < 0:
        return [
            for_license(
                lic,
                day=verdict.expires + timedelta(days=1),
                code="close",
                verb="close",
                text=f"close {subject(lic)}: it expired on {verdict.expires}; "
                "ship nothing under it",
                level=Level.EXPIRED,
                detail=f"expired {verdict.expires}",
            )
        ]
    return []


ACTION_KINDS: Final[tuple[Callable[[Row, date, Settings], list[Action]], ...]] = (
    file_renewal,
    apply_anew,
    ship_before_expiry,
    close,
)


# --- the catalogue -----------------------------------------------------------------


def control_actions(
    control: Control,
    changes: Sequence[tuple[date, str]],
    materials: Sequence[str],
    as_of: str,
) -> list[Action]:
    """A control whose state changes on a day, for the materials it names:
    review what is licensed or applied for under it (``changes``: each day and
    the new state in words). ``as_of``: what the entry rests on, in words
    (``controls.resting_on``): the day the catalogue was checked, as every
    answer resting on it says (issue 23), or the store's own entry."""
    shown = ", ".join(materials[:3]) + (" …" if len(materials) > 3 else "")  # noqa: PLR2004 - three named, then "…"
    return [
        Action(
            day=day,
            code="review_control",
            verb="review control",
            text=f"{control.number} ({control.title.split(':')[0]}): {state} on "
            f"{day}; review what you export of {shown} ({as_of})",
            level=Level.WARNING,
            material=control.number,
            detail=state,
        )
        for day, state in changes
    ]


def apply_uncovered(
    export: tuple[str, str, str],
    numbers: Sequence[str],
    text: str,
    today: date,
    *,
    whose: str = "",
) -> Action:
    """An export (material, destination, authority) the store makes under a
    control that needs a license, with no license and no application covering
    it (issue 23 section 3): apply before the next export, today, critical, in
    ``warn``'s words (``text``). ``numbers``: the controls. Dated today, so its
    moving date is no news to notify; its key is the export's, not the
    controls', so one more control found is not a new alert. ``whose``: the
    authority's name and a space, when the store has it under another one
    ("no MOFCOM license covers it", beside a BIS license)."""
    material, destination, authority = export
    return Action(
        day=today,
        code="apply_uncovered",
        verb="apply",
        text=text,
        level=Level.CRITICAL,
        number=", ".join(numbers),
        material=material,
        destination=destination,
        detail=f"no {whose}license covers it",
        floating=True,
        authority=authority,
    )
