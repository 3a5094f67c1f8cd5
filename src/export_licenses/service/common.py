"""What the operations share: verdicts for rows, finding a license, the checks a
changed license passes. Errors name fields, not options."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, NamedTuple, TypeVar

from export_licenses.domain import review, rules
from export_licenses.domain.application import (
    Application,
    app_id_of,
    app_label,
    application_from_table,
    application_to_table,
)
from export_licenses.domain.forecast import STATUTORY
from export_licenses.domain.law import (
    CHANGE_REVIEW_DAYS,
)
from export_licenses.domain.license import License, number_taken
from export_licenses.domain.license_table import license_from_table, license_to_table
from export_licenses.domain.rows import AppRow, Row
from export_licenses.domain.settings import STATUTORY_REVIEW_DAYS, Settings
from export_licenses.domain.workdays import WorkingDays
from export_licenses.errors import FieldProblem, InvalidValue, UsageProblem
from export_licenses.storage.calendar_cache import calendar_for

from . import forecasts
from .controls import ControlIndex
from .law import Law
from .leadtimes import ReviewTimes, review_times

R = TypeVar("R")
MAX_CANDIDATES: Final = 5  # an ambiguous id fragment names this many licenses
MAX_ID_DIGITS: Final = 16  # ids go up to 2**53

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping
    from datetime import date

    from export_licenses.domain.store_data import StoreData


def calendar_of(settings: Settings) -> WorkingDays:
    """The store's working-day calendar, with the days the user typed in."""
    return calendar_for(
        settings.calendar, None, settings.extra_holidays, settings.extra_workdays
    )


def check_calendar(settings: Settings, day: date) -> None:
    """InvalidStore, before anything is written, when the store names a calendar
    the holidays package does not have (it is looked up lazily, so an append
    would otherwise fail only after writing, when the new row is assessed)."""
    calendar_of(settings).is_working_day(day)


class Pipeline(NamedTuple):
    """What the verdicts of a store's licenses and applications rest on."""

    calendar: WorkingDays
    review: ReviewTimes
    settings: Settings = Settings()
    # The expiry of each active license: a pending renewal's chance of a
    # decision before it.
    expiries: Mapping[int, date] = {}
    # The controls each record may fall under (issue 23): matched when asked.
    controls: ControlIndex | None = None

    @classmethod
    def of(cls, data: StoreData, today: date, *, needed: bool = True) -> Pipeline:
        """What ``today``'s verdicts rest on: the review times are learned from
        the applications filed in the window up to ``today``."""
        # Building a holiday calendar costs time: only when something needs it.
        index = ControlIndex(data, today)
        if not needed:
            return cls(
                WorkingDays(), ReviewTimes(STATUTORY_REVIEW_DAYS), controls=index
            )
        calendar = calendar_of(data.settings)
        settings = data.settings
        renewed = {app.renews for app in data.applications if app.pending}
        expiries = {
            lic.id: rules.expiry(lic, settings.term_months)
            for lic in data.licenses
            if lic.id in renewed and lic.active
        }
        times = review_times(data, calendar, today)
        return cls(calendar, times, settings, expiries, index)

    def assess(self, app: Application, today: date) -> AppRow:
        """The application's verdict and what the history says of it."""
        return self.forecasted(self.verdict(app, today), today)

    def verdict(self, app: Application, today: date) -> AppRow:
        """The verdict alone: for a caller that keeps only some of the rows."""
        if app.changes is not None:
            # Order 792 art. 18: a change of a non-key element, 20 working days
            # from acceptance; its own clock, never the history of new ones.
            days, basis = CHANGE_REVIEW_DAYS, STATUTORY
        else:
            days, basis = self.review.lookup(app.material, app.destination)
        verdict = review.assess_application(app, today, self.calendar, days)
        return AppRow(app, verdict, basis, days, lookup=self.controls)

    def forecasted(self, row: AppRow, today: date) -> AppRow:
        app = row.application
        if not app.pending or app.changes is not None:
            # A change application has its own clock (art. 18): the history of
            # new applications says nothing of it.
            return row
        found = forecasts.for_application(
            app,
            row.verdict,
            self.review.forecast_basis(app.material, app.destination),
            None if app.renews is None else self.expiries.get(app.renews),
            self.settings,
            self.calendar,
            today,
        )
        return row._replace(forecast=found)


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
    chosen = sorted(licenses, key=lambda lic: (rules.expiry(lic, term), lic.id))
    if context is None:
        context = Pipeline.of(data, today, needed=any(lic.active for lic in chosen))
    renewals = {
        app.renews: context.assess(app, today)
        for app in data.applications
        if app.pending and app.renews is not None
    }
    assessor = rules.Assessor(
        settings, today, context.calendar, warn_days, critical_days
    )
    forecaster = forecasts.Forecaster(context.review, settings, context.calendar, today)
    law = Law(data)
    for lic in chosen:
        days, basis = context.review.lookup(lic.material, lic.destination)
        renewal = renewals.get(lic.id)
        due = None if renewal is None else renewal.verdict.decision_due
        verdict = forecaster.verdict(lic, assessor.assess(lic, days, due), renewal)
        verdict = law.judged(lic, verdict)
        active = lic.active
        yield Row(
            lic,
            verdict,
            None if lic.expires else (lic.term_months or term),
            basis if active else None,
            days if active else None,
            context.controls,
        )


