"""Each license's row on one day: its verdict on its authority's calendar and
review clock, with the history's forecast and what the law adds, soonest
expiry first. What the verdicts rest on is ``pipeline.Pipeline``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from export_licenses.domain import rules
from export_licenses.domain.assessment import Assessor
from export_licenses.domain.license import Status
from export_licenses.domain.rows import Row

from . import forecasts
from .law import Law
from .pipeline import Pipeline

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from datetime import date

    from export_licenses.domain.forecast import Basis
    from export_licenses.domain.license import License
    from export_licenses.domain.store_data import StoreData


def rows_for(
    data: StoreData,
    today: date,
    licenses: Iterable[License],
    *,
    warn_days: int | None = None,
    critical_days: int | None = None,
    context: Pipeline | None = None,
) -> list[Row]:
    """Each license with its verdict, soonest expiry first (then id).

    ``context``: the store's calendar and review times, when the caller has them
    already (learning observed review times reads every application).
    """
    return list(
        iter_rows(
            data,
            today,
            licenses,
            warn_days=warn_days,
            critical_days=critical_days,
            context=context,
        )
    )


def iter_rows(
    data: StoreData,
    today: date,
    licenses: Iterable[License],
    *,
    warn_days: int | None = None,
    critical_days: int | None = None,
    context: Pipeline | None = None,
) -> Iterator[Row]:
    """``rows_for``, one row at a time: the licenses are put in order by their
    expiry first, so no more than one verdict need be held at once."""
    settings = data.settings
    term = settings.term_months
    chosen = sorted(
        ((rules.expiry(lic, term), lic) for lic in licenses),
        key=lambda pair: (pair[0], pair[1].id),
    )
    if context is None:
        context = Pipeline.of(data, today, needed=any(lic.active for _, lic in chosen))
    renewals = {
        app.renews: context.assess(app, today)
        for app in data.applications
        if app.pending and app.renews is not None
    }
    assessor = Assessor(settings, today, context.calendar, warn_days, critical_days)
    forecaster = forecasts.Forecaster(context.review, settings, context.calendar, today)
    law, review = Law(data), context.review
    groups: dict[tuple[str, str], tuple[int, str, bool, Basis | None]] = {}
    # A license nothing of its own flags (see _plain) has the verdict of every
    # such license with its expiry, review time and history: worked out once per
    # distinct triple (10,000 licenses of the benchmarks: ~600), not per license.
    # Saves 8-9 ms of CPU on warn and due at those 10,000; nothing at a large
    # trader's, whose licenses have kinds and shipments (benchmarks/ledger.py).
    shared: dict[tuple[date, int, Basis | None], rules.Verdict] = {}
    for expires, lic in chosen:
        plain = _plain(lic) and lic.id not in renewals
        if plain:  # MOFCOM's clock: the store's review time and history
            group = groups.get((lic.material, lic.destination))
            if group is None:
                days, basis, thin = review.observed(lic.material, lic.destination)
                history = review.forecast_basis(lic.material, lic.destination)
                group = groups[lic.material, lic.destination] = (
                    days,
                    basis,
                    thin,
                    history,
                )
            days, basis, thin, history = group
            verdict = shared.get((expires, days, history))
            if verdict is None:
                verdict = forecaster.plain(assessor.assess(lic, days), history)
                verdict = shared[expires, days, history] = law.judged(lic, verdict)
            yield Row(
                lic,
                verdict,
                None if lic.expires else (lic.term_months or term),
                basis,
                days or None,
                context.controls,
                None,
                thin,
            )
            continue
        clock = context.clock(lic.authority)
        renewal = renewals.get(lic.id)
        due = None if renewal is None else renewal.verdict.decision_due
        thin = False
        if clock is None:
            days, basis, thin = review.observed(lic.material, lic.destination)
            verdict = forecaster.verdict(lic, assessor.assess(lic, days, due), renewal)
        else:  # its authority's clock and calendar; MOFCOM's history is not its
            days, basis = clock.days, clock.basis
            verdict = assessor.assess(lic, days, due, clock.calendar)
            verdict = forecaster.verdict(lic, verdict, renewal, own=basis)
            if basis == "target" and verdict.renew_by is not None:
                target = (
                    f"renew-by counts {clock.authority}'s {days}-{clock.unit}-day "
                    "review target, not a bound"
                )
                verdict = verdict._replace(reasons=(*verdict.reasons, target))
        verdict = law.judged(lic, verdict)
        active = lic.active
        yield Row(
            lic,
            verdict,
            None if lic.expires else (lic.term_months or term),
            basis if active else None,
            (days or None) if active else None,
            context.controls,
            None if clock is None or not active else clock.words(),
            thin and active,
        )


def _plain(lic: License) -> bool:
    """Whether a license's verdict follows from its expiry, review time and
    history alone: active, no renewal filed or declined, nothing shipped, no
    kind or authority for the law to weigh (MOFCOM's clock), not suspended (and
    no renewal application pending, which the caller checks)."""
    return (
        lic.status == Status.ACTIVE
        and lic.renewal is not False
        and not lic.shipments
        and lic.kind is None
        and lic.authority is None
    )


def row_for(
    data: StoreData, today: date, lic: License, context: Pipeline | None = None
) -> Row:
    return rows_for(data, today, [lic], context=context)[0]
