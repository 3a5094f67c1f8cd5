"""Import from spreadsheets' CSV and export to JSON, CSV and iCalendar."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import icalendar
import pytest

from export_licenses.storage import store as store_api

if TYPE_CHECKING:
    from conftest import Run

DATA = Path(__file__).resolve().parent / "data"
TODAY = "2026-01-15"


def test_import_excel_semicolon_bom_crlf_dayfirst(run: Run, store: Path) -> None:
    result = run("import", str(DATA / "excel-semicolon-dayfirst.csv"), "--dayfirst")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "2\n"
    first, second = store_api.read(store).licenses
    assert (first.id, first.number, first.destination, first.issued) == (
        1,
        "MOFCOM-2025-DY-0500",
        "DE",
        date(2025, 11, 3),
    )
    assert (first.quantity, first.unit, first.notes) == (
        Decimal("1250.5"),
        "kg",
        "Plant 2; rotor line",
    )
    assert (second.destination, second.issued, second.quantity) == (
        "JP",
        date(2025, 12, 15),
        Decimal("12.5"),
    )
    assert second.term_months == 6  # the store's term, recorded as add does


def test_import_comma_file_ignores_the_id_column(run: Run, store: Path) -> None:
    run("add", "-m", "x", "-d", "US", "-i", "2025-01-01")
    result = run("import", str(DATA / "google-sheets-comma.csv"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "2\n"
    licenses = store_api.read(store).licenses
    assert [lic.id for lic in licenses] == [1, 2, 3]
    assert (licenses[1].expires, licenses[1].kind, licenses[1].hs_code) == (
        date(2026, 2, 28),
        "individual",
        "2805301300",
    )
    assert licenses[2].destination == "MX"


def test_dates_need_dayfirst_to_be_read_day_first(run: Run, store: Path) -> None:
    result = run("import", str(DATA / "excel-semicolon-dayfirst.csv"))
    assert result.exit_code == 65
    assert (
        "line 2: issued: expected a date as YYYY-MM-DD, got '03/11/2025'"
        in result.stderr
    )
    assert not store.exists()


def test_unknown_columns_are_named(run: Run, store: Path) -> None:
    result = run("import", str(DATA / "unknown-column.csv"))
    assert result.exit_code == 65
    assert "unknown column 'colour'" in result.stderr
    assert not store.exists()


def test_all_or_nothing_with_every_bad_row_listed(run: Run, store: Path) -> None:
    run("add", "-m", "x", "-d", "US", "-i", "2025-01-01", "--number", "Y-2")
    before = store.read_bytes()
    result = run("import", str(DATA / "bad-rows.csv"))
    assert result.exit_code == 65
    lines = result.stderr.splitlines()
    assert lines[0].endswith("bad-rows.csv: 2 invalid rows; nothing was imported")
    assert lines[1:] == [
        "  line 3: destination: unknown country 'Narnia' (give an ISO 3166-1 code such as DE or DEU, or an English name)",
        "  line 3: issued: '2025-02-30' is not a day of the calendar",
        "  line 3: quantity: expected a positive number, got -3",
        "  line 4: material: is missing",
    ]
    assert store.read_bytes() == before


def test_duplicate_numbers_within_the_file_and_against_the_store(
    run: Run, tmp_path: Path
) -> None:
    run("add", "-m", "x", "-d", "US", "-i", "2025-01-01", "--number", "IN-STORE")
    csv_file = tmp_path / "dup.csv"
    csv_file.write_text(
        "material,destination,issued,number\na,US,2025-01-01,in-store\nb,US,2025-01-01,N\nc,US,2025-01-01,n\n",
        encoding="utf-8",
    )
    result = run("import", str(csv_file))
    assert result.exit_code == 65
    assert (
        "line 2: number: in-store is already license 1 (IN-STORE) in the store"
        in result.stderr
    )
    assert "line 4: number: n is already on line 3" in result.stderr


def test_dry_run_checks_but_writes_nothing(run: Run, store: Path) -> None:
    result = run("import", str(DATA / "google-sheets-comma.csv"), "--dry-run")
    assert result.exit_code == 0
    assert "2 licenses would be imported" in result.stderr
    assert not store.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"material,destination,issued\n\xff\xfe,US,2025-01-01\n", "not UTF-8"),
        (b"material,material,destination,issued\n", "column material appears twice"),
        (
            b"material,destination,issued\nx,US,2025-01-01,extra\n",
            "line 2: row: 4 cells but 3 columns",
        ),
        (
            b'material,destination,issued,shipments\nx,US,2025-01-01,"[{""on"": 5}]"\n',
            "shipments: expected JSON",
        ),
    ],
)
def test_malformed_files(
    run: Run, tmp_path: Path, content: bytes, message: str
) -> None:
    csv_file = tmp_path / "f.csv"
    csv_file.write_bytes(content)
    result = run("import", str(csv_file))
    assert result.exit_code == 65
    assert message in result.stderr


def test_missing_import_file_is_64(run: Run, tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "nope.csv"))
    assert result.exit_code == 64


# --- export --------------------------------------------------------------------


def test_csv_export_then_import_reproduces_the_licenses(
    run: Run, example: Path, tmp_path: Path
) -> None:
    exported = run("export", "--format", "csv", "--all", "--store", str(example)).stdout
    csv_file = tmp_path / "out.csv"
    csv_file.write_text(exported, encoding="utf-8")
    fresh = tmp_path / "fresh.toml"
    assert run("import", str(csv_file), "--store", str(fresh)).stdout == "20\n"
    original = {lic.id: lic for lic in store_api.read(example).licenses}
    for lic in store_api.read(fresh).licenses:
        # CSV has no place for keys written by hand; everything else comes back
        assert lic == original[lic.id]._replace(extra={}), lic.id
    again = run("export", "--format", "csv", "--all", "--store", str(fresh)).stdout
    assert again == exported


def test_json_export_has_full_records(run: Run, example: Path) -> None:
    records = json.loads(run("export", "--store", str(example)).stdout)
    assert 13 not in [r["id"] for r in records]  # renewed: not active
    first = records[0]
    assert first["issued"] == "2025-06-20"
    assert first["contract"] == "PO-2025-0117"  # written by hand, kept
    assert first["shipments"] == [
        {"on": "2025-07-14", "quantity": 800},
        {"on": "2025-09-02", "quantity": 700},
    ]
    assert first["expires"] is None  # every field present, null when empty
    assert first["closed"] is None
    every = json.loads(run("export", "--all", "--store", str(example)).stdout)
    assert len(every) == 20


def test_export_to_a_file(run: Run, example: Path, tmp_path: Path) -> None:
    target = tmp_path / "licenses.json"
    result = run("export", "--output", str(target), "--store", str(example))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 17  # active


def test_export_writes_output_itself_and_gives_the_same_bytes(
    example: Path, tmp_path: Path
) -> None:
    """The service writes --output (one call for the command): the file holds
    what stdout would have had, and the count is the same."""
    from export_licenses.service import transfer  # noqa: PLC0415

    def export(fmt: str, output: Path | None = None) -> tuple[Any, int]:
        day = date(2026, 1, 15)
        return transfer.export(
            example, fmt, include_all=True, today=day, remind_days=7, output=output
        )

    for fmt in ("json", "csv", "ics", "xlsx"):
        shown, count = export(fmt)
        target = tmp_path / f"licenses.{fmt}"
        assert export(fmt, target) == (None, count)
        written = target.read_bytes()
        if fmt == "xlsx":  # a workbook records when it was made
            assert written[:2] == b"PK"
        else:
            assert isinstance(shown, str)
            assert written == shown.encode("utf-8")


def test_ics_has_expiry_and_renewal_events_with_stable_uids(
    run: Run, example: Path
) -> None:
    text = run("export", "-f", "ics", "--store", str(example), "--today", TODAY).stdout
    calendar = icalendar.Calendar.from_ical(text)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    expiries = [e for uid, e in events.items() if "-expires-" in uid]
    deadlines = [e for uid, e in events.items() if "-renew-by-" in uid]
    assert len(expiries) == 17  # every active license
    # The licenses agenda says to file, on agenda's day: not license 5 (its
    # renewal is filed), 1 and 2 (expired), nor 12 (drawn to its quantity).
    agenda = json.loads(
        run(
            "agenda", "--all", "-f", "json", "--store", str(example), "--today", TODAY
        ).stdout
    )
    filings = {
        f"license {a['license']} ": date.fromisoformat(a["date"])
        for a in agenda
        if a["action"] == "file_renewal"
    }
    assert len(deadlines) == len(filings) == 13
    for event in deadlines:
        label = str(event["summary"]).split("(")[0].removeprefix("File renewal: ")
        assert event.decoded("dtstart") == filings[label], label
    gallium = next(e for e in expiries if "license 5 " in str(e["summary"]))
    assert gallium.decoded("dtstart") == date(2026, 2, 28)
    assert gallium.decoded("dtend") == date(2026, 3, 1)
    alarm = gallium.walk("VALARM")[0]
    assert str(alarm["trigger"].to_ical()) == "b'-P7D'"
    renew_9 = next(e for e in deadlines if "license 9 " in str(e["summary"]))
    assert renew_9.decoded("dtstart") == date(2026, 1, 15)  # file now: 40 %
    # The statutory last day is said too (expiry: Sun May 3).
    assert "statutory last day 2026-02-26" in str(renew_9["description"])
    again = run(
        "export",
        "-f",
        "ics",
        "--store",
        str(example),
        "--today",
        "2026-02-01",
        "--remind",
        "0",
    ).stdout
    later = icalendar.Calendar.from_ical(again)
    # The same UIDs, less license 3's filing: it expired on 2026-01-15, and an
    # expired license is no longer told to file (agenda, warn).
    gone = set(events) - {str(e["uid"]) for e in later.walk("VEVENT")}
    assert {str(e["uid"]) for e in later.walk("VEVENT")} < set(events)
    assert [str(events[uid]["summary"]).split(" (")[0] for uid in gone] == [
        "File renewal: license 3"
    ]
    assert all(not e.walk("VALARM") for e in later.walk("VEVENT"))


def ics_filings(run: Run, today: str) -> list[Any]:
    text = run("export", "-f", "ics", "--today", today).stdout
    events = icalendar.Calendar.from_ical(text).walk("VEVENT")
    return [e for e in events if str(e["summary"]).startswith("File renewal")]


def test_ics_renewal_event_is_the_day_to_act_on_with_its_basis(
    run: Run, example: Path
) -> None:
    """The planning day agenda gives, months before the statutory one; an
    estimate says so, and why; the statutory last day is named too."""
    args = ("export", "-f", "ics", "--store", str(example), "--today", TODAY)
    events = icalendar.Calendar.from_ical(run(*args).stdout).walk("VEVENT")
    by_license = {
        str(e["summary"]).split(" (")[0]: e
        for e in events
        if str(e["summary"]).startswith("File renewal")
    }
    scandium = by_license["File renewal: license 10"]
    # As agenda dates it: the longest wait, a pending one's, counted as it
    # will be then (audit s8-dates, 1), from filing (audit s10-forecast, 1:
    # 2026-04-03 counted from acceptance); not the statutory 2026-09-21.
    assert scandium.decoded("dtstart") == date(2026, 4, 2)
    about = str(scandium["description"])
    assert "statutory last day 2026-09-21" in about
    assert "rests on the history of review times (observed from filing: all" in about
    assert "estimated: fewer than 5 applications observed that long" in about
    assert str(scandium["summary"]).endswith("(estimated)")
    yttrium = by_license["File renewal: license 17"]  # counted over 2027
    assert yttrium.decoded("dtstart") == date(2026, 4, 23)
    assert "estimated: no official 2027 holiday schedule" in str(yttrium["description"])
    furnace = by_license["File renewal: license 20"]  # no forecast: statutory
    assert furnace.decoded("dtstart") == date(2029, 4, 6)
    assert "(estimated)" not in str(furnace["summary"])
    assert "estimated" not in str(furnace["description"])


def test_ics_no_renewal_event_when_declined(run: Run, store: Path) -> None:
    store.write_text(
        'version = 1\n[[license]]\nid = 1\nmaterial = "cerium"\n'
        'destination = "US"\nissued = 2025-06-01\nexpires = 2026-06-30\n'
        "renewal = false\n",
        encoding="utf-8",
    )
    assert ics_filings(run, "2026-02-01") == []


def test_ics_suspended_license_still_owes_its_renewal(run: Run) -> None:
    added = run("add", "-m", "cerium", "-d", "US", "-i", "2025-10-31", "-n", "C-1")
    assert added.exit_code == 0, added.stderr
    before = ics_filings(run, "2026-01-15")
    changed = run("change", "1", "--quantity", "200", "--today", "2026-01-15")
    assert changed.exit_code == 0, changed.stderr
    assert (
        "suspended" in run("list", "--format", "json", "--today", "2026-01-15").stdout
    )
    after = ics_filings(run, "2026-01-15")
    assert len(after) == len(before) == 1
    # The same event: a calendar updates it rather than adding one.
    assert str(after[0]["uid"]) == str(before[0]["uid"])
    assert after[0].decoded("dtstart") == before[0].decoded("dtstart")


# --- nagios --------------------------------------------------------------------


def test_nagios_line_in_every_state(run: Run, example: Path) -> None:
    result = run(
        "warn", "--format", "nagios", "--store", str(example), "--today", TODAY
    )
    assert result.exit_code == 2
    assert (
        result.stdout
        # on the store's history (issue 22), counted from filing: 10 critical
        # (15: 40 % if filed today), 1 warning; A3 and A14;
        # ok: licenses 10, 17, 18 (general) and 20 (BIS); dysprosium oxide to DE
        # shipped under No. 18 with no license left (issue 23)
        == "LICENSES CRITICAL - 2 expired, 10 critical, 1 warning, 2 decisions overdue, 1 export needing a license | expired=2 critical=10 warning=1 ok=4 overdue=2\n"
    )
    run("add", "-m", "x", "-d", "US", "-i", "2025-11-03")
    calm = run("warn", "-f", "nagios", "--today", "2025-11-04")
    assert (calm.exit_code, calm.stdout) == (
        0,
        "LICENSES OK - 1 license ok | expired=0 critical=0 warning=0 ok=1 overdue=0\n",
    )
    run("apply", "1", "--on", "2025-11-04")
    warning = run("warn", "-f", "nagios", "--today", "2026-03-01")
    assert (warning.exit_code, warning.stdout) == (
        1,
        (
            "LICENSES WARNING - 1 warning, 1 decision overdue | "
            "expired=0 critical=0 warning=1 ok=0 overdue=1\n"
        ),
    )


@pytest.mark.parametrize(
    "args", [["--within", "1", "--critical", "5"], ["--nonsense"], ["--today", "soon"]]
)
def test_nagios_unknown_still_prints_its_status_line(
    run: Run, store: Path, args: list[str]
) -> None:
    shutil.copy(DATA / "google-sheets-comma.csv", store.parent / "x.csv")
    run("import", str(store.parent / "x.csv"))
    result = run("warn", "--format", "nagios", *args)
    assert result.exit_code == 3
    assert result.stdout.startswith("LICENSES UNKNOWN - ")
    assert len(result.stdout.splitlines()) == 1


def test_nagios_unknown_without_a_store(run: Run) -> None:
    result = run("warn", "-f", "nagios")
    assert (result.exit_code, result.stdout.split(" - ")[0]) == (3, "LICENSES UNKNOWN")


# --- timeline --------------------------------------------------------------------


def test_timeline_in_a_pipe_is_plain_ascii_within_80_columns(
    run: Run, example: Path
) -> None:
    result = run(
        "timeline", "--store", str(example), "--today", TODAY, env={"COLUMNS": "80"}
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert result.stdout.isascii()
    assert lines[0].split() == [
        "Nov",
        "Dec",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
    ]
    bars = lines[1:-1]
    assert len(bars) == 17  # every active license, soonest expiry first
    assert [int(line.split()[0]) for line in bars][:3] == [1, 2, 3]
    today_columns = {line.index("|") for line in bars if "|" in line}
    assert len(today_columns) == 1  # one vertical line for today
    (today_column,) = today_columns
    # Where agenda and warn say "file now", the R stands on today's line.
    assert all(line[today_column] in "|R" for line in bars)
    gallium = next(line for line in bars if line.split()[0] == "5")
    assert "R" not in gallium  # renewal filed: no deadline marker
    lutetium = next(line for line in bars if line.split()[0] == "9")
    # The statutory last day is 2026-02-26, after today, but on the history
    # warn says "file now, 40 %" (audit s8-dates): the R is on today.
    assert lutetium.index("R") == today_column
    # critical on the store's history: 40 % if filed today (issue 22)
    assert lutetium.endswith("108d critical")
    scandium = next(line for line in bars if line.split()[0] == "10")
    assert ">" in scandium  # expires after the window: the bar goes on
    assert lines[-1].startswith("Nov 2025 - Jul 2026")


def test_timeline_months_widen_the_axis(run: Run, example: Path) -> None:
    out = run(
        "timeline",
        "--months",
        "14",
        "--store",
        str(example),
        "--today",
        TODAY,
        env={"COLUMNS": "120"},
    ).stdout
    assert out.splitlines()[-1].startswith("Nov 2025 - Dec 2026")
    assert all(len(line) <= 120 for line in out.splitlines())


def test_timeline_with_nothing_active(run: Run) -> None:
    run("init")
    result = run("timeline")
    assert (result.exit_code, result.stdout) == (0, "")
    assert "no active licenses" in result.stderr
