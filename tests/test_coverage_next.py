"""coverage's next step: on one day, what the person must do (file the renewal
now) comes before what they wait on (a decision to chase)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Run

TODAY = "2026-02-10"


def test_a_passed_filing_day_is_not_hidden_by_a_decision_to_chase(run: Run) -> None:
    add = ("add", "-m", "dysprosium oxide", "-d", "US", "-i", "2025-09-30", "--expires", "2026-03-31", "--today", TODAY)  # fmt: skip
    assert run(*add).exit_code == 0
    apply = ("apply", "-m", "dysprosium oxide", "-d", "US", "--on", "2025-10-01", "--accepted", "2025-10-02", "--today", TODAY)  # fmt: skip
    assert run(*apply).exit_code == 0
    done = run("coverage", "--today", TODAY, "--format", "json")
    assert done.exit_code == 0, done.stderr
    (row,) = json.loads(done.stdout)
    assert row["next_action"] == "file the renewal now (last day 2026-01-21)"
    assert (row["next_action_date"], row["level"]) == (TODAY, "critical")
