"""The renewal pipeline from the command line: applications, grant, refuse,
withdraw, stats, observed review times, coverage, calendar estimates."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

import pytest
import tomli

from export_licenses.domain.rows import APP_ROW_KEYS
from export_licenses.storage import store as store_api

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

# Working days are Monday to Friday in these stores, so the dates are checkable
# by hand; China's calendar has its own tests.
PLAIN = (
    'version = 1\n[settings]\ncalendar = "none"\nwarn_days = 30\ncritical_days = 10\n'
)


def ok(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout).strip()


def plain_store(store: Path, extra: str = "") -> None:
    store.write_text(PLAIN + extra, encoding="utf-8")


def add_y(run: Run, *args: str) -> str:
    # expires 2026-04-01; 45 weekdays before it: renew by 2026-01-28
    return ok(
        run,
        "add",
        *("-m", "yttrium oxide", "-d", "US", "-i", "2025-10-01"),
        *("--end-user", "Acme Coatings", "--quantity", "900", "--unit", "kg"),
        *args,
    )


def apps(run: Run, *args: str, today: str = "2026-01-15") -> list[dict[str, Any]]:
    out = ok(run, "applications", "--format", "json", "--today", today, *args)
    rows = json.loads(out)
    assert isinstance(rows, list)
    return rows


def show(run: Run, key: str, today: str = "2026-01-15") -> dict[str, Any]:
    obj = json.loads(ok(run, "show", key, "--format", "json", "--today", today))
    assert isinstance(obj, dict)
    return obj


def unchanged(store: Path, run: Run, *args: str, message: str) -> None:
    before = store.read_bytes()
    result = run(*args)
    assert result.exit_code == 64, result.stderr
    assert message in result.stderr
    assert store.read_bytes() == before


def test_apply_records_new_applications_with_their_own_ids(
    run: Run, store: Path
) -> None:
    plain_store(store)
    first = ok(
        run,
        "apply",
        *("-m", "samarium oxide", "-d", "Japan", "--end-user", "Kansai"),
        *("--quantity", "500", "--unit", "kg", "--on", "2026-01-05"),
        *(
            "--accepted",
            "2026-01-07",
            "--reference",
            "MOFCOM-A-7",
            "--note",
            "via agent",
        ),
    )
    second = ok(
        run, "apply", "-m", "holmium oxide", "-d", "IN", "--today", "2026-01-09"
    )
    assert (first, second) == ("A1", "A2")
    rows = apps(run)
    assert [row["id"] for row in rows] == ["A1", "A2"]
    assert tuple(rows[0]) == APP_ROW_KEYS
    one = rows[0]
    assert one | {"reasons": None} == one | {
        "material": "samarium oxide",
        "destination": "JP",
        "end_user": "Kansai",
        "exporter": None,
        "reference": "MOFCOM-A-7",
        "filed": "2026-01-05",
        "accepted": "2026-01-07",
        "decision_due": "2026-03-11",  # 45 weekdays after acceptance
        "waited_working_days": 6,
        "status": "pending",
        "overdue": False,
        "renews": None,
        "license": None,
        "decided": None,
        "quantity": 500,
        "unit": "kg",
        "notes": "via agent",
        "review_basis": "statutory",
        "reasons": None,
        "review_unit": "working",
    }
    assert rows[1]["filed"] == "2026-01-09"  # --on defaults to today
    text = store.read_text(encoding="utf-8")
    assert '[[application]]\nid = "A1"' in text
    assert text.index("[[application]]") < text.index("version = 1") + 200


def test_apply_refuses_bad_command_lines(run: Run, store: Path) -> None:
    plain_store(store)
    add_y(run)
    unchanged(store, run, "apply", "1", "-m", "x", message="not both")
    unchanged(store, run, "apply", "-m", "x", message="Missing option '--destination'")
    unchanged(store, run, "apply", "-m", "x", "-d", "Atlantis", message="--destination")
    unchanged(
        store,
        run,
        *("apply", "-m", "x", "-d", "US", "--on", "2026-01-05"),
        *("--accepted", "2026-01-02"),
        message="accepted: 2026-01-02 is before filing (2026-01-05)",
    )
    unchanged(
        store, run, "apply", "1", "--on", "2025-09-01", message="--on: 2025-09-01"
    )


def test_an_event_is_recorded_once_it_has_happened(run: Run, store: Path) -> None:
    # A grant dated five weeks ahead showed as granted while stats counted it
    # pending (the README did it). Tomorrow is allowed: MOFCOM's date runs a day
    # ahead of a user's west of UTC+8.
    plain_store(store)
    add_y(run)
    today = ("--today", "2026-01-15")
    ahead = "is after today (2026-01-15): record it once it has happened"
    for args, option in (
        (("apply", "1", "--on", "2026-01-17"), "--on"),
        (("apply", "-m", "x", "-d", "US", "--accepted", "2026-02-01"), "--accepted"),
        (("change", "1", "--quantity", "800", "--on", "2026-03-01"), "--on"),
    ):
        unchanged(store, run, *args, *today, message=f"{option}: {args[-1]} {ahead}")
    assert ok(run, "apply", "1", "--on", "2026-01-16", *today) == "A1"
    for args, option in (
        (("accept", "A1", "--on", "2026-01-20"), "--on"),
        (("hold", "A1", "--on", "2026-01-20"), "--on"),
        (("grant", "A1", "--issued", "2026-02-20"), "--issued"),
        (("renew", "1", "--issued", "2026-02-20"), "--issued"),
        (("refuse", "A1", "--on", "2026-02-01"), "--on"),
        (("withdraw", "A1", "--on", "2026-02-01"), "--on"),
    ):
        unchanged(store, run, *args, *today, message=f"{option}: {args[-1]} {ahead}")
    assert show(run, "A1")["status"] == "pending"


def test_a_renewal_application_copies_the_license_and_files_it(
    run: Run, store: Path
) -> None:
    plain_store(store)
    add_y(run)
    assert ok(run, "apply", "1", "--on", "2026-01-12") == "A1"
    (row,) = apps(run)
    assert (row["renews"], row["material"], row["end_user"], row["quantity"]) == (
        1,
        "yttrium oxide",
        "Acme Coatings",
        900,
    )
    lic = show(run, "1")
    assert (lic["status"], lic["renewal_filed"]) == ("renewal-filed", "2026-01-12")
    unchanged(store, run, "apply", "1", message="already has a pending renewal: A1")


def test_an_overdue_decision_warns_in_warn_and_due(run: Run, store: Path) -> None:
    plain_store(store)
    ok(run, "apply", "-m", "samarium oxide", "-d", "JP", "--on", "2025-10-01")
    # 45 weekdays after 2025-10-01: 2025-12-03; on 2025-12-10 five days late
    (row,) = apps(run, today="2025-12-10")
    assert (row["decision_due"], row["overdue"], row["level"]) == (
        "2025-12-03",
        True,
        "warning",
    )
    assert row["overdue_working_days"] == 5
    result = run("warn", "--today", "2025-12-10")
    assert result.exit_code == 1
    assert result.stdout == (
        "WARNING: application A1, samarium oxide to JP: decision overdue by 5 "
        "working days (due 2025-12-03); filed 2025-10-01\n"
    )
    report = json.loads(run("warn", "-f", "json", "--today", "2025-12-10").stdout)
    assert (report["state"], report["licenses"]) == ("WARNING", [])
    assert [a["id"] for a in report["applications"]] == ["A1"]
    # Due today: not late. (warn's state that day is WARNING all the same: 2025
    # No. 61, which names samarium, was suspended on 2025-11-07, within
    # policy_warn_days: issue 23.)
    on_the_day = json.loads(run("warn", "-f", "json", "--today", "2025-12-03").stdout)
    assert (on_the_day["applications"], on_the_day["licenses"]) == ([], [])
    assert [c["control"] for c in on_the_day["controls"]] == ["MOFCOM 2025 No. 61"]
    due = ok(run, "due", "--today", "2025-12-10")
    assert "A1" in due
    assert "overdue 5" in due


def test_grant_makes_the_license_and_a_renewal_replaces_the_old_one(
    run: Run, store: Path
) -> None:
    plain_store(store)
    add_y(run, "-n", "MOFCOM-2025-Y-0311")
    ok(run, "apply", "1", "--on", "2026-01-12")
    new = ok(run, "grant", "A1", "--issued", "2026-03-02", "-n", "MOFCOM-2026-Y-1")
    assert new == "2"
    old, fresh = show(run, "1"), show(run, "2")
    assert (old["status"], old["superseded_by"]) == ("renewed", 2)
    assert (fresh["renews"], fresh["end_user"], fresh["quantity"], fresh["status"]) == (
        1,
        "Acme Coatings",
        900,
        "active",
    )
    assert (fresh["issued"], fresh["expires"]) == ("2026-03-02", "2026-09-02")
    (row,) = apps(run, "--all")
    assert (row["status"], row["license"], row["decided"]) == (
        "granted",
        2,
        "2026-03-02",
    )
    assert apps(run) == []  # nothing pending
    unchanged(store, run, "grant", "A1", "-i", "2026-03-03", message="is granted")
    unchanged(store, run, "grant", "A9", "-i", "2026-03-03", message="no application")


def test_grant_of_a_new_application_and_its_checks(run: Run, store: Path) -> None:
    plain_store(store)
    ok(
        run,
        *("apply", "-m", "samarium oxide", "-d", "JP", "--quantity", "5"),
        *("--unit", "t", "--on", "2026-01-05"),
    )
    unchanged(store, run, "grant", "A1", message="Missing option '--issued'")
    unchanged(
        store, run, "grant", "A1", "-i", "2020-01-01", message="--issued: 2020-01-01"
    )
    assert ok(run, "grant", "a1", "-i", "2026-02-01", "--term", "12") == "1"
    lic = show(run, "1")
    assert (lic["material"], lic["renews"], lic["expires"], lic["unit"]) == (
        "samarium oxide",
        None,
        "2027-02-01",
        "t",
    )


def test_renew_grants_the_pending_application_or_records_one(
    run: Run, store: Path
) -> None:
    plain_store(store)
    add_y(run)
    add_y(run)
    ok(run, "apply", "1", "--on", "2026-01-12")
    assert ok(run, "renew", "1", "--issued", "2026-03-02") == "3"
    assert ok(run, "renew", "2", "--issued", "2026-03-05") == "4"
    rows = {row["id"]: row for row in apps(run, "--all")}
    assert (rows["A1"]["license"], rows["A1"]["filed"]) == (3, "2026-01-12")
    assert (rows["A2"]["license"], rows["A2"]["filed"], rows["A2"]["renews"]) == (
        4,
        None,
        2,
    )


def test_refused_or_withdrawn_renewals_bring_the_filing_deadline_back(
    run: Run, store: Path
) -> None:
    plain_store(store)
    add_y(run)
    add_y(run)
    ok(run, "apply", "1", "--on", "2026-01-12")
    ok(run, "apply", "2", "--on", "2026-01-12")
    assert run("warn", "--today", "2026-02-02").exit_code == 0
    ok(run, "refuse", "A1", "--on", "2026-02-02", "--reason", "incomplete")
    ok(run, "withdraw", "A2", "--on", "2026-02-02")
    for key in ("1", "2"):
        lic = show(run, key, "2026-02-02")
        assert (lic["status"], lic["renewal_filed"], lic["level"]) == (
            "active",
            None,
            "critical",  # the last day to file (2026-01-28) has passed
        )
        assert lic["reasons"][0].startswith("file the renewal now")
    rows = {row["id"]: row for row in apps(run, "--all")}
    assert (rows["A1"]["status"], rows["A1"]["refusal_reason"]) == (
        "refused",
        "incomplete",
    )
    assert (rows["A2"]["status"], rows["A2"]["decided"]) == ("withdrawn", "2026-02-02")
    unchanged(store, run, "refuse", "A1", message="is refused")
    # filed again: a new application with a new id
    assert ok(run, "apply", "1", "--on", "2026-02-03") == "A3"


def test_applications_csv_and_oldest_first(run: Run, store: Path) -> None:
    plain_store(store)
    ok(run, "apply", "-m", "b", "-d", "JP", "--on", "2026-01-05")
    ok(run, "apply", "-m", "a", "-d", "JP", "--on", "2025-12-01")
    out = ok(run, "applications", "--format", "csv", "--today", "2026-01-15")
    table = list(csv.reader(io.StringIO(out)))
    assert tuple(table[0]) == APP_ROW_KEYS
    assert [r[0] for r in table[1:]] == ["A2", "A1"]


def test_show_an_application(run: Run, store: Path) -> None:
    plain_store(store)
    ok(run, "apply", "-m", "samarium oxide", "-d", "JP", "--on", "2026-01-05")
    text = ok(run, "show", "A1", "--today", "2026-01-15")
    assert "Decision due: 2026-03-09 (45 working days after filing, statutory)" in text
    assert "Waited:       8 working days" in text
    assert "Authority:    MOFCOM\n" in text  # none named: MOFCOM, as show N says
    assert show(run, "A1")["decision_due"] == "2026-03-09"
    unchanged(store, run, "show", "A7", message="no application A7")


def test_stores_written_before_applications_keep_working(run: Run, store: Path) -> None:
    plain_store(
        store,
        '[[license]]\nid = 1\nmaterial = "gallium metal"\ndestination = "FR"\n'
        'issued = 2025-08-31\nterm_months = 6\nstatus = "renewal-filed"\n'
        "renewal_filed = 2025-12-10\n",
    )
    before = store.read_bytes()
    (row,) = apps(run)
    assert (row["id"], row["renews"], row["filed"], row["status"]) == (
        "A1",
        1,
        "2025-12-10",
        "pending",
    )
    assert store.read_bytes() == before  # reading changes nothing
    # a new application after it gets the next id, and the old one is written out
    assert ok(run, "apply", "-m", "x", "-d", "US", "--on", "2026-01-02") == "A2"
    written = tomli.loads(store.read_text(encoding="utf-8"))
    assert [a["id"] for a in written["application"]] == ["A1", "A2"]
    assert ok(run, "grant", "A1", "-i", "2026-02-20") == "2"
    assert show(run, "1")["status"] == "renewed"


def test_applications_round_trip_with_unknown_keys(run: Run, store: Path) -> None:
    plain_store(
        store,
        '[[application]]\nid = "A4"\nmaterial = "x"\ndestination = "JP"\n'
        'filed = 2026-01-05\nstatus = "pending"\nagent = "Li Wei"\n'
        '[application.contact]\nphone = "+86 10 0000"\n',
    )
    ok(run, "add", "-m", "y", "-d", "US", "-i", "2026-01-01")
    ok(run, "edit", "1", "--note", "rewrite the store")
    written = tomli.loads(store.read_text(encoding="utf-8"))
    (app,) = written["application"]
    assert (app["agent"], app["contact"]) == ("Li Wei", {"phone": "+86 10 0000"})
    assert ok(run, "apply", "-m", "z", "-d", "JP") == "A5"  # own counter
    assert store_api.read(store).applications[0].extra["agent"] == "Li Wei"


def test_a_bad_application_table_names_it(run: Run, store: Path) -> None:
    plain_store(
        store,
        '[[application]]\nid = "A1"\nmaterial = "x"\ndestination = "JP"\n'
        'filed = "2026-01-05"\n',
    )
    result = run("applications")
    assert result.exit_code == 65
    assert "application A1: filed: expected a TOML date" in result.stderr


def _decided(n: int, material: str, destination: str, days: list[int]) -> str:
    """``days`` decided applications, each taking that many weekdays."""
    blocks = []
    for i, taken in enumerate(days):
        number = n + i
        filed = f"2025-03-{(i % 9) + 1:02d}"
        blocks.append(
            f'[[application]]\nid = "A{number}"\nmaterial = "{material}"\n'
            f'destination = "{destination}"\nfiled = {filed}\nstatus = "refused"\n'
            f"decided = {_weekdays_after(filed, taken)}\n"
        )
    return "".join(blocks)


def _weekdays_after(start: str, days: int) -> str:
    from datetime import date, timedelta  # noqa: PLC0415

    day = date.fromisoformat(start)
    while days:
        day += timedelta(days=1)
        days -= day.weekday() < 5
    return day.isoformat()


def test_stats_per_material_and_destination_with_a_total(run: Run, store: Path) -> None:
    plain_store(
        store,
        _decided(1, "yttrium oxide", "US", [40, 50, 70])
        + _decided(4, "terbium metal", "DE", [60])
        # a renewal recorded before applications: filed -> the new license's issue
        + '[[license]]\nid = 1\nmaterial = "terbium metal"\ndestination = "DE"\n'
        'issued = 2025-01-01\nterm_months = 6\nstatus = "renewed"\n'
        "renewal_filed = 2025-05-01\nsuperseded_by = 2\n"
        '[[license]]\nid = 2\nmaterial = "terbium metal"\ndestination = "DE"\n'
        "issued = 2025-06-19\nterm_months = 12\nrenews = 1\n",
    )
    # The window is the 365 days up to today: the applications of 2025.
    rows = json.loads(ok(run, "stats", "--format", "json", "--today", "2025-12-31"))
    by = {(r["material"], r["destination"]): r for r in rows}
    # Groups are material families: "yttrium oxide" is yttrium.
    assert by["yttrium", "US"] == {
        "material": "yttrium",
        "destination": "US",
        "decided": 3,
        "granted": 0,
        "refused": 3,
        "median_working_days": 50,
        "p90_working_days": 70,
        "median_term_months": None,
        "pending": 0,
        "grant_rate": 0.0,
        "median_working_days_previous": None,
        "window_start": "2025-01-01",
        "longest_wait_working_days": 70,
        "authority": "MOFCOM",
        "review_unit": "working",
    }
    terbium = by["terbium", "DE"]
    assert (terbium["decided"], terbium["granted"], terbium["median_working_days"]) == (
        2,
        1,
        # 60 and the older renewal's 35 weekdays: the survival curve falls to
        # one half on day 35 (the lower median; the mean of the two was 47.5)
        35,
    )
    assert terbium["median_term_months"] == 12
    assert terbium["grant_rate"] == 0.5
    total = rows[-1]
    assert (total["material"], total["destination"], total["decided"]) == (
        None,
        None,
        5,
    )
    assert "all" in ok(run, "stats", "--today", "2025-12-31")


def test_observed_review_times_move_the_deadlines(run: Run, store: Path) -> None:
    plain_store(
        store,
        _decided(1, "yttrium oxide", "US", [40, 45, 50, 55, 60])
        + _decided(6, "terbium metal", "DE", [80, 30]),
    )
    text = store.read_text(encoding="utf-8")
    store.write_text(
        text.replace(
            'calendar = "none"', 'calendar = "none"\nreview_working_days = "observed"'
        ),
        encoding="utf-8",
    )
    add_y(run)  # yttrium to US: its own 5 decided, 90 % decided by day 60
    ok(run, "add", "-m", "terbium metal", "-d", "DE", "-i", "2025-10-01")
    ok(run, "add", "-m", "gallium", "-d", "FR", "-i", "2025-10-01")
    y, tb, ga = show(run, "1"), show(run, "2"), show(run, "3")
    # Expires Wed 2026-04-01: 60 weekdays before it
    assert (y["review_basis"], y["renew_by"]) == (
        "observed: yttrium oxide/US, 5 decided, 0 pending",
        "2026-01-07",
    )
    # Terbium has 2 decided: the whole store's 7, of which the slowest took 80
    # weekdays (16 weeks before 2026-04-01).
    assert (tb["review_basis"], tb["renew_by"]) == (
        "observed: all, 7 decided, 0 pending",
        "2025-12-10",
    )
    assert ga["review_basis"] == tb["review_basis"]
    ok(run, "apply", "-m", "yttrium oxide", "-d", "US", "--on", "2026-01-02")
    (row,) = apps(run)
    assert (row["decision_due"], row["review_basis"]) == (
        "2026-03-27",  # 60 weekdays after Fri 2026-01-02
        # the new application is pending: it is in the history too
        "observed: yttrium oxide/US, 5 decided, 1 pending",
    )


def test_add_under_observed_says_what_show_says(store: Path) -> None:
    """The row ``add`` returns is the license's verdict in the real store: with
    observed review times its renewal deadline rests on the store's history."""
    from datetime import date  # noqa: PLC0415

    from export_licenses.service import lookup, records  # noqa: PLC0415

    plain_store(
        store,
        'review_working_days = "observed"\n'
        + _decided(1, "yttrium oxide", "US", [40, 50, 55, 60, 70]),
    )
    today = date(2026, 1, 15)
    fields = {"material": "yttrium oxide", "destination": "US"}
    added = records.add(store, {**fields, "issued": date(2025, 10, 1)}, today)
    shown = lookup.find(store, today, str(added.license.id))
    assert (
        added.review_basis
        == shown.review_basis
        == ("observed: yttrium oxide/US, 5 decided, 0 pending")
    )
    assert added.verdict == shown.verdict
    assert added.verdict.renew_by == date(2025, 12, 24)  # 70 weekdays, not 45


