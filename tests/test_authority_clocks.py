"""Each authority's calendar and review clock in the rules (issue 23, section 4):
renew-by, decision due and the projected gap of a BIS license count BIS's 90
calendar days on the U.S. federal calendar; a UK ECJU application counts its
20-working-day target from filing on England's calendar; MOFCOM keeps the
store's settings. The dates are worked out by hand in each test's comments."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from helpers import in_terminal

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

TODAY = "2026-11-30"


def ok(run: Run, *args: str, today: str = TODAY) -> str:
    result = run(*args, "--today", today)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def rows(
    run: Run, command: str, *args: str, today: str = TODAY
) -> list[dict[str, Any]]:
    found = ok(run, command, "--all", "--format", "json", *args, today=today)
    parsed: list[dict[str, Any]] = json.loads(found)
    return parsed


def by_id(found: list[dict[str, Any]]) -> dict[Any, dict[str, Any]]:
    return {row["id"]: row for row in found}


def two_licenses(run: Run) -> None:
    """A BIS license and a MOFCOM one, both valid through Monday 2027-01-18,
    Martin Luther King Jr. Day (the third Monday of January 2027): no U.S.
    federal working day, a working day in China."""
    # BIS given no term: its profile's usual 4 years (15 CFR 750.7(g)).
    ok(run, "add", "-m", "gallium", "-d", "US", "-i", "2023-01-18",
       "--authority", "BIS")  # fmt: skip
    ok(run, "add", "-m", "gallium", "-d", "US", "-i", "2026-07-18", "--term", "6")


def test_a_bis_license_has_its_own_term_calendar_and_clock(run: Run) -> None:
    two_licenses(run)
    found = by_id(rows(run, "list"))
    bis, mofcom = found[1], found[2]
    assert (bis["authority"], bis["expires"]) == ("BIS", "2027-01-18")
    # BIS: the last federal working day on or before the expiry is Friday
    # 2027-01-15 (the 18th is MLK Day); 90 calendar days before it is Saturday
    # 2026-10-17, so the last working day to file is Friday 2026-10-16
    # (15 CFR 750.4). On China's calendar the same clock would give Tuesday
    # 2026-10-20 (90 days before the 18th): the U.S. calendar moves it.
    assert bis["renew_by"] == "2026-10-16"
    assert bis["review_basis"] == "statutory"
    assert bis["reasons"][0] == (
        "file the renewal now: the last day to file was 2026-10-16, 45 days ago"
    )
    # No U.S. year is a projection: nothing of BIS's dates is an estimate.
    assert not any("estimated" in reason for reason in bis["reasons"])
    # MOFCOM: 45 Chinese working days before Monday 2027-01-18 (a working day
    # there), New Year's Day 2027 off: 2026-11-13 (Order 792 art. 17).
    assert mofcom["renew_by"] == "2026-11-13"
    assert "estimated: no official 2027 holiday schedule" in mofcom["reasons"]
    shown = ok(run, "show", "1")
    assert (
        "Review time:   90 calendar days from acceptance; BIS, 15 CFR 750.4: statutory"
    ) in shown
    assert "Renew by:      2026-10-16 (last day to file the renewal)" in shown
    assert "Forecast:      - (the history is MOFCOM's alone: BIS is not in it)" in (
        shown
    )
    assert "Review time:   45 working days (statutory)" in ok(run, "show", "2")


def test_a_bis_renewal_is_due_90_days_on_and_on_a_federal_working_day(
    run: Run,
) -> None:
    two_licenses(run)
    # Filed 2026-11-17: 90 calendar days on is Monday 2027-02-15, Washington's
    # Birthday; a decision comes on a working day, so by Friday 2027-02-12 —
    # 25 days after the license's last valid day.
    app = ok(run, "apply", "1", "--on", "2026-11-17").strip()
    assert app == "A1"
    (row,) = rows(run, "applications")
    assert (row["authority"], row["decision_due"]) == ("BIS", "2027-02-12")
    assert row["waited_working_days"] == 13  # calendar days: 11-17 to 11-30
    assert row["review_unit"] == "calendar"  # what that figure counts
    assert row["reasons"] == ["decision due 2027-02-12 (in 74 days)"]
    (lic,) = [r for r in rows(run, "list") if r["id"] == 1]
    assert (
        "decision due 2027-02-12 after expiry: projected gap of 25 days"
        in (lic["reasons"])
    )
    shown = ok(run, "show", "A1")
    assert "Waited:       13 calendar days" in shown
    assert (
        "Decision due: 2027-02-12 (90 calendar days from filing (acceptance not "
        "recorded); BIS, 15 CFR 750.4: statutory)"
    ) in shown


def test_an_ecju_application_counts_its_target_from_filing_in_england(
    run: Run,
) -> None:
    # Filed Thursday 2026-12-10; England's working days: 11, 14-18, 21-24
    # (Christmas on Friday the 25th, Boxing Day's substitute Monday the 28th),
    # 29-31, 2027-01-04 to 08 (New Year's Day off), 11, 12: the 20th is
    # 2027-01-12. Acceptance on the 15th changes nothing: ECJU's target runs
    # from filing. (On China's calendar 20 working days end on 2027-01-08.)
    ok(run, "init")
    ok(run, "apply", "-m", "germanium", "-d", "GB", "--on", "2026-12-10",
       "--accepted", "2026-12-15", "--authority", "ecju", today="2026-12-15")  # fmt: skip
    ok(run, "apply", "-m", "germanium", "-d", "GB", "--on", "2026-12-10", today="2026-12-15")  # fmt: skip
    found = by_id(rows(run, "applications", today="2026-12-14"))
    uk, mofcom = found["A1"], found["A2"]
    assert (uk["authority"], uk["decision_due"]) == ("ECJU", "2027-01-12")
    assert uk["review_basis"] == "target"
    assert uk["reasons"] == [
        "decision due 2027-01-12 (in 18 working days; a target, not a bound)"
    ]
    assert mofcom["decision_due"] != "2027-01-12"
    # Past the target: the reason still says what it was.
    late = by_id(rows(run, "applications", today="2027-01-14"))["A1"]
    assert late["level"] == "warning"
    assert late["reasons"] == [
        "decision overdue by 2 working days (due 2027-01-12; a target, not a bound)"
    ]
    shown = ok(run, "show", "A1")
    assert (
        "Decision due: 2027-01-12 (20 working days from filing; ECJU, ECJU's "
        "SIEL service target: a target, not a bound)"
    ) in shown


def test_an_authority_with_no_review_time_gives_no_deadline(run: Run) -> None:
    ok(run, "add", "-m", "gallium", "-d", "DE", "-i", "2026-06-01",
       "--authority", "EU-DE")  # fmt: skip
    ok(run, "apply", "-m", "gallium", "-d", "DE", "--on", "2026-11-20",
       "--authority", "EU-DE")  # fmt: skip
    (lic,) = rows(run, "list")
    # Reg. 2021/821: 2 years; review times are national, none known.
    assert (lic["expires"], lic["renew_by"], lic["level"]) == ("2028-06-01", None, "ok")
    (app,) = rows(run, "applications")
    assert (app["decision_due"], app["level"]) == (None, "ok")
    assert app["reasons"] == [
        (
            "no review time known to the EU-DE profile: your own applications' "
            "times are the only guide"
        )
    ]
    assert "Decision due: - (no review time known to the EU-DE profile)" in ok(
        run, "show", "A1"
    )


def test_the_settings_are_mofcoms_and_a_store_profile_is_more_specific(
    run: Run, store: Path
) -> None:
    two_licenses(run)
    text = store.read_text()
    assert 'calendar = "CN"\n' in text
    store.write_text(text.replace('calendar = "CN"\n', 'calendar = "none"\n'))
    found = by_id(rows(run, "list"))
    # [settings] calendar is MOFCOM's: Monday to Friday, 45 days back from
    # Monday 2027-01-18 is 2026-11-16; BIS keeps the U.S. calendar.
    assert found[2]["renew_by"] == "2026-11-16"
    assert found[1]["renew_by"] == "2026-10-16"
    # A store's own [authority.MOFCOM] review days win over the setting; a
    # store's [authority.BIS] review counts 30 calendar days instead: Friday
    # 2027-01-15 less 30 is Wednesday 2026-12-16.
    store.write_text(
        store.read_text()
        + "\n[authority.MOFCOM.review]\ndays = 20\n"
        + "\n[authority.BIS.review]\ndays = 30\n"
    )
    found = by_id(rows(run, "list"))
    assert found[2]["renew_by"] == "2026-12-21"  # 20 weekdays before 01-18
    assert found[1]["renew_by"] == "2026-12-16"


def test_stats_keep_each_authoritys_applications_apart(run: Run) -> None:
    ok(run, "init")
    # Both filed Monday 2026-03-02 and granted Monday 2026-03-30: 20 Chinese
    # working days for MOFCOM (no holiday in March), 28 calendar days for BIS.
    for authority in ("MOFCOM", "BIS"):
        ok(run, "apply", "-m", "gallium", "-d", "US", "--on", "2026-03-02",
           "--authority", authority)  # fmt: skip
    ok(run, "apply", "-m", "gallium", "-d", "US", "--on", "2026-11-02")
    for app in ("A1", "A2"):
        ok(run, "grant", app, "--issued", "2026-03-30", today="2026-03-30")
    found = json.loads(ok(run, "stats", "--format", "json"))
    assert [(r["authority"], r["material"], r["review_unit"]) for r in found] == [
        ("MOFCOM", "gallium", "working"),
        ("MOFCOM", None, "working"),
        ("BIS", "gallium", "calendar"),
        ("BIS", None, "calendar"),
    ]
    mofcom, bis = found[1], found[3]
    assert (mofcom["decided"], mofcom["pending"]) == (1, 1)
    assert (bis["decided"], bis["pending"], bis["grant_rate"]) == (1, 0, 1.0)
    assert bis["median_working_days"] == bis["p90_working_days"] == 28
    assert mofcom["median_working_days"] == 20  # BIS's 28 never enters it
    only = json.loads(ok(run, "stats", "--authority", "bis", "--format", "json"))
    assert [r["authority"] for r in only] == ["BIS", "BIS"]
    table = ok(run, "stats")
    assert table.splitlines()[0].split()[:2] == ["Authority", "Material"]
    assert table.splitlines()[-2:] == [
        "Applications filed from 2025-12-01.",
        "Working days from acceptance (or filing) to the decision; BIS: calendar days.",
    ]
    bad = run("stats", "--authority", "FOO")
    assert (bad.exit_code, len(bad.stderr.splitlines())) == (64, 1)


@pytest.mark.parametrize(
    ("authorities", "counted"),
    [
        ((), []),
        (("BIS",), [("Working days from acceptance (or filing) to the decision; "
                    "BIS: calendar days.")]),
        (("BIS", "KR-MOTIE"), [("Working days from acceptance (or filing) to the "
                               "decision."), "BIS, KR-MOTIE: calendar days."]),
    ],
)  # fmt: skip
def test_the_stats_footer_never_wraps_at_80_columns(
    run: Run, store: Path, authorities: tuple[str, ...], counted: list[str]
) -> None:
    ok(run, "init")
    store.write_text(
        store.read_text()
        + '\n[authority.KR-MOTIE]\ntitle = "Korea"\ncalendar = "KR"\n'
        + 'review = { days = 30, unit = "calendar", from = "filing", '
        + 'basis = "bound" }\n'
    )
    for authority in authorities or ("MOFCOM",):
        ok(run, "apply", "-m", "gallium", "-d", "US", "--on", "2026-03-02",
           "--authority", authority)  # fmt: skip
    for at in range(len(authorities or "x")):
        ok(run, "grant", f"A{at + 1}", "--issued", "2026-03-30", today="2026-03-30")
    shown = in_terminal(
        "--store", str(store), "--no-pager", "--no-color", "stats", "--today", TODAY,
        columns=80,
    )  # fmt: skip
    footer = ["Applications filed from 2025-12-01."] + (
        counted or ["Working days from acceptance (or filing) to the decision."]
    )
    assert shown.splitlines()[-len(footer) :] == footer
    assert max(len(line) for line in shown.splitlines()) <= 80


def test_an_overdue_bis_decision_is_chased_at_bis_in_calendar_days(
    run: Run,
) -> None:
    ok(run, "init")
    # Filed Saturday 2026-08-01: 90 calendar days on is Friday 2026-10-30, a
    # federal working day; on 2026-11-30 that is 31 days past.
    ok(run, "apply", "-m", "gallium", "-d", "US", "--on", "2026-08-01",
       "--authority", "BIS")  # fmt: skip
    (row,) = rows(run, "applications")
    assert (row["decision_due"], row["overdue_working_days"]) == ("2026-10-30", 31)
    assert row["reasons"] == ["decision overdue by 31 days (due 2026-10-30)"]
    actions = json.loads(ok(run, "agenda", "--format", "json"))
    (action,) = [a for a in actions if a["action"] == "chase_decision"]
    assert action["text"] == (
        "ask BIS for the decision on application A1, gallium to US: due "
        "2026-10-30, 31 days late"
    )
    assert "Applications waiting for BIS" in ok(run, "report")


def test_an_ecju_license_renew_by_says_it_rests_on_a_target(run: Run) -> None:
    # A SIEL given no term runs its usual 2 years: 2025-03-01 to Monday
    # 2027-03-01, an English working day; 20 English working days before it
    # (four whole weeks of February) is Monday 2027-02-01.
    ok(run, "add", "-m", "germanium", "-d", "GB", "-i", "2025-03-01",
       "--authority", "ECJU")  # fmt: skip
    (lic,) = rows(run, "list")
    assert (lic["expires"], lic["renew_by"], lic["review_basis"]) == (
        "2027-03-01",
        "2027-02-01",
        "target",
    )
    assert lic["reasons"][-1] == (
        "renew-by counts ECJU's 20-working-day review target, not a bound"
    )
    assert (
        "Renew by:      2027-02-01 (last day to file the renewal; on a review "
        "target, not a bound)"
    ) in ok(run, "show", "1")
