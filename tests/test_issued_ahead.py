"""A license issued after today (audit s10-contract, 2): the commands refuse
one, as they refuse an application's day after today, and one in the store
makes warn say so, so that a check on a wrong day (a reset clock, a stale
LICENSES_TODAY) is never silent. warn's JSON names the day it checked."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from helpers import ADD_X, write

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

TODAY = ("--today", "2026-06-01")
STORE = """version = 1

[settings]
calendar = "none"

[[license]]
id = 1
number = "N1"
material = "gallium metal"
destination = "JP"
issued = 2026-06-10
term_months = 6
"""


def test_add_edit_and_import_refuse_a_day_after_tomorrow(
    run: Run, store: Path, tmp_path: Path
) -> None:
    ahead = run(*ADD_X, "2026-06-03", *TODAY)
    assert ahead.exit_code == 64
    assert ahead.stderr == (
        "licenses: --issued: 2026-06-03 is after today (2026-06-01): record it "
        "once it has happened\n"
    )
    assert not store.exists()
    # Tomorrow is the slack an authority's date may run ahead, as for events.
    assert run(*ADD_X, "2026-06-02", *TODAY).exit_code == 0
    before = store.read_bytes()
    edited = run("edit", "1", "--issued", "2031-01-01", *TODAY)
    assert edited.exit_code == 64
    assert "--issued: 2031-01-01 is after today (2026-06-01)" in edited.stderr
    assert run("edit", "1", "--material", "y", *TODAY).exit_code == 0
    before = store.read_bytes()
    rows = write(
        tmp_path / "ahead.csv",
        "material,destination,issued\na,US,2026-05-01\nb,US,2031-01-01\n",
    )
    imported = run("import", str(rows), *TODAY)
    assert imported.exit_code == 65
    assert (
        "  line 3: issued: 2031-01-01 is after today (2026-06-01): record it once "
        "it has happened"
    ) in imported.stderr.splitlines()
    assert store.read_bytes() == before


def test_warn_on_a_day_before_the_issue_is_a_warning_naming_the_day(
    store: Path, run: Run
) -> None:
    write(store, STORE)
    said = "issued 2026-06-10 is after today (2026-06-01): a typo, or is the "
    text = run("warn", *TODAY)
    assert text.exit_code == 1
    assert text.stdout.startswith("WARNING: license 1 (N1), gallium metal to JP: ")
    assert said in text.stdout
    nagios = run("warn", "-f", "nagios", *TODAY)
    assert nagios.exit_code == 1
    assert nagios.stdout.startswith(
        "LICENSES WARNING - 1 warning, 1 license issued after today (2026-06-01) |"
    )
    document = json.loads(run("warn", "-f", "json", *TODAY).stdout)
    assert (document["state"], document["today"]) == ("WARNING", "2026-06-01")
    (row,) = document["licenses"]
    assert row["level"] == "warning"
    assert any(said in reason for reason in row["reasons"])
    assert run("warn", "-f", "prometheus", *TODAY).exit_code == 1
    # On the right day, the same store is judged as ever: nothing ahead.
    later = json.loads(run("warn", "-f", "json", "--today", "2026-06-10").stdout)
    assert (later["state"], later["today"]) == ("OK", "2026-06-10")