def test_adds_confirmation_says_the_renew_by_and_level_show_gives(
    run: Run, store: Path
) -> None:
    """A license added with its filing deadline near or past is said to be so at
    once, on the one line, as show says it: here on the store's observed review
    times (renew by 2025-12-24: critical), not the statutory 45 days (2026-01-28:
    warning). A license that is ok gets the plain confirmation."""
    plain_store(
        store,
        'review_working_days = "observed"\n'
        + _decided(1, "yttrium oxide", "US", [40, 50, 55, 60, 70]),
    )
    today = ("--today", "2026-01-15")
    added = run(*today, "add", "-m", "yttrium oxide", "-d", "US", "-i", "2025-10-01")
    assert added.exit_code == 0, added.stderr
    shown = json.loads(ok(run, *today, "show", "1", "--format", "json"))
    assert (shown["renew_by"], shown["level"]) == ("2025-12-24", "critical")
    # The observed review time rests on fewer than 5 applications that long:
    # list marks the day an estimate, and so does the line (audit s9-journey §8).
    assert shown["review_estimate"] is True
    assert " 2025-12-24~ " in ok(run, *today, "list")
    assert added.stderr == (
        "Added license 1: yttrium oxide to US, expires 2026-04-01 (76 days left); "
        "renew by 2025-12-24~: CRITICAL (~ an estimate: fewer than 5 applications "
        "observed that long)\n"
    )
    fresh = run(*today, "add", "-m", "yttrium oxide", "-d", "DE", "-i", "2026-01-05")
    assert fresh.stderr == (
        "Added license 2: yttrium oxide to DE, expires 2026-07-05 (171 days left)\n"
    )


