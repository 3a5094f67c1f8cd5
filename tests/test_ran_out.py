"""A license drawn to its quantity covers nothing after its last shipment,
whatever its expiry: every command tells the buyer to apply now, with the day
it ran out, not to file a renewal by a day counted from the expiry (audit
s8-dates, 4)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

TODAY = "2026-01-15"
ADVICE = "apply now: the quantity ran out on 2026-01-13"


def test_every_command_says_apply_now_for_an_exhausted_license(
    run: Run, example: Path
) -> None:
    args = ("--store", str(example), "--today", TODAY)
    # License 12, terbium oxide to FR: 200 of 200 kg shipped on 2026-01-13,
    # expires 2026-07-05.
    (warned,) = [
        line
        for line in run(*args, "warn").stdout.splitlines()
        if line.startswith("CRITICAL: license 12 ")
    ]
    assert warned.split(": ", 2)[2].startswith(ADVICE)
    assert "file by" not in warned
    rows = json.loads(run(*args, "coverage", "-f", "json").stdout)
    (terbium,) = [r for r in rows if r["licenses"] == [12]]
    assert (terbium["next_action"], terbium["next_action_date"]) == (ADVICE, TODAY)
    assert terbium["covered_until"] == "2026-01-13"
    agenda = json.loads(run(*args, "agenda", "--all", "-f", "json").stdout)
    twelve = {a["action"]: a for a in agenda if a["license"] == 12}
    assert set(twelve) == {"close", "apply"}  # no renewal day from the expiry
    assert (twelve["apply"]["date"], twelve["apply"]["level"]) == (TODAY, "critical")
    assert twelve["apply"]["text"] == (
        "apply now for a license to follow license 12 (MOFCOM-2026-TB-0003), "
        "terbium oxide to FR: the quantity ran out on 2026-01-13"
    )
    shown = json.loads(run(*args, "warn", "-f", "json").stdout)
    (lic,) = [r for r in shown["licenses"] if r["id"] == 12]
    assert lic["reasons"][0] == ADVICE


def test_the_timeline_and_the_calendar_say_apply_on_the_agendas_day(
    run: Run, example: Path
) -> None:
    """License 12 ran out on 2026-01-13: agenda says apply, today. The
    timeline's R stands on today's line, not on the statutory renewal day
    (2026-04-28), the calendar has an event to apply on that day instead of
    none, and the report's timeline marks today (audit s9-outputs, 2)."""
    args = ("--store", str(example), "--today", TODAY)
    agenda = json.loads(run(*args, "agenda", "--all", "-f", "json").stdout)
    (apply,) = [a for a in agenda if (a["license"], a["action"]) == (12, "apply")]
    assert apply["date"] == TODAY
    drawn = run(*args, "timeline").stdout.splitlines()
    bars = drawn[1:-1]
    # The legend explains the R it stands for here (audit s9-review, 10).
    assert "R file renewal / apply by  |" in drawn[-1]
    (today_column,) = {line.index("|") for line in bars if "|" in line}
    (terbium,) = [line for line in bars if line.split()[0] == "12"]
    assert terbium.count("R") == 1
    assert terbium.index("R") == today_column
    # iCalendar folds lines at 75 octets: unfold them as a reader does.
    ics = re.sub(r"\r?\n[ \t]", "", run(*args, "export", "--format", "ics").stdout)
    events = ics.split("BEGIN:VEVENT")[1:]
    twelve = [e.splitlines() for e in events if "UID:license-12-" in e]
    summaries = {
        line.removeprefix("SUMMARY:"): event
        for event in twelve
        for line in event
        if line.startswith("SUMMARY:")
    }
    assert set(summaries) == {
        "Expires: license 12 (MOFCOM-2026-TB-0003): terbium oxide to FR",
        "Apply for a new license: license 12 (MOFCOM-2026-TB-0003): terbium oxide to FR",
    }
    applying = summaries[
        "Apply for a new license: license 12 (MOFCOM-2026-TB-0003): terbium oxide to FR"
    ]
    assert "DTSTART;VALUE=DATE:20260115" in applying
    about = next(line for line in applying if line.startswith("DESCRIPTION:"))
    assert "the quantity ran out on 2026-01-13" in about
    page = run(*args, "report").stdout
    lane = page.split('aria-label="license 12: ')[1].split("</svg>")[0]
    assert "<title>apply now: the quantity ran out on 2026-01-13</title>" in lane
    assert "last day to file" not in lane
    assert "day to file a renewal or apply (none once filed)" in page
