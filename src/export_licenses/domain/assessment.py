"""A verdict for each license on one day: the rules (``rules``) applied, what
licenses with one expiry and review time share worked out once.

No Typer, Rich, clock or store here: every function takes ``today`` from its caller.
"""

from datetime import date, timedelta
from typing import Final, NamedTuple

from .drawdown import misdated_reasons
from .license import License, Status
from .review import AHEAD_OF_TODAY
from .rules import (
    DEPLETION_WARNING,
    NO_REVIEW_TIME,
    Level,
    Verdict,
    days_left,
    estimate_reason,
    expiry,
    filing,
    level,
    projected_gap,
    ran_out_action,
    renew_by,
    worst,
)
from .settings import STATUTORY_REVIEW_DAYS, Settings
from .shipment import exhausted_on
from .workdays import WorkingDays

_FILED: Final = Status.RENEWAL_FILED  # a module constant: looked up 100,000 times


def assess(
    lic: License,
    settings: Settings,
    today: date,
    calendar: WorkingDays,
    *,
    warn_days: int | None = None,
    critical_days: int | None = None,
    review_days: int | None = None,
    decision_due: date | None = None,
) -> Verdict:
    """Where one license stands on ``today``; thresholds default to the settings.

    ``review_days``: the working days MOFCOM is expected to take (default: the
    setting, or the statutory 45). ``decision_due``: when the decision on the
    license's pending renewal application is due, if one is filed.
    """
    assessor = Assessor(settings, today, calendar, warn_days, critical_days)
    return assessor.assess(lic, review_days, decision_due)


class _ByExpiry(NamedTuple):
    """What every license with one expiry and one review time shares."""

    expires: date
    days: int
    level: Level
    deadline: date | None  # None: no review time known
    estimated: tuple[int, ...]  # years the filing deadline is a guess for
    expiry_reason: str
    # The level the filing deadline gives and what to do; None when it flags
    # nothing (yet), or once the license has expired.
    filing: tuple[Level, str] | None
    calendar: WorkingDays  # the license's authority's (issue 23)


class Assessor:
    """``assess`` for many licenses on one day with one set of thresholds.

    A store's licenses share few expiries (10,000 licenses issued across 20 months
    have about 600), and all of a verdict but its license-specific reasons
    (renewal filed, shipments) follows from the expiry and the review time: that
    part is worked out once per distinct pair, and so is the whole verdict of a
    license that nothing else flags.
    """

    def __init__(
        self,
        settings: Settings,
        today: date,
        calendar: WorkingDays,
        warn_days: int | None = None,
        critical_days: int | None = None,
    ) -> None:
        self._settings, self._today, self._calendar = settings, today, calendar
        self._warn, self._critical, self._review = _thresholds(
            settings, warn_days, critical_days
        )
        self._shared: dict[
            tuple[date, int, WorkingDays], tuple[_ByExpiry, Verdict]
        ] = {}
        # The last issue day that is no typo (review.ahead_of, as a compare).
        self._last_issue = today + timedelta(days=AHEAD_OF_TODAY)

    def assess(
        self,
        lic: License,
        review_days: int | None = None,
        decision_due: date | None = None,
        calendar: WorkingDays | None = None,
    ) -> Verdict:
        """``calendar``: the license's authority's, when not the store's."""
        expires = expiry(lic, self._settings.term_months)
        if not lic.active:
            days = days_left(expires, self._today)
            return Verdict(expires, days, None, None, (f"not active: {lic.status}",))
        review = self._review if review_days is None else review_days
        calendar = calendar or self._calendar
        known = self._shared.get((expires, review, calendar))
        if known is None:
            shared = self._by_expiry(expires, review, calendar)
            known = (shared, self._verdict(shared))
            self._shared[expires, review, calendar] = known
        shared, plain = known
        if (
            lic.status != _FILED
            and lic.renewal_filed is None
            and lic.renewal is not False
            and not lic.shipments
        ):
            verdict = plain
        else:
            verdict = self._verdict(shared, lic, decision_due)
        if lic.issued > self._last_issue:
            verdict = _issued_ahead(verdict, lic.issued, self._today)
        if lic.shipments:
            verdict = _misdated(verdict, misdated_reasons(lic, self._today))
        return verdict

    def _by_expiry(
        self, expires: date, review: int, calendar: WorkingDays
    ) -> _ByExpiry:
        days = days_left(expires, self._today)
        if review == NO_REVIEW_TIME:
            return _ByExpiry(
                expires,
                days,
                level(days, self._warn, self._critical),
                None,
                (),
                _expiry_reason(expires, days),
                None,
                calendar,
            )
        deadline = renew_by(expires, review, calendar)
        filing_level, action = filing(
            deadline,
            self._today,
            self._settings.filing_warn_days,
            self._settings.filing_critical_days,
        )
        return _ByExpiry(
            expires,
            days,
            level(days, self._warn, self._critical),
            deadline,
            calendar.guessed_years(deadline, expires),
            _expiry_reason(expires, days),
            # once expired, the expiry says it all
            None if filing_level is None or days < 0 else (filing_level, action),
            calendar,
        )

    def _verdict(
        self,
        shared: _ByExpiry,
        lic: License | None = None,
        decision_due: date | None = None,
    ) -> Verdict:
        """The verdict of ``lic``, or of a license that nothing else flags."""
        expires, days, estimated = shared.expires, shared.days, shared.estimated
        verdict, reasons, action = shared.level, [shared.expiry_reason], None
        ran_out = None if lic is None else exhausted_on(lic.quantity, lic.shipments)
        if lic is not None and lic.renewal_pending:
            reasons.append(f"renewal filed on {lic.renewal_filed or 'an unknown day'}")
            if decision_due is not None:
                estimated += shared.calendar.guessed_years(self._today, decision_due)
                gap = projected_gap(expires, days, decision_due, ran_out)
                if gap is not None:
                    verdict = worst([verdict, Level.WARNING])
                    reasons.append(gap)
                elif days < 0:  # the gap runs now: when it may end
                    was = "is" if decision_due >= self._today else "was"
                    reasons.append(f"decision {was} due {decision_due}")
        elif lic is not None and lic.renewal is False:
            reasons.append("not to be renewed (renewal = false)")
        elif ran_out is not None and days >= 0:
            # Drawn to its quantity: the cover ended then, and every day of
            # waiting adds one to the gap; the expiry's filing day means nothing.
            action = ran_out_action(ran_out)
            verdict = worst([verdict, Level.CRITICAL])
            reasons.insert(0, action)
        elif shared.filing is not None:
            filing_level, action = shared.filing
            verdict = worst([verdict, filing_level])
            reasons.insert(0, action)
        for depletion_level, reason in _depletion(lic) if lic else ():
            verdict = worst([verdict, depletion_level])
            reasons.append(reason)
        years = tuple(sorted(set(estimated)))
        reasons.extend(estimate_reason(years) for _ in years[:1])
        return Verdict(
            expires, days, verdict, shared.deadline, tuple(reasons), action, years
        )


