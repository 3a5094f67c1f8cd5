"""What is left counts (issue 22, point 5): a license drawn to its quantity
covers nothing after its last shipment; coverage and the projected gap start
there, and coverage says what is left."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from export_licenses.domain.assessment import assess
from export_licenses.domain.license import License
from export_licenses.domain.settings import Settings
from export_licenses.domain.shipment import Shipment, exhausted_on
from export_licenses.domain.workdays import WorkingDays

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

D = date.fromisoformat
WEEKDAYS = WorkingDays()
PLAIN = 'version = 1\n[settings]\ncalendar = "none"\n'


def ships(*pairs: tuple[str, str]) -> tuple[Shipment, ...]:
    return tuple(Shipment(D(on), Decimal(amount)) for on, amount in pairs)


def test_exhausted_on_the_day_of_the_shipment_that_drew_it_down() -> None:
    lots = ships(("2026-01-10", "60"), ("2026-02-03", "40"))
    assert exhausted_on(Decimal(100), lots) == D("2026-02-03")
    assert exhausted_on(Decimal(101), lots) is None  # 1 left
    assert exhausted_on(Decimal(90), lots) == D("2026-02-03")  # over-drawn
    assert exhausted_on(None, lots) is None  # no quantity: no limit known
    assert exhausted_on(Decimal(100), ()) is None


def test_the_projected_gap_starts_when_the_quantity_ran_out() -> None:
    lic = License(
        id=1,
        material="gallium metal",
        destination="FR",
        issued=D("2025-11-03"),
        term_months=6,  # expires 2026-05-03
        quantity=Decimal(100),
        status="renewal-filed",
        renewal_filed=D("2026-02-02"),
        shipments=ships(("2026-01-10", "60"), ("2026-02-03", "40")),
    )
    verdict = assess(
        lic, Settings(), D("2026-02-10"), WEEKDAYS, decision_due=D("2026-04-07")
    )
    assert "decision due 2026-04-07 after the quantity ran out on 2026-02-03: " in (
        "; ".join(verdict.reasons)
    )
    assert "projected gap of 63 days" in "; ".join(verdict.reasons)
    # With 1 kg left, the license covers until its expiry: no gap.
    more = lic._replace(quantity=Decimal(101))
    verdict = assess(
        more, Settings(), D("2026-02-10"), WEEKDAYS, decision_due=D("2026-04-07")
    )
    assert not any("projected gap" in reason for reason in verdict.reasons)


def coverage(run: Run, today: str) -> list[dict[str, Any]]:
    result = run("coverage", "--format", "json", "--today", today)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    return rows


def test_coverage_counts_what_is_left(run: Run, store: Path) -> None:
    store.write_text(
        PLAIN + '[[license]]\nid = 1\nmaterial = "gallium metal"\ndestination = "FR"\n'
        'issued = 2025-11-03\nterm_months = 6\nquantity = 100\nunit = "kg"\n'
        "shipments = [{ on = 2025-12-01, quantity = 70 }]\n"
        '[[license]]\nid = 2\nmaterial = "gallium metal"\ndestination = "FR"\n'
        'issued = 2025-12-01\nterm_months = 3\nquantity = 50\nunit = "kg"\n',
        encoding="utf-8",
    )
    (row,) = coverage(run, "2026-01-15")
    assert (row["covered_until"], row["remaining"], row["unit"]) == (
        "2026-05-03",
        80,
        "kg",
    )
    # Drawn down to nothing on 2026-01-20: license 1 covers nothing after it;
    # license 2 (expires 2026-03-01) is the cover, and the gap of a renewal
    # filed today starts there.
    run("ship", "1", "30", "--on", "2026-01-20", "--today", "2026-01-20")
    (row,) = coverage(run, "2026-01-21")
    assert (row["covered_until"], row["remaining"]) == ("2026-03-01", 50)
    run("ship", "2", "50", "--on", "2026-01-22", "--today", "2026-01-22")
    (row,) = coverage(run, "2026-01-23")
    assert (row["covered_until"], row["remaining"]) == ("2026-01-22", 0)
    # Nothing left since 2026-01-22: a gap already, counted in the past year too.
    assert row["projected_gap_days"] > 0
    assert row["gap_days_last_year"] == 1  # 2026-01-23, today


def test_remaining_is_null_when_units_differ(run: Run, store: Path) -> None:
    store.write_text(
        PLAIN + '[[license]]\nid = 1\nmaterial = "NdFeB magnets"\ndestination = "KR"\n'
        'issued = 2025-11-03\nterm_months = 6\nquantity = 12\nunit = "t"\n'
        '[[license]]\nid = 2\nmaterial = "NdFeB magnets"\ndestination = "KR"\n'
        'issued = 2025-12-01\nterm_months = 6\nquantity = 500\nunit = "pcs"\n',
        encoding="utf-8",
    )
    (row,) = coverage(run, "2026-01-15")
    assert (row["remaining"], row["unit"]) == (None, None)


def test_an_expired_license_asks_for_a_new_application(run: Run, store: Path) -> None:
    store.write_text(
        PLAIN + '[[license]]\nid = 1\nmaterial = "gallium metal"\ndestination = "FR"\n'
        "issued = 2025-05-03\nterm_months = 6\n",
        encoding="utf-8",
    )
    (row,) = coverage(run, "2026-01-15")
    # Today, never a past date alone.
    assert (row["next_action"], row["next_action_date"]) == (
        "apply anew, expired 2025-11-03",
        "2026-01-15",
    )
    # Once one is filed, it is the next step.
    run("apply", "-m", "gallium metal", "-d", "FR", "--on", "2026-01-12")
    (row,) = coverage(run, "2026-01-15")
    assert row["next_action"] == "decision due"
