"""The words of the manager's report: why a license has its level, a filing
deadline as a person acts on it ("file now" once it has passed), what each
colour means, and free text with its dates, numbers and ids kept whole.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING, Final

from export_licenses.domain.license import Status
from export_licenses.domain.rules import ran_out_advice

if TYPE_CHECKING:
    from datetime import date

    from export_licenses.domain.agenda import Action
    from export_licenses.domain.license import License
    from export_licenses.domain.rows import Row

_EXPIRY_SAYS_IT: Final = 90  # days: an expiry this near is a reason of its own
_DRAWN_SAYS_IT: Final = 90  # percent drawn worth saying (rules.DEPLETION_WARNING)
_FULL: Final = 100
_FILING_SAYS_IT: Final = 30  # days to the last day to file (filing_warn_days)
_NOW: Final = "file now"  # how agenda's detail begins when it is to be done now
_CHANCE: Final = " chance of a decision before expiry, after "  # chances.filed

# Dates, license numbers, ids and amounts: never broken at a hyphen or a space
# inside them (a phone breaks "2026-01-22" after "2026-" otherwise).
_UNBROKEN: Final = re.compile(
    r"\d{4}-\d\d-\d\d"  # a date
    r"|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+"  # a license number, "samarium-cobalt"
    r"|\b(?:license|application) [A-Z]?\d+\b"  # "license 7", "application A3"
    # "92 %", "7 days", "400 kg" (no word boundary after "%": not a letter)
    r"|\d+(?:[.,]\d+)? ?(?:%|(?:days?|kg|t|pcs)\b)"
)


def words(text: str) -> str:
    """Free text, escaped, with its dates, numbers and ids kept whole."""
    escaped = escape(text)
    return _UNBROKEN.sub(lambda m: f'<span class="nobr">{m.group(0)}</span>', escaped)


MEANING: Final = {
    "expired": "past its last valid day: ship nothing under it",
    "critical": "expires within critical_days, the renewal is late or due within "
    "filing_critical_days, or the quantity is used up",
    "warning": "expires within warn_days, the renewal is due within "
    "filing_warn_days, 90 % drawn, or a decision is overdue",
    "ok": "nothing to do yet",
    "inactive": "no longer active (renewed, closed, revoked)",
}


def renew_by_cell(row: Row, today: date, filing: Action | None) -> str:
    """The day to file that agenda and warn give (``filing``: the history's
    planning day when it comes first, "file now" when they say so), with the
    statutory last day after it where they differ; "file now" once the last day
    has passed unfiled."""
    deadline = row.verdict.renew_by
    if deadline is not None and row.license.status == Status.RENEWAL_FILED:
        return "filed"
    if ran_out_advice(row.verdict.action):  # the cover ended when it ran out
        return "<strong>apply now</strong>"
    if deadline is None or not to_file(row):
        return "-"
    last = f"last day {_date(deadline)}"
    if estimated(row, filing):
        last = f"estimated; {last}"
    if filing is None:  # expired or used up: agenda has no day to file
        now = deadline < today and row.verdict.days_left >= 0
    else:
        now = filing.detail.startswith(_NOW)
    if now:
        return f"<strong>file now</strong> ({last})"
    if filing is not None and filing.day < deadline:
        return f"{_date(filing.day)} ({last})"
    return _date(deadline) + " (estimated)" * estimated(row, filing)


def planned(row: Row, filing: Action | None) -> bool:
    """The day to file is the history's, before the statutory last day (not
    agenda's "apply now": today, as the quantity ran out)."""
    deadline = row.verdict.renew_by
    return (
        filing is not None
        and filing.code == "file_renewal"
        and deadline is not None
        and filing.day < deadline
    )


def estimated(row: Row, filing: Action | None) -> bool:
    """The day to file rests on a guess: a holiday year not announced, a review
    time observed fewer than 5 times that long, or a planning day whose forecast
    rests on as few ("file now" is no date: its chance is, ``why``)."""
    verdict = row.verdict
    guessed = bool(verdict.estimated) or row.review_estimate
    return guessed or (
        planned(row, filing) and _dated(filing) and verdict.forecast_estimate
    )


def _dated(filing: Action | None) -> bool:
    return filing is not None and not filing.detail.startswith(_NOW)


def to_file(row: Row) -> bool:
    """A renewal still to be filed: active, not filed, not declined."""
    lic = row.license
    return lic.status == Status.ACTIVE and lic.renewal is not False


def why(row: Row, today: date, filing: Action | None) -> str:
    """Why the license has its level, in a few words: "renewal filed",
    "92 % drawn", "file now, 40 % chance", "expires in 7 days"."""
    why = [*_expiry_why(row.verdict.days_left), *_renewal_why(row, today, filing)]
    why += _drawn_why(row.license)
    if estimated(row, filing):
        why.append("dates estimated")
    elif planned(row, filing) and row.verdict.forecast_estimate:
        why.append("chance estimated")  # on fewer than 5 observed that long
    return words("; ".join(why)) if why else "-"


def _expiry_why(days: int) -> list[str]:
    if days < 0:
        return [f"expired {-days} day{'s' * (days != -1)} ago"]
    if days == 0:
        return ["expires today"]
    if days <= _EXPIRY_SAYS_IT:
        return [f"expires in {days} day{'s' * (days != 1)}"]
    return []


def _renewal_why(row: Row, today: date, filing: Action | None) -> list[str]:
    lic, verdict = row.license, row.verdict
    if lic.status == Status.RENEWAL_FILED:
        late = any(reason.startswith("decision due") for reason in verdict.reasons)
        # The forecast's chance, which may be what makes it critical.
        chance = [
            reason.split(" (")[0].split(", after ")[0]
            for reason in verdict.reasons
            if _CHANCE in reason
        ]
        return ["renewal filed", *(["decision due after expiry"] * late), *chance]
    if lic.renewal is False:
        return ["not to be renewed"]
    if verdict.renew_by is None or verdict.days_left < 0:
        return []
    return _filing_why(row, today, filing)


def _filing_why(row: Row, today: date, filing: Action | None) -> list[str]:
    """agenda's words where it has a day to file: "file now, 40 % chance",
    "file by 2026-06-22, 80 % chance", "file within 7 days"; where it has none
    (drawn to its quantity), the statutory day's."""
    if filing is not None and filing.code == "apply":
        return []  # the Renew by cell says "apply now"
    if filing is None:
        day, flagged = row.verdict.renew_by, False
        if day is not None and day < today:
            return ["file now"]
    elif filing.detail.startswith(_NOW):
        return [filing.detail]
    else:
        day, flagged = filing.day, filing.level is not None
    left = 0 if day is None else (day - today).days
    if not flagged and left > _FILING_SAYS_IT:
        return []
    if filing is not None and planned(row, filing):
        plan = filing.detail
        return [f"file {plan}" if plan.startswith("by ") else f"file by {day}"]
    return [f"file within {left} day{'s' * (left != 1)}"]


def _drawn_why(lic: License) -> list[str]:
    if lic.quantity is None or not lic.shipments or lic.quantity <= 0:
        return []
    drawn = int(lic.shipped * 100 / lic.quantity)
    if drawn >= _FULL:
        return ["fully drawn"]
    return [f"{drawn} % drawn"] if drawn >= _DRAWN_SAYS_IT else []


def _date(day: date) -> str:
    return f'<span class="date">{day}</span>'
