"""licenses agenda: the actions due by date, as JSON, CSV and lines that fit a
terminal of 60, 80 or 120 columns (in a real pseudo-terminal)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from export_licenses.domain import agenda, agenda_actions
from export_licenses.domain.license import License
from export_licenses.domain.rows import Row
from export_licenses.domain.rules import Level, Verdict
from export_licenses.domain.settings import Settings
from export_licenses.render.cells import (
    shorten_all,
    shorten_middle,
    shorten_start,
    shorten_words,
)
from helpers import in_terminal, licenses_process

if TYPE_CHECKING:
    from conftest import Run

STORE = Path(__file__).parent / "data" / "agenda.toml"
TODAY = "2026-03-04"  # a Wednesday


@pytest.fixture
def agenda_store(store: Path) -> Path:
    """The run fixture's store, holding one license of each kind of action."""
    store.write_bytes(STORE.read_bytes())
    return store


def actions(run: Run, *args: str) -> list[dict[str, object]]:
    result = run("agenda", "--today", TODAY, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    found: list[dict[str, object]] = json.loads(result.stdout)
    return found


@pytest.mark.usefixtures("agenda_store")
def test_every_kind_of_action_with_its_date_and_stable_code(run: Run) -> None:
    found = actions(run, "--all")
    assert all(list(a) == list(agenda.AGENDA_KEYS) for a in found)
    seen = {(a["action"], a["license"], a["application"], a["date"]) for a in found}
    assert {
        # fully shipped on 2026-02-01: nothing left to export under it
        ("close", 4, None, "2026-02-01"),
        # 45 working days from acceptance (2025-12-03), Monday to Friday
        ("chase_decision", None, "A1", "2026-02-04"),
        # expired on 2026-02-20: close it from the day after
        ("close", 1, None, "2026-02-21"),
        ("file_renewal", 2, None, "2026-03-06"),
        # 60 kg left, and no renewal (renewal = false): ship before the expiry
        ("ship_before_expiry", 3, None, "2026-03-14"),
        ("expires", 2, None, "2026-05-10"),
        ("file_renewal", 5, None, "2026-11-30"),
    } <= seen
    # no renewal for a license that is used up, nor for renewal = false
    assert ("file_renewal", 4) not in {(a["action"], a["license"]) for a in found}
    assert ("file_renewal", 3) not in {(a["action"], a["license"]) for a in found}
    assert [a["date"] for a in found] == sorted(str(a["date"]) for a in found)
    levels = {(a["action"], a["license"]): a["level"] for a in found}
    assert levels["file_renewal", 2] == "critical"  # 2 days before the last day
    assert levels["close", 1] == "expired"
    assert levels["file_renewal", 5] is None  # months ahead: nothing flagged yet
    text = next(a["text"] for a in found if a["action"] == "chase_decision")
    assert text == (
        "ask MOFCOM for the decision on application A1, samarium oxide to JP: "
        "due 2026-02-04, 20 working days late"
    )


@pytest.mark.usefixtures("agenda_store")
def test_the_window_is_overdue_and_the_next_14_days(run: Run) -> None:
    days = [date.fromisoformat(str(a["date"])) for a in actions(run)]
    assert max(days) == date(2026, 3, 14)  # 10 days ahead
    assert min(days) < date(2026, 3, 4)  # what is overdue, whatever its age
    wider = actions(run, "--within", "70")
    assert max(date.fromisoformat(str(a["date"])) for a in wider) == date(2026, 5, 10)
    # Only the overdue ones, and what is to be done today: license 4 ran out of
    # its quantity, so a new license is to be applied for now (audit s8-dates, 4)
    now = actions(run, "--within", "0")
    assert len(now) == 4
    assert [a["action"] for a in now if a["date"] == "2026-03-04"] == ["apply"]
    assert len(actions(run, "--all")) > len(wider)


@pytest.mark.usefixtures("agenda_store")
def test_the_groups(run: Run) -> None:
    result = run("agenda", "--today", TODAY, "--within", "70")
    assert result.exit_code == 0
    headings = [line for line in result.stdout.splitlines() if line[:1].isalpha()]
    assert headings == ["Overdue", "This week", "Next week", "Later"]
    assert agenda.group_of(date(2026, 3, 8), date(2026, 3, 4)) == "this week"
    assert agenda.group_of(date(2026, 3, 9), date(2026, 3, 4)) == "next week"
    assert agenda.group_of(date(2026, 3, 15), date(2026, 3, 4)) == "next week"
    assert agenda.group_of(date(2026, 3, 16), date(2026, 3, 4)) == "later"
    assert agenda.group_of(date(2026, 3, 3), date(2026, 3, 4)) == "overdue"


@pytest.mark.usefixtures("agenda_store")
def test_csv_has_the_same_keys(run: Run) -> None:
    result = run("agenda", "--today", TODAY, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == list(agenda.AGENDA_KEYS)
    assert rows[0]["action"] == "close"
    assert rows[0]["license"] == "4"


@pytest.mark.usefixtures("agenda_store")
def test_exit_0_whatever_is_due_and_nothing_to_do_on_stderr(
    run: Run, store: Path
) -> None:
    result = run("agenda", "--today", TODAY)
    assert result.exit_code == 0
    assert "critical" not in result.stdout  # a view: levels are colours, not words
    store.write_text("version = 1\n")
    empty = run("agenda", "--today", TODAY)
    assert empty.exit_code == 0
    assert empty.stdout == ""
    assert empty.stderr == "nothing to do in the next 14 days\n"
    assert run("agenda", "--today", TODAY, "--format", "json").stdout == "[]\n"


def test_no_store_is_66(run: Run) -> None:
    assert run("agenda").exit_code == 66


@pytest.mark.parametrize("columns", [60, 80, 100, 120])
def test_one_line_per_action_at_the_terminal_width(
    agenda_store: Path, columns: int
) -> None:
    shown = in_terminal(
        "--store",
        str(agenda_store),
        "agenda",
        "--today",
        TODAY,
        "--within",
        "70",
        columns=columns,
    )
    plain = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    lines = [line for line in plain.splitlines() if re.match(r"\d{4}-\d\d-\d\d", line)]
    expected = actions_count(agenda_store)
    assert len(lines) == expected
    assert all(len(line) <= columns for line in plain.splitlines())
    for line in lines:  # the date, what to do, the id and the destination stay
        assert re.match(r"\d{4}-\d\d-\d\d  \S", line)
    by_license = {line.split()[3]: line for line in lines if "file renewal" in line}
    assert "→ DE" in by_license["2"]
    if columns == 120:
        assert "MOFCOM-2025-TB-0187" in plain  # room for everything
    if columns == 100:  # the number is shortened first, keeping its end
        assert "…TB-0187" in plain
        assert "NdFeB magnets containing terbium" not in plain
    if columns == 80:  # what to do and by when stay whole: the number goes first
        assert "20 working days late" in plain
        assert "expired 2026-02-20" in plain
        assert "TB-0187" not in plain
        assert "NdFeB magnets containing terbium" not in plain
    if columns == 60:
        # the materials cut to the same text keep their distinguishing ends
        assert "terbium" in by_license["2"]
        assert re.search(r"NdFeB.*….*dysprosium", plain)


def actions_count(store: Path) -> int:
    result = licenses_process(
        "--store",
        str(store),
        "agenda",
        "--today",
        TODAY,
        "--within",
        "70",
        "-f",
        "json",
    )
    return len(json.loads(result.stdout))


def test_in_a_pipe_nothing_is_shortened(agenda_store: Path) -> None:
    result = licenses_process(
        "--store",
        str(agenda_store),
        "agenda",
        "--today",
        TODAY,
        "--within",
        "70",
        env={"COLUMNS": "60"},
    )
    assert "NdFeB magnets containing dysprosium" in result.stdout
    assert "MOFCOM-2025-TB-0187" in result.stdout


@pytest.mark.parametrize("columns", [80, 100])
def test_a_control_line_keeps_its_number_and_date_at_80_columns(
    example: Path, columns: int
) -> None:
    # A control's line has no id, number or destination: its announcement and
    # the state's date take that room rather than being cut to "No.…".
    shown = in_terminal(
        "--store", str(example), "--no-color", "--no-pager", "agenda",
        "--today", "2026-11-30", columns=columns,
    )  # fmt: skip
    controls = [line for line in shown.splitlines() if "review control" in line]
    assert controls == [
        "2026-11-11  review control  MOFCOM 2025 No. 57  suspension ended 2026-11-10",
        "2026-11-11  review control  MOFCOM 2025 No. 61  suspension ended 2026-11-10",
        "2026-11-28  review control  MOFCOM 2024 No. 46  suspension ended 2026-11-27",
    ]
    assert max(len(line) for line in shown.splitlines()) <= columns


def test_shortening_keeps_what_tells_rows_apart() -> None:
    assert shorten_start("MOFCOM-2025-DY-0412", 8) == "…DY-0412"
    assert shorten_middle("NdFeB magnets with terbium", 16) == "NdFeB ma…terbium"
    assert shorten_all(
        ["NdFeB magnets with terbium", "NdFeB magnets with dysprosium", "gallium"], 14
    ) == ["NdFeB…terbium", "NdF…dysprosium", "gallium"]
    # different after the usual cut: cut as usual
    assert shorten_all(["terbium metal", "gallium metal"], 8) == [
        "terbium…",
        "gallium…",
    ]
    # the detail: after a whole word, so a date is whole or gone
    detail = "file now, last day 2026-02-27"
    assert shorten_words(detail, 29) == detail
    assert shorten_words(detail, 28) == "file now, last day …"
    assert shorten_words(detail, 12) == "file now …"
    assert shorten_words("2026-02-27", 6) == "2026-…"  # one word: cut as usual


def test_file_renewal_names_the_planning_date_when_a_forecast_gives_one() -> None:
    """The forecast (issue 22) puts ``file_by`` on the verdict: a planning date
    before the statutory last day. The agenda files on the planning date and
    names both."""
    lic = License(
        id=7, material="yttrium oxide", destination="US", issued=date(2025, 10, 1)
    )
    verdict = Verdict(
        date(2026, 4, 1),
        76,
        Level.CRITICAL,
        date(2026, 1, 22),
        file_by=date(2026, 1, 8),
    )
    (action,) = agenda_actions.file_renewal(
        Row(lic, verdict), date(2026, 1, 5), Settings()
    )
    assert action.day == date(2026, 1, 8)
    assert action.detail == "planned, last day 2026-01-22"
    assert action.text == (
        "file the renewal of license 7, yttrium oxide to US: planned by 2026-01-08 "
        "for a 90 % chance of a decision before expiry, statutory last day 2026-01-22"
    )
    # without a forecast: the statutory last day
    (plain,) = agenda_actions.file_renewal(
        Row(lic, verdict._replace(file_by=None)), date(2026, 1, 5), Settings()
    )
    assert plain.day == date(2026, 1, 22)


@pytest.mark.usefixtures("agenda_store")
def test_a_stopped_clock_is_followed_until_it_runs_again(run: Run) -> None:
    # A1 (accepted 2025-12-03) was overdue: once the clock stands it has no due
    # day, so nothing to chase, but a clock to follow, unflagged, dated the day
    # it stopped (a date that does not move: notify sends it once).
    assert (
        run("hold", "A1", "--on", "2026-01-20", "--reason", "on-site check").exit_code
        == 0
    )
    found = [a for a in actions(run, "--all") if a["application"] == "A1"]
    assert [(a["action"], a["date"], a["level"]) for a in found] == [
        ("resume_clock", "2026-01-20", None)
    ]
    assert found[0]["text"] == (
        "ask MOFCOM whether the review clock of application A1, samarium oxide to "
        "JP runs again: stopped since 2026-01-20 (on-site check); record it with "
        "licenses resume A1 --on DATE"
    )
    line = run("agenda", "--today", TODAY).stdout
    assert re.search(r"2026-01-20  resume clock +A1 .* on-site check", line)
    # Running again: the decision is due again (later by the stopped days).
    assert run("resume", "A1", "--on", "2026-02-02").exit_code == 0
    found = [a for a in actions(run, "--all") if a["application"] == "A1"]
    assert [a["action"] for a in found] == ["chase_decision"]
    assert str(found[0]["date"]) > "2026-02-04"
