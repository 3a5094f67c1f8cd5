"""A control the store defines (`[[control]]`) says so wherever an answer rests
on it: "from the store's own [[control]] entry", not "catalogue as of" the
shipped catalogue's day, which says nothing of a user's entry; the shipped
ones keep "catalogue as of …" (audit s9-outputs, 3)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from test_controls_command import NEW_ANNOUNCEMENT

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

TODAY = ("--today", "2026-11-29")
OWN = "from the store's own [[control]] entry"
# Cerium oxide held to the US (a license) and to IN (an application); the
# store's own announcement of cerium (CONTRACT.md's example), published
# 2026-11-20, in force 2026-12-15.
CERIUM = (
    NEW_ANNOUNCEMENT
    + """
[[license]]
id = 1
material = "cerium oxide"
destination = "US"
issued = 2026-10-01
term_months = 6

[[application]]
id = "A1"
material = "cerium oxide"
destination = "IN"
filed = 2026-10-01
status = "pending"
"""
)
# Holmium oxide to IN: the shipped 2025 No. 57's suspension ended 2026-11-10.
HOLMIUM = """
[[application]]
id = "A2"
material = "holmium oxide"
destination = "IN"
filed = 2026-10-01
status = "pending"
"""


def test_the_stores_own_control_says_where_it_comes_from(run: Run, store: Path) -> None:
    store.write_text(CERIUM, encoding="utf-8")
    warned = run(*TODAY, "warn")
    assert warned.exit_code == 1
    assert warned.stdout.splitlines()[-1] == f"Controls: {OWN}"
    assert "catalogue as of" not in warned.stdout
    alerts = json.loads(run(*TODAY, "warn", "--format", "json").stdout)["controls"]
    assert [a["origin"] for a in alerts] == ["store", "store"]
    agenda = run(*TODAY, "agenda", "--all")
    assert f"\nControls: {OWN}\n" in agenda.stdout
    assert "catalogue as of" not in agenda.stdout
    actions = json.loads(run(*TODAY, "agenda", "--all", "-f", "json").stdout)
    reviews = [a["text"] for a in actions if a["action"] == "review_control"]
    assert len(reviews) == 2
    assert all(
        text.endswith(f"review what you export of cerium oxide ({OWN})")
        for text in reviews
    )
    shown = run(*TODAY, "show", "1").stdout
    assert f"({OWN}; a match means it may fall under it)" in shown
    page = run(*TODAY, "report").stdout
    assert (
        "MOFCOM 2026 No. 3: the store's own [[control]] entry, not the catalogue's."
        in page
    )


def test_shipped_controls_keep_the_catalogues_day_beside_the_stores(
    run: Run, store: Path
) -> None:
    """Both at once: the catalogue's day, then the store's entry by number."""
    store.write_text(CERIUM + HOLMIUM, encoding="utf-8")
    warned = run(*TODAY, "warn").stdout
    assert warned.splitlines()[-1] == (
        "Controls: catalogue as of 2026-11-29; MOFCOM 2026 No. 3 from the "
        "store's own [[control]] entry"
    )
    alerts = json.loads(run(*TODAY, "warn", "--format", "json").stdout)["controls"]
    assert {(a["control"], a["origin"]) for a in alerts} >= {
        ("MOFCOM 2025 No. 57", "package"),
        ("MOFCOM 2026 No. 3", "store"),
    }
    assert all(a["origin"] == "package" for a in alerts if "2025" in a["control"])
    actions = json.loads(run(*TODAY, "agenda", "--all", "-f", "json").stdout)
    by_control = {
        a["text"].split(" (")[0]: a["text"]
        for a in actions
        if a["action"] == "review_control"
    }
    assert by_control["MOFCOM 2025 No. 57"].endswith("(catalogue as of 2026-11-29)")
    assert by_control["MOFCOM 2026 No. 3"].endswith(f"({OWN})")


def test_uncovered_under_the_stores_own_control(run: Run, store: Path) -> None:
    """Shipped under the store's control in force, with nothing in hand: the
    critical line names the store's entry, not the catalogue's day."""
    # In force since 2026-02-15; the license ended with its export.
    in_force = NEW_ANNOUNCEMENT.replace("2026-11-20", "2026-01-20").replace(
        "2026-12-15", "2026-02-15"
    )
    store.write_text(
        in_force
        + """
[[license]]
id = 1
kind = "individual"
material = "cerium oxide"
destination = "US"
issued = 2026-03-01
term_months = 6
status = "exported"
closed = 2026-04-01
shipments = [ { on = 2026-04-01, quantity = 10 } ]
""",
        encoding="utf-8",
    )
    warned = run(*TODAY, "warn")
    assert warned.exit_code == 2
    assert (
        "CRITICAL: cerium oxide to US: MOFCOM 2026 No. 3 in force "
        f"({OWN}), and no license or application covers it: apply before the "
        "next export"
    ) in warned.stdout.splitlines()
