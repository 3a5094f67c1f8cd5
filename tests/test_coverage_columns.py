"""coverage on a narrow terminal: the columns that tell two rows apart (the
destination, the end user) stay until the action's day, and what to do
(``Next``) stays longest, shortened after a whole word, so that no two rows
print the same text (issue 24 §3; audit s9-law, 5)."""

from __future__ import annotations

import re

import pytest

from helpers import EXAMPLE, in_terminal

TODAY = "2026-11-30"


def screen(columns: int) -> list[str]:
    shown = in_terminal(
        "--store", str(EXAMPLE), "--no-color", "--no-pager", "coverage",
        "--today", TODAY, columns=columns,
    )  # fmt: skip
    return shown.splitlines()


@pytest.mark.parametrize("columns", [80, 100, 120])
def test_no_two_rows_print_the_same_text_and_next_stays(columns: int) -> None:
    header, _rule, *rest = screen(columns)
    # A row ends with its level, or with the chance of no gap after it (the
    # "No gap" column, where the width holds it).
    body = [
        line
        for line in rest
        if re.search(r"  (expired|critical|warning|ok)(  +(\d+ %|-))?$", line)
    ]
    assert len(body) == 22, rest
    assert len(set(body)) == len(body), "\n".join(body)
    assert "Next" in header.split()
    assert all(len(line) <= columns for line in [header, *rest])


def test_at_80_columns_the_end_user_tells_the_two_ndfeb_rows_apart() -> None:
    header, _rule, *rest = screen(80)
    assert header.split() == ["Material", "End", "user", "Next", "By", "Gap", "Level"]
    ndfeb = [line for line in rest if "Rhein" in line or "Weser" in line]
    # the material shortened alike (a backlog's "≥163~" gap is wider)
    assert any(line.startswith("NdFeB…rosium") and "Weser" in line for line in ndfeb)
    assert any(line.startswith("NdFeB…rosium") and "Rhein" in line for line in ndfeb)
    # the action, after a whole word: "now" stays, the date is whole or gone
    assert any("file the renewal now …" in line for line in ndfeb)
    assert not any(re.search(r"\d{4}-\d\d?…", line) for line in rest)
    # Dest tells no two rows apart here (the end user does): it goes early
    # seven names would not fit in 80 columns: their count, never a wrapped line
    assert rest[-1] == "hidden: 7 columns (--format)"