def row_for(
    data: StoreData, today: date, lic: License, context: Pipeline | None = None
) -> Row:
    return rows_for(data, today, [lic], context=context)[0]


def validated(lic: License) -> License:
    """Run a license built in code through the store's own validation."""
    return _through_the_store(lic, license_to_table, license_from_table)


def checked(app: Application) -> Application:
    """Run an application built in code through the store's own validation."""
    return _through_the_store(app, application_to_table, application_from_table)


def _through_the_store(
    record: R,
    to_table: Callable[[R], dict[str, Any]],
    from_table: Callable[[dict[str, Any]], R],
) -> R:
    """What a write then a read would make of ``record``; errors name the field."""
    try:
        return from_table(to_table(record))
    except InvalidValue as exc:
        raise FieldProblem.of(exc) from None


def find(data: StoreData, key: str, *, or_application: bool = False) -> License:
    """A license by id, by its number in any case, or by a part of its number
    that only one license has (``dy-0412``; not for a key of digits alone,
    which is an id). ``or_application``: the caller takes an application id
    too and has looked for one, so an ``A<n>`` found nowhere is "no
    application"; otherwise it is an application id given where a license's
    goes, and the message says so."""
    wanted = key.strip()
    # ASCII digits, as few as an id has: "²" is a digit to str.isdigit but
    # not to int, and int refuses 4,300 digits or more.
    is_id = wanted.isascii() and wanted.isdigit() and len(wanted) <= MAX_ID_DIGITS
    if is_id:
        found = next((lic for lic in data.licenses if lic.id == int(wanted)), None)
        if found is not None:
            return found
    folded = wanted.casefold()
    numbered = [(lic.number.casefold(), lic) for lic in data.licenses if lic.number]
    exact = [lic for number, lic in numbered if number == folded]
    if exact:
        return exact[0]
    fragment = bool(folded) and not is_id
    partly = [lic for number, lic in numbered if fragment and folded in number]
    if len(partly) == 1:
        return partly[0]
    if partly:
        shown = ", ".join(lic.label() for lic in partly[:MAX_CANDIDATES])
        more = len(partly) - MAX_CANDIDATES
        rest = f" and {more} more" if more > 0 else ""
        raise UsageProblem(
            f"{key!r} is part of {len(partly)} license numbers: {shown}{rest}; "
            "give more of the number, or the id"
        )
    app_id = app_id_of(wanted)
    if app_id is None:
        raise UsageProblem(f"no license with id or number {key!r}")
    if or_application:
        raise UsageProblem(f"no application {app_label(app_id)}")
    raise UsageProblem(
        f"{app_label(app_id)} is an application id; give a license's id or number"
    )


def check_number_free(numbers: Mapping[str, str], lic: License) -> None:
    """``numbers`` is what ``model.numbers_in`` gives for every other license."""
    taken = number_taken(numbers, lic.number)
    if taken is not None:
        raise FieldProblem("number", f"{lic.number} is already {taken}")


def day_problem(given: date | None, day: date, problem: str) -> UsageProblem:
    """A day a record refuses: the fault of the option that gave it (the field
    ``on``), or, when none was given, of today, which was taken instead — never
    an option the user did not give."""
    if given is not None:
        return FieldProblem("on", f"{day} {problem}")
    return UsageProblem(
        f"today ({day}) {problem}; no day was given, so today was taken"
    )


def require_active(lic: License, doing: str) -> None:
    if not lic.active:
        raise UsageProblem(
            f"{lic.label()} is {lic.status}; only an active license can {doing}"
        )


def replaced(data: StoreData, *changed: License) -> StoreData:
    by_id = {lic.id: lic for lic in data.licenses}
    by_id.update((lic.id, lic) for lic in changed)
    return data._replace(licenses=tuple(sorted(by_id.values(), key=lambda x: x.id)))


def check_term(fields: Mapping[str, object]) -> None:
    if fields.get("term_months") is not None and fields.get("expires") is not None:
        raise FieldProblem(("term_months", "expires"), "exclude each other: give one")


def find_application(data: StoreData, key: str) -> Application:
    number = app_id_of(key)
    found = next((a for a in data.applications if a.id == number), None)
    if found is None:
        raise UsageProblem(f"no application {key.strip()!r} (ids look like A1)")
    return found


def with_application(data: StoreData, app: Application) -> StoreData:
    by_id = {a.id: a for a in data.applications}
    by_id[app.id] = app
    return data._replace(applications=tuple(sorted(by_id.values(), key=lambda a: a.id)))