def _issued_ahead(verdict: Verdict, issued: date, today: date) -> Verdict:
    """A license issued after today is a typo, or today is wrong (a clock reset,
    a --today or LICENSES_TODAY left pinned): the commands refuse one, and one
    in the store is a WARNING that says so, never a quiet OK on the wrong day."""
    reason = (
        f"issued {issued} is after today ({today}): a typo, or is the clock "
        "or --today wrong?"
    )
    return _misdated(verdict, (reason,))


def _misdated(verdict: Verdict, reasons: tuple[str, ...]) -> Verdict:
    """A day that cannot be, typed into the file by hand (the commands refuse
    one): at least a WARNING, with ``reasons`` saying which. A shipment dated
    after today or before the issue still counts as shipped: read silently, a
    2062 for 2026 drew the license down unseen. Never an error: the store stays
    readable."""
    if not reasons:
        return verdict
    return verdict._replace(
        level=worst([verdict.level or Level.OK, Level.WARNING]),
        reasons=(*verdict.reasons, *reasons),
    )


def _thresholds(
    settings: Settings, warn_days: int | None, critical_days: int | None
) -> tuple[int, int, int]:
    """The given thresholds, else the settings'; and the review time (the
    setting, else the statutory 45 working days)."""
    setting = settings.review_working_days
    return (
        settings.warn_days if warn_days is None else warn_days,
        settings.critical_days if critical_days is None else critical_days,
        setting if isinstance(setting, int) else STATUTORY_REVIEW_DAYS,
    )


def _expiry_reason(expires: date, days: int) -> str:
    if days < 0:
        return f"expired on {expires}, {-days} day{'s' * (days != -1)} ago"
    if days == 0:
        return f"expires today ({expires} is its last valid day)"
    return f"expires on {expires}, in {days} day{'s' * (days != 1)}"


def _depletion(lic: License) -> list[tuple[Level, str]]:
    if lic.quantity is None or not lic.shipments:
        return []
    shipped, unit = lic.shipped, f" {lic.unit}" if lic.unit else ""
    amount = f"{shipped.normalize():f} of {lic.quantity.normalize():f}{unit} shipped"
    if shipped >= lic.quantity:
        return [(Level.CRITICAL, f"exhausted: {amount}")]
    part, whole = DEPLETION_WARNING
    if shipped * whole >= lic.quantity * part:
        return [(Level.WARNING, f"{int(shipped * 100 / lic.quantity)}% used: {amount}")]
    return []
