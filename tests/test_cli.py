"""The commands as a user types them (in-process), effects checked through the store."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from datetime import date
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from export_licenses.cli import app
from export_licenses.domain.rows import ROW_KEYS
from export_licenses.storage import store as store_api

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

TODAY = "2026-01-15"


def add_dy(run: Run, *extra: str) -> str:
    result = run(
        "add",
        "--material",
        "dysprosium oxide",
        "--destination",
        "US",
        "--issued",
        "2025-11-03",
        "--number",
        "MOFCOM-2025-DY-0412",
        *extra,
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


# --- init and add ------------------------------------------------------------


def test_init_creates_an_empty_store_and_prints_its_path(run: Run, store: Path) -> None:
    result = run("init")
    assert result.exit_code == 0
    assert result.stdout == f"{store}\n"
    data = store_api.read(store)
    assert data.licenses == ()
    assert (
        data.settings.term_months,
        data.settings.warn_days,
        data.settings.critical_days,
    ) == (6, 90, 30)


def test_init_leaves_an_existing_store_untouched(run: Run, store: Path) -> None:
    add_dy(run)
    before = store.read_bytes()
    result = run("init")
    assert result.exit_code == 0
    assert "already exists" in result.stderr
    assert store.read_bytes() == before


def test_init_is_one_service_call_that_says_what_it_did(store: Path) -> None:
    from export_licenses.service import records  # noqa: PLC0415

    assert records.init(store) == f"Created an empty store at {store}"
    before = store.read_bytes()
    assert records.init(store) == f"A store already exists at {store}; left as it is"
    assert store.read_bytes() == before


def test_add_prints_only_the_new_id_and_ids_count_up(run: Run, store: Path) -> None:
    assert add_dy(run) == "1\n"
    second = run("add", "-m", "terbium metal", "-d", "DE", "-i", "2025-08-31")
    assert second.stdout == "2\n"
    assert "Added license 2" in second.stderr
    licenses = store_api.read(store).licenses
    assert [lic.id for lic in licenses] == [1, 2]
    assert licenses[0].number == "MOFCOM-2025-DY-0412"
    assert licenses[0].term_months == 6  # recorded, so a settings change never moves it


def test_add_creates_store_and_folder(run: Run, tmp_path: Path) -> None:
    deep = tmp_path / "x" / "y" / "licenses.toml"
    result = run(
        "add", "-m", "gallium", "-d", "FR", "-i", "2025-09-01", "--store", str(deep)
    )
    assert result.exit_code == 0
    assert store_api.read(deep).licenses[0].destination == "FR"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("us", "US"),
        ("USA", "US"),
        ("germany", "DE"),
        ("Korea, Republic of", "KR"),
        ("jpn", "JP"),
    ],
)
def test_add_takes_codes_and_names_and_stores_alpha2(
    run: Run, store: Path, typed: str, stored: str
) -> None:
    assert run("add", "-m", "x", "-d", typed, "-i", "2025-09-01").exit_code == 0
    assert store_api.read(store).licenses[0].destination == stored


def test_add_term_expires_and_note(run: Run, store: Path) -> None:
    run(
        "add",
        "-m",
        "gallium",
        "-d",
        "FR",
        "-i",
        "2025-08-31",
        "--term",
        "12",
        "--note",
        "general license",
    )
    run(
        "add",
        "-m",
        "germanium",
        "-d",
        "MX",
        "-i",
        "2025-08-31",
        "--expires",
        "2026-01-31",
    )
    first, second = store_api.read(store).licenses
    assert (first.term_months, first.expires, first.notes) == (
        12,
        None,
        "general license",
    )
    assert (second.term_months, second.expires) == (None, date(2026, 1, 31))
    text = store.read_text(encoding="utf-8")
    assert 'notes = "general license"' in text
    assert "expires = 2026-01-31\n" in text  # a TOML date, not a string


def test_add_uses_the_stores_term_setting_and_records_it(run: Run, store: Path) -> None:
    run("init")
    store.write_text(
        store.read_text(encoding="utf-8").replace("term_months = 6", "term_months = 9"),
        encoding="utf-8",
    )
    run("add", "-m", "x", "-d", "US", "-i", "2025-01-31")
    assert store_api.read(store).licenses[0].term_months == 9
    shown = json.loads(run("show", "1", "--format", "json").stdout)
    assert shown["expires"] == "2025-10-31"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-i", "2025-02-30"], "--issued: '2025-02-30' is not a day of the calendar"),
        (["-i", "03/11/2025"], "--issued: expected a date as YYYY-MM-DD"),
        # Arabic-Indic digits: not a day "not of the calendar", but not the form
        (
            ["-i", "\u0662\u0660\u0662\u0665-\u0661\u0661-\u0660\u0663"],
            "--issued: expected a date as YYYY-MM-DD",
        ),
        (
            ["-i", "2025-11-03", "-d", "Narnia"],
            "--destination: unknown country 'Narnia'",
        ),
        (["-i", "2025-11-03", "-d", "Germny"], "did you mean DE (Germany)?"),
        (["-i", "2025-11-03", "--term", "0"], "--term: expected 1 to 120"),
        # the computed expiry keeps to the years 1900 to 2199 as a given one does
        (
            ["-i", "2199-12-31", "--term", "120"],
            "--term: it would expire on 2209-12-31",
        ),
        # and the store's default term, given no term, names the issue date
        (
            ["-i", "2199-10-01", "--today", "2199-12-31"],
            (
                "--issued: 2199-10-01 with the default term of 6 months would "
                "expire on 2200-04-01, after the year 2199"
            ),
        ),
        (["-i", "2025-11-03", "--term", "six"], "Invalid value for '--term': 'six'"),
        (
            ["-i", "2025-11-03", "--term", "3", "--expires", "2026-01-01"],
            "--term and --expires exclude each other",
        ),
        (
            ["-i", "2025-11-03", "--expires", "2025-11-01"],
            "--expires: 2025-11-01 is before the issue date 2025-11-03",
        ),
        (["-i", "2025-11-03", "-m", "   "], "--material: must not be empty"),
        (
            ["-i", "2025-11-03", "--number", "MOFCOM-2025-DY-0412"],
            "--number: MOFCOM-2025-DY-0412 is already license 1",
        ),
        (
            ["-i", "2025-11-03", "--number", "mofcom-2025-dy-0412"],
            "is already license 1",
        ),
        (["-i", "2025-11-03", "--colour"], "No such option: --colour"),
    ],
)
def test_add_rejects_bad_input_with_64_and_leaves_the_store_alone(
    run: Run, store: Path, args: list[str], message: str
) -> None:
    add_dy(run)
    before = store.read_bytes()
    base = {"-m": "x", "-d": "US"}
    for flag in ("-m", "-d"):
        if flag not in args:
            args = [flag, base[flag], *args]
    result = run("add", *args)
    assert result.exit_code == 64
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert store.read_bytes() == before


def test_rejected_add_does_not_create_a_store(run: Run, store: Path) -> None:
    result = run("add", "-m", "x", "-d", "US", "-i", "2025-02-30")
    assert result.exit_code == 64
    assert not store.exists()


def test_missing_required_option_is_a_usage_error(run: Run) -> None:
    result = run("add", "-m", "x", "-d", "US")
    assert result.exit_code == 64
    assert "Missing option '--issued'" in result.stderr


# --- list, due ---------------------------------------------------------------


def rows_of(result_stdout: str) -> list[dict[str, object]]:
    rows = json.loads(result_stdout)
    assert isinstance(rows, list)
    return rows


def test_list_sorts_by_expiry_then_id_and_hides_inactive(
    run: Run, example: Path
) -> None:
    result = run("list", "--store", str(example), "--today", TODAY, "--format", "json")
    rows = rows_of(result.stdout)
    assert {row["status"] for row in rows} == {"active", "renewal-filed"}
    keys = [(row["expires"], row["id"]) for row in rows]
    assert keys == sorted(keys)
    assert not {13, 16} & {row["id"] for row in rows}
    every = rows_of(
        run(
            "list", "--all", "--store", str(example), "--today", TODAY, "-f", "json"
        ).stdout
    )
    closed = next(row for row in every if row["id"] == 16)
    assert (closed["status"], closed["level"], closed["renew_by"]) == (
        "closed",
        None,
        None,
    )
    renewed = next(row for row in every if row["id"] == 13)
    assert (renewed["status"], renewed["superseded_by"]) == ("renewed", 15)


def test_json_rows_carry_every_contract_key(run: Run, example: Path) -> None:
    rows = rows_of(
        run("list", "--store", str(example), "--today", TODAY, "-f", "json").stdout
    )
    for row in rows:
        assert tuple(row) == ROW_KEYS
    one = next(row for row in rows if row["id"] == 5)
    assert one == {
        "id": 5,
        "number": "MOFCOM-2025-GA-0042",
        "material": "gallium metal",
        "destination": "FR",
        "issued": "2025-08-31",
        "expires": "2026-02-28",
        "days_left": 44,
        # the store's history (9 decided, 8 waiting): 30 % before the expiry
        "level": "critical",
        "status": "renewal-filed",
        "term_months": 6,
        "notes": "Six months from 31 August ends on 28 February.",
        "renew_by": "2025-12-19",
        "reasons": [
            "expires on 2026-02-28, in 44 days",
            "renewal filed on 2025-12-10",
            (
                "a 30 % chance of a decision before expiry, after 25 working days "
                "of waiting (observed: 9 decided, 8 waiting, median 74 working days)"
            ),
        ],
        "kind": "individual",
        "exporter": None,
        "end_user": None,
        "hs_code": None,
        "quantity": 400,
        "unit": "kg",
        "shipped": 0,
        "renewal_filed": "2025-12-10",
        "renews": None,
        "superseded_by": None,
        "renewal": None,
        "review_basis": "statutory",
        "calendar_estimate": False,
        "end_use": None,
        "end_users": None,
        "authority": "MOFCOM",
        # issue 22: gallium has no history of its own; the whole store's
        "file_by": None,
        "p_decision_by_expiry": 0.304,
        "forecast_basis": "observed: all, 9 decided, 8 pending",
        "forecast_estimate": False,
        "replaces": None,
        # issue 23: gallium is on the unified list (2024 No. 51); FR is not the US
        "controls": ["MOFCOM 2024 No. 51"],
        "review_estimate": False,
        "p_decision_by_expiry_bound": None,
        "act_by": None,  # the renewal is filed: no day to file by
    }
    assert next(row for row in rows if row["id"] == 7)["notes"] is None


def test_list_filters_are_case_insensitive_substrings(run: Run, example: Path) -> None:
    def ids(*args: str) -> list[int]:
        out = run(
            "list", "--store", str(example), "--today", TODAY, "-f", "json", *args
        ).stdout
        return sorted(int(str(row["id"])) for row in rows_of(out))

    # 19 (dysprosium oxide to DE) is exported: only list --all shows it
    assert ids("--material", "DYSPROSIUM") == [1, 4, 11, 18]
    assert ids("--destination", "us") == [1, 7, 10, 14]
    assert ids("--destination", "Germany") == [2, 8, 17, 18]
    assert ids("--status", "renewed") == [13]
    assert ids("--status", "closed") == [16]
    assert ids("--kind", "general") == [10, 17, 18]
    assert ids("--destination", "deu", "--material", "oxide") == [8, 17]


def test_list_refuses_a_destination_that_is_no_country(run: Run, example: Path) -> None:
    # Longer than a code and no country's name: it could match nothing, and a
    # typo must not read as "no license to France".
    before = example.read_bytes()
    result = run("list", "--store", str(example), "--today", TODAY, "-d", "Frnace")
    assert result.exit_code == 64
    assert result.stdout == ""
    assert result.stderr.startswith(
        "licenses: --destination: unknown country 'Frnace'; did you mean FR (France)?"
    )
    assert result.stderr.count("\n") == 1
    assert example.read_bytes() == before
    # Two letters are a part of a code: nothing matches, and that is an answer.
    result = run("list", "--store", str(example), "--today", TODAY, "-d", "qq")
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", "no licenses match\n")


def test_due_shows_every_flagged_level_on_the_example(run: Run, example: Path) -> None:
    rows = rows_of(
        run("due", "--store", str(example), "--today", TODAY, "-f", "json").stdout
    )
    assert [(row["id"], row["days_left"], row["level"]) for row in rows] == [
        (1, -26, "expired"),
        (2, -5, "expired"),
        (3, 0, "critical"),
        (4, 17, "critical"),
        (14, 36, "critical"),  # the last day to file (2025-12-15) has passed
        # filed: a 30 % chance of a decision before its expiry, on the history
        (5, 44, "critical"),
        (6, 49, "critical"),  # the last day to file (2025-12-25) has passed
        (7, 76, "critical"),  # file by 2026-01-22: 7 days (filing_critical_days)
        # not near expiry; the history gives them 40 % if filed today, and their
        # renewal deadline is within due's window:
        (8, 95, "critical"),
        (9, 108, "critical"),  # and 92 % of its quantity shipped
        # 40 % if filed today, counted from filing (the history's acceptances
        # came 2 working days after filing; from acceptance it read 50 %)
        (15, 115, "critical"),
        (11, 151, "warning"),  # 77 % on dysprosium's own history
        (12, 171, "critical"),  # exhausted: 200 of 200 kg shipped
        # No filing day gives 90 %: filed by 2026-04-03 and 2026-04-07, the last
        # days that leave the longest wait as it will be then (a pending one's,
        # still growing), within due's 90 days (audit s8-dates, 1)
        (10, 319, "ok"),
        (18, 322, "ok"),
    ]


def test_due_within_narrows_and_widens(run: Run, example: Path) -> None:
    def ids(within: str) -> list[object]:
        out = run(
            "due",
            "--within",
            within,
            "--store",
            str(example),
            "--today",
            TODAY,
            "-f",
            "json",
        ).stdout
        return [row["id"] for row in rows_of(out)]

    # 4, 14, 6: renewal deadline passed and not filed; 5 is filed, so only its
    # expiry (44 days) counts. 7, 8, 9, 15 and 11: on the store's history the
    # day to file for the best chance has passed ("file now"). 12: file by
    # 2026-01-15, today, while its time to the expiry covers every wait seen
    # from filing (2026-01-19 counted from acceptance).
    assert ids("0") == [1, 2, 3, 4, 14, 6, 7, 8, 9, 15, 11, 12]
    assert ids("4") == [1, 2, 3, 4, 14, 6, 7, 8, 9, 15, 11, 12]
    assert 5 in ids("44")
    assert 5 not in ids("43")


def test_due_with_nothing_due_says_so_on_stderr(run: Run) -> None:
    add_dy(run)
    result = run("due", "--today", "2025-11-04")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "nothing due" in result.stderr
    assert run("due", "--today", "2025-11-04", "-f", "json").stdout == "[]\n"


def test_plain_table_in_a_pipe_has_the_columns_and_no_escapes(
    run: Run, example: Path
) -> None:
    out = run("due", "--store", str(example), "--today", TODAY).stdout
    lines = out.splitlines()
    assert lines[0].split() == [
        "ID",
        "Number",
        "Material",
        "Dest",
        "Issued",
        "Expires",
        "Renew",
        "by",
        "Left",
        "Level",
    ]
    assert lines[1].split()[0] == "1"
    assert lines[1].split()[-1] == "expired"
    assert "\x1b" not in out
    assert not set(out) & set("│─┏━╇┃")


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv_have_the_json_keys_as_header(
    run: Run, example: Path, fmt: str, delimiter: str
) -> None:
    out = run("list", "--store", str(example), "--today", TODAY, "--format", fmt).stdout
    rows = list(csv.DictReader(io.StringIO(out), delimiter=delimiter))
    assert tuple(rows[0]) == ROW_KEYS
    as_json = rows_of(
        run("list", "--store", str(example), "--today", TODAY, "-f", "json").stdout
    )
    assert [row["id"] for row in rows] == [str(row["id"]) for row in as_json]
    assert rows[0]["number"] == as_json[0]["number"]
    assert rows[0]["reasons"] == "; ".join(as_json[0]["reasons"])  # type: ignore[arg-type]


def test_empty_csv_still_has_its_header(run: Run) -> None:
    run("init")
    assert run("list", "-f", "csv").stdout == ",".join(ROW_KEYS) + "\n"


def test_unknown_format_is_a_usage_error(run: Run) -> None:
    run("init")
    result = run("list", "--format", "xml")
    assert result.exit_code == 64
    assert "--format" in result.stderr


# --- warn ----------------------------------------------------------------------


def test_warn_is_silent_and_0_when_nothing_is_flagged(run: Run) -> None:
    add_dy(run)
    # Not 2025-11-04 any more: 2025 No. 70 suspended No. 61 (which names
    # dysprosium) three days later, a change of state within policy_warn_days
    # (issue 23; tests/test_policy_alerts.py). Nothing is near on 2025-12-15.
    result = run("warn", "--today", "2025-12-15")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_warn_lines_worst_first_and_exit_2(run: Run, example: Path) -> None:
    result = run("warn", "--store", str(example), "--today", TODAY)
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    # An expired license no longer repeats its missed filing deadline.
    assert lines[0] == (
        "EXPIRED: license 1 (MOFCOM-2025-DY-0412), dysprosium oxide to US: expired 2025-12-20 (26 days ago)"
    )
    # The action comes first: what to do, and by when; then the expiry, then
    # what the store's history says (9 decided, 7 still waiting).
    assert lines[2] == (
        "CRITICAL: license 3 (MOFCOM-2025-SM-0233), samarium-cobalt magnets to JP: "
        "file the renewal now: the last day to file was 2025-11-12, 64 days ago; "
        "expires 2026-01-15 (today is its last valid day); file now: no filing day "
        "gives a 90 % chance of a decision before expiry; filed today: a 0 % chance "
        "(observed from filing: 9 decided, 8 waiting, median 76 working days)"
    )
    assert lines[5] == (
        "CRITICAL: license 5 (MOFCOM-2025-GA-0042), gallium metal to FR: expires "
        "2026-02-28 (44 days left); renewal filed on 2025-12-10; a 30 % chance of a "
        "decision before expiry, after 25 working days of waiting (observed: 9 "
        "decided, 8 waiting, median 74 working days)"
    )
    # The planning date comes before the legal one while that one is ahead.
    assert lines[7] == (
        "CRITICAL: license 7 (MOFCOM-2025-Y-0311), yttrium oxide to US: file now: "
        "no filing day gives a 90 % chance of a decision before expiry; filed "
        "today: a 23 % chance (observed from filing: 9 decided, 8 waiting, median "
        "76 working days); expires 2026-04-01 (76 days left); file the renewal by "
        "2026-01-22 "
        "(in 7 days)"
    )
    assert lines[9].endswith("(108 days left); 92% used: 460 of 500 kg shipped")
    # 15: a 40 % chance if filed today, counted from filing: critical now
    assert lines[10].startswith("CRITICAL: license 15 (MOFCOM-2025-ND-1104)")
    assert lines[11].endswith("(171 days left); exhausted: 200 of 200 kg shipped")
    # dysprosium oxide to DE: license 19 ended with its export, No. 18 is in
    # force, and nothing covers the next one (issue 23): critical, after the
    # critical licenses
    assert lines[12] == (
        "CRITICAL: dysprosium oxide to DE: MOFCOM 2025 No. 18 in force (catalogue "
        "as of 2026-11-29), and no license or application covers it: apply before "
        "the next export"
    )
    # then the applications whose decision is overdue
    assert lines[14] == (
        # 15 working days of expert review (2025-11-03 to 2025-11-24) do not count
        "WARNING: application A3, samarium oxide to JP: decision overdue by 7 "
        "working days (due 2026-01-06); filed 2025-10-09"
    )
    levels = [line.split(":")[0] for line in lines]
    assert levels == ["EXPIRED"] * 2 + ["CRITICAL"] * 11 + ["WARNING"] * 3


def test_warn_exit_1_when_the_worst_is_a_warning(run: Run) -> None:
    add_dy(run)
    run("apply", "1", "--on", "2026-01-10")
    result = run("warn", "--today", "2026-03-01")  # 63 days left
    assert result.exit_code == 1
    assert result.stdout.startswith("WARNING: license 1 (MOFCOM-2025-DY-0412)")


def test_warn_thresholds_from_options(run: Run) -> None:
    add_dy(run)  # expires 2026-05-03
    # Filed early enough for the decision to be due before 2026-04-03: only the
    # expiry counts.
    run("apply", "1", "--on", "2026-02-20")
    assert run("warn", "--today", "2026-04-03", "--within", "20").exit_code == 0
    assert (
        run(
            "warn", "--today", "2026-04-03", "--within", "40", "--critical", "10"
        ).exit_code
        == 1
    )
    assert run("warn", "--today", "2026-04-03", "--critical", "30").exit_code == 2
    # a lone --within below the stored critical_days (30) narrows both to 10
    assert run("warn", "--today", "2026-04-22", "--within", "10").exit_code == 0
    assert run("warn", "--today", "2026-04-23", "--within", "10").exit_code == 2


def test_warn_quiet_prints_nothing_but_keeps_the_code(run: Run, example: Path) -> None:
    result = run("warn", "--quiet", "--store", str(example), "--today", TODAY)
    assert (result.exit_code, result.stdout) == (2, "")


@pytest.mark.parametrize("fmt", ["text", "json", "nagios", "prometheus"])
def test_warn_quiet_is_quiet_when_unknown_too(
    run: Run, tmp_path: Path, fmt: str
) -> None:
    # --quiet in every state: an UNKNOWN printed its JSON or Nagios line
    # (audit s8); its reason still goes to stderr.
    missing = str(tmp_path / "nowhere.toml")
    for args in (["-q", "-f", fmt], ["-f", fmt, "--bogus", "-q"]):
        result = run("warn", *args, "--store", missing, "--today", TODAY)
        assert (result.exit_code, result.stdout) == (3, ""), args
        assert result.stderr.startswith("licenses warn: UNKNOWN: ")


def test_warn_json_is_one_object_in_every_state(run: Run, example: Path) -> None:
    report = json.loads(
        run("warn", "-f", "json", "--store", str(example), "--today", TODAY).stdout
    )
    assert report["state"] == "CRITICAL"
    # worst first, then by expiry; on the store's history (9 decided, 8 waiting)
    # 5, 8, 9, 15 and 12 are critical (15: 40 % if filed today, counted from
    # filing), 11 a warning
    assert [row["id"] for row in report["licenses"]] == [
        *(1, 2, 3, 4, 14, 5, 6, 7, 8, 9, 15, 12),
        11,
    ]
    assert tuple(report["licenses"][0]) == ROW_KEYS
    add_dy(run)
    # 2025-12-15: no control changes state near it (see the test above)
    calm = run("warn", "-f", "json", "--today", "2025-12-15")
    assert (calm.exit_code, json.loads(calm.stdout)) == (
        0,
        {
            "state": "OK",
            "today": "2025-12-15",
            "licenses": [],
            "applications": [],
            "controls": [],
            "catalogue_as_of": None,
            "uncovered": [],
            "merge_conflicts": [],
        },
    )


@pytest.mark.parametrize(
    "args",
    [
        ["--within", "10", "--critical", "20"],
        ["--within", "soon"],
        ["--within", "-1"],
        ["--today", "2026-13-01"],
        ["--bogus"],
    ],
)
def test_warn_bad_arguments_are_unknown_3(run: Run, args: list[str]) -> None:
    add_dy(run)
    result = run("warn", *args)
    assert result.exit_code == 3
    assert result.stderr.startswith("licenses warn: UNKNOWN: ")
    assert len(result.stderr.splitlines()) == 1


def test_warn_on_a_missing_or_invalid_store_is_unknown_3(run: Run, store: Path) -> None:
    missing = run("warn")
    assert missing.exit_code == 3
    assert "no store here" in missing.stderr
    store.write_text("version = 1\n[[license]]\nid = 1\n", encoding="utf-8")
    invalid = run("warn")
    assert invalid.exit_code == 3
    assert "material: is missing" in invalid.stderr


@pytest.mark.parametrize(
    "bad",
    [["--bogus"], ["--within"], ["--within", "soon"], ["--critical", "-1"]],
)
def test_warn_answers_in_its_format_even_when_its_command_line_is_wrong(
    run: Run, bad: list[str]
) -> None:
    # --within at the end lacks its value: Click's parser stops before any
    # option is processed, and the format is still the one asked for.
    add_dy(run)
    for fmt, first in (("json", '{"state": "UNKNOWN"'), ("nagios", "LICENSES UNKNOWN")):
        # the format before the mistake, or after it (a strict parse stops at
        # the mistake); a --within lacking its value would take --format as it
        after = [] if bad == ["--within"] else [[*bad, "--format", fmt]]
        for args in (["--format", fmt, *bad], *after):
            result = run("warn", *args)
            assert result.exit_code == 3, (fmt, args)
            assert result.stdout.startswith(first), (fmt, args, result.stdout)
            assert result.stderr.startswith("licenses warn: UNKNOWN: ")


def test_group_option_errors_before_warn_are_still_unknown(run: Run) -> None:
    add_dy(run)
    result = run("--today", "yesterday", "warn")
    assert result.exit_code == 3


@pytest.mark.parametrize("before", [["--bogus"], ["--bogus=3"], ["-Z"]])
def test_a_wrong_option_before_warn_is_unknown_in_warns_format(
    run: Run, before: list[str]
) -> None:
    """`licenses --bogus warn --format nagios`: the group's own parse fails
    before warn is named, and a monitor still reads its line, and 3."""
    add_dy(run)
    for fmt, first in (("json", '{"state": "UNKNOWN"'), ("nagios", "LICENSES UNKNOWN")):
        # warn's own mistake after its name, before its format: forgiven too
        for after in ([], ["--bogus2"]):
            result = run(*before, "warn", *after, "--format", fmt)
            assert result.exit_code == 3, (fmt, after, result.stderr)
            assert result.stdout.startswith(first), (fmt, after, result.stdout)
            assert result.stderr.startswith("licenses warn: UNKNOWN: No such option")
    quiet = run(*before, "warn", "--quiet")
    assert (quiet.exit_code, quiet.stdout) == (3, "")
    other = run(*before, "list")
    assert (other.exit_code, other.stdout) == (64, "")


# --- show ----------------------------------------------------------------------


def test_show_by_id_or_number(run: Run, example: Path) -> None:
    by_id = run("show", "5", "--store", str(example), "--today", TODAY)
    by_number = run(
        "show", "mofcom-2025-ga-0042", "--store", str(example), "--today", TODAY
    )
    assert by_id.exit_code == 0, by_id.stderr
    assert by_id.stdout == by_number.stdout
    text = by_id.stdout
    for expected in (
        "MOFCOM-2025-GA-0042",
        "FR (France)",
        "2026-02-28 (last valid day)",
        "2025-12-19 (renewal filed on 2025-12-10)",
        "critical",  # a 30 % chance of a decision before expiry, on the history
        "Six months from 31 August",
        "400 kg",
    ):
        assert expected in text


def test_show_prints_keys_written_by_hand(run: Run, example: Path) -> None:
    text = run("show", "1", "--store", str(example), "--today", TODAY).stdout
    assert "contract:" in text
    assert "PO-2025-0117" in text
    obj = json.loads(
        run("show", "1", "-f", "json", "--store", str(example), "--today", TODAY).stdout
    )
    assert obj["contract"] == "PO-2025-0117"
    assert obj["level"] == "expired"


def test_show_unknown_id_is_64(run: Run) -> None:
    add_dy(run)
    result = run("show", "99")
    assert result.exit_code == 64
    assert "no license with id or number '99'" in result.stderr


# --- store and today, before or after the command ----------------------------


def test_store_and_today_work_before_and_after_the_command(
    run: Run, example: Path
) -> None:
    before = run("--store", str(example), "--today", TODAY, "due", "-f", "json")
    after = run("due", "--store", str(example), "--today", TODAY, "-f", "json")
    assert before.stdout == after.stdout
    assert len(rows_of(before.stdout)) == 15


def test_command_option_wins_over_the_group_option(
    run: Run, example: Path, tmp_path: Path
) -> None:
    result = run(
        "--store",
        str(tmp_path / "nothing.toml"),
        "--today",
        "2020-01-01",
        "due",
        "--store",
        str(example),
        "--today",
        TODAY,
        "-f",
        "json",
    )
    assert len(rows_of(result.stdout)) == 15


def test_environment_variables(example: Path) -> None:
    env = {"LICENSES_STORE": str(example), "LICENSES_TODAY": TODAY}
    result = CliRunner().invoke(app, ["due", "-f", "json"], env=env)
    assert len(rows_of(result.stdout)) == 15
    # the option beats the environment
    result = CliRunner().invoke(
        app, ["due", "-f", "json", "--today", "2025-06-01"], env=env
    )
    assert rows_of(result.stdout) == []
    bad = CliRunner().invoke(app, ["due"], env={**env, "LICENSES_TODAY": "15.01.2026"})
    assert bad.exit_code == 64
    assert "LICENSES_TODAY" in bad.stderr


def test_an_empty_store_path_is_refused_not_read_as_another_store(
    example: Path,
) -> None:
    # `--store "$STORE"` with STORE unset must not check LICENSES_STORE's store
    env = {"LICENSES_STORE": str(example), "LICENSES_TODAY": TODAY}
    before = example.read_bytes()
    add = ["add", "-m", "gallium metal", "-d", "JP", "-i", "2026-01-05"]
    for args in (["--store", "", "due"], ["due", "--store", ""], ["--store", "", *add]):
        result = CliRunner().invoke(app, args, env=env)
        assert result.exit_code == 64, (args, result.stderr)
        assert result.stdout == ""
        (line,) = result.stderr.splitlines()
        assert "--store: the path is empty" in line
    # warn: bad arguments are UNKNOWN to a monitor, with its status line
    warn = CliRunner().invoke(app, ["--store", "", "warn", "-f", "nagios"], env=env)
    assert warn.exit_code == 3
    assert warn.stdout.startswith("LICENSES UNKNOWN - --store: the path is empty")
    assert example.read_bytes() == before


# --- errors of the store --------------------------------------------------------


def test_missing_store_is_66(run: Run) -> None:
    for command in (["list"], ["due"], ["show", "1"]):
        result = run(*command)
        assert result.exit_code == 66, command
        assert "no store here" in result.stderr


def test_invalid_store_is_65_and_unchanged(run: Run, store: Path) -> None:
    store.write_text(
        'version = 1\n[[license]]\nid = 1\nmaterial = "x"\ndestination = "US"\nissued = "2025-01-01"\n',
        encoding="utf-8",
    )
    before = store.read_bytes()
    for command in (["list"], ["add", "-m", "y", "-d", "US", "-i", "2025-01-01"]):
        result = run(*command)
        assert result.exit_code == 65
        assert "license 1: issued: expected a TOML date" in result.stderr
    assert store.read_bytes() == before


def test_store_that_is_a_folder_is_74(run: Run, tmp_path: Path) -> None:
    result = run("list", "--store", str(tmp_path))
    assert result.exit_code == 74
    assert "is a folder" in result.stderr


def test_store_that_cannot_be_created_is_73(run: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    for command in (["init"], ["add", "-m", "x", "-d", "US", "-i", "2025-01-01"]):
        result = run(*command, "--store", str(blocker / "licenses.toml"))
        assert result.exit_code == 73, command
        assert "cannot create the store" in result.stderr


def test_bare_command_shows_help() -> None:
    result = CliRunner().invoke(app, [])
    assert result.exit_code == 0
    assert "Usage" in result.stdout
    assert result.stdout.count("Usage") == 1


def test_version(run: Run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("licenses ")


def _columns_taken(text: str) -> int:
    """What a terminal gives ``text``: two columns a wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@pytest.mark.parametrize("forced", [False, True])
