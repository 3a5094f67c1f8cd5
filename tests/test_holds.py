"""A stopped clock (issue 22, point 4): holds left out of the decision due and of
the review times, an open hold with no due day, a case with no statutory bound,
and the store's holds = [...] validated one line per problem and kept as written."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from export_licenses.domain.application import Application, AppStatus
from export_licenses.domain.holds import Hold, due_with_holds, net_working_days
from export_licenses.domain.review import assess_application, is_overdue
from export_licenses.domain.store_data import StoreData
from export_licenses.domain.workdays import WorkingDays
from export_licenses.errors import FieldProblem, InvalidStore, UsageProblem
from export_licenses.service import applications, decisions, leadtimes
from export_licenses.service import holds as service_holds
from export_licenses.storage import store as store_api
from export_licenses.storage.calendar_cache import calendar_for

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

CN = calendar_for("CN")
WEEKDAYS = WorkingDays()
D = date.fromisoformat
PLAIN = 'version = 1\n[settings]\ncalendar = "none"\n'


def counted(day: date, holds: list[Hold], calendar: WorkingDays) -> bool:
    """A working day outside every stop: one the review clock counts."""
    stopped = any(
        h.stopped <= day and (h.resumed is None or day < h.resumed) for h in holds
    )
    return calendar.is_working_day(day) and not stopped


@st.composite
def histories(draw: st.DrawFn) -> tuple[date, int, list[Hold]]:
    start = draw(st.dates(D("2025-06-01"), D("2026-12-31")))
    days = draw(st.integers(1, 120))
    holds, cursor = [], start
    for _ in range(draw(st.integers(0, 4))):
        stopped = cursor + timedelta(days=draw(st.integers(0, 40)))
        resumed = stopped + timedelta(days=draw(st.integers(0, 40)))
        holds.append(Hold(stopped, resumed, "expert review"))
        cursor = resumed
    return start, days, holds


@given(histories(), st.sampled_from([WEEKDAYS, CN]))
def test_the_decision_due_leaves_the_stops_out(
    history: tuple[date, int, list[Hold]], calendar: WorkingDays
) -> None:
    start, days, holds = history
    # Walked day by day: the days-th working day after start the clock counts.
    day, left = start, days
    while left:
        day += timedelta(days=1)
        left -= counted(day, holds, calendar)
    assert due_with_holds(holds, start, days, calendar) == day
    assert net_working_days(holds, start, day, calendar) == days


@given(histories(), st.dates(D("2025-06-01"), D("2027-06-30")))
def test_the_wait_is_net_of_the_stops(
    history: tuple[date, int, list[Hold]], end: date
) -> None:
    start, _, holds = history
    walked, day = 0, start
    while day < end:
        day += timedelta(days=1)
        walked += counted(day, holds, WEEKDAYS)
    assert net_working_days(holds, start, end, WEEKDAYS) == walked


def test_examples_by_hand() -> None:
    # Accepted Mon 2026-01-05, 10 working days: due Mon 2026-01-19. Stopped
    # from Wed 01-07 to Mon 01-12 (3 working days: 7, 8, 9): due Thu 01-22.
    holds = [Hold(D("2026-01-07"), D("2026-01-12"), "expert review")]
    assert due_with_holds([], D("2026-01-05"), 10, WEEKDAYS) == D("2026-01-19")
    assert due_with_holds(holds, D("2026-01-05"), 10, WEEKDAYS) == D("2026-01-22")
    # A stop that begins after the due day changes nothing.
    late = [Hold(D("2026-01-20"), D("2026-01-26"))]
    assert due_with_holds(late, D("2026-01-05"), 10, WEEKDAYS) == D("2026-01-19")
    # While the clock stands there is no due day.
    assert (
        due_with_holds([Hold(D("2026-01-07"))], D("2026-01-05"), 10, WEEKDAYS) is None
    )


def _app(**fields: object) -> Application:
    base: dict[str, object] = {
        "id": 3,
        "material": "samarium oxide",
        "destination": "JP",
        "filed": D("2026-01-05"),
    }
    return Application(**(base | fields))  # type: ignore[arg-type]


def test_an_open_hold_has_no_due_day_and_says_since_when() -> None:
    app = _app(holds=(Hold(D("2026-01-07"), None, "on-site check"),))
    verdict = assess_application(app, D("2026-01-15"), WEEKDAYS, 45)
    assert verdict.decision_due is None
    assert verdict.stopped_since == D("2026-01-07")
    assert verdict.waited_working_days == 1  # Tue 01-06; the clock stood since
    assert verdict.reasons[0] == "clock stopped since 2026-01-07: on-site check"
    assert not verdict.overdue


def test_a_case_with_no_statutory_bound_is_never_overdue() -> None:
    app = _app(accepted=D("2026-01-05"), unbounded="State Council review")
    verdict = assess_application(app, D("2026-06-15"), WEEKDAYS, 45)
    assert (verdict.decision_due, verdict.overdue) == (None, False)
    assert verdict.reasons == (
        "no statutory time limit: State Council review (art. 17, art. 26)",
    )


@given(
    histories(),
    st.integers(-3, 3),
    st.sampled_from([WEEKDAYS, CN]),
    st.sampled_from([0, 20, 45, 90]),
    st.sampled_from([AppStatus.PENDING, AppStatus.GRANTED, AppStatus.WITHDRAWN]),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_is_overdue_is_the_verdicts_overdue(
    history: tuple[date, int, list[Hold]],
    shift: int,
    calendar: WorkingDays,
    review_days: int,
    status: str,
    accepted: bool,  # noqa: FBT001 - a draw
    unbounded: bool,  # noqa: FBT001 - a draw
    from_filing: bool,  # noqa: FBT001 - a draw
) -> None:
    start, days, holds = history
    # Around the day the decision is due (the ``days``-th counted working day,
    # when the clock runs): the one day the answer turns on.
    due = due_with_holds(holds, start, review_days or days, calendar)
    today = (due or start) + timedelta(days=shift)
    app = _app(
        filed=None if accepted else start,
        accepted=start if accepted else None,
        holds=tuple(holds),
        status=status,
        decided=None if status == AppStatus.PENDING else today,
        unbounded="State Council review" if unbounded else None,
    )
    begins = start - timedelta(days=3) if from_filing else None
    verdict = assess_application(app, today, calendar, review_days, start=begins)
    found = is_overdue(app, today, calendar, review_days, start=begins)
    assert found == verdict.overdue


def test_review_times_are_net_of_the_stops() -> None:
    app = _app(
        status=AppStatus.GRANTED,
        decided=D("2026-01-22"),
        holds=(Hold(D("2026-01-07"), D("2026-01-12"), "expert review"),),
    )
    data = StoreData(applications=(app,))
    (found,) = leadtimes.observations(data, WEEKDAYS, D("2026-02-01"))
    assert found.working_days == 10  # 13 weekdays, 3 of them stopped


# --- the store -------------------------------------------------------------------

APP = '[[application]]\nid = "A1"\nmaterial = "x"\ndestination = "JP"\nfiled = 2026-01-05\n'


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("holds = 3", "holds: expected a list of tables"),
        ("holds = [3]", "holds #1: expected a table"),
        ('holds = [{ reason = "x" }]', "holds #1 from: is missing"),
        ('holds = [{ from = "2026-01-07" }]', "holds #1 from: expected a TOML date"),
        (
            "holds = [{ from = 2026-01-07, to = 2026-01-06 }]",
            "holds #1 to: 2026-01-06 is before from (2026-01-07)",
        ),
        (
            "holds = [{ from = 2026-01-07 }, { from = 2026-01-20 }]",
            "holds #1 to: is missing, but a later hold follows",
        ),
        (
            "holds = [{ from = 2026-01-07, to = 2026-01-12 }, { from = 2026-01-09 }]",
            "holds #2 from: 2026-01-09 is before the clock ran again (2026-01-12)",
        ),
        (
            "holds = [{ from = 2026-01-02 }]",
            "holds #1 from: 2026-01-02 is before filing",
        ),
        (
            'status = "refused"\ndecided = 2026-01-20\nholds = [{ from = 2026-01-07 }]',
            "holds #1 to: is missing, but the application was refused on 2026-01-20",
        ),
        (
            (
                'status = "refused"\ndecided = 2026-01-20\n'
                "holds = [{ from = 2026-01-07, to = 2026-01-21 }]"
            ),
            "holds #1 to: 2026-01-21 is after the decision (2026-01-20)",
        ),
        ("unbounded = true", "unbounded: expected text"),
        ('holds = [{ from = 2026-01-07, reason = "" }]', "holds #1 reason: must not"),
    ],
)
def test_a_bad_hold_is_one_line_naming_it(
    store: Path, lines: str, message: str
) -> None:
    store.write_text(PLAIN + APP + lines + "\n", encoding="utf-8")
    with pytest.raises(InvalidStore) as caught:
        store_api.read(store)
    text = str(caught.value)
    assert f"application A1: {message}" in text, text
    assert "\n" not in text


def test_holds_are_kept_as_written_with_keys_the_tool_does_not_know(
    store: Path,
) -> None:
    store.write_text(
        PLAIN
        + APP
        + 'unbounded = "State Council review"\n'
        + "holds = [\n"
        + '    { from = 2026-01-07, to = 2026-01-12, reason = "expert review", ticket = "Q-7" },\n'
        + "]\n",
        encoding="utf-8",
    )
    today = D("2026-01-15")
    service_holds.hold(store, "A1", D("2026-01-14"), "documents requested", today)
    data = store_api.read(store)
    (app,) = data.applications
    assert app.holds[0].extra == {"ticket": "Q-7"}
    assert app.holds[1] == Hold(D("2026-01-14"), None, "documents requested")
    assert app.unbounded == "State Council review"
    text = store.read_text(encoding="utf-8")
    assert 'ticket = "Q-7"' in text
    assert '{ from = 2026-01-14, reason = "documents requested" }' in text


# --- hold, resume, and what a decision does to a stopped clock ----------------------


def test_hold_and_resume_move_the_decision(store: Path) -> None:
    store.write_text(PLAIN + APP, encoding="utf-8")
    today = D("2026-01-15")
    assert applications.list_applications(store, today, include_all=False)[
        0
    ].verdict.decision_due == D("2026-03-09")
    row = service_holds.hold(store, "a1", D("2026-01-12"), "expert review", today)
    assert row.verdict.decision_due is None
    assert row.as_json()["holds"] == [
        {"from": "2026-01-12", "to": None, "reason": "expert review"}
    ]
    with pytest.raises(UsageProblem, match="already stopped, since 2026-01-12"):
        service_holds.hold(store, "A1", D("2026-01-13"), None, today)
    with pytest.raises(FieldProblem, match="before the clock stopped"):
        service_holds.resume(store, "A1", D("2026-01-09"), today)
    with pytest.raises(FieldProblem, match="after today"):  # not yet happened
        service_holds.resume(store, "A1", D("2026-01-19"), today)
    later = D("2026-01-20")
    row = service_holds.resume(store, "A1", D("2026-01-19"), later)
    # 5 working days stopped (12-16 January): due a week later.
    assert row.verdict.decision_due == D("2026-03-16")
    with pytest.raises(UsageProblem, match="the clock is not stopped"):
        service_holds.resume(store, "A1", D("2026-01-20"), later)
    with pytest.raises(FieldProblem, match="before the clock last ran again"):
        service_holds.hold(store, "A1", D("2026-01-16"), None, later)


def test_a_decision_ends_an_open_stop(store: Path) -> None:
    store.write_text(PLAIN + APP, encoding="utf-8")
    today = D("2026-02-02")
    service_holds.hold(store, "A1", D("2026-01-12"), "on-site check", today)
    decisions.decide(store, "A1", AppStatus.REFUSED, D("2026-01-30"), None, today)
    (app,) = store_api.read(store).applications
    assert app.holds == (Hold(D("2026-01-12"), D("2026-01-30"), "on-site check"),)
    with pytest.raises(UsageProblem, match="only a pending application"):
        service_holds.hold(store, "A1", D("2026-02-02"), None, today)


def test_the_service_takes_the_day_and_the_row_says_which(store: Path) -> None:
    """Without --on the service takes today; the row it returns carries the
    day (the last stop's end, the decision's day), which the confirmation says."""
    from export_licenses.render.lines import (  # noqa: PLC0415
        decided_line,
        held_line,
        resumed_line,
    )

    store.write_text(PLAIN + APP, encoding="utf-8")
    row = service_holds.hold(
        store, "A1", D("2026-01-12"), "expert review", D("2026-01-15")
    )
    assert held_line(row) == (
        "Recorded application A1: clock stopped since 2026-01-12: expert review"
    )
    row = service_holds.resume(store, "A1", None, D("2026-01-16"))
    assert row.application.holds[-1].resumed == D("2026-01-16")
    assert resumed_line(row) == (
        "Recorded application A1: clock runs again on 2026-01-16; "
        "decision due 2026-03-13 (in 40 working days)"
    )
    row, active = decisions.decide(
        store, "A1", AppStatus.WITHDRAWN, None, None, D("2026-01-20")
    )
    assert row.application.decided == D("2026-01-20")
    assert active is None
    assert decided_line(row, active) == (
        "Recorded application A1 as withdrawn on 2026-01-20"
    )


def test_accept_unbounded_keeps_the_acceptance_already_recorded(store: Path) -> None:
    store.write_text(PLAIN + APP + "accepted = 2026-01-07\n", encoding="utf-8")
    today = D("2026-01-15")
    row = applications.accept(store, "A1", None, None, today, "State Council review")
    assert row.application.accepted == D("2026-01-07")
    assert row.verdict.decision_due is None
    found = row.as_json()
    assert (found["unbounded"], found["unbounded_reason"]) == (
        True,
        "State Council review",
    )


# --- the command line ------------------------------------------------------------


def test_hold_resume_and_accept_unbounded_from_the_command_line(
    run: Run, store: Path
) -> None:
    store.write_text(PLAIN + APP, encoding="utf-8")
    result = run(
        "hold", "A1", "--on", "2026-01-12", "--reason", "expert review",
        "--today", "2026-01-15",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "Recorded application A1: clock stopped since 2026-01-12: expert review\n"
    )
    shown = json.loads(run("show", "A1", "-f", "json", "--today", "2026-01-15").stdout)
    assert shown["decision_due"] is None
    assert shown["holds"] == [
        {"from": "2026-01-12", "to": None, "reason": "expert review"}
    ]
    table = run("applications", "--today", "2026-01-15").stdout
    assert "stopped" in table
    result = run("resume", "A1", "--on", "2026-01-19", "--today", "2026-01-19")
    assert result.exit_code == 0, result.stderr
    assert "clock runs again on 2026-01-19; decision due 2026-03-16" in result.stderr
    result = run(
        "accept", "A1", "--unbounded", "State Council review", "--today", "2026-01-20"
    )
    assert result.exit_code == 0, result.stderr
    shown = json.loads(run("show", "A1", "-f", "json", "--today", "2026-01-20").stdout)
    # Not accepted before: accepted today, as accept does; no due day now.
    assert (shown["accepted"], shown["decision_due"], shown["unbounded"]) == (
        "2026-01-20",
        None,
        True,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["resume", "A1"], "the clock is not stopped"),
        (["hold", "A1", "--on", "2026-01-02"], "on: 2026-01-02 is before filing"),
        (["hold", "A9"], "no application 'A9'"),
        (["hold", "A1", "--on", "2026-13-01"], "--on"),
    ],
)
def test_clock_errors_are_one_line_and_leave_the_store(
    run: Run, store: Path, args: list[str], message: str
) -> None:
    store.write_text(PLAIN + APP, encoding="utf-8")
    before = store.read_bytes()
    result = run(*args, "--today", "2026-01-15")
    assert result.exit_code == 64, result.stderr
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert store.read_bytes() == before


def test_coverage_says_what_an_undated_decision_waits_on(run: Run, store: Path) -> None:
    store.write_text(
        PLAIN
        + APP
        + 'holds = [{ from = 2026-01-12, reason = "on-site check" }]\n'
        + APP.replace('"A1"', '"A2"').replace('"x"', '"y"')
        + 'accepted = 2026-01-06\nunbounded = "State Council review"\n',
        encoding="utf-8",
    )
    rows = json.loads(run("coverage", "-f", "json", "--today", "2026-01-15").stdout)
    by = {row["material"]: row for row in rows}
    assert (by["x"]["next_action"], by["x"]["next_action_date"]) == (
        "clock stopped since 2026-01-12",
        None,
    )
    assert by["y"]["next_action"] == "decision due, no statutory time limit"


def test_a_decision_before_a_stop_names_the_stored_field_not_an_option(
    run: Run, store: Path
) -> None:
    # The stop is stored (holds #1), and no option of withdraw sets it: the
    # message names the field, never a `--holds` that does not exist.
    store.write_text(PLAIN + APP, encoding="utf-8")
    run("hold", "A1", "--on", "2026-01-15", "--today", "2026-01-15")
    before = store.read_bytes()
    result = run("withdraw", "A1", "--on", "2026-01-14", "--today", "2026-01-15")
    assert result.exit_code == 64, result.stderr
    assert result.stderr == (
        "licenses: holds #1 to: 2026-01-15 is after the decision (2026-01-14)\n"
    )
    assert store.read_bytes() == before
