"""licenses controls: the catalogue and each entry's state on --today (issue 23,
section 3), with the store's own [[control]] blocks over the package's."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

# CONTRACT.md, "Added in the third round": every key of the [[control]] schema,
# plus state and state_since.
CONTRACT_KEYS = {
    "number", "authority", "title", "published", "effective", "items",
    "destinations", "suspensions", "lifted", "source", "state", "state_since",
}  # fmt: skip

# What a person types in for an announcement the package does not know.
NEW_ANNOUNCEMENT = """version = 1

[[control]]
number = "MOFCOM 2026 No. 3"
authority = "MOFCOM"
title = "cerium and lanthanum"
published = 2026-11-20
effective = 2026-12-15
items = ["cerium", "Ce", "cerium oxide", "lanthanum"]
destinations = []
source = "https://example.org/mofcom-2026-3"
"""


def entries(run: Run, today: str, *args: str) -> dict[str, dict[str, Any]]:
    result = run("controls", "--today", today, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return {obj["number"]: obj for obj in json.loads(result.stdout)}


@pytest.mark.parametrize(
    ("number", "today", "state", "since"),
    [
        # No. 70 suspended No. 57 from 7 Nov 2025 until 10 Nov 2026 (inclusive)
        ("MOFCOM 2025 No. 57", "2026-11-10", "suspended", "2025-11-07"),
        ("MOFCOM 2025 No. 57", "2026-11-11", "suspension_ended", "2026-11-11"),
        ("MOFCOM 2025 No. 61", "2026-11-10", "suspended", "2025-11-07"),
        ("MOFCOM 2025 No. 61", "2026-11-29", "suspension_ended", "2026-11-11"),
        # No. 72 suspended art. 2 of 2024 No. 46 from 9 Nov 2025 until 27 Nov 2026
        ("MOFCOM 2024 No. 46", "2026-11-27", "suspended", "2025-11-09"),
        ("MOFCOM 2024 No. 46", "2026-11-28", "suspension_ended", "2026-11-28"),
        ("MOFCOM 2025 No. 18", "2026-11-29", "in_force", "2025-04-04"),
        ("MOFCOM 2023 No. 23", "2026-11-29", "lifted", "2024-12-01"),
        ("MOFCOM 2025 No. 57", "2025-10-20", "not_yet_effective", "2025-10-09"),
    ],
)
def test_each_entrys_state_around_its_changes(
    run: Run, number: str, today: str, state: str, since: str
) -> None:
    entry = entries(run, today)[number]
    assert (entry["state"], entry["state_since"]) == (state, since)
    assert set(entry) >= CONTRACT_KEYS
    assert entry["origin"] == "package"


def test_the_table_says_each_state_in_words_and_stderr_the_catalogues_date(
    run: Run,
) -> None:
    result = run("controls", "--today", "2026-11-29")
    assert result.exit_code == 0, result.stderr
    lines = {line.split("  ")[0]: line for line in result.stdout.splitlines()}
    assert "suspension ended 2026-11-10" in lines["MOFCOM 2025 No. 57"]
    assert "suspension ended 2026-11-27" in lines["MOFCOM 2024 No. 46"]
    assert "in force" in lines["MOFCOM 2025 No. 18"]
    assert "lifted" in lines["MOFCOM 2023 No. 23"]
    assert result.stderr.startswith("catalogue as of 2026-11-29")
    earlier = run("controls", "--today", "2026-11-01").stdout
    assert "suspended until 2026-11-10" in earlier
    assert (
        "not yet effective (from 2025-11-08)"
        in run("controls", "--today", "2025-10-20").stdout
    )


@pytest.mark.parametrize(
    ("material", "numbers"),
    [
        # No. 61 (rare earths in foreign-made items) names every rare earth
        ("holmium oxide", {"MOFCOM 2025 No. 57", "MOFCOM 2025 No. 61"}),
        ("Ho2O3", {"MOFCOM 2025 No. 57", "MOFCOM 2025 No. 61"}),
        ("Dy2O3", {"MOFCOM 2025 No. 18", "MOFCOM 2025 No. 61"}),
        ("copper wire", set()),
    ],
)
def test_material_keeps_the_entries_it_may_fall_under(
    run: Run, material: str, numbers: set[str]
) -> None:
    assert set(entries(run, "2026-11-29", "--material", material)) == numbers


def test_no_match_says_so_on_stderr_and_exits_0(run: Run) -> None:
    result = run("controls", "--today", "2026-11-29", "-m", "copper wire")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no entry of the catalogue names 'copper wire'" in result.stderr


def test_a_new_announcement_typed_into_the_store_is_listed_and_matched(
    run: Run, store: Path
) -> None:
    store.write_text(NEW_ANNOUNCEMENT, encoding="utf-8")
    found = entries(run, "2026-11-29", "--material", "cerium oxide")
    assert set(found) == {"MOFCOM 2026 No. 3"}
    entry = found["MOFCOM 2026 No. 3"]
    assert entry["state"] == "not_yet_effective"
    assert entry["state_since"] == "2026-11-20"
    assert entry["origin"] == "store"
    assert entries(run, "2026-12-15")["MOFCOM 2026 No. 3"]["state"] == "in_force"
    result = run("controls", "--today", "2026-11-29")
    assert "1 entry from the store" in result.stderr
    assert "MOFCOM 2026 No. 3*" in result.stdout


def test_a_store_entry_replaces_the_package_entry_with_the_same_number(
    run: Run, store: Path
) -> None:
    extended = (
        NEW_ANNOUNCEMENT.replace("MOFCOM 2026 No. 3", "mofcom 2025 no. 57")
        .replace("2026-12-15", "2025-11-08")
        .replace("2026-11-20", "2025-10-09")
        .replace("destinations = []", 'destinations = []\nsuspensions = [{ by = '
                 '"MOFCOM 2026 No. 9", from = 2025-11-07, until = 2027-11-10, '
                 'source = "https://example.org/9" }]')
    )  # fmt: skip
    store.write_text(extended, encoding="utf-8")
    found = entries(run, "2026-11-29")
    assert "MOFCOM 2025 No. 57" not in found
    assert found["mofcom 2025 no. 57"]["state"] == "suspended"
    assert found["mofcom 2025 no. 57"]["origin"] == "store"


def test_csv_has_one_line_per_entry(run: Run) -> None:
    result = run("controls", "--today", "2026-11-29", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("number,authority,title,published,effective,items")
    assert len(lines) == 1 + len(entries(run, "2026-11-29"))


def test_an_invalid_store_entry_is_65_in_one_line(run: Run, store: Path) -> None:
    store.write_text(NEW_ANNOUNCEMENT.replace("source = ", "sauce = "), "utf-8")
    result = run("controls", "--today", "2026-11-29")
    assert result.exit_code == 65
    assert len(result.stderr.splitlines()) == 1


def test_every_controls_row_has_the_same_keys_in_json_and_csv(run: Run) -> None:
    """A script reads one shape: the sources of single dates are in every row
    (null when none), and CSV has them as its last columns (audit
    s10-contract, 8: they came and went in JSON, and CSV had none)."""
    rows = json.loads(run("controls", "--today", "2026-11-29", "-f", "json").stdout)
    assert len({tuple(row) for row in rows}) == 1
    assert tuple(rows[0])[-3:] == (
        "published_source",
        "effective_source",
        "lifted_source",
    )
    header = run("controls", "--today", "2026-11-29", "-f", "csv").stdout
    assert header.splitlines()[0].split(",") == list(rows[0])