def test_a_pipe_aligns_wide_characters_by_the_columns_they_take(
    run: Run,
    forced: bool,  # noqa: FBT001 - pytest's parameter
) -> None:
    """In a pipe (`| less`, and with FORCE_COLOR `| less -R`), a material in
    Chinese keeps the columns after it in line with the other rows."""
    for material, where in (("镝氧化物 dysprosium", "US"), ("terbium metal", "DE")):
        run(
            "add",
            "--material",
            material,
            "--destination",
            where,
            "--issued",
            "2025-06-20",
        )
    env = {"FORCE_COLOR": "1", "NO_COLOR": "", "TERM": "xterm"} if forced else None
    shown = run("list", env=env).stdout
    plain = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    lines = plain.splitlines()
    assert len(lines) == 3, plain
    starts = {
        _columns_taken(line[: line.index(dest)])
        for line, dest in zip(lines, ("Dest ", "US ", "DE "), strict=True)
    }
    assert len(starts) == 1, plain
    assert ("\x1b[" in shown) is forced


def test_an_issue_date_that_carries_the_kept_term_past_2199_is_named(
    run: Run, store: Path
) -> None:
    """`edit --issued` alone moves the expiry its term gives: past 2199 the
    date typed is named, not the term nobody gave."""
    late = ("--today", "2199-12-31")
    assert run("add", "-m", "x", "-d", "US", "-i", "2199-05-01", *late).exit_code == 0
    before = store.read_bytes()
    result = run("edit", "1", "--issued", "2199-10-01", *late)
    assert result.exit_code == 64
    assert result.stderr.startswith("licenses: --issued: it would expire on 2200-04-01")
    assert store.read_bytes() == before
    given = run("edit", "1", "--term", "12", *late)
    assert given.stderr.startswith("licenses: --term: it would expire on 2200-05-01")
