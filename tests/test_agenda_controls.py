"""agenda's `review control` lines see the catalogue as `warn`'s alerts do
(domain/policy.py): the same holdings, the control's own authority, the same
`policy_warn_days`; and a suspended license still has its renewal to file."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import TYPE_CHECKING

from helpers import EXAMPLE

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run


def control_lines(run: Run, today: str, *args: str) -> set[tuple[str, str, str]]:
    done = run("agenda", "--all", "--today", today, "--format", "json", *args)
    assert done.exit_code == 0, done.stderr
    return {
        (a["text"].split(" (", 1)[0], a["date"], a["level"])  # the announcement
        for a in json.loads(done.stdout)
        if a["action"] == "review_control"
    }


def alerts(run: Run, today: str) -> set[tuple[str, str, str]]:
    done = run("warn", "--today", today, "--format", "json")
    assert done.exit_code in {0, 1, 2}, done.stderr
    return {(a["control"], a["date"], a["level"]) for a in json.loads(done.stdout)["controls"]}  # fmt: skip


def test_the_agenda_warns_of_the_controls_warn_alerts_on(run: Run, store: Path) -> None:
    # Every day of November 2026 (four suspensions ended in it) and a little
    # after: the agenda's flagged control lines are warn's alerts, no more.
    day = date(2026, 11, 1)
    seen = set()
    while day <= date(2026, 12, 31):
        store.write_bytes(EXAMPLE.read_bytes())
        flagged = {line for line in control_lines(run, day.isoformat()) if line[2]}
        assert flagged == alerts(run, day.isoformat()), day
        seen |= flagged
        day += timedelta(days=4)
    # the case: holmium oxide's No. 57, whose suspension ended 2026-11-10
    assert ("MOFCOM 2025 No. 57", "2026-11-11", "warning") in seen


def test_policy_warn_days_is_the_agendas_window_too(run: Run, store: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    store.write_text(
        text.replace("[settings]\n", "[settings]\npolicy_warn_days = 1\n", 1),
        encoding="utf-8",
    )
    assert not alerts(run, "2026-11-30")
    lines = control_lines(run, "2026-11-30")
    assert not [line for line in lines if line[1] <= "2026-11-30"], lines


def test_a_bis_license_hears_nothing_of_mofcom(run: Run, store: Path) -> None:
    add = run("add", "-m", "gallium metal", "-d", "US", "-i", "2026-06-01", "--authority", "BIS")  # fmt: skip
    assert add.exit_code == 0, add.stderr
    assert not control_lines(run, "2026-11-30")
    # the same license under MOFCOM hears of No. 46 (gallium; ended 2026-11-27)
    store.unlink()
    add = run("add", "-m", "gallium metal", "-d", "US", "-i", "2026-06-01")
    assert add.exit_code == 0, add.stderr
    assert ("MOFCOM 2024 No. 46", "2026-11-28", "warning") in control_lines(run, "2026-11-30")  # fmt: skip


def test_a_suspended_license_still_has_its_renewal_to_file(run: Run) -> None:
    today = "2026-11-30"
    add = run("add", "-m", "terbium oxide", "-d", "DE", "-i", "2026-06-10", "--quantity", "100", "--unit", "kg", "--today", today)  # fmt: skip
    assert add.exit_code == 0, add.stderr
    change = run("change", "1", "--quantity", "150", "--on", "2026-11-25", "--today", today)  # fmt: skip
    assert change.exit_code == 0, change.stderr
    done = run("agenda", "--today", today, "--format", "json")
    found = [(a["action"], a["license"], a["level"]) for a in json.loads(done.stdout)]
    assert ("file_renewal", 1, "critical") in found
    assert run("warn", "--today", today).exit_code == 2


def test_the_agenda_says_the_catalogues_date(run: Run, store: Path) -> None:
    # Each answer resting on the catalogue names the day it was checked
    # (issue 23): the control lines' words (and so notify's), and the listing.
    store.write_bytes(EXAMPLE.read_bytes())
    warned = run("warn", "--today", "2026-11-29", "--format", "json").stdout
    as_of = json.loads(warned)["catalogue_as_of"]
    done = run("agenda", "--all", "--today", "2026-11-29", "--format", "json")
    texts = [
        a["text"] for a in json.loads(done.stdout) if a["action"] == "review_control"
    ]
    assert texts
    assert all(text.endswith(f"(catalogue as of {as_of})") for text in texts)
    listing = run("agenda", "--today", "2026-11-29").stdout
    assert f"\nControls: catalogue as of {as_of}\n" in listing
    # nothing from the catalogue listed, nothing said of it (the example store
    # ships dysprosium oxide to DE uncovered, under No. 18: a line of its own)
    store.unlink()
    add = run("add", "-m", "copper cathode", "-d", "DE", "-i", "2025-01-20", "--term", "12")  # fmt: skip
    assert add.exit_code == 0, add.stderr
    quiet = run("agenda", "--today", "2026-01-15", "--within", "1").stdout
    assert "copper cathode" in quiet
    assert "catalogue" not in quiet
