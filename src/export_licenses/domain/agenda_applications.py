"""The agenda's actions on pending applications: chase a decision that is
late, find out whether a stopped review clock runs again (art. 17)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from .agenda import Action
from .application import app_label
from .forecast import MIN_AT_RISK
from .rules import Level

# A date that rests on few observations, as the tables mark it.
ESTIMATE: Final = "~"

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from .rows import AppRow


def _app_subject(row: AppRow) -> str:
    app = row.application
    renewing = f" (renewal of license {app.renews})" if app.renews else ""
    return (
        f"application {app_label(app.id)}{renewing}, {app.material} to "
        f"{app.destination}"
    )


def chase_decision(row: AppRow, _today: date) -> list[Action]:
    """A pending application whose statutory decision date has passed (art. 17:
    45 working days from acceptance): ask the authority. Dated on the statutory day,
    a fact; when the review-time history expects the decision (half of such
    applications, having waited as long, were decided by then), the text says
    when too: a truer answer to "when will it come" than a day already past,
    marked ``~`` when it rests on few observations, as in the tables."""
    app, verdict = row.application, row.verdict
    due = verdict.decision_due
    if not app.pending or not verdict.overdue or due is None:
        return []
    late = verdict.overdue_working_days or 0
    # BIS's clock counts calendar days (15 CFR 750.4; issue 23)
    word = "day" if row.review_unit == "calendar" else "working day"
    late_text = f"{late} {word}{'s' * (late != 1)} late"
    if not late:  # past the due day on days off: overdue all the same (warn's)
        late_text = f"overdue, no {word} since"
    expected = row.forecast.expected_decision
    outlook = ""
    if expected is not None:
        mark, thin = "", ""
        if row.forecast.estimate:
            mark = ESTIMATE
            thin = f"; an estimate: fewer than {MIN_AT_RISK} observed that long"
        outlook = (
            f"; expected {expected}{mark} (half of such were decided by then{thin})"
        )
    return [
        Action(
            day=due,
            code="chase_decision",
            verb="chase decision",
            text=f"ask {app.issuer} for the decision on {_app_subject(row)}: "
            f"due {due}, {late_text}{outlook}",
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
