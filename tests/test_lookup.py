"""Finding licenses: id fragments, several ids at once, sorting and limits."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

TODAY = "2026-01-15"


def shown(run: Run, example: Path, *args: str) -> list[int]:
    result = run(
        "list", "--all", "-f", "json", "--store", str(example), "--today", TODAY, *args
    )
    assert result.exit_code == 0, result.stderr
    return [row["id"] for row in json.loads(result.stdout)]


@pytest.mark.parametrize(
    ("key", "found"),
    [("dy-0412", 1), ("DY-0412", 1), ("ga-00", 5), ("mofcom-2025-y-0311", 7)],
)
def test_a_unique_part_of_a_number_finds_the_license(
    run: Run, example: Path, key: str, found: int
) -> None:
    result = run("show", key, "-f", "json", "--store", str(example), "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["id"] == found


def test_an_ambiguous_part_lists_the_candidates(run: Run, example: Path) -> None:
    before = example.read_bytes()
    result = run("close", "dy", "--store", str(example))
    assert result.exit_code == 64
    assert result.stderr == (
        "licenses: 'dy' is part of 3 license numbers: license 1 "
        "(MOFCOM-2025-DY-0412), license 11 (MOFCOM-2025-DY-0388), license 19 "
        "(MOFCOM-2025-DY-0590); give more of the number, or the id\n"
    )
    assert example.read_bytes() == before
    # digits alone are an id, never a fragment
    missing = run("show", "0412", "--store", str(example))
    assert "no license with id or number '0412'" in missing.stderr


def test_show_takes_several_ids(run: Run, example: Path) -> None:
    result = run("show", "3", "dy-0412", "A3", "-f", "json", "--store", str(example))
    assert result.exit_code == 0, result.stderr
    assert [obj["id"] for obj in json.loads(result.stdout)] == [3, 1, "A3"]
    table = run("show", "3", "A3", "--store", str(example), "--today", TODAY)
    assert table.stdout.count("ID:") == 2
    assert "\n\nID:" in table.stdout


def test_list_sorts_and_limits(run: Run, example: Path) -> None:
    by_expiry = shown(run, example)
    assert shown(run, example, "--sort", "expires") == by_expiry
    assert shown(run, example, "--sort", "days_left") == by_expiry
    assert shown(run, example, "--sort", "id") == sorted(by_expiry)
    assert shown(run, example, "--sort", "level")[:4] == [1, 2, 3, 4]
    # CN (license 20, from BIS) before DE
    assert shown(run, example, "--sort", "destination", "--limit", "3") == [20, 16, 2]
    assert shown(run, example, "--limit", "2") == by_expiry[:2]
    materials = run(
        "list",
        "--sort",
        "material",
        "-f",
        "json",
        "--store",
        str(example),
        "--today",
        TODAY,
    )
    names = [row["material"].casefold() for row in json.loads(materials.stdout)]
    assert names == sorted(names)
    bad = run("list", "--limit", "0", "--store", str(example))
    assert bad.exit_code == 64
