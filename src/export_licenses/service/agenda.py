"""agenda: the actions due, from the store's licenses and applications and the
catalogue of controls (``domain.agenda_actions`` has one function per kind).

The service side of ``domain/agenda.py`` and ``render/agenda.py``: here the
store is read and its actions gathered for a day; the domain says what an action
is, render draws them (the command is ``agenda`` in ``cli/views.py``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Final, NamedTuple

from export_licenses.domain import agenda, agenda_actions, controls, policy
from export_licenses.domain.agenda import Ack, Action
from export_licenses.domain.rules import Level
from export_licenses.storage import store_read

from .common import Pipeline, rows_for
from .controls import all_controls, own_numbers, resting_on
from .uncovered import uncovered

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from export_licenses.domain.store_data import StoreData

# With --all: changes of state this far ahead.
CONTROL_HORIZON: Final = 2 * 365


class AgendaReport(NamedTuple):
    today: date
    actions: list[Action]  # in date order, acks applied
    watched: int  # active licenses and pending applications
    estimated: tuple[int, ...] = ()  # years whose holidays are a guess
    own_controls: frozenset[str] = frozenset()  # the store's [[control]] numbers


def actions(data: StoreData, today: date) -> tuple[list[Action], int, tuple[int, ...]]:
    """Every action the store asks for, whatever its date, with acks applied;
    the count of records watched; the years any date of them rests on a guess."""
    context = Pipeline.of(data, today)
    settings = data.settings
    active = [lic for lic in data.licenses if lic.active]
    found: list[Action] = []
    guessed: set[int] = set()
    for row in rows_for(data, today, active, context=context):
        ack = Ack.of(row.license)
        for kind in agenda_actions.ACTION_KINDS:
            for said in kind(row, today, settings):
                action = said
                if said.code == "file_renewal":
                    action = said._replace(estimated=row.verdict.estimated)
                    guessed.update(row.verdict.estimated)
                found.append(agenda.with_ack(action, ack, today))
    pending = [app for app in data.applications if app.pending]
    for app in pending:
        app_row = context.assess(app, today)
        ack = Ack.of(app)
        for app_kind in agenda_actions.APPLICATION_KINDS:
            found.extend(
                agenda.with_ack(action, ack, today)
                for action in app_kind(app_row, today)
            )
    found += _control_actions(data, today)
    found += (
        agenda_actions.apply_uncovered(
            (bare.material, bare.destination, bare.authority),
            bare.controls,
            bare.text,
            today,
            whose=bare.whose,
        )
        for bare in uncovered(data, today)
    )
    return agenda.ordered(found), len(active) + len(pending), tuple(sorted(guessed))


def _control_actions(data: StoreData, today: date) -> list[Action]:
    """Changes of state of the controls that bind what the store holds, as
    ``warn``'s alerts see them (domain/policy.py): an active license, a pending
    application or a shipment within the year, under the control's own
    authority; from ``policy_warn_days`` ago, when ``warn`` still alerts on a
    change, to two years ahead (for --all); WARNING within ``policy_warn_days``."""
    settings = data.settings
    holdings = policy.held(
        data.licenses, data.applications, today, settings.term_months
    )
    if not holdings:
        return []
    every = all_controls(data)
    named = policy.governed(every, holdings)  # as warn's alerts find them
    near_days, mine = settings.policy_days, own_numbers(data)
    first = today - timedelta(days=near_days)
    last = today + timedelta(days=CONTROL_HORIZON)
    result = []
    for control in every:
        materials = named.get(control.number)
        if not materials:
            continue
        changes = [
            (change.day, change.after.text)
            for change in controls.transitions(control, first, last)
        ]
        as_of = resting_on([control.number], mine)
        said = agenda_actions.control_actions(control, changes, [*materials], as_of)
        for action in said:
            near = abs((action.day - today).days) <= near_days
            result.append(action._replace(level=Level.WARNING if near else None))
    return result


def agenda_report(
    path: Path, today: date, within: int | None = agenda.DEFAULT_WITHIN
) -> AgendaReport:
    """The actions overdue or due up to ``within`` days ahead (None: all)."""
    data = store_read.read(path).on(today)
    found, watched, _ = actions(data, today)
    chosen = [a for a in found if agenda.in_window(a, today, within)]
    # The estimate's note for the lines shown only: a renewal's day hidden
    # beyond the window said nothing the screen shows (audit s9-law, 7).
    estimated = tuple(sorted({year for a in chosen for year in a.estimated}))
    return AgendaReport(today, chosen, watched, estimated, own_numbers(data))
