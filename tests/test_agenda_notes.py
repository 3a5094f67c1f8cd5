"""agenda's lines and closing notes: a detail the detail column would cut is
whole where its line has room for it (audit s9-law, 8), and the estimate's
note is printed only when a line shown rests on an unannounced holiday year
(audit s9-law, 7)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from helpers import in_terminal

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run


TODAY = "2026-11-30"
NOTE = "estimated: no official 2027 holiday schedule"
HOLMIUM = """version = 1
[[license]]
id = 1
material = "holmium oxide"
destination = "DE"
issued = 2026-10-01
"""


def test_a_stopped_clocks_reason_is_whole_at_80_columns(example: Path) -> None:
    shown = in_terminal(
        "--store", str(example), "--no-color", "--no-pager", "agenda",
        "--today", TODAY, columns=80,
    )  # fmt: skip
    lines = shown.splitlines()
    (a16,) = [line for line in lines if " A16 " in line]
    assert a16.startswith("2025-12-08  resume clock    A16  ")
    assert a16.endswith("→ KR  on-site check of the end user")
    assert "…" in a16  # its material gave way ("dysp…metal"), not what to do
    assert all(len(line) <= 80 for line in lines)
    # the other lines keep their materials and columns
    assert "2025-10-14  chase decision  A14  dysprosium oxide   → US" in shown


def test_the_estimate_note_only_for_a_line_shown_that_rests_on_it(
    run: Run, store: Path
) -> None:
    """Holmium oxide to DE, expiring 2027-04-01: its renewal's last day,
    2027-01-22, is counted across 2027's holidays, not yet announced. Within
    14 days agenda shows only the controls' reviews: no note."""
    store.write_text(HOLMIUM, encoding="utf-8")
    near = run("agenda", "--today", TODAY)
    assert near.exit_code == 0, near.stderr
    assert "review control" in near.stdout
    assert "file renewal" not in near.stdout
    assert NOTE not in near.stdout
    every = run("agenda", "--all", "--today", TODAY).stdout
    assert "file renewal" in every
    assert every.rstrip().endswith(NOTE)
    rows = json.loads(run("agenda", "--all", "-f", "json", "--today", TODAY).stdout)
    assert "file_renewal" in {row["action"] for row in rows}
