"""A chance that show and agenda call a bound ("at least an 80 % chance") is
one in the data too: `p_decision_by_expiry_bound` beside the number, in the
JSON and CSV rows of licenses and applications (audit s9-outputs, 1)."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from helpers import EXAMPLE, write

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

TODAY = ("--today", "2026-01-15")


def _by_id(rows: list[dict[str, object]]) -> dict[object, dict[str, object]]:
    return {row["id"]: row for row in rows}


def test_a_chance_beyond_every_wait_is_at_least_in_json_and_csv(
    run: Run, store: Path
) -> None:
    """License 10 (show: "at least an 80 % chance") is "at_least"; license 9
    (show: "a 40 % chance", an estimate) is null; a license with no chance,
    null."""
    write(store, EXAMPLE.read_text(encoding="utf-8"))
    assert "at least an 80 % chance" in run(*TODAY, "show", "10").stdout
    assert "; a 40 % chance of a decision" in run(*TODAY, "show", "9").stdout
    rows = _by_id(json.loads(run(*TODAY, "list", "--format", "json").stdout))
    key = "p_decision_by_expiry_bound"
    assert (rows[10]["p_decision_by_expiry"], rows[10][key]) == (0.802, "at_least")
    assert (rows[9]["p_decision_by_expiry"], rows[9][key]) == (0.407, None)
    assert (rows[1]["p_decision_by_expiry"], rows[1][key]) == (None, None)
    # warn's rows carry it too: on 2026-03-20 license 10 is flagged, with at
    # least a 64 % chance (12 was the flagged bound on TODAY, until the chance
    # was counted from filing: its curve reaches further)
    warned = json.loads(run("--today", "2026-03-20", "warn", "-f", "json").stdout)
    flagged = _by_id(warned["licenses"])
    assert (flagged[10][key], flagged[9][key]) == ("at_least", None)
    table = csv.DictReader(io.StringIO(run(*TODAY, "list", "-f", "csv").stdout))
    cells = {row["id"]: row[key] for row in table}
    assert (cells["10"], cells["9"]) == ("at_least", "")


def test_a_chance_with_the_clock_stopped_is_at_most(run: Run, store: Path) -> None:
    """License 5's renewal A4 is pending: its chance is an estimate (null)
    until the authority stops the clock, then an upper bound ("at most"), in
    the application's row, the license's row and show A4's words alike."""
    write(store, EXAMPLE.read_text(encoding="utf-8"))
    key = "p_decision_by_expiry_bound"
    apps = _by_id(json.loads(run(*TODAY, "applications", "-f", "json").stdout))
    assert (apps["A4"]["p_decision_by_expiry"], apps["A4"][key]) == (0.304, None)
    assert run(*TODAY, "hold", "A4", "--on", "2026-01-14").exit_code == 0
    apps = _by_id(json.loads(run(*TODAY, "applications", "-f", "json").stdout))
    assert (apps["A4"]["p_decision_by_expiry"], apps["A4"][key]) == (0.226, "at_most")
    assert apps["A14"][key] is None  # no chance: not a renewal
    rows = _by_id(json.loads(run(*TODAY, "list", "--format", "json").stdout))
    assert rows[5][key] == "at_most"
    assert "at most a 22 % chance of a decision before expiry" in str(
        rows[5]["reasons"]
    )
    shown = run(*TODAY, "show", "A4").stdout
    assert "at most a 22 % chance before the license expires" in shown