def test_grant_says_at_once_when_the_new_license_is_already_flagged(
    run: Run, store: Path
) -> None:
    """A renewal granted late: the new license's own filing deadline has
    passed by the day it is recorded, and the confirmation says so as show
    does; one granted in time gets the plain line."""
    plain_store(store)
    add_y(run)  # license 1, expires 2026-04-01
    ok(run, "apply", "1", "--on", "2026-01-12")
    late = run("--today", "2026-08-03", "grant", "A1", "--issued", "2026-03-02")
    assert late.exit_code == 0, late.stderr
    shown = show(run, "2", today="2026-08-03")
    assert (shown["expires"], shown["level"]) == ("2026-09-02", "critical")
    assert late.stderr == (
        "Added license 2, renewing license 1: expires 2026-09-02 (30 days left); "
        f"renew by {shown['renew_by']}: CRITICAL\n"
    )
    ok(run, "apply", "2", "--on", "2026-08-03")
    timely = run("--today", "2026-08-20", "grant", "A2", "--issued", "2026-08-20")
    assert timely.stderr == (
        "Added license 3, renewing license 2: expires 2027-02-20 (184 days left)\n"
    )


def test_add_works_out_the_verdict_after_releasing_the_lock(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building a holiday calendar can take a quarter of a second: no other
    writer waits for it."""
    from datetime import date  # noqa: PLC0415

    from export_licenses.service import records  # noqa: PLC0415
    from export_licenses.service.common import row_for  # noqa: PLC0415

    plain_store(store)
    verdicts: list[object] = []

    def row_for_unlocked(*args: Any, **kwargs: Any) -> Any:
        with store_api.locked(store, timeout=0):  # StoreLocked if still held
            verdicts.append(row_for(*args, **kwargs))
        return verdicts[-1]

    monkeypatch.setattr("export_licenses.service.records.row_for", row_for_unlocked)
    fields = {"material": "yttrium oxide", "destination": "US"}
    added = records.add(
        store, {**fields, "issued": date(2025, 10, 1)}, date(2026, 1, 15)
    )
    assert verdicts == [added]


def test_observed_never_goes_below_45_and_a_thin_history_only_lengthens_it(
    run: Run, store: Path
) -> None:
    plain_store(
        store,
        'review_working_days = "observed"\n'
        + _decided(1, "yttrium oxide", "US", [10, 12, 15, 11, 13]),
    )
    add_y(run)
    found = show(run, "1")
    assert (found["review_basis"], found["renew_by"], found["review_estimate"]) == (
        "observed: yttrium oxide/US, 5 decided, 0 pending",
        "2026-01-28",  # 45, not 15
        False,
    )
    # Four decided, all after 90 weekdays: too few to plan a chance on (the
    # forecast keys stay null), but they say the review takes longer than 45:
    # planned on, as an estimate (issue 22: a backlog left "ok" is the fear).
    plain_store(
        store,
        'review_working_days = "observed"\n' + _decided(1, "y", "US", [90, 90, 90, 90]),
    )
    add_y(run)
    found = show(run, "1")
    assert (found["review_basis"], found["renew_by"], found["review_estimate"]) == (
        "observed: all, 4 decided, 0 pending, thin history",
        "2025-11-26",  # 90 weekdays before Wednesday 2026-04-01
        True,
    )
    assert (found["forecast_basis"], found["p_decision_by_expiry"]) == (
        "statutory",
        None,
    )
    assert "2025-11-26~" in ok(run, "list", "--today", "2026-01-15")
    assert (
        "Review time:   90 working days (observed: all, 4 decided, 0 pending, thin "
        "history; an estimate: fewer than 5 observed that long)"
    ) in ok(run, "show", "1", "--today", "2026-01-15")
    # Four decided sooner than 45 say nothing the statutory bound does not.
    plain_store(
        store,
        'review_working_days = "observed"\n' + _decided(1, "y", "US", [20, 20, 20, 20]),
    )
    add_y(run)
    found = show(run, "1")
    assert (found["review_basis"], found["renew_by"], found["review_estimate"]) == (
        "statutory",
        "2026-01-28",
        False,
    )


def test_coverage_never_shows_a_past_filing_day_alone(run: Run, store: Path) -> None:
    plain_store(store)
    add_y(run)  # expires 2026-04-01: renew by 2026-01-28
    rows = json.loads(ok(run, "coverage", "--format", "json", "--today", "2026-01-27"))
    assert (rows[0]["next_action"], rows[0]["next_action_date"]) == (
        "file the renewal",
        "2026-01-28",
    )
    rows = json.loads(ok(run, "coverage", "--format", "json", "--today", "2026-02-02"))
    assert (
        rows[0]["next_action"],
        rows[0]["next_action_date"],
        rows[0]["next_action_estimate"],
    ) == ("file the renewal now (last day 2026-01-28)", "2026-02-02", False)


def test_coverage_says_where_supply_will_have_a_gap(run: Run, store: Path) -> None:
    plain_store(store)
    add_y(run)  # Acme: expires 2026-04-01
    ok(run, "apply", "1", "--on", "2026-02-20")  # decided by 2026-04-24: 23-day gap
    ok(
        run, "add", "-m", "terbium metal", "-d", "DE", "-i", "2025-12-01"
    )  # to 2026-06-01
    ok(run, "apply", "-m", "samarium oxide", "-d", "JP", "--on", "2026-02-02")
    rows = json.loads(ok(run, "coverage", "--format", "json", "--today", "2026-03-02"))
    assert tuple(rows[0]) == (
        "material",
        "destination",
        "end_user",
        "licenses",
        "applications",
        "covered_until",
        "next_action",
        "next_action_date",
        "projected_gap_days",
        "gap_days_last_year",
        "level",
        "p_no_gap",
        "remaining",
        "unit",
        "next_action_estimate",
        "reasons",  # issue 23
        "authority",  # issue 23: each authority's licenses apart
        "projected_gap_estimate",  # a gap across an unannounced holiday year
        "projected_gap_bound",  # "at_least": the history names no day
    )
    by = {r["material"]: r for r in rows}
    assert rows[0]["material"] == "samarium oxide"  # the biggest gap first
    y = by["yttrium oxide"]
    assert (y["licenses"], y["applications"], y["covered_until"]) == (
        [1],
        ["A1"],
        "2026-04-01",
    )
    assert (y["next_action"], y["next_action_date"], y["projected_gap_days"]) == (
        "decision due",
        "2026-04-24",
        23,
    )
    assert y["gap_days_last_year"] == 0
    tb = by["terbium metal"]
    assert (tb["next_action"], tb["next_action_date"]) == (
        "file the renewal",
        "2026-03-30",
    )
    # filing today, 2026-03-02: decided 2026-05-04, before 2026-06-01
    assert tb["projected_gap_days"] == 0
    sm = by["samarium oxide"]
    # due 2026-04-06: from today to that day, both counted
    assert (sm["covered_until"], sm["licenses"], sm["projected_gap_days"]) == (
        None,
        [],
        36,
    )


def test_past_gaps_are_counted_from_the_groups_first_license(
    run: Run, store: Path
) -> None:
    plain_store(store)
    ok(run, "add", "-m", "x", "-d", "US", "-i", "2025-01-01", "--expires", "2025-03-31")
    ok(run, "add", "-m", "x", "-d", "US", "-i", "2025-04-11", "--expires", "2026-12-31")
    (row,) = json.loads(ok(run, "coverage", "-f", "json", "--today", "2025-06-30"))
    assert row["gap_days_last_year"] == 10  # 1 to 10 April


def test_deadlines_in_a_year_without_an_announced_schedule_say_so(
    run: Run, store: Path
) -> None:
    ok(run, "init")
    ok(
        run, "add", "-m", "x", "-d", "US", "-i", "2030-10-01", "--today", "2030-10-02"
    )  # CN
    lic = show(run, "1", "2030-10-02")
    assert lic["calendar_estimate"] is True
    assert "estimated: no official 2031 holiday schedule" in lic["reasons"]
    assert "estimated" in ok(run, "show", "1", "--today", "2030-10-02")
    ok(run, "add", "-m", "y", "-d", "US", "-i", "2026-01-05")
    assert show(run, "2", "2026-01-06")["calendar_estimate"] is False
    text = store.read_text(encoding="utf-8")
    store.write_text(
        text.replace("[settings]\n", "[settings]\nextra_holidays = [2031-02-03]\n"),
        encoding="utf-8",
    )
    lic = show(run, "1", "2030-10-02")
    assert lic["calendar_estimate"] is False
    assert not any("estimated" in reason for reason in lic["reasons"])


def test_extra_holidays_and_workdays_move_the_deadline(run: Run, store: Path) -> None:
    plain_store(store)
    add_y(run)
    assert show(run, "1")["renew_by"] == "2026-01-28"
    text = store.read_text(encoding="utf-8")
    store.write_text(
        text.replace(
            'calendar = "none"\n',
            'calendar = "none"\nextra_holidays = [2026-02-02, 2026-02-03]\n',
        ),
        encoding="utf-8",
    )
    assert show(run, "1")["renew_by"] == "2026-01-26"
    store.write_text(
        text.replace(
            'calendar = "none"\n',
            'calendar = "none"\nextra_holidays = [2026-02-02]\nextra_workdays = [2026-02-02]\n',
        ),
        encoding="utf-8",
    )
    result = run("list")
    assert result.exit_code == 65
    assert "extra_workdays: 2026-02-02 is also in extra_holidays" in result.stderr


def test_the_example_store_shows_every_state(run: Run, example: Path) -> None:
    rows = json.loads(
        ok(
            run,
            "applications",
            "--all",
            "-f",
            "json",
            "--store",
            str(example),
            "--today",
            "2026-01-15",
        )
    )
    states = {(r["status"], r["overdue"]) for r in rows}
    assert {
        ("pending", True),
        ("pending", False),
        ("granted", False),
        ("refused", False),
    } <= states


@pytest.mark.parametrize(
    "body",
    [
        'id = 1\nmaterial = "x"\ndestination = "JP"\n',
        'id = "B1"\nmaterial = "x"\ndestination = "JP"\n',
        'id = "A0"\nmaterial = "x"\ndestination = "JP"\n',
        'id = "A1"\nmaterial = "x"\n',
        'id = "A1"\nmaterial = "x"\ndestination = "ZZ"\n',
        'id = "A1"\nmaterial = "x"\ndestination = "JP"\nstatus = "lost"\n',
        'id = "A1"\nmaterial = "x"\ndestination = "JP"\nrenews = -3\n',
        'id = "A1"\nmaterial = "x"\ndestination = "JP"\nfiled = 9999-01-01\n',
        (
            'id = "A1"\nmaterial = "x"\ndestination = "JP"\nfiled = 2026-01-05\n'
            "accepted = 2026-01-01\n"
        ),
        (
            'id = "A1"\nmaterial = "x"\ndestination = "JP"\nfiled = 2026-01-05\n'
            "decided = 2026-02-01\n"
        ),
        'id = "A1"\nmaterial = "x"\ndestination = "JP"\nstatus = "refused"\nlicense = 3\n',
        'id = "A1"\nmaterial = "x"\ndestination = "JP"\nquantity = "lots"\n',
        (
            'id = "A1"\nmaterial = "x"\ndestination = "JP"\n[[application]]\n'
            'id = "A1"\nmaterial = "y"\ndestination = "JP"\n'
        ),
    ],
)
def test_hostile_application_tables_are_one_line_and_exit_65(
    run: Run, store: Path, body: str
) -> None:
    plain_store(store, "[[application]]\n" + body)
    before = store.read_bytes()
    for args in (["applications"], ["apply", "-m", "x", "-d", "JP"], ["warn"]):
        result = run(*args)
        assert result.exit_code == (3 if args == ["warn"] else 65), result.stderr
        assert result.stderr.count("\n") == 1
        assert "Traceback" not in result.stderr
    assert store.read_bytes() == before


def test_application_settings_are_checked(run: Run, store: Path) -> None:
    for line, message in (
        (
            'review_working_days = "fast"',
            'expected a whole number of working days or "observed"',
        ),
        ("extra_holidays = 2027-02-11", "extra_holidays: expected a list of dates"),
        ('extra_workdays = ["2027-02-07"]', "extra_workdays: expected a TOML date"),
    ):
        plain_store(store, line + "\n")
        result = run("list")
        assert result.exit_code == 65, line
        assert message in result.stderr


def test_accept_moves_the_decision_to_count_from_acceptance(
    run: Run, store: Path
) -> None:
    plain_store(store)
    ok(run, "apply", "-m", "x", "-d", "JP", "--on", "2026-01-05")
    assert apps(run)[0]["decision_due"] == "2026-03-09"
    result = run(
        "accept",
        "A1",
        "--on",
        "2026-01-12",
        "--reference",
        "R-1",
        "--today",
        "2026-01-15",
    )
    assert result.exit_code == 0, result.stderr
    assert "decision due 2026-03-16" in result.stderr
    (row,) = apps(run)
    assert (row["accepted"], row["reference"], row["decision_due"]) == (
        "2026-01-12",
        "R-1",
        "2026-03-16",
    )
    unchanged(store, run, "accept", "A1", "--on", "2026-01-02", message="before filing")
    ok(run, "withdraw", "A1", "--on", "2026-01-20")
    unchanged(store, run, "accept", "A1", "--on", "2026-01-21", message="is withdrawn")
