"""Order 792 art. 18: key and non-key changes of a license during its validity,
and edit --correct (issue 23, section 2)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from export_licenses.storage import store as store_api

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

TODAY = "2026-02-02"


@pytest.fixture
def licensed(run: Run) -> Run:
    """License 1: terbium metal to DE for Bolt GmbH, 500 kg, 100 kg shipped."""
    result = run(
        "add", "-m", "terbium metal", "-d", "DE", "-i", "2026-01-05", "-n", "MOFCOM-TB-1",
        "--end-user", "Bolt GmbH", "--end-use", "motors", "--quantity", "500", "--unit", "kg",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert run("ship", "1", "100", "--on", "2026-01-10").exit_code == 0
    return run


def app_row(run: Run, key: str) -> dict[str, object]:
    result = run("show", key, "--format", "json", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    obj = json.loads(result.stdout)
    assert isinstance(obj, dict)
    return obj


@pytest.mark.parametrize(
    ("args", "field", "value"),
    [
        (("--destination", "France"), "destination", "FR"),
        (("--end-user", "Rotor AG"), "end_user", "Rotor AG"),
        (("--material", "terbium oxide"), "material", "terbium oxide"),
        (("--end-use", "wind turbines"), "end_use", "wind turbines"),
    ],
)
def test_a_key_change_files_a_new_application_and_surrenders_the_license(
    licensed: Run, store: Path, args: tuple[str, ...], field: str, value: str
) -> None:
    result = licensed("change", "1", *args, "--on", "2026-02-01", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "A1\n"
    assert (
        "license 1 (MOFCOM-TB-1) is surrendered: exports under it stop" in result.stderr
    )
    data = store_api.read(store)
    (app,) = data.applications
    assert getattr(app, field) == value
    assert (app.replaces, app.changes, app.renews, app.filed) == (
        1,
        None,
        None,
        date(2026, 2, 1),
    )
    # The rest of the license's terms go with it.
    assert (app.quantity, app.unit) == (Decimal(500), "kg")
    lic = data.licenses[0]
    assert (lic.status, lic.closed) == ("surrendered", date(2026, 2, 1))
    assert "Order 792 art. 18" in (lic.close_reason or "")
    row = app_row(licensed, "A1")
    assert (row["kind"], row["replaces"], row["decision_due"]) == (
        "new",
        1,
        "2026-04-10",
    )
    # no further shipments, out of due and warn
    refused = licensed("ship", "1", "10")
    assert refused.exit_code == 64
    assert "was surrendered on 2026-02-01: a key element changed" in refused.stderr
    assert licensed("due", "--within", "400", "--today", TODAY).stdout == ""
    assert "license 1" not in licensed("warn", "--today", "2026-07-01").stdout


def test_a_non_key_change_suspends_the_license_for_twenty_working_days(
    licensed: Run, store: Path
) -> None:
    result = licensed(
        "change", "MOFCOM-TB-1", "--quantity", "800", "--on", "2026-02-02",
        "--accepted", "2026-02-03", "--today", TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "A1\n"
    assert "decision due 2026-03-09 (in 21 working days)" in result.stderr
    assert "license 1 (MOFCOM-TB-1) is suspended until it is decided" in result.stderr
    # 20 working days from acceptance on Tue 3 Feb 2026: the Spring Festival
    # holiday (15-23 Feb, with 14 and 28 Feb worked) is counted out.
    row = app_row(licensed, "A1")
    assert (row["kind"], row["changes"], row["decision_due"]) == (
        "change",
        1,
        "2026-03-09",
    )
    assert row["quantity"] == 800
    shown = licensed("show", "A1", "--today", TODAY).stdout
    assert "Renews:       - (a change application)\n" in shown
    assert "Changes:      license 1 (a non-key change)\n" in shown
    # The terms it carries over, as show N lists them for the license.
    assert "End use:      motors\n" in shown
    assert "End user:     Bolt GmbH\n" in shown
    lic = app_row(licensed, "1")
    assert lic["status"] == "suspended"
    assert (
        "suspended: the change application A1 is pending; not to be used until it "
        "is decided (Order 792 art. 18)"
    ) in str(lic["reasons"])
    before = store.read_bytes()
    refused = licensed("ship", "1", "10")
    assert refused.exit_code == 64
    assert refused.stderr.strip() == (
        "licenses: license 1 (MOFCOM-TB-1) is suspended: its change application A1 is "
        "pending, and the license is not used meanwhile (Order 792 art. 18)"
    )
    assert store.read_bytes() == before


def test_granting_a_change_issues_the_changed_license_and_cancels_the_old(
    licensed: Run, store: Path
) -> None:
    licensed("change", "1", "--quantity", "800", "--on", "2026-02-02")
    result = licensed("grant", "A1", "--issued", "2026-02-20", "-n", "MOFCOM-TB-2")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "2\n"
    old, new = store_api.read(store).licenses
    assert (old.status, old.superseded_by, old.closed) == (
        "closed",
        2,
        date(2026, 2, 20),
    )
    assert (
        old.close_reason
        == "cancelled: changed into license 2 (A1 granted, Order 792 art. 18)"
    )
    assert (new.quantity, new.replaces, new.end_user, new.end_use) == (
        Decimal(800),
        1,
        "Bolt GmbH",
        "motors",
    )
    # A change is no renewal: the changed license ends when the old one did.
    assert (new.issued, new.expires) == (date(2026, 2, 20), date(2026, 7, 5))
    assert licensed("ship", "2", "700", "--on", "2026-02-21").exit_code == 0


@pytest.mark.parametrize("decision", ["refuse", "withdraw"])
def test_a_refused_change_puts_the_old_license_back_in_use(
    licensed: Run, store: Path, decision: str
) -> None:
    licensed("change", "1", "--exporter", "Ganzhou RE", "--on", "2026-02-02")
    assert licensed(decision, "A1", "--on", "2026-02-10").exit_code == 0
    lic = store_api.read(store).licenses[0]
    assert (lic.status, lic.exporter) == ("active", None)
    assert licensed("ship", "1", "10", "--on", "2026-02-11").exit_code == 0


def test_a_refused_key_change_leaves_the_license_surrendered(
    licensed: Run, store: Path
) -> None:
    licensed("change", "1", "--destination", "FR", "--on", "2026-02-02")
    licensed("refuse", "A1", "--on", "2026-02-10")
    assert store_api.read(store).licenses[0].status == "surrendered"


def test_removing_the_changed_license_gives_the_old_one_back(
    licensed: Run, store: Path
) -> None:
    licensed("change", "1", "--quantity", "800", "--on", "2026-02-02")
    licensed("grant", "A1", "--issued", "2026-02-20")
    assert licensed("remove", "2", "--yes").exit_code == 0
    data = store_api.read(store)
    (lic,) = data.licenses
    assert (lic.status, lic.superseded_by, lic.closed) == ("suspended", None, None)
    assert data.applications[0].status == "pending"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "nothing to change: give the new --material"),
        (("--end-user", "Bolt GmbH"), "--end-user: is already Bolt GmbH on license 1"),
        (  # on its day: a later one is refused first, as not yet happened
            ("--quantity", "900", "--on", "2026-08-01", "--today", "2026-08-01"),
            (
                "license 1 (MOFCOM-TB-1) expired on 2026-07-05: a change is made "
                "while a license is valid (Order 792 art. 18)"
            ),
        ),
        (
            ("--quantity", "900", "--on", "2026-01-01"),
            "--on: 2026-01-01 is before the issue",
        ),
    ],
)
def test_a_change_that_cannot_be_is_refused_and_writes_nothing(
    licensed: Run, store: Path, args: tuple[str, ...], message: str
) -> None:
    before = store.read_bytes()
    result = licensed("change", "1", "--today", TODAY, *args)  # a case's day wins
    assert result.exit_code == 64
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert store.read_bytes() == before


def test_only_a_license_in_use_without_pending_applications_changes(
    licensed: Run,
) -> None:
    licensed("change", "1", "--quantity", "900", "--on", "2026-02-02")
    result = licensed("change", "1", "--quantity", "950", "--today", TODAY)
    assert (
        "license 1 (MOFCOM-TB-1) has a pending change application, A1" in result.stderr
    )
    licensed("withdraw", "A1", "--on", "2026-02-03")
    licensed("apply", "1", "--on", "2026-02-03")
    result = licensed("change", "1", "--quantity", "950", "--today", TODAY)
    assert "has a pending renewal application, A2: decide or withdraw it first" in (
        result.stderr
    )
    licensed("withdraw", "A2", "--on", "2026-02-04")
    licensed("close", "1", "--today", TODAY)
    result = licensed("change", "1", "--quantity", "950", "--today", TODAY)
    assert (
        "license 1 (MOFCOM-TB-1) is closed: only a license in use can be changed"
        in (result.stderr)
    )
    assert result.exit_code == 64


# --- edit: a typo put right, or a real change -----------------------------------


def test_editing_a_key_element_of_a_shipped_license_asks_which_it_is(
    licensed: Run, store: Path
) -> None:
    before = store.read_bytes()
    result = licensed("edit", "1", "--end-user", "Bolt AG")
    assert result.exit_code == 64
    assert result.stderr.strip() == (
        "licenses: license 1 (MOFCOM-TB-1) has 1 shipment: is the new end user a typo "
        "put right (edit --correct) or a real change of a key element, which needs a "
        "new application (licenses change 1 --end-user ...: Order 792 art. 18)?"
    )
    assert store.read_bytes() == before
    assert licensed("edit", "1", "--end-user", "Bolt AG", "--correct").exit_code == 0
    assert store_api.read(store).licenses[0].end_user == "Bolt AG"
    # Other fields, and any field of a license that never shipped, edit as before.
    assert licensed("edit", "1", "--note", "PO 77").exit_code == 0
    licensed("add", "-m", "x", "-d", "US", "-i", "2026-01-05")
    assert licensed("edit", "2", "--destination", "JP").exit_code == 0


def test_a_correction_says_so_in_the_history(tmp_path: Path, run: Run) -> None:
    from typer.testing import CliRunner  # noqa: PLC0415

    from export_licenses.cli import app  # noqa: PLC0415

    store = tmp_path / "git" / "licenses.toml"
    runner = CliRunner()
    env = {
        "GIT_AUTHOR_NAME": "Ann", "GIT_AUTHOR_EMAIL": "ann@example.com",
        "GIT_COMMITTER_NAME": "Ann", "GIT_COMMITTER_EMAIL": "ann@example.com",
    }  # fmt: skip

    def go(*args: str) -> str:
        result = runner.invoke(app, ["--store", str(store), *args], env=env)
        assert result.exit_code == 0, result.stderr
        return result.stdout

    go("init", "--git")
    go("add", "-m", "x", "-d", "US", "-i", "2026-01-05", "--end-user", "Bolt Gmbh")
    go("ship", "1", "5", "--on", "2026-01-06")
    go("edit", "1", "--end-user", "Bolt GmbH", "--correct")
    assert "correct 1: end_user corrected (a typo, not a change)" in go("log")
    del run
