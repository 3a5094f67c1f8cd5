"""Renewal planning and the lifecycle: edit, apply, renew, ship, close, remove."""

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


def add(run: Run, *args: str) -> int:
    result = run("add", "-m", "dysprosium oxide", "-d", "US", "-i", "2025-11-03", *args)
    assert result.exit_code == 0, result.stderr
    return int(result.stdout)


def row(run: Run, key: str, today: str = "2026-01-15") -> dict[str, object]:
    result = run("show", key, "--format", "json", "--today", today)
    assert result.exit_code == 0, result.stderr
    obj = json.loads(result.stdout)
    assert isinstance(obj, dict)
    return obj


def unchanged(
    store: Path, run: Run, *args: str, code: int = 64, message: str = ""
) -> None:
    before = store.read_bytes()
    result = run(*args)
    assert result.exit_code == code, result.stderr
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert store.read_bytes() == before


# --- fields ----------------------------------------------------------------------


def test_add_takes_every_field(run: Run, store: Path) -> None:
    add(
        run,
        "--kind", "general", "--exporter", "Ganzhou RE Trading", "--end-user", "ACME Motors",
        "--quantity", "1_500.5", "--unit", "kg", "--hs-code", "2846.90.1940",
    )  # fmt: skip
    lic = store_api.read(store).licenses[0]
    assert (lic.kind, lic.exporter, lic.end_user) == (
        "general",
        "Ganzhou RE Trading",
        "ACME Motors",
    )
    assert (lic.quantity, lic.unit, lic.hs_code) == (
        Decimal("1500.5"),
        "kg",
        "2846901940",
    )
    text = store.read_text(encoding="utf-8")
    assert "quantity = 1500.5\n" in text
    assert 'end_user = "ACME Motors"\n' in text
    obj = row(run, "1")
    assert (obj["quantity"], obj["unit"], obj["shipped"], obj["renew_by"]) == (
        1500.5,
        "kg",
        0,
        "2026-02-26",  # expires Sun 2026-05-03: 45 working days before Thu Apr 30
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "special"], "--kind"),
        (["--quantity", "-5"], "--quantity: expected a positive number"),
        (["--quantity", "lots"], "--quantity: expected a number"),
        (["--quantity", "\u0661\u0660"], "--quantity: expected a number"),  # not 10
        (
            ["--hs-code", "\u0662\u0668\u0664\u0666\u0669\u0660"],
            "--hs-code: expected 6 to",
        ),
        # a TOML float would make it 0.0, and every later read refuse the store
        (["--quantity", "1e-400"], "--quantity: 1E-400 cannot be kept exactly"),
        (["--quantity", "0.10000000000000000001"], "cannot be kept exactly"),
        (["--hs-code", "28A5"], "--hs-code: expected 6 to 10 digits"),
        (
            ["--end-user", "two\nlines"],
            "--end-user: must not contain control characters",
        ),
        (["--end-user", "two\u2028lines"], "--end-user: must not contain control"),
        (["--material", "a\x85b"], "--material: must not contain control"),
        (["--end-use", "\x9b31mred"], "--end-use: must not contain control"),
    ],
)
def test_add_rejects_bad_fields(
    run: Run, store: Path, args: list[str], message: str
) -> None:
    add(run)
    unchanged(
        store,
        run,
        "add",
        "-m",
        "x",
        "-d",
        "US",
        "-i",
        "2025-11-03",
        *args,
        message=message,
    )


