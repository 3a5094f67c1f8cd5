"""list --authority and applications --authority (issue 23, section 4)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

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


def decided(ident: int, filed: str, decided_on: str, authority: str = "") -> str:
    named = f'authority = "{authority}"\n' if authority else ""
    return (
        f'\n[[application]]\nid = "A{ident}"\nmaterial = "dysprosium oxide"\n'
        f'destination = "US"\n{named}filed = {filed}\naccepted = {filed}\n'
        f'status = "granted"\ndecided = {decided_on}\n'
    )


def test_another_authoritys_decisions_never_enter_mofcoms_history(
    run: Run, store: Path
) -> None:
    """Two MOFCOM decisions and three of BIS for the same material and
    destination: MOFCOM's review times learn from its own two alone."""
    text = "version = 1\n" + decided(1, "2026-03-02", "2026-05-04")
    text += decided(2, "2026-04-01", "2026-06-01")
    for n, month in enumerate(("05", "06", "07"), start=3):
        text += decided(n, f"2026-{month}-01", f"2026-{month}-10", "BIS")
    store.write_text(text, encoding="utf-8")
    result = run("stats", "--format", "json", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    # MOFCOM's group row and total: two decided each, not five; BIS's three
    # come in rows of their own (stats grouped by authority)
    assert [(r["authority"], r["destination"], r["decided"]) for r in rows] == [
        ("MOFCOM", "US", 2),
        ("MOFCOM", None, 2),
        ("BIS", "US", 3),
        ("BIS", None, 3),
    ]
    assert ids(run, "applications", "--authority", "BIS") == ["A3", "A4", "A5"]
