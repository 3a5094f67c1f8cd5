"""A license suspended for a change (Order 792 art. 18: not used until the
change is decided) still expires on its day, so warn, agenda and coverage say
"file the renewal now"; and a renewal is a new application (DOMAIN.md), so it
can be filed meanwhile. `apply ID` refused it ("suspended, not active: nothing
to file"): the advice could not be followed, and warn kept saying it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import Run

TODAY = "2026-11-30"


def _suspended_and_filed(run: Run) -> None:
    """License 1 (expires 2026-12-10), its change A1 pending, its renewal A2
    filed today."""
    for args in (
        ("add", "-m", "terbium oxide", "-d", "DE", "-i", "2026-06-10", "--quantity", "100", "--unit", "kg"),
        ("change", "1", "--quantity", "150", "--on", "2026-11-25"),
        ("apply", "1"),
    ):  # fmt: skip
        done = run(*args, "--today", TODAY)
        assert done.exit_code == 0, (args, done.stderr)


def _licenses(run: Run, today: str = TODAY) -> dict[int, dict[str, Any]]:
    done = run("list", "--all", "--format", "json", "--today", today)
    assert done.exit_code == 0, done.stderr
    return {row["id"]: row for row in json.loads(done.stdout)}


def test_the_renewal_of_a_suspended_license_can_be_filed(run: Run) -> None:
    _suspended_and_filed(run)
    lic = _licenses(run)[1]
    assert (lic["status"], lic["renewal_filed"]) == ("suspended", TODAY)
    warned = run("warn", "--today", TODAY).stdout
    line = next(x for x in warned.splitlines() if "license 1" in x)
    assert "file the renewal" not in line
    assert "renewal filed on 2026-11-30" in line
    assert "suspended: the change application A1 is pending" in line
    agenda = json.loads(
        run("agenda", "--all", "--format", "json", "--today", TODAY).stdout
    )
    assert not [a for a in agenda if a["action"] == "file_renewal"]
    rows = json.loads(run("coverage", "--format", "json", "--today", TODAY).stdout)
    assert all("file the renewal" not in (r["next_action"] or "") for r in rows)
    assert run("ship", "1", "5", "--today", TODAY).exit_code == 64  # still suspended


def test_the_change_refused_leaves_the_license_renewal_filed(run: Run) -> None:
    _suspended_and_filed(run)
    done = run("refuse", "A1", "--today", TODAY)
    assert done.exit_code == 0, done.stderr
    assert "license 1 is in use again, its renewal filed" in done.stderr + done.stdout
    lic = _licenses(run)[1]
    assert (lic["status"], lic["renewal_filed"]) == ("renewal-filed", TODAY)


def test_the_change_granted_passes_the_renewal_to_the_new_license(run: Run) -> None:
    _suspended_and_filed(run)
    done = run("grant", "A1", "-i", "2026-12-05", "--today", "2026-12-05")
    assert done.exit_code == 0, done.stderr
    # Its renewal is filed: no day to file by, the level is the projected gap's.
    assert done.stderr.rstrip().endswith("; renewal filed on 2026-11-30: CRITICAL")
    licenses = _licenses(run, "2026-12-05")
    assert licenses[1]["status"] == "closed"
    assert (licenses[2]["status"], licenses[2]["renewal_filed"]) == (
        "renewal-filed",
        TODAY,
    )
    apps = run("applications", "--all", "--format", "json", "--today", "2026-12-05")
    renewal = next(a for a in json.loads(apps.stdout) if a["id"] == "A2")
    assert (renewal["renews"], renewal["status"]) == (2, "pending")


def test_the_renewal_refused_while_suspended_leaves_it_suspended(run: Run) -> None:
    _suspended_and_filed(run)
    done = run("refuse", "A2", "--today", TODAY)
    assert done.exit_code == 0, done.stderr
    assert "license 1 stays suspended" in done.stderr + done.stdout
    lic = _licenses(run)[1]
    assert (lic["status"], lic["renewal_filed"]) == ("suspended", None)
    warned = run("warn", "--today", TODAY).stdout
    assert "file the renewal now" in next(
        x for x in warned.splitlines() if "license 1" in x
    )
