"""list --authority and applications --authority (issue 23, section 4)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Run

TODAY = "2026-11-29"


def ids(run: Run, command: str, *args: str) -> list[object]:
    result = run(command, "--all", "--format", "json", "--today", TODAY, *args)
    assert result.exit_code == 0, result.stderr
    return [row["id"] for row in json.loads(result.stdout)]


def test_list_and_applications_keep_one_authoritys_records(run: Run) -> None:
    for args in (
        ("add", "-m", "dysprosium oxide", "-d", "US", "-i", "2026-06-01"),
        ("add", "-m", "gallium", "-d", "DE", "-i", "2026-06-01", "--authority", "bis"),
        ("apply", "-m", "holmium oxide", "-d", "IN", "--on", "2026-11-02"),
        ("apply", "-m", "gallium", "-d", "DE", "--on", "2026-11-02",
         "--authority", "BIS"),
    ):  # fmt: skip
        result = run(*args)
        assert result.exit_code == 0, result.stderr
    # a record naming no authority is MOFCOM's; the name in any case
    assert ids(run, "list", "--authority", "mofcom") == [1]
    assert ids(run, "list", "--authority", "BIS") == [2]
    assert sorted(ids(run, "list"), key=str) == [1, 2]
    assert ids(run, "applications", "--authority", "MOFCOM") == ["A1"]
    assert ids(run, "applications", "--authority", "Bis") == ["A2"]
    rows = json.loads(
        run("list", "-f", "json", "--authority", "bis", "--today", TODAY).stdout
    )
    # BIS: a license given no term runs its profile's usual 48 months
    assert (rows[0]["authority"], rows[0]["expires"]) == ("BIS", "2030-06-01")


def test_an_unknown_authority_is_64_naming_the_known_ones(run: Run) -> None:
    assert run("add", "-m", "x", "-d", "US", "-i", "2026-06-01").exit_code == 0
    for command in ("list", "applications"):
        result = run(command, "--authority", "FOO", "--today", TODAY)
        assert result.exit_code == 64
        assert result.stderr.splitlines() == [
            (
                "licenses: --authority: 'FOO' is not a known authority: MOFCOM, BIS, "
                "EU-DE, ECJU, or add an [authority.NAME] table to the store"
            )
        ]