def test_edit_changes_fields_with_the_same_checks(run: Run, store: Path) -> None:
    add(run, "--number", "A-1")
    add(run, "--number", "B-2")
    result = run(
        "edit",
        "1",
        "--material",
        "terbium metal",
        "--destination",
        "Japan",
        "--quantity",
        "20",
        "--unit",
        "t",
    )
    assert result.exit_code == 0, result.stderr
    lic = store_api.read(store).licenses[0]
    assert (lic.material, lic.destination, lic.quantity, lic.unit) == (
        "terbium metal",
        "JP",
        Decimal(20),
        "t",
    )
    unchanged(
        store,
        run,
        "edit",
        "1",
        "--number",
        "b-2",
        message="--number: b-2 is already license 2 (B-2)",
    )
    unchanged(store, run, "edit", "1", "--issued", "2025-13-01", message="--issued")
    unchanged(
        store,
        run,
        "edit",
        "1",
        "--expires",
        "2025-01-01",
        message="is before the issue date",
    )
    unchanged(
        store,
        run,
        "edit",
        "9",
        "--material",
        "x",
        message="no license with id or number '9'",
    )
    unchanged(store, run, "edit", "1", message="nothing to change")
    unchanged(
        store,
        run,
        "edit",
        "1",
        "--unset",
        "material",
        message="'material' cannot be cleared",
    )


def test_edit_term_and_expires_replace_each_other(run: Run, store: Path) -> None:
    add(run)
    run("edit", "1", "--expires", "2026-03-31")
    assert (
        store_api.read(store).licenses[0].term_months,
        store_api.read(store).licenses[0].expires,
    ) == (None, date(2026, 3, 31))
    run("edit", "1", "--term", "3")
    lic = store_api.read(store).licenses[0]
    assert (lic.term_months, lic.expires) == (3, None)


def test_edit_unset_clears_optional_fields(run: Run, store: Path) -> None:
    add(run, "--number", "A-1", "--unit", "kg", "--note", "hello")
    assert run("edit", "A-1", "--unset", "number", "--unset", "notes").exit_code == 0
    lic = store_api.read(store).licenses[0]
    assert (lic.number, lic.notes, lic.unit) == (None, None, "kg")


@pytest.mark.parametrize(
    ("field", "option", "value"),
    [
        ("number", "--number", "B-2"),
        ("notes", "--note", "bye"),
        ("hs_code", "--hs-code", "284690"),
        ("end_user", "--end-user", "Acme"),
    ],
)
def test_edit_refuses_to_clear_and_set_one_field(
    run: Run, store: Path, field: str, option: str, value: str
) -> None:
    """Both were taken, the clearing won and the value typed was lost, exit 0."""
    add(run, "--number", "A-1", "--note", "hello")
    both = ("--unset", field, option, value)
    said = f"licenses: --unset {field} and {option} exclude each other: give one"
    unchanged(store, run, "edit", "1", *both, message=said)


def test_an_edit_that_changes_nothing_says_so_and_writes_nothing(
    run: Run, store: Path
) -> None:
    """`--unset unit` on a license without one said "Changed license 1"."""
    add(run, "--note", "hello")
    before = store.stat()
    for asked in (("--unset", "unit"), ("--note", "hello")):
        result = run("edit", "1", *asked)
        assert result.exit_code == 0, result.stderr
        assert result.stderr == "Nothing changed: license 1 already is as given\n"
        after = store.stat()  # not even rewritten with the same bytes
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert run("edit", "1", "--unset", "notes").stderr.startswith("Changed license 1")


def test_edit_keeps_unknown_keys(run: Run, store: Path) -> None:
    add(run)
    store.write_text(
        store.read_text(encoding="utf-8") + 'contract = "PO-7"\n', encoding="utf-8"
    )
    run("edit", "1", "--note", "changed")
    assert store_api.read(store).licenses[0].extra == {"contract": "PO-7"}


# --- renewal deadline and filing ----------------------------------------------------


