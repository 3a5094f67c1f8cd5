"""The agenda's filing of a renewal: the statutory last day to file (art. 17),
or the review-time history's planning date before it (issue 22)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from .agenda_records import days, for_license, subject, used_up
from .forecast import a_percent, percent
from .license import Status
from .rules import APPLY_NOW, Level, filing, ran_out_advice, worse

if TYPE_CHECKING:
    from datetime import date

    from .agenda import Action
    from .license import License
    from .rows import Row
    from .settings import Settings

_MAY_RENEW: Final = frozenset({Status.ACTIVE, Status.SUSPENDED})
# Below this chance of a decision before expiry, a renewal is critical (issue 22).
EVEN_CHANCE: Final = 0.5


def file_renewal(row: Row, today: date, settings: Settings) -> list[Action]:
    """The last day to file the renewal (art. 17: 45 working days before the last
    working day of the license); or, where the review-time history gives one
    (issue 22), the planning date ``file_by``, which comes first and names the
    statutory last day too. When no filing day gives the chance wanted, the last
    day that leaves the longest wait observed before expiry (``act_by``), as warn
    says; today once that day has come."""
    lic, verdict = row.license, row.verdict
    deadline = verdict.renew_by
    if (
        # A suspended license (a change pending, art. 18) still expires on its
        # day: its renewal is owed as any other's, as warn says.
        lic.status not in _MAY_RENEW
        or lic.renewal_pending
        or lic.renewal is False
        or deadline is None
        or verdict.days_left < 0
        or used_up(lic)
    ):
        return []
    level, _ = filing(
        deadline, today, settings.filing_warn_days, settings.filing_critical_days
    )
    estimated = "; estimated" if verdict.estimated else ""
    if deadline < today:  # the legal floor has passed: nothing else matters
        late = (today - deadline).days
        text = (
            f"file the renewal of {subject(lic)} now: the last day to file was "
            f"{deadline}, {days(late)} ago{estimated}"
        )
        return [_filing(lic, deadline, text, level, "file now")]
    planned = _planned(row, today, settings)
    if planned is None:
        text = f"file the renewal of {subject(lic)}: last day {deadline}{estimated}"
        return [_filing(lic, deadline, text, level, "last day to file")]
    day, words, detail, plan_level = planned
    if verdict.forecast_estimate:  # the chance rests on fewer than 5 that long
        estimated = "; estimated"
    text = (
        f"file the renewal of {subject(lic)}{words}, statutory last day "
        f"{deadline}{estimated}"
    )
    action = _filing(lic, day, text, worse(level, plan_level), detail)
    # "File now" is dated today whatever the day: its moving date is no news.
    return [action._replace(floating=verdict.file_by is None and day == today)]


def apply_anew(row: Row, today: date, _: Settings) -> list[Action]:
    """A license drawn to its quantity, not to be left so: apply for a new one
    now, as warn and coverage say ("apply now: the quantity ran out on
    2026-01-13"), since its cover ended then, whatever its expiry. Dated
    today, so its moving date is no news; its own code, not a renewal's
    filing day (file_renewal has none for it)."""
    lic, verdict = row.license, row.verdict
    ran_out = verdict.action if ran_out_advice(verdict.action) else None
    if not ran_out or lic.status not in _MAY_RENEW or lic.renewal is False:
        return []
    why = ran_out.removeprefix(APPLY_NOW)  # ": the quantity ran out on ..."
    text = f"{APPLY_NOW} for a license to follow {subject(lic)}{why}"
    action = _filing(lic, today, text, Level.CRITICAL, APPLY_NOW)
    return [action._replace(code="apply", verb="apply", floating=True)]


def filing_action(row: Row, today: date, settings: Settings) -> list[Action]:
    """What agenda tells a person to file for a license, at most one action:
    its renewal (``file_renewal``), or, drawn to its quantity, an application
    for a new license (``apply_anew``, action ``apply``). The report, the
    timeline and the calendar mark its day, so they say what agenda says."""
    return file_renewal(row, today, settings) or apply_anew(row, today, settings)


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
        act_by = verdict.act_by
        # A chance read beyond the longest wait observed is a lower bound, as
        # show says it ("at least an 80 % chance").
        bound = verdict.p_bound
        if (
            act_by is not None
            and today < act_by
            and (deadline is None or act_by < deadline)
        ):
            # Filed any day up to act_by, the chance is the same on this
            # history (the curve says no more beyond the longest wait): "file
            # now" a year ahead was no advice. Flagged as the planning date is,
            # near it. A pending wait still grows: act_by counts it as it will
            # be then, and the line says so.
            soon = (act_by - today).days <= settings.filing_warn_days
            growing = verdict.act_by_growing
            words = (
                f" by {act_by}: no filing day gives {wanted}; filed by then, "
                f"{bound}{a_percent(p)} chance"
                + (
                    f"; the longest wait, {growing}'s, is still growing"
                    if growing
                    else ""
                )
            )
            near = Level.WARNING if soon else None
            return act_by, words, f"by {act_by}, {bound}{percent(p)} chance", near
        level = Level.CRITICAL if p < EVEN_CHANCE else Level.WARNING
        words = (
            f" now: no filing day gives {wanted}; filed today, "
            f"{bound}{a_percent(p)} chance"
        )
        return today, words, f"file now, {bound}{percent(p)} chance", level
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
    return for_license(
        lic,
        day=day,
        code="file_renewal",
        verb="file renewal",
        text=text,
        level=level,
        detail=detail,
    )
