"""The review clock of an application: stopped (hold) and running again (resume).

Art. 17 of the Regulations (Order 792): the 45 working days do not count the
time for appraisal, expert opinions, or on-site checks of the exporter or the
end user; MOFCOM also asks for more documents. A stop is recorded on its
application (``domain.holds``); the decision due leaves its working days out,
and while the clock stands the decision has no due day.

The service side of ``domain/holds.py``: here a hold or a resume is checked
against its application and written; the domain has the record and the working
days net of stops (the commands are in ``cli/clock.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from export_licenses.domain.holds import Hold, open_hold
from export_licenses.errors import UsageProblem

from .common import (
    checked,
    day_problem,
    find_application,
    happened,
    with_application,
)
from .written import write_application

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from export_licenses.domain.application import Application
    from export_licenses.domain.rows import AppRow
    from export_licenses.domain.store_data import StoreData


def hold(
    path: Path, key: str, on: date | None, reason: str | None, today: date
) -> AppRow:
    """The clock stopped on ``on`` (that day is not counted; today when None),
    for ``reason``."""
    happened("on", on, today)
    day = today if on is None else on

    def change(data: StoreData) -> tuple[StoreData, Application]:
        app = _pending(data, key, "have its clock stopped")
        stopped = open_hold(app.holds)
        if stopped is not None:
            raise UsageProblem(
                f"{app.label()}: the clock is already stopped, since "
                f"{stopped.stopped}; resume it first"
            )
        if app.filed is not None and day < app.filed:
            raise day_problem(on, day, f"is before filing ({app.filed})")
        if app.holds and day < (app.holds[-1].resumed or day):
            raise day_problem(
                on, day, f"is before the clock last ran again ({app.holds[-1].resumed})"
            )
        new = checked(app._replace(holds=(*app.holds, Hold(day, None, reason))))
        return with_application(data, new), new

    return write_application(path, change, today, "hold")


def resume(path: Path, key: str, on: date | None, today: date) -> AppRow:
    """The clock runs again from ``on`` (that day counts; today when None).
    The row's application has the stop ended last (``holds[-1]``): its
    ``resumed`` is the day taken, for the command to say."""
    happened("on", on, today)
    day = today if on is None else on

    def change(data: StoreData) -> tuple[StoreData, Application]:
        app = _pending(data, key, "have its clock run again")
        stopped = open_hold(app.holds)
        if stopped is None:
            raise UsageProblem(f"{app.label()}: the clock is not stopped")
        if day < stopped.stopped:
            raise day_problem(
                on, day, f"is before the clock stopped ({stopped.stopped})"
            )
        holds = (*app.holds[:-1], stopped._replace(resumed=day))
        new = checked(app._replace(holds=holds))
        return with_application(data, new), new

    return write_application(path, change, today, "resume")


def _pending(data: StoreData, key: str, doing: str) -> Application:
    app = find_application(data, key)
    if not app.pending:
        raise UsageProblem(
            f"{app.label()} is {app.status}; only a pending application can {doing}"
        )
    return app
