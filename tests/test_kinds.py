"""Issue 23: the records carry the law's shape: kinds, authorities, end users, end use."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

import pytest

from export_licenses.domain.application import Purpose
from export_licenses.storage import store as store_api
from helpers import write

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

HEAD = "version = 1\n\n"


def license_text(**keys: str) -> str:
    lines = [
        "[[license]]",
        "id = 1",
        'material = "dysprosium oxide"',
        'destination = "US"',
        "issued = 2026-01-05",
        "term_months = 6",
    ]
    lines += [f"{key} = {value}" for key, value in keys.items()]
    return HEAD + "\n".join(lines) + "\n"


def test_a_store_without_the_new_keys_reads_as_before(store: Path) -> None:
    write(store, license_text())
    lic = store_api.read(store).licenses[0]
    assert (lic.kind, lic.authority, lic.end_users, lic.end_use) == (None,) * 4
    assert lic.issuer == "MOFCOM"


def test_the_new_keys_round_trip(store: Path, run: Run) -> None:
    write(
        store,
        license_text(
            kind='"general"',
            authority='"BIS"',
            end_users='["Lone Star Magnetics", "Bolt Motors"]',
            end_use='"rotor magnets for wind turbines"',
        ),
    )
    run("edit", "1", "--note", "rewritten")
    text = store.read_text(encoding="utf-8")
    assert 'end_users = [\n    "Lone Star Magnetics",\n    "Bolt Motors",\n]' in text
    assert 'authority = "BIS"' in text
    row = json.loads(run("list", "--format", "json", "--today", "2026-02-01").stdout)[0]
    assert row["authority"] == "BIS"
    assert row["end_users"] == ["Lone Star Magnetics", "Bolt Motors"]
    assert row["end_use"] == "rotor magnets for wind turbines"


def test_json_rows_name_mofcom_when_no_authority_is_written(
    store: Path, run: Run
) -> None:
    write(store, license_text())
    row = json.loads(run("list", "--format", "json", "--today", "2026-02-01").stdout)[0]
    assert (row["authority"], row["end_use"], row["end_users"]) == (
        "MOFCOM",
        None,
        None,
    )


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (
            {"kind": '"individual"', "end_users": '["A", "B"]'},
            (
                "license 1: end_users: an individual license is for a single "
                "end user (Order 792 art. 15)"
            ),
        ),
        (
            {"kind": '"registration"', "end_user": '"A"', "end_users": '["B"]'},
            "a registration license is for a single end user",
        ),
        ({"end_users": '["A", "a"]'}, "end_users: 'a' is listed twice"),
        ({"end_users": "[]"}, "end_users: expected at least one name"),
        ({"end_users": '"A"'}, "end_users: expected a list"),
        (
            {"authority": '"NOPE"'},
            "license 1: authority: 'NOPE' is not a known authority",
        ),
        ({"authority": '"M O"'}, "authority: expected an authority's name"),
        ({"status": '"gone"'}, "status: expected one of active, renewal-filed"),
    ],
)
def test_bad_new_keys_are_one_line_naming_the_field(
    store: Path, run: Run, keys: dict[str, str], message: str
) -> None:
    write(store, license_text(**keys))
    result = run("list")
    assert result.exit_code == 65
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_an_authority_is_known_in_any_case_and_from_the_store(
    store: Path, run: Run
) -> None:
    text = license_text(authority='"bis"') + (
        '\n[[license]]\nid = 2\nmaterial = "x"\ndestination = "DE"\n'
        'issued = 2026-01-05\nauthority = "KOTRA"\n\n'
        '[authority.KOTRA]\ncalendar = "KR"\n'
        '[authority.KOTRA.review]\ndays = 15\nunit = "working"\nbasis = "target"\n'
    )
    write(store, text)
    data = store_api.read(store)
    assert [lic.authority for lic in data.licenses] == ["bis", "KOTRA"]
    assert set(data.authorities) == {"KOTRA"}
    assert run("list").exit_code == 0


def test_a_bad_authority_table_is_one_line(store: Path, run: Run) -> None:
    write(store, HEAD + '[authority.BIS]\ncalendar = "nowhere"\n')
    result = run("list")
    assert result.exit_code == 65
    assert (
        "authority 'BIS': calendar: expected a holidays country code" in result.stderr
    )


def test_new_statuses_are_read_and_not_active(store: Path, run: Run) -> None:
    text = "".join(
        license_text(status=f'"{status}"')
        .replace("id = 1", f"id = {n}")
        .replace(HEAD, "")
        + "\n"
        for n, status in enumerate(("exported", "surrendered", "suspended"), start=1)
    )
    write(store, HEAD + text)
    data = store_api.read(store)
    assert [lic.active for lic in data.licenses] == [False, False, True]
    shown = run("list", "--all", "--today", "2026-02-01").stdout
    for status in ("exported", "surrendered", "suspended"):
        assert status in shown


def test_application_rows_say_what_they_are_for(store: Path, run: Run) -> None:
    write(
        store,
        # A2 changes license 1, which the store holds (one never there is refused)
        license_text(status='"suspended"')
        + '[[application]]\nid = "A1"\nmaterial = "holmium oxide"\ndestination = "DE"\n'
        'filed = 2026-11-02\nkind = "general"\nauthority = "MOFCOM"\n'
        'end_users = ["Bolt GmbH", "Rotor AG"]\nend_use = "sensors"\n\n'
        '[[application]]\nid = "A2"\nmaterial = "x"\ndestination = "DE"\n'
        "filed = 2026-11-02\nchanges = 1\n",
    )
    rows = json.loads(
        run("applications", "--format", "json", "--today", "2026-11-29").stdout
    )
    first, second = rows
    assert (first["kind"], first["license_kind"], first["authority"]) == (
        "new",
        "general",
        "MOFCOM",
    )
    assert first["end_users"] == ["Bolt GmbH", "Rotor AG"]
    assert first["end_use"] == "sensors"
    assert (second["kind"], second["changes"], second["replaces"]) == (
        "change",
        1,
        None,
    )
    assert store_api.read(store).applications[1].purpose == Purpose.CHANGE


def test_an_application_cannot_renew_and_change(store: Path, run: Run) -> None:
    write(
        store,
        HEAD + '[[application]]\nid = "A1"\nmaterial = "x"\ndestination = "DE"\n'
        "renews = 1\nchanges = 1\n",
    )
    result = run("applications")
    assert result.exit_code == 65
    assert (
        "application A1: changes: an application renews a license or changes one"
        in (result.stderr)
    )


NEW_CONTROL = """
[[control]]
number = "MOFCOM 2026 No. 3"
authority = "MOFCOM"
title = "cerium and lanthanum"
published = 2026-11-20
effective = 2026-12-15
items = ["cerium", "Ce", "cerium oxide", "lanthanum"]
destinations = []
suspensions = [{ by = "MOFCOM 2026 No. 9", from = 2026-12-01, until = 2027-12-01 }]
source = "https://example.org/mofcom-2026-3"
reviewed_by = "Ann"
"""


def test_control_blocks_are_kept_on_every_rewrite(store: Path, run: Run) -> None:
    write(store, license_text() + NEW_CONTROL)
    assert run("edit", "1", "--note", "rewritten").exit_code == 0
    data = store_api.read(store)
    (control,) = data.controls
    assert control.number == "MOFCOM 2026 No. 3"
    assert control.suspensions[0].by == "MOFCOM 2026 No. 9"
    assert control.extra == {"reviewed_by": "Ann"}
    text = store.read_text(encoding="utf-8")
    assert text.index("[[control]]") < text.index("[[license]]")


def test_a_bad_control_block_is_one_line(store: Path, run: Run) -> None:
    write(
        store,
        license_text()
        + NEW_CONTROL.replace('source = "https://example.org/mofcom-2026-3"\n', ""),
    )
    result = run("list")
    assert result.exit_code == 65
    assert "control 'MOFCOM 2026 No. 3': source: is missing" in result.stderr


def test_add_and_apply_take_the_new_fields(store: Path, run: Run) -> None:
    result = run(
        "add", "-m", "terbium metal", "-d", "DE", "-i", "2026-01-05", "--kind", "general",
        "--authority", "bis", "--end-users", "Bolt GmbH; Rotor AG",
        "--end-users", "Stator SE", "--end-use", "traction motors", "--term", "36",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    lic = store_api.read(store).licenses[0]
    assert lic.authority == "BIS"  # the profile's own spelling
    assert lic.end_users == ("Bolt GmbH", "Rotor AG", "Stator SE")
    assert lic.end_use == "traction motors"
    result = run(
        "apply", "-m", "holmium oxide", "-d", "DE", "--authority", "ecju",
        "--end-use", "lasers", "--on", "2026-11-02",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    app = store_api.read(store).applications[0]
    assert (app.authority, app.end_use) == ("ECJU", "lasers")
    assert run("edit", "1", "--unset", "authority").exit_code == 0
    assert store_api.read(store).licenses[0].authority is None


def test_an_unknown_authority_is_refused_before_writing(store: Path, run: Run) -> None:
    run("add", "-m", "x", "-d", "DE", "-i", "2026-01-05")
    before = store.read_bytes()
    for args in (
        ("add", "-m", "x", "-d", "DE", "-i", "2026-01-05", "--authority", "KGB"),
        ("edit", "1", "--authority", "KGB"),
        ("apply", "-m", "x", "-d", "DE", "--authority", "KGB"),
    ):
        result = run(*args)
        assert result.exit_code == 64, result.stderr
        assert (
            "--authority: 'KGB' is not a known authority: MOFCOM, BIS, EU-DE, ECJU"
            in (result.stderr)
        )
        assert store.read_bytes() == before


# --- caps on a term, per kind and authority (Order 792 art. 15) -----------------


def add_args(*extra: str) -> tuple[str, ...]:
    return ("add", "-m", "dysprosium oxide", "-d", "US", "-i", "2026-01-05", *extra)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ("--kind", "individual", "--term", "13"),
            "--term: an individual license is valid at most 12 months (Order 792 art. 15)",
        ),
        (
            ("--kind", "general", "--expires", "2029-01-06"),
            "--expires: a general license is valid at most 36 months (Order 792 art. 15)",
        ),
        (
            ("--authority", "EU-DE", "--term", "25"),
            (
                "--term: a license of EU-DE is valid at most 24 months "
                "(Reg. (EU) 2021/821 art. 12)"
            ),
        ),
    ],
)
def test_a_term_beyond_the_cap_is_refused_with_the_article(
    store: Path, run: Run, extra: tuple[str, ...], message: str
) -> None:
    run(*add_args())
    before = store.read_bytes()
    result = run(*add_args(*extra))
    assert result.exit_code == 64
    assert result.stderr.strip() == f"licenses: {message}"
    assert store.read_bytes() == before


@pytest.mark.parametrize(
    "extra",
    [
        ("--kind", "individual", "--term", "12"),
        ("--kind", "general", "--expires", "2029-01-05"),
        ("--term", "60"),  # no kind: no cap, as before kinds were meaningful
        ("--kind", "registration", "--term", "24"),  # a certificate per export
        ("--authority", "BIS", "--term", "60"),  # BIS's 4 years is usual, not a bound
        ("--authority", "ECJU", "--term", "36"),
    ],
)
def test_a_term_within_the_cap_or_with_no_bound_is_added(
    run: Run, extra: tuple[str, ...]
) -> None:
    result = run(*add_args(*extra))
    assert result.exit_code == 0, result.stderr


def test_each_authority_gives_its_own_default_term(store: Path, run: Run) -> None:
    for authority in ("MOFCOM", "BIS", "EU-DE", "ECJU"):
        assert run(*add_args("--authority", authority)).exit_code == 0
    terms = [lic.term_months for lic in store_api.read(store).licenses]
    assert terms == [6, 48, 24, 24]  # MOFCOM: the store's term_months


def test_edit_and_grant_check_the_cap_but_an_unrelated_edit_does_not(
    store: Path, run: Run
) -> None:
    write(
        store,
        license_text(kind='"individual"').replace(
            "term_months = 6", "term_months = 18"
        ),
    )
    assert run("edit", "1", "--note", "as it was").exit_code == 0  # read, not refused
    result = run("edit", "1", "--term", "15")
    assert result.exit_code == 64
    assert "individual license is valid at most 12 months" in result.stderr
    assert run("edit", "1", "--term", "12").exit_code == 0
    result = run("edit", "1", "--kind", "individual", "--expires", "2027-02-01")
    assert (
        "--expires: an individual license is valid at most 12 months" in result.stderr
    )
    run("apply", "-m", "x", "-d", "DE", "--kind", "individual", "--on", "2026-01-02")
    result = run("grant", "A1", "--issued", "2026-01-10", "--term", "14")
    assert result.exit_code == 64
    assert "--term: an individual license is valid at most 12 months" in result.stderr


def test_a_stored_license_over_its_cap_is_read_with_a_warning(
    store: Path, run: Run
) -> None:
    write(
        store,
        license_text(kind='"individual"').replace(
            "term_months = 6", "term_months = 18"
        ),
    )
    obj = json.loads(
        run("show", "1", "--format", "json", "--today", "2026-02-01").stdout
    )
    assert obj["level"] == "warning"
    assert (
        "an individual license is valid at most 12 months (Order 792 art. 15); "
        "this one runs to 2027-07-05, past 2027-01-05: check it"
    ) in obj["reasons"]
    result = run("warn", "--today", "2026-02-01")
    assert result.exit_code == 1
    assert "valid at most 12 months (Order 792 art. 15)" in result.stdout


# --- an individual license ends with its export ---------------------------------


def test_an_individual_license_is_exported_by_the_shipment_that_completes_it(
    store: Path, run: Run
) -> None:
    run(*add_args("--kind", "individual", "--quantity", "1000", "--unit", "kg"))
    result = run("ship", "1", "400", "--on", "2026-01-20", "--partial")
    assert result.exit_code == 0
    assert store_api.read(store).licenses[0].status == "active"
    result = run("ship", "1", "600", "--on", "2026-02-02")
    assert result.exit_code == 0
    assert (
        "the export is done: license 1 is exported (Order 792 art. 15)" in result.stderr
    )
    lic = store_api.read(store).licenses[0]
    assert (lic.status, lic.closed) == ("exported", date(2026, 2, 2))
    assert [s.partial for s in lic.shipments] == [True, None]
    assert "partial = true" in store.read_text(encoding="utf-8")
    row = json.loads(
        run("show", "1", "--format", "json", "--today", "2026-02-03").stdout
    )
    assert (row["status"], row["level"], row["renew_by"]) == ("exported", None, None)
    assert run("due", "--within", "400", "--today", "2026-02-03").stdout == ""
    # Its expiry is not flagged; what is, is the next export of dysprosium oxide
    # to the US with nothing to ship under (No. 18 in force: issue 23).
    after = json.loads(run("warn", "--today", "2026-07-01", "--format", "json").stdout)
    assert after["licenses"] == []
    assert [(u["material"], u["destination"]) for u in after["uncovered"]] == [
        ("dysprosium oxide", "US")
    ]
    before = store.read_bytes()
    result = run("ship", "1", "1")
    assert result.exit_code == 64
    assert result.stderr.strip() == (
        "licenses: license 1 was exported on 2026-02-02: an individual license covers "
        "one export and lapses once it is done (Order 792 art. 15); a further export "
        "needs a new license"
    )
    assert store.read_bytes() == before


def test_a_shipment_ahead_is_refused_and_the_license_stays_in_use(
    store: Path, run: Run
) -> None:
    # Recorded ahead, the shipment would end the one export before it happens.
    run(*add_args("--kind", "individual", "--quantity", "1000", "--unit", "kg"))
    before = store.read_bytes()
    result = run("ship", "1", "1000", "--on", "2026-03-01", "--today", "2026-01-20")
    assert result.exit_code == 64
    assert result.stderr == (
        "licenses: --on: 2026-03-01 is after today (2026-01-20): record it once it "
        "has happened\n"
    )
    assert store.read_bytes() == before
    # tomorrow is the authority's today (Beijing runs ahead): recorded
    result = run("ship", "1", "1000", "--on", "2026-01-21", "--today", "2026-01-20")
    assert result.exit_code == 0, result.stderr


def test_a_registration_lapses_with_its_export_and_a_general_license_does_not(
    store: Path, run: Run
) -> None:
    run(*add_args("--kind", "registration"))
    run(*add_args("--kind", "general"))
    run(*add_args())  # no kind: as before
    for key in ("1", "2", "3"):
        assert run("ship", key, "10", "--on", "2026-01-06").exit_code == 0
    assert [lic.status for lic in store_api.read(store).licenses] == [
        "exported",
        "active",
        "active",
    ]
    result = run("ship", "2", "5", "--partial")
    assert result.exit_code == 64
    assert (
        "license 2 is a general license, which allows repeated exports" in result.stderr
    )


def test_a_general_license_names_its_end_users(run: Run) -> None:
    result = run(
        *add_args(
            "--kind", "general", "--end-users", "Bolt GmbH; Rotor AG", "--term", "36"
        )
    )
    assert result.exit_code == 0, result.stderr
    shown = run("show", "1", "--today", "2026-02-01").stdout
    assert "End users:     Bolt GmbH; Rotor AG" in shown
    result = run(*add_args("--kind", "individual", "--end-users", "A; B"))
    assert result.exit_code == 64
    assert (
        "--end-users: an individual license is for a single end user" in result.stderr
    )


def test_import_checks_caps_and_gives_each_authority_its_term(
    store: Path, run: Run, tmp_path: Path
) -> None:
    sheet = tmp_path / "in.csv"
    sheet.write_text(
        "material,destination,issued,kind,authority,term_months\n"
        "dysprosium oxide,US,2026-01-05,individual,,18\n"
        "gallium,US,2026-01-05,,nope,\n",
        encoding="utf-8",
    )
    result = run("import", str(sheet))
    assert result.exit_code == 65, result.stderr
    assert (
        "term_months: an individual license is valid at most 12 months (Order 792 art. 15)"
        in (result.stderr)
    )
    assert "authority: 'nope' is not a known authority" in result.stderr
    assert not store.exists()
    sheet.write_text(
        "material,destination,issued,authority\ngallium,US,2026-01-05,bis\nx,DE,2026-01-05,\n",
        encoding="utf-8",
    )
    assert run("import", str(sheet)).exit_code == 0
    licenses = store_api.read(store).licenses
    assert [(lic.authority, lic.term_months) for lic in licenses] == [
        ("BIS", 48),
        (None, 6),
    ]
