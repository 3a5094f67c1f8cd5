"""The day to file by when no filing day reaches the confidence rests on the
longest wait observed; when that is an application still pending, its wait
grows a working day every working day, and the date must count it as it will
be on that day: a date promised today still holds tomorrow (audit s8-dates, 1)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

D = date.fromisoformat

# Five granted cerium oxide applications (waits 40 to 60 working days) and two
# pending: A7, accepted 2025-12-03, the longest wait, and A6.
DECIDED = [
    ("2025-09-01", "2025-10-31"),
    ("2025-09-15", "2025-11-21"),
    ("2025-09-29", "2025-12-15"),
    ("2025-10-13", "2025-12-29"),
    ("2025-10-27", "2026-01-20"),
]


def application(n: int, filed: str, decided: str | None) -> str:
    status = (
        f'status = "granted"\ndecided = {decided}\n'
        if decided
        else ('status = "pending"\n')
    )
    return (
        f'[[application]]\nid = "A{n}"\nmaterial = "cerium oxide"\n'
        f'destination = "US"\nfiled = {filed}\naccepted = {filed}\n{status}'
    )


def backlog(a7_decided: str | None = None) -> str:
    apps = [application(n, f, d) for n, (f, d) in enumerate(DECIDED, start=1)]
    apps += [application(6, "2025-12-31", None)]
    apps += [application(7, "2025-12-03", a7_decided)]
    license_ = (
        '[[license]]\nid = 1\nmaterial = "cerium oxide"\ndestination = "US"\n'
        "issued = 2026-01-01\nexpires = 2026-12-31\n"
    )
    return "version = 1\n" + "".join(apps) + license_


def renewal(run: Run, today: date) -> dict[str, Any]:
    result = run("agenda", "--all", "--format", "json", "--today", str(today))
    assert result.exit_code == 0, result.stderr
    (found,) = [a for a in json.loads(result.stdout) if a["action"] == "file_renewal"]
    assert isinstance(found, dict)
    return found


def warned(run: Run, today: date) -> str:
    result = run("warn", "--today", str(today))
    (line,) = [x for x in result.stdout.splitlines() if "license 1," in x]
    return line


def test_the_day_to_file_by_holds_while_the_longest_wait_grows(
    run: Run, store: Path
) -> None:
    store.write_text(backlog(), encoding="utf-8")
    first = D("2026-06-01")
    promised = D(renewal(run, first)["date"])
    # About halfway between today and the day that left A7's wait of today:
    # counted on today's wait alone it was 2026-07-10, and a day earlier every
    # working day after.
    assert promised == D("2026-06-22")
    day = first
    while day <= promised:
        found = renewal(run, day)
        assert D(found["date"]) == promised, day
        # Up to the day, dated by it with why; on it, "now".
        growing = "the longest wait, A7's, is still growing" in found["text"]
        assert growing is (day < promised), day
        day += timedelta(days=1)
    # Filed on that day it leaves A7's wait as it is then: the promise was kept.
    assert "to leave 134 working days, the longest wait as it will be by then " in (
        warned(run, promised)
    )
    assert "(A7's, 134 today, is still growing)" in warned(run, promised)
    # The day after, A7 has waited longer than any day ahead leaves: now.
    late = renewal(run, promised + timedelta(days=1))
    assert late["date"] == str(promised + timedelta(days=1))
    assert "now: no filing day gives a 90 % chance" in late["text"]


def test_a_decision_on_the_longest_wait_is_new_data(run: Run, store: Path) -> None:
    # A7 decided on 2026-06-05: its wait no longer grows, and the day rests on
    # what was observed; the words say nothing of a wait still growing.
    store.write_text(backlog(a7_decided="2026-06-05"), encoding="utf-8")
    found = renewal(run, D("2026-06-10"))
    assert D(found["date"]) > D("2026-06-22")
    assert "still growing" not in found["text"]
    assert "still growing" not in warned(run, D("2026-06-10"))