def test_renewal_deadline_flags_and_apply_clears_it(run: Run) -> None:
    # Expires Sun 2026-05-03 (May Day, 1-5 May off): renew by 2026-02-26, 45 CN
    # working days before Thu 2026-04-30, the last working day before the expiry.
    add(run)
    # 66 days to the expiry (a warning), and today is the last day to file: CRITICAL
    assert run("warn", "--today", "2026-02-26").exit_code == 2
    run("edit", "1", "--term", "12")  # expires 2026-11-03
    deadline = row(run, "1")["renew_by"]
    assert deadline == "2026-08-26"
    # --within 30 keeps the expiry (69+ days away) out of it: only the last day to
    # file counts, with filing_warn_days 30 and filing_critical_days 7.
    for today, code in (
        ("2026-07-26", 0),  # 31 days before the last day to file
        ("2026-07-27", 1),  # 30 days: WARNING
        ("2026-08-18", 1),  # 8 days
        ("2026-08-19", 2),  # 7 days: CRITICAL, a week before, not after
        ("2026-08-26", 2),  # the last day itself
        ("2026-08-27", 2),  # missed: CRITICAL, not merely a warning
    ):
        assert run("warn", "--today", today, "--within", "30").exit_code == code, today
    soon = run("warn", "--today", "2026-08-19", "--within", "30")
    assert "file the renewal by 2026-08-26 (in 7 days)" in soon.stdout
    late = run("warn", "--today", "2026-08-27", "--within", "30")
    assert "file the renewal now: the last day to file was 2026-08-26, 1 day ago" in (
        late.stdout
    )
    assert run("apply", "1", "--on", "2026-08-27").exit_code == 0
    # Filed a day late: 45 working days (National Day included) end after the
    # expiry, so the filing deadline is gone but a gap is projected: WARNING.
    filed = run("warn", "--today", "2026-08-27", "--within", "30")
    assert filed.exit_code == 1
    assert "decision due 2026-11-04 after expiry: projected gap of 1 day" in (
        filed.stdout
    )
    obj = row(run, "1", "2026-08-27")
    assert (obj["status"], obj["renewal_filed"]) == ("renewal-filed", "2026-08-27")
    assert obj["reasons"] == [
        "expires on 2026-11-03, in 68 days",
        "renewal filed on 2026-08-27",
        "decision due 2026-11-04 after expiry: projected gap of 1 day",
    ]
    # the expiry still flags a filed license
    assert run("warn", "--today", "2026-10-20").exit_code == 2


def test_apply_defaults_to_today_and_only_once(run: Run, store: Path) -> None:
    add(run)
    assert run("apply", "1", "--today", "2026-01-20").exit_code == 0
    assert store_api.read(store).licenses[0].renewal_filed == date(2026, 1, 20)
    unchanged(
        store,
        run,
        "apply",
        "1",
        message="license 1 already has a pending renewal: A1, filed on 2026-01-20",
    )


def test_due_lists_licenses_whose_filing_deadline_is_near(run: Run) -> None:
    add(run)  # expires 2026-05-03, renew by 2026-02-26

    def ids(today: str, within: str) -> list[object]:
        out = run("due", "--today", today, "--within", within, "-f", "json").stdout
        return [r["id"] for r in json.loads(out)]

    assert ids("2026-02-17", "5") == []
    assert ids("2026-02-17", "10") == [1]  # deadline in 10 days, expiry in 75
    run("apply", "1", "--on", "2026-02-17")
    assert ids("2026-02-17", "10") == []  # filed: only the expiry counts now


def test_calendar_setting(run: Run, store: Path) -> None:
    add(run)
    text = store.read_text(encoding="utf-8")
    store.write_text(
        text.replace('calendar = "CN"', 'calendar = "none"'), encoding="utf-8"
    )
    # 45 weekdays before Fri 2026-05-01, the last weekday before Sun 2026-05-03
    assert row(run, "1")["renew_by"] == "2026-02-27"
    store.write_text(
        text.replace('calendar = "CN"', 'calendar = "DE"'), encoding="utf-8"
    )
    # Germany: Good Friday (Apr 3), Easter Monday (Apr 6) and May 1 are off: 45
    # working days before Thu Apr 30
    assert row(run, "1")["renew_by"] == "2026-02-24"
    store.write_text(
        text.replace('calendar = "CN"', 'calendar = "XQ"'), encoding="utf-8"
    )
    result = run("due")
    assert result.exit_code == 65
    assert "no calendar 'XQ'" in result.stderr


# --- renew --------------------------------------------------------------------------


