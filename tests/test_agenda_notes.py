"""agenda's lines at the terminal: a detail the detail column would cut is
whole where its line has room for it (audit s9-law, 8)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers import in_terminal

if TYPE_CHECKING:
    from pathlib import Path


TODAY = "2026-11-30"


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
