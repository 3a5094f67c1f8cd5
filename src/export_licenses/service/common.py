"""What the operations share: finding a license, the checks a changed license
passes (the verdicts for rows are license_rows.py's and pipeline.py's, imported
from here too). Errors name fields, not options."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, TypeVar

from export_licenses.domain.application import (
    Application,
    app_id_of,
    app_label,
    application_from_table,
    application_to_table,
)
from export_licenses.domain.license_table import (
    license_from_table,
    license_to_table,
    number_taken,
)
from export_licenses.errors import FieldProblem, InvalidValue, UsageProblem

# The verdicts are license_rows.py's and pipeline.py's; the operations import
# them from here too (explicit re-exports, as mypy wants them).
from .license_rows import iter_rows as iter_rows  # noqa: PLC0414
from .license_rows import row_for as row_for  # noqa: PLC0414
from .license_rows import rows_for as rows_for  # noqa: PLC0414
from .pipeline import Pipeline as Pipeline  # noqa: PLC0414
from .pipeline import calendar_of as calendar_of  # noqa: PLC0414
from .pipeline import check_calendar as check_calendar  # noqa: PLC0414

R = TypeVar("R")
MAX_CANDIDATES: Final = 5  # an ambiguous id fragment names this many licenses
MAX_ID_DIGITS: Final = 16  # ids go up to 2**53

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import date

    from export_licenses.domain.application import Filing
    from export_licenses.domain.license import License
    from export_licenses.domain.store_data import StoreData


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
    """``numbers`` is what ``license_table.numbers_in`` gives for every other
    license."""
    taken = number_taken(numbers, lic.number)
    if taken is not None:
        raise FieldProblem("number", f"{lic.number} is already {taken}")


# The authority's date may run a day ahead of the user's own (Beijing is UTC+8):
# a decision dated tomorrow is the authority's today, not a future event.
AHEAD_OF_TODAY: Final = 1  # days


def happened(field: str, day: date | None, today: date) -> None:
    """An event recorded (filed, accepted, stopped, decided) is one that has
    happened: a later day is a typo or a plan, and would show a decision as
    made while the review-time statistics still wait for it."""
    if day is not None and (day - today).days > AHEAD_OF_TODAY:
        raise FieldProblem(
            field,
            f"{day} is after today ({today}): record it once it has happened",
        )


def filing_happened(filing: Filing, today: date) -> None:
    """``happened`` for an application's filing and acceptance days."""
    happened("on", filing.filed, today)
    happened("accepted", filing.accepted, today)


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