def test_renew_copies_the_license_and_links_both(run: Run, store: Path) -> None:
    add(
        run,
        "--number",
        "OLD-1",
        "--kind",
        "individual",
        "--exporter",
        "E",
        "--end-user",
        "U",
        "--quantity",
        "100",
        "--unit",
        "kg",
        "--hs-code",
        "2846901940",
    )
    result = run("renew", "OLD-1", "--issued", "2026-04-20", "--number", "NEW-1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "2\n"
    old, new = store_api.read(store).licenses
    assert (old.status, old.superseded_by) == ("renewed", 2)
    assert (new.renews, new.number, new.issued, new.term_months) == (
        1,
        "NEW-1",
        date(2026, 4, 20),
        6,
    )
    for field in (
        "material",
        "destination",
        "exporter",
        "end_user",
        "kind",
        "quantity",
        "unit",
        "hs_code",
    ):
        assert getattr(new, field) == getattr(old, field), field
    assert new.shipments == ()
    assert row(run, "1")["level"] is None  # the renewed one is never flagged
    unchanged(
        store,
        run,
        "renew",
        "1",
        "--issued",
        "2026-05-01",
        message="is renewed; only an active license can be renewed",
    )
    unchanged(
        store,
        run,
        "renew",
        "2",
        "--issued",
        "2026-10-01",
        "--number",
        "new-1",
        message="already license 2",
    )


def test_renew_with_explicit_expiry(run: Run, store: Path) -> None:
    add(run)
    assert (
        run("renew", "1", "--issued", "2026-04-01", "--expires", "2027-03-31").exit_code
        == 0
    )
    assert store_api.read(store).licenses[1].expires == date(2027, 3, 31)


# --- ship ---------------------------------------------------------------------------


def test_ship_draws_down_and_depletion_flags(run: Run, store: Path) -> None:
    add(run, "--quantity", "1000", "--unit", "kg")
    assert (
        run("ship", "1", "600", "--on", "2025-12-01", "--note", "lot 1").exit_code == 0
    )
    assert run("ship", "1", "300.5", "--on", "2025-12-20").exit_code == 0
    lic = store_api.read(store).licenses[0]
    assert [(s.on, s.quantity, s.note) for s in lic.shipments] == [
        (date(2025, 12, 1), Decimal(600), "lot 1"),
        (date(2025, 12, 20), Decimal("300.5"), None),
    ]
    assert "shipments = [\n" in store.read_text(encoding="utf-8")
    obj = row(run, "1", "2025-12-21")
    assert (obj["shipped"], obj["level"]) == (900.5, "warning")
    assert "90% used: 900.5 of 1000 kg shipped" in obj["reasons"]  # type: ignore[operator]
    unchanged(
        store,
        run,
        "ship",
        "1",
        "100",
        "--on",
        "2025-12-22",
        message="more than the 99.5 kg left",
    )
    assert run("ship", "1", "99.5", "--on", "2025-12-22").exit_code == 0
    assert row(run, "1", "2025-12-23")["level"] == "critical"
    assert run("warn", "--today", "2025-12-23").stdout.endswith(
        "exhausted: 1000 of 1000 kg shipped\n"
    )


def test_ship_says_the_day_the_service_took_and_the_amount_as_typed(
    run: Run, store: Path
) -> None:
    """Without --on the service ships today; the license's last shipment,
    which the row returns, gives the day the confirmation says."""
    from export_licenses.render.lines import shipped_line  # noqa: PLC0415
    from export_licenses.service import shipping  # noqa: PLC0415

    add(run, "--quantity", "1000", "--unit", "kg")
    result = run("ship", "1", "100.50", "--today", "2026-01-15")
    assert result.stderr == (
        "Shipped 100.50 on 2026-01-15 against license 1: "
        "100.5 of 1000 kg shipped in all\n"
    )
    row = shipping.ship(store, "1", Decimal(2), None, None, date(2026, 1, 16))
    assert row.license.shipments[-1].on == date(2026, 1, 16)
    row = shipping.ship(
        store, "1", Decimal(3), date(2026, 1, 2), None, date(2026, 1, 16)
    )
    assert shipped_line(row, Decimal(3)) == (
        "Shipped 3 on 2026-01-02 against license 1: 105.5 of 1000 kg shipped in all"
    )


def test_ship_is_refused_outside_validity_or_when_not_active(
    run: Run, store: Path
) -> None:
    add(run, "--quantity", "10")
    unchanged(
        store,
        run,
        "ship",
        "1",
        "1",
        "--on",
        "2025-11-02",
        message="before the issue date",
    )
    unchanged(
        store,
        run,
        "ship",
        "1",
        "1",
        "--on",
        "2026-05-04",
        message="after the license expired (2026-05-03)",
    )
    assert run("ship", "1", "1", "--on", "2026-05-03").exit_code == 0  # last valid day
    unchanged(
        store, run, "ship", "1", "0", message="QUANTITY: expected a positive number"
    )
    run("close", "1")
    unchanged(
        store,
        run,
        "ship",
        "1",
        "1",
        "--on",
        "2026-01-01",
        message="is closed; only an active license can ship",
    )


def test_edit_cannot_lower_quantity_below_shipped(run: Run, store: Path) -> None:
    add(run, "--quantity", "10")
    run("ship", "1", "8", "--on", "2025-12-01")
    unchanged(
        store,
        run,
        "edit",
        "1",
        "--quantity",
        "7",
        message="below the 8 already shipped",
    )


# --- close and remove --------------------------------------------------------------


def test_close_and_revoke_keep_the_record(run: Run, store: Path) -> None:
    add(run)
    add(run)
    assert (
        run("close", "1", "--reason", "all shipped", "--today", "2026-02-01").exit_code
        == 0
    )
    assert run("close", "2", "--revoked").exit_code == 0
    first, second = store_api.read(store).licenses
    assert (first.status, first.closed, first.close_reason) == (
        "closed",
        date(2026, 2, 1),
        "all shipped",
    )
    assert second.status == "revoked"
    assert json.loads(run("list", "-f", "json").stdout) == []
    assert [r["id"] for r in json.loads(run("list", "--all", "-f", "json").stdout)] == [
        1,
        2,
    ]
    assert [
        r["id"]
        for r in json.loads(run("list", "--status", "revoked", "-f", "json").stdout)
    ] == [2]
    assert run("warn", "--today", "2030-01-01").exit_code == 0
    unchanged(
        store,
        run,
        "close",
        "1",
        message="is closed; only an active license can be closed",
    )


def test_remove_needs_yes_without_a_terminal_and_never_reuses_ids(
    run: Run, store: Path
) -> None:
    add(run)
    add(run)
    unchanged(store, run, "remove", "2", message="without --yes")
    result = run("remove", "2", "--yes")
    assert result.exit_code == 0
    assert [lic.id for lic in store_api.read(store).licenses] == [1]
    assert add(run) == 3
    assert store_api.read(store).removed_ids == (2,)
    unchanged(
        store, run, "remove", "2", "--yes", message="no license with id or number '2'"
    )


def test_no_renewal_silences_the_filing_deadline_and_renewal_undoes_it(
    run: Run, store: Path
) -> None:
    add(run)  # expires 2026-05-03; last day to file 2026-02-26
    assert run("warn", "--today", "2026-02-20", "--within", "30").exit_code == 2
    assert run("edit", "1", "--no-renewal").exit_code == 0
    assert "renewal = false" in store.read_text(encoding="utf-8")
    assert run("warn", "--today", "2026-02-20", "--within", "30").exit_code == 0
    declined = row(run, "1", "2026-02-20")
    assert declined["renewal"] is False
    reasons = declined["reasons"]
    assert isinstance(reasons, list)
    assert "not to be renewed (renewal = false)" in reasons
    assert run("edit", "1", "--renewal").exit_code == 0
    assert "renewal" not in store.read_text(encoding="utf-8")
    assert run("warn", "--today", "2026-02-20", "--within", "30").exit_code == 2
    assert row(run, "1", "2026-02-20")["renewal"] is None
