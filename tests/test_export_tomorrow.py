"""A shipment dated tomorrow (allowed: the authority's day runs ahead of the
user's west of UTC+8) completes an individual license's one export on that
day, not today (Order 792 art. 15: it lapses "once the export is
completed"): until then every view keeps the license in use, and no
uncovered-export CRITICAL appears for an export that has not happened
(audit s9-law, 9)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from export_licenses.storage import store as store_api

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

TODAY, TOMORROW = "2026-11-30", "2026-12-01"


def shipped_tomorrow(run: Run) -> str:
    """Dysprosium oxide to the US (MOFCOM 2025 No. 18 in force), individual."""
    added = run(
        "add", "-m", "dysprosium oxide", "-d", "US", "-i", "2026-10-01",
        "--kind", "individual", "--today", TODAY,
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    shipped = run("ship", "1", "10", "--on", TOMORROW, "--today", TODAY)
    assert shipped.exit_code == 0, shipped.stderr
    return shipped.stderr


def as_json(run: Run, *args: str, day: str) -> Any:
    return json.loads(run(*args, "--format", "json", "--today", day).stdout)


def test_the_license_is_in_use_until_the_shipment_day(run: Run, store: Path) -> None:
    said = shipped_tomorrow(run)
    assert (
        "the export is done on 2026-12-01: license 1 is exported from that day "
        "(Order 792 art. 15)"
    ) in said
    lic = store_api.read(store).licenses[0]  # written once, dated
    assert (lic.status, str(lic.closed)) == ("exported", TOMORROW)

    (row,) = as_json(run, "list", "--all", day=TODAY)
    assert (row["status"], row["level"]) == ("active", "ok")
    assert as_json(run, "show", "1", day=TODAY)["status"] == "active"
    warned = run("warn", "--format", "json", "--today", TODAY)
    assert warned.exit_code != 2, warned.stdout
    assert json.loads(warned.stdout)["uncovered"] == []
    (cover,) = as_json(run, "coverage", day=TODAY)
    assert (cover["licenses"], cover["covered_until"]) == ([1], "2027-04-01")
    assert "apply" not in run("agenda", "--all", "--today", TODAY).stdout

    # On the shipment's day the export is done: the license has ended, and
    # the next export of dysprosium oxide to the US has nothing to ship under.
    (row,) = as_json(run, "list", "--all", day=TOMORROW)
    assert (row["status"], row["level"]) == ("exported", None)
    warned = run("warn", "--format", "json", "--today", TOMORROW)
    assert warned.exit_code == 2
    assert [u["material"] for u in json.loads(warned.stdout)["uncovered"]] == [
        "dysprosium oxide"
    ]
    (cover,) = as_json(run, "coverage", day=TOMORROW)
    assert (cover["licenses"], cover["next_action"]) == ([], "apply for a license")


def test_a_shipment_today_ends_it_today(run: Run) -> None:
    run("add", "-m", "dysprosium oxide", "-d", "US", "-i", "2026-10-01",
        "--kind", "individual", "--today", TODAY)  # fmt: skip
    shipped = run("ship", "1", "10", "--today", TODAY)
    assert "the export is done: license 1 is exported" in shipped.stderr
    (row,) = as_json(run, "list", "--all", day=TODAY)
    assert row["status"] == "exported"


def test_write_commands_see_the_license_in_use_until_the_shipment_day(
    run: Run, store: Path
) -> None:
    """The write commands judge the license as the read commands show it on
    the same day: in use today, so its renewal can be filed (as `warn` would
    advise), and the export still completes on the shipment's day."""
    shipped_tomorrow(run)
    before = store.read_bytes()
    filed = run("apply", "1", "--today", TODAY)
    assert filed.exit_code == 0, filed.stderr
    lic = store_api.read(store).licenses[0]
    assert (lic.status, str(lic.closed)) == ("exported", TOMORROW)
    assert str(lic.renewal_filed) == TODAY
    assert as_json(run, "show", "1", day=TODAY)["status"] == "renewal-filed"
    assert as_json(run, "show", "1", day=TOMORROW)["status"] == "exported"

    store.write_bytes(before)
    closed = run("close", "1", "--today", TODAY)
    assert closed.exit_code == 0, closed.stderr
    lic = store_api.read(store).licenses[0]
    assert (lic.status, str(lic.closed)) == ("closed", TODAY)

    store.write_bytes(before)
    again = run("ship", "1", "5", "--partial", "--today", TODAY)
    assert again.exit_code == 0, again.stderr
    lic = store_api.read(store).licenses[0]
    assert (lic.status, str(lic.closed), len(lic.shipments)) == (
        "exported",
        TOMORROW,
        2,
    )


def test_a_second_completing_export_before_the_shipment_day_is_refused(
    run: Run, store: Path
) -> None:
    """The shipment dated tomorrow is the license's one export: another that
    completes it today would leave two completing exports and a license lapsed
    before tomorrow's (audit s10-review, 4). Refused, the store unchanged; a
    part of the export (--partial) is still taken."""
    shipped_tomorrow(run)
    before = store.read_bytes()
    again = run("ship", "1", "5", "--today", TODAY)
    assert again.exit_code == 64
    assert again.stderr == (
        "licenses: license 1's one export is recorded for 2026-12-01: ship part "
        "of it with --partial, or correct that shipment; nothing was changed\n"
    )
    assert store.read_bytes() == before
