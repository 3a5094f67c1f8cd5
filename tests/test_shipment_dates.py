"""A shipment typed into the store by hand on a day that cannot be: after
today (2062 for 2026, a shipment entered ahead, or the day checked is wrong),
or before its license was issued. ship refuses both, import now too; one in
the store is read as it is (never an error: one typo must not stop a team's
every command), still counts as shipped, and is a WARNING in warn and on
show's line, as a license issued after today is (test_issued_ahead.py)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from export_licenses.domain.license import License
from export_licenses.domain.shipment import Shipment
from helpers import write

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
issued = 2026-01-10
term_months = 12
quantity = 100
unit = "kg"
shipments = [
  {{ on = {first}, quantity = 10 }},
  {{ on = {second}, quantity = 5, note = "PO 7" }},
]
"""
AHEAD = (
    "shipment #1 on 2062-03-01 is dated after today (2026-06-01): a typo, or "
    "is the clock or --today wrong?"
)
BEFORE = (
    "shipment #2 on 2026-01-02 is dated before the license was issued "
    "(2026-01-10): a typo, or another license's?"
)


def test_the_rule_is_dates_in_findings_out() -> None:
    from export_licenses.domain.drawdown import (  # noqa: PLC0415 - each test fails alone
        Misdated,
        misdated,
        misdated_reasons,
    )

    lic = License(
        id=1,
        material="x",
        destination="JP",
        issued=date(2026, 1, 10),
        shipments=(
            Shipment(date(2026, 6, 2), Decimal(1)),  # tomorrow: the authority's day
            Shipment(date(2026, 6, 3), Decimal(1)),
            Shipment(date(2026, 1, 9), Decimal(1)),
            Shipment(date(2026, 1, 10), Decimal(1)),  # the issue day itself
            Shipment(date(2062, 3, 1), Decimal(1)),
        ),
    )
    today = date(2026, 6, 1)
    assert misdated(lic, today) == (
        Misdated(2, date(2026, 6, 3), ahead=True),
        Misdated(3, date(2026, 1, 9), ahead=False),
        Misdated(5, date(2062, 3, 1), ahead=True),
    )
    assert misdated_reasons(lic, today) == (
        (
            "shipments #2 and #5 are dated after today (2026-06-01): a typo, or "
            "is the clock or --today wrong?"
        ),
        (
            "shipment #3 on 2026-01-09 is dated before the license was issued "
            "(2026-01-10): a typo, or another license's?"
        ),
    )
    assert misdated(lic, date(2062, 3, 1)) == (
        Misdated(3, date(2026, 1, 9), ahead=False),
    )
    # Checked on a day before the issue (a wrong clock), the license's own
    # reason says it of every shipment from its issue on: not said again.
    assert misdated(lic, date(2025, 12, 1)) == (
        Misdated(3, date(2026, 1, 9), ahead=False),
    )


def test_warn_says_a_shipment_after_today_or_before_the_issue(
    store: Path, run: Run
) -> None:
    write(store, STORE.format(first="2062-03-01", second="2026-01-02"))
    text = run("warn", *TODAY)
    assert text.exit_code == 1
    assert text.stdout == (
        "WARNING: license 1 (N1), gallium metal to JP: expires 2027-01-10 (223 "
        f"days left); {AHEAD}; {BEFORE}\n"
    )
    nagios = run("warn", "-f", "nagios", *TODAY)
    assert nagios.exit_code == 1
    assert nagios.stdout.startswith(
        "LICENSES WARNING - 1 warning, 1 shipment dated after today (2026-06-01), "
        "1 shipment dated before issue |"
    )
    document = json.loads(run("warn", "-f", "json", *TODAY).stdout)
    assert (document["state"], document["today"]) == ("WARNING", "2026-06-01")
    (row,) = document["licenses"]
    assert (row["level"], row["shipped"]) == ("warning", 15)  # still counted
    assert row["reasons"][-2:] == [AHEAD, BEFORE]
    metrics = run("warn", "-f", "prometheus", *TODAY)
    assert metrics.exit_code == 1
    assert "\nlicenses_status 1\n" in metrics.stdout
    assert '\nlicenses_level{id="1",' in metrics.stdout
    assert 'destination="JP"} 1\n' in metrics.stdout


def test_tomorrow_is_no_typo_and_a_worse_level_stays(store: Path, run: Run) -> None:
    # Tomorrow is the authority's today (Beijing runs ahead), as ship allows.
    write(store, STORE.format(first="2026-06-02", second="2026-02-01"))
    assert run("warn", *TODAY).stdout == ""
    assert run("warn", *TODAY).exit_code == 0
    # Exhausted is CRITICAL; the shipment ahead adds its reason, not its level.
    write(
        store,
        STORE.format(first="2062-03-01", second="2026-02-01").replace(
            "quantity = 100", "quantity = 15"
        ),
    )
    critical = run("warn", *TODAY)
    assert critical.exit_code == 2
    assert critical.stdout.startswith("CRITICAL: license 1 (N1)")
    assert AHEAD in critical.stdout


def test_show_says_it_on_the_shipment_line(store: Path, run: Run) -> None:
    write(store, STORE.format(first="2062-03-01", second="2026-01-02"))
    shown = run("show", "1", *TODAY)
    assert shown.exit_code == 0
    lines = shown.stdout.splitlines()
    at = lines.index("Shipped:       15 kg in 2 shipment(s)")
    assert lines[at + 1 : at + 3] == [
        "                 2062-03-01  10 kg  (dated after today)",
        "                 2026-01-02  5 kg  (dated before issue)  PO 7",
    ]
    assert "Level:         warning" in lines
    # On the day it was typed for, the shipment is no longer ahead.
    later = run("show", "1", "--today", "2062-03-01").stdout.splitlines()
    assert "                 2062-03-01  10 kg" in later


def test_import_refuses_a_shipment_after_tomorrow(
    run: Run, store: Path, tmp_path: Path
) -> None:
    write(store, STORE.format(first="2026-02-01", second="2026-03-01"))
    before = store.read_bytes()
    rows = write(
        tmp_path / "ahead.csv",
        "material,destination,issued,shipments\n"
        'a,US,2026-05-01,"[{""on"": ""2026-06-02"", ""quantity"": 1}]"\n'
        'b,US,2026-05-01,"[{""on"": ""2026-05-02"", ""quantity"": 1}, '
        '{""on"": ""2026-07-01"", ""quantity"": 1}]"\n',
    )
    imported = run("import", str(rows), *TODAY)
    assert imported.exit_code == 65
    assert imported.stderr.splitlines()[1:] == [
        (
            "  line 3: shipments #2 on: 2026-07-01 is after today (2026-06-01): "
            "record it once it has happened"
        )
    ]
    assert store.read_bytes() == before
    # On the day after, both rows are past: imported, and warn is quiet.
    assert run("import", str(rows), "--today", "2026-07-01").exit_code == 0
    assert "shipment" not in run("warn", "--today", "2026-07-01").stdout
