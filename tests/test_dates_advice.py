"""The dates and advice each command gives agree with the others and with the
docs (audit s8-dates): an expired license's line keeps what is known of its
renewal, a confirmation names the day to act on, a declined renewal is never
listed for its filing deadline, a chance beyond the history is a bound, and an
application past its due day is overdue everywhere on the same day."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from helpers import EXAMPLE, write

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

RENEWAL_FILED = """version = 1
[[license]]
id = 1
material = "cerium"
destination = "US"
issued = 2025-09-01
expires = 2026-03-01
status = "renewal-filed"
renewal_filed = 2026-01-05
"""


def test_an_expired_licenses_warn_line_keeps_its_renewal_and_its_due_day(
    run: Run, store: Path
) -> None:
    write(store, RENEWAL_FILED)
    result = run("--today", "2026-03-05", "warn")
    assert result.exit_code == 2
    assert result.stdout == (
        "EXPIRED: license 1, cerium to US: expired 2026-03-01 (4 days ago); "
        "renewal filed on 2026-01-05; decision is due 2026-03-13\n"
    )
    # Once the due day has passed, it is said in the past.
    later = run("--today", "2026-03-20", "warn")
    assert "renewal filed on 2026-01-05; decision was due 2026-03-13" in later.stdout


def test_add_names_the_day_to_act_on_that_warn_gives(run: Run, store: Path) -> None:
    """The level comes from the history's earlier day: the confirmation names
    that day (or now), as warn does, not the statutory renew-by beside it
    (2026-05-08 and 2026-03-10 here)."""
    write(store, EXAMPLE.read_text(encoding="utf-8"))
    today = ("--today", "2026-01-15")
    later = run(*today, "add", "-m", "yttrium oxide", "-d", "US", "-i", "2026-01-10")
    sooner = run(*today, "add", "-m", "yttrium oxide", "-d", "US", "-i", "2025-11-15")
    warned = run(*today, "warn").stdout
    found = re.search(r"WARNING: license 21, [^:]*: file by (\S+) ", warned)
    assert found, warned
    assert found[1] < "2026-05-08"
    assert later.stderr == (
        "Added license 21: yttrium oxide to US, expires 2026-07-10 (176 days left); "
        f"file by {found[1]}: WARNING\n"
    )
    assert "WARNING: license 22, yttrium oxide to US: file now: " in warned
    assert sooner.stderr == (
        "Added license 22: yttrium oxide to US, expires 2026-05-15 (120 days left); "
        "file now: WARNING\n"
    )


DECLINED = """version = 1
[[license]]
id = 1
material = "cerium"
destination = "US"
issued = 2025-06-01
expires = 2026-06-30
renewal = false
"""


def test_due_never_lists_a_declined_renewal_for_its_filing_deadline(
    run: Run, store: Path
) -> None:
    """renew_by 2026-04-23 is within 90 days, the expiry (149 days) is not:
    nothing is due, and warn is silent; within 150 days the expiry lists it."""
    write(store, DECLINED)
    today = ("--today", "2026-02-01")
    assert run(*today, "warn").exit_code == 0
    nothing = run(*today, "due", "--format", "json")
    assert (nothing.exit_code, nothing.stdout) == (0, "[]\n")
    assert run(*today, "due").stderr == "nothing due\n"
    by_expiry = json.loads(run(*today, "due", "--within", "150", "-f", "json").stdout)
    assert [row["id"] for row in by_expiry] == [1]


def test_show_says_a_chance_beyond_every_wait_is_a_bound_and_the_day_to_act_on(
    run: Run, store: Path
) -> None:
    """License 10: filed today, its decision would have more working days than
    the longest wait observed, so 80 % is only a lower bound; and show names
    the day agenda (and due) date its renewal by, not only the statutory one."""
    write(store, EXAMPLE.read_text(encoding="utf-8"))
    today = ("--today", "2026-01-15")
    agenda = json.loads(run(*today, "agenda", "--all", "-f", "json").stdout)
    (day,) = (
        a["date"]
        for a in agenda
        if a["license"] == 10 and a["action"] == "file_renewal"
    )
    shown = run(*today, "show", "10").stdout
    (forecast,) = (line for line in shown.splitlines() if line.startswith("Forecast:"))
    assert forecast.split(None, 1)[1].startswith(
        # The longest wait is A14's, still pending: counted as it will be then.
        f"file by {day} to leave the longest wait before expiry as it will be "
        "then (A14's is still growing); "
        "at least an 80 % chance of a decision before expiry if filed today"
    )
    # Within the waits observed the chance is an estimate, said as one.
    (nine,) = (
        line
        for line in run(*today, "show", "9").stdout.splitlines()
        if line.startswith("Forecast:")
    )
    assert "; a 40 % chance of a decision before expiry if filed today" in nine


OVERDUE_ON_A_DAY_OFF = """version = 1
[[application]]
id = "A1"
material = "cerium"
destination = "US"
filed = 2025-12-12
status = "pending"
"""


def test_past_its_due_day_on_days_off_an_application_is_overdue_everywhere(
    run: Run, store: Path
) -> None:
    """Due on the make-up Saturday 2026-02-14; 2026-02-16 is in the Spring
    Festival, so no working day has passed since: overdue all the same, in
    warn, applications and the agenda alike (not 'pending', not '0 late')."""
    write(store, OVERDUE_ON_A_DAY_OFF)
    today = ("--today", "2026-02-16")
    warned = run(*today, "warn")
    assert warned.exit_code == 1
    assert warned.stdout == (
        "WARNING: application A1, cerium to US: decision overdue (due 2026-02-14); "
        "filed 2025-12-12\n"
    )
    table = run(*today, "applications").stdout.splitlines()
    assert table[1].split()[-2:] == ["overdue", "warning"]
    (action,) = json.loads(run(*today, "agenda", "-f", "json").stdout)
    assert action["text"].endswith(": due 2026-02-14, overdue, no working day since")
    assert "0 working days" not in run(*today, "agenda").stdout


def test_the_agenda_says_a_bound_as_show_does(run: Run, store: Path) -> None:
    """License 10's chance is read beyond the longest wait observed: a lower
    bound, "at least" in show, and in the agenda's text and table too."""
    write(store, EXAMPLE.read_text(encoding="utf-8"))
    today = ("--today", "2026-01-15")
    shown = run(*today, "show", "10").stdout
    assert "at least an 80 % chance of a decision before expiry" in shown
    actions = json.loads(run(*today, "agenda", "--all", "--format", "json").stdout)
    (filing,) = [
        a for a in actions if (a["license"], a["action"]) == (10, "file_renewal")
    ]
    assert "filed by then, at least an 80 % chance" in filing["text"]
    table = run(*today, "agenda", "--all").stdout
    assert "by 2026-04-02, at least 80 % chance" in table
