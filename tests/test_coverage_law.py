"""coverage and the law (issue 23): a general license covers each of its end
users; a control in force for what the store ships, with no license and no
application, is a critical row."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

TODAY = "2026-11-29"
EXPORTED = """version = 1
{more}
[[license]]
id = 1
kind = "individual"
material = "{material}"
destination = "US"
issued = {issued}
term_months = 6
status = "exported"
closed = {shipped}
shipments = [ {{ on = {shipped}, quantity = 10 }} ]
"""


def coverage(run: Run) -> list[dict[str, Any]]:
    result = run("coverage", "--format", "json", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    return rows


def exported(
    store: Path,
    material: str = "dysprosium oxide",
    shipped: str = "2026-04-01",
    more: str = "",
) -> None:
    text = EXPORTED.format(
        material=material, issued="2026-03-01", shipped=shipped, more=more
    )
    if shipped < "2026-03-01":
        text = text.replace("2026-03-01", "2025-06-01")
    store.write_text(text, encoding="utf-8")


def test_a_general_license_covers_each_of_its_end_users(run: Run) -> None:
    result = run(
        "add", "-m", "terbium metal", "-d", "DE", "-i", "2026-06-01", "--term", "12",
        "--kind", "general", "--end-users", "Rhein Antriebstechnik GmbH; Bolt GmbH",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rows = coverage(run)
    assert [(r["end_user"], r["licenses"]) for r in rows] == [
        ("Rhein Antriebstechnik GmbH", [1]),
        ("Bolt GmbH", [1]),
    ]
    assert all(r["covered_until"] == "2027-06-01" for r in rows)
    assert all(r["reasons"] == [] for r in rows)


def test_shipped_under_a_control_in_force_with_nothing_in_hand_is_critical(
    run: Run, store: Path
) -> None:
    """Dysprosium oxide to the US: 2025 No. 18 is in force; the individual
    license ended with its export (art. 15) and nothing replaces it."""
    exported(store)
    (row,) = coverage(run)
    assert (row["material"], row["destination"], row["level"]) == (
        "dysprosium oxide",
        "US",
        "critical",
    )
    assert (row["licenses"], row["applications"]) == ([], [])
    assert (row["next_action"], row["next_action_date"]) == (
        "apply for a license",
        TODAY,
    )
    assert row["reasons"] == [UNCOVERED]
    table = run("coverage", "--today", TODAY).stdout
    assert "apply for a license" in table
    assert "critical" in table


def test_a_pending_application_covers_it(run: Run, store: Path) -> None:
    exported(
        store,
        more='\n[[application]]\nid = "A1"\nmaterial = "Dysprosium oxide"\n'
        'destination = "US"\nfiled = 2026-11-02\nstatus = "pending"\n',
    )
    rows = coverage(run)
    assert [r["applications"] for r in rows] == [["A1"]]
    assert rows[0]["level"] != "critical" or rows[0]["reasons"] == []


OWN_CONTROL = """
[[control]]
number = "MOFCOM 2026 No. 99"
authority = "MOFCOM"
title = "copper"
items = ["copper cathode"]
source = "https://example.com/99"
{state}
"""
SUSPENDED = (
    "effective = 2026-01-01\n"
    'suspensions = [{ by = "MOFCOM 2026 No. 100", from = 2026-11-01, '
    'until = 2027-03-01, source = "https://example.com/100" }]'
)


def test_no_critical_row_when_nothing_is_in_force_or_shipped_lately(
    run: Run, store: Path
) -> None:
    # a control not yet effective, or suspended today, needs no license yet
    # (every suspension of the shipped catalogue has ended: a store's own entry)
    for state, said in (
        ("effective = 2027-06-01", "not yet effective"),
        (SUSPENDED, "suspended until 2027-03-01"),
        ("effective = 2026-01-01", "in force"),  # the row is there: the control binds
    ):
        own = OWN_CONTROL.format(state=state)
        exported(store, material="copper cathode", more=own)
        listed = run("controls", "--material", "copper cathode", "--today", TODAY)
        assert said in listed.stdout
        assert bool(coverage(run)) == (said == "in force")
    # shipped more than a year ago: not a destination the store ships to now
    exported(store, shipped="2025-07-01")
    assert coverage(run) == []


# --- a control whose suspension ended needs a license (audit s9-law, 3) ---------

HOLMIUM = (
    "holmium oxide to US: MOFCOM 2025 No. 57, MOFCOM 2025 No. 61: suspension "
    "ended on 2026-11-10 (catalogue as of 2026-11-29), and no license or "
    "application covers it: apply before the next export"
)


def test_a_control_whose_suspension_ended_needs_a_license_long_after(
    run: Run, store: Path
) -> None:
    """Holmium oxide under 2025 No. 57, whose suspension ended on 2026-11-10:
    the catalogue knows nothing later, so as far as it knows exports need a
    license again; the words say why. Past policy_warn_days (30), where the
    change's own WARNING has gone, the uncovered export is still CRITICAL."""
    exported(store, material="holmium oxide")
    day = "2027-01-05"
    warned = run("warn", "--today", day)
    assert warned.exit_code == 2, warned.stdout
    assert warned.stdout.splitlines()[0] == f"CRITICAL: {HOLMIUM}"
    assert "WARNING" not in warned.stdout  # the change is 56 days old
    found = json.loads(run("warn", "--today", day, "--format", "json").stdout)
    assert [u["controls"] for u in found["uncovered"]] == [
        ["MOFCOM 2025 No. 57", "MOFCOM 2025 No. 61"]
    ]
    rows = json.loads(run("coverage", "--today", day, "--format", "json").stdout)
    assert [(r["material"], r["level"], r["reasons"]) for r in rows] == [
        ("holmium oxide", "critical", [HOLMIUM])
    ]
    agenda = json.loads(run("agenda", "--today", day, "--format", "json").stdout)
    assert [(a["action"], a["level"], a["text"]) for a in agenda] == [
        ("apply_uncovered", "critical", HOLMIUM)
    ]


