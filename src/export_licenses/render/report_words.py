"""The words of the manager's report: why a license has its level, a filing
deadline as a person acts on it ("file now" once it has passed), what each
colour means, and free text with its dates, numbers and ids kept whole.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING, Final

from export_licenses.domain.license import Status

if TYPE_CHECKING:
    from datetime import date

    from export_licenses.domain.license import License
    from export_licenses.domain.rows import Row

_EXPIRY_SAYS_IT: Final = 90  # days: an expiry this near is a reason of its own
_DRAWN_SAYS_IT: Final = 90  # percent drawn worth saying (rules.DEPLETION_WARNING)
_FULL: Final = 100
_FILING_SAYS_IT: Final = 30  # days to the last day to file (filing_warn_days)

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


def renew_by_cell(row: Row, today: date) -> str:
    """The last day to file; "file now" once it has passed unfiled."""
    deadline = row.verdict.renew_by
    if deadline is None:
        return "-"
    if row.license.status == Status.RENEWAL_FILED:
        return "filed"
    if not to_file(row):
        return "-"
    if deadline < today and row.verdict.days_left >= 0:
        return f"<strong>file now</strong> (last day {_date(deadline)})"
    return _date(deadline)


def to_file(row: Row) -> bool:
    """A renewal still to be filed: active, not filed, not declined."""
    lic = row.license
    return lic.status == Status.ACTIVE and lic.renewal is not False


def why(row: Row, today: date) -> str:
    """Why the license has its level, in a few words: "renewal filed",
    "92 % drawn", "file now", "expires in 7 days"."""
    verdict = row.verdict
    why = [*_expiry_why(verdict.days_left), *_renewal_why(row, today)]
    why += _drawn_why(row.license)
    if verdict.estimated:
        why.append("dates estimated")
    return words("; ".join(why)) if why else "-"


def _expiry_why(days: int) -> list[str]:
    if days < 0:
        return [f"expired {-days} day{'s' * (days != -1)} ago"]
    if days == 0:
        return ["expires today"]
    if days <= _EXPIRY_SAYS_IT:
        return [f"expires in {days} day{'s' * (days != 1)}"]
    return []


def _renewal_why(row: Row, today: date) -> list[str]:
    lic, verdict = row.license, row.verdict
    if lic.status == Status.RENEWAL_FILED:
        late = any(reason.startswith("decision due") for reason in verdict.reasons)
        return ["renewal filed", *(["decision due after expiry"] * late)]
    if lic.renewal is False:
        return ["not to be renewed"]
    if verdict.renew_by is None or verdict.days_left < 0:
        return []
    left = (verdict.renew_by - today).days
    if left < 0:
        return ["file now"]
    if left <= _FILING_SAYS_IT:
        return [f"file within {left} day{'s' * (left != 1)}"]
    return []


def _drawn_why(lic: License) -> list[str]:
    if lic.quantity is None or not lic.shipments or lic.quantity <= 0:
        return []
    drawn = int(lic.shipped * 100 / lic.quantity)
    if drawn >= _FULL:
        return ["fully drawn"]
    return [f"{drawn} % drawn"] if drawn >= _DRAWN_SAYS_IT else []


def _date(day: date) -> str:
    return f'<span class="date">{day}</span>'
