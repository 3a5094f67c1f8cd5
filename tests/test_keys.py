"""A key typed on the command line never silently names another record: a key
that is one license's id and another's number, or an application's id and a
license's number, is refused naming both; id:… and number:… say which."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from test_completion import complete

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

DAY = ("--today", "2025-11-01")


def add(run: Run, material: str, *number: str) -> None:
    result = run(
        "add", "-m", material, "-d", "JP", "-i", "2025-10-01",
        "--quantity", "100", "--unit", "kg", *number,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr


def shipped(run: Run) -> dict[int, int]:
    """How much each license has shipped, as show reads it from the store."""
    rows = json.loads(run("show", "id:1", "id:2", "id:3", "-f", "json").stdout)
    return {row["id"]: row["shipped"] for row in rows}


def test_a_number_that_becomes_another_licenses_id_is_refused(
    run: Run, store: Path
) -> None:
    add(run, "gallium", "--number", "3")
    first = run("ship", "3", "10", *DAY)
    assert first.exit_code == 0, first.stderr
    assert "against license 1 (3)" in first.stderr
    add(run, "germanium")
    add(run, "terbium")  # license 3: from now on "3" names two licenses
    before = store.read_bytes()
    again = run("ship", "3", "10", *DAY)
    assert again.exit_code == 64
    assert again.stderr == (
        "licenses: '3' is license 3 by its id and license 1 (3) by its number; "
        "say which: id:3 or number:3\n"
    )
    assert store.read_bytes() == before
    for command in (("close", "3"), ("remove", "3", "--yes"), ("show", "3")):
        assert run(*command).exit_code == 64, command
    assert store.read_bytes() == before
    # the explicit forms pick one, in any case
    assert "against license 1 (3)" in run("ship", "number:3", "10", *DAY).stderr
    assert "against license 3:" in run("ship", "ID:3", "10", *DAY).stderr
    assert shipped(run) == {1: 20, 2: 0, 3: 10}


def test_a_license_whose_number_is_its_own_id_is_found(run: Run) -> None:
    add(run, "gallium", "--number", "1")
    shown = run("show", "1", "-f", "json")
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["id"] == 1


def test_a_license_numbered_like_an_application_is_never_taken_for_it(
    run: Run, example: Path
) -> None:
    store = ("--store", str(example))
    added = run(*store, "add", "-m", "q", "-d", "JP", "-i", "2025-10-01", "-n", "A3")
    assert "license 21 (A3)" in added.stderr
    before = example.read_bytes()
    both = (
        "licenses: 'A3' is application A3 by its id and license 21 (A3) by its "
        "number; say which: id:A3 or number:A3\n"
    )
    for command in ("show", "ack"):
        refused = run(*store, command, "A3")
        assert (refused.exit_code, refused.stderr) == (64, both), command
    assert example.read_bytes() == before
    as_app = run(*store, "show", "id:A3", "-f", "json")
    assert json.loads(as_app.stdout)["id"] == "A3"
    as_license = run(*store, "show", "number:a3", "-f", "json")
    assert json.loads(as_license.stdout)["id"] == 21
    # ship takes a license only: A3 can mean nothing else there
    ship = run(*store, "ship", "A3", "1", "--partial", "--today", "2025-11-01")
    assert "against license 21 (A3)" in ship.stderr
    acked = run(*store, "ack", "id:A3", "--today", "2025-11-01")
    assert acked.stderr.startswith("application A3 seen")


def test_a_key_shaped_like_an_id_is_never_a_part_of_a_number(run: Run) -> None:
    add(run, "gallium", "--number", "XA7Y")
    missing = run("ship", "a7", "1", *DAY)
    assert missing.exit_code == 64
    assert "A7 is an application id" in missing.stderr
    assert "against license 1 (XA7Y)" in run("ship", "number:a7", "1", *DAY).stderr


def test_completion_offers_the_form_that_says_which(run: Run, store: Path) -> None:
    add(run, "gallium", "--number", "2")
    add(run, "germanium", "--number", "A1")
    line = f"licenses --store {store}"
    # "2" is license 2's id and license 1's number: each offered in its form
    assert complete("bash", f"{line} close id:") == ["id:1", "id:2"]
    assert complete("bash", f"{line} close number:") == ["number:2", "number:A1"]
    assert complete("bash", f"{line} close 1") == ["1"]
    assert complete("bash", f"{line} close A") == ["A1"]  # no application here