# --- the same critical row in warn and the report (audit b, finding 4) ----------

UNCOVERED = (
    "dysprosium oxide to US: MOFCOM 2025 No. 18 in force; MOFCOM 2025 No. 61: "
    "suspension ended on 2026-11-10 (catalogue as of 2026-11-29), and no license "
    "or application covers it: apply before the next export"
)


def test_warn_says_the_uncovered_row_critical_and_exits_2(
    run: Run, store: Path
) -> None:
    """What coverage rates critical, the monitor's check does too: its line,
    exit 2, in every format."""
    exported(store)
    text = run("warn", "--today", TODAY)
    assert text.exit_code == 2, text.stderr
    assert f"CRITICAL: {UNCOVERED}" in text.stdout.splitlines()
    plain = run("warn", "--today", TODAY, "--format", "json")
    assert plain.exit_code == 2
    report = json.loads(plain.stdout)
    assert report["state"] == "CRITICAL"
    assert report["uncovered"] == [
        {
            "level": "critical",
            "material": "dysprosium oxide",
            "destination": "US",
            "authority": "MOFCOM",
            "controls": ["MOFCOM 2025 No. 18", "MOFCOM 2025 No. 61"],
            "text": UNCOVERED,
        }
    ]
    assert report["catalogue_as_of"] == "2026-11-29"
    nagios = run("warn", "--today", TODAY, "--format", "nagios").stdout
    assert nagios.startswith("LICENSES CRITICAL - 1 export needing a license, ")
    metrics = run("warn", "--today", TODAY, "--format", "prometheus").stdout
    assert "licenses_status 2" in metrics.splitlines()
    assert "licenses_uncovered 1" in metrics.splitlines()
    assert run("warn", "--today", TODAY, "--quiet").exit_code == 2


def test_warn_stays_ok_when_an_application_covers_it(run: Run, store: Path) -> None:
    exported(
        store,
        more='\n[[application]]\nid = "A1"\nmaterial = "Dysprosium oxide"\n'
        'destination = "US"\nfiled = 2026-11-02\nstatus = "pending"\n',
    )
    result = run("warn", "--today", TODAY, "--format", "json")
    # No. 61's suspension ended on 2026-11-10: a warning, and nothing critical
    assert result.exit_code == 1, result.stdout
    assert json.loads(result.stdout)["uncovered"] == []
    assert (
        "licenses_uncovered 0"
        in run("warn", "--today", TODAY, "--format", "prometheus").stdout.splitlines()
    )


def coverage_cells(page: str) -> list[str]:
    """The cells of the report's coverage table, as text."""
    start = page.index('id="coverage-table"')
    body = page[start : page.index("</table>", start)]
    cells = re.findall(
        r'<td data-label="[^"]*"><span class="value">(.*?)</span></td>', body
    )
    return [re.sub(r"<[^>]+>", "", cell) for cell in cells]


def test_the_report_shows_the_uncovered_row_critical_with_its_reason(
    run: Run, store: Path, tmp_path: Path
) -> None:
    exported(store)
    out = tmp_path / "report.html"
    assert run("report", "-o", str(out), "--today", TODAY).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert 'class="state state-critical"' in page
    assert "CRITICAL - 1 export needing a license" in page
    material, to, _, until, gap, step, level = coverage_cells(page)
    assert (material, to, until) == ("dysprosium oxide", "US", "-")
    assert gap == "-"  # no license: no gap to project, never "0"
    assert step == f"apply for a license by {TODAY}"
    assert level == f"critical {UNCOVERED}"
    week = page[page.index('id="week"') : page.index('id="legend"')]
    assert "dysprosium oxide to US" in week
    assert "level-critical" in week
