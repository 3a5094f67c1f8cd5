"""The example store shows the law's shapes (issue 23, done-when): a general
license with two end users, an individual license ended by its export, a BIS
license, and a holmium application that the catalogue's alert names once MOFCOM
2025 No. 57's suspension has ended. Checked as a user would, through the
commands' JSON, on the example store itself (tests only read it)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from export_licenses.domain.months import add_months
from helpers import EXAMPLE, licenses_in_process

TODAY = "2026-01-15"  # the day every example in the manual is seen on
NO_57 = "MOFCOM 2025 No. 57"  # holmium and four more: DOMAIN.md, "The announcements"


def data(*args: str, today: str = TODAY) -> Any:
    done = licenses_in_process("--store", str(EXAMPLE), "--today", today, *args)
    assert done.returncode in (0, 1, 2), done.stderr  # warn's exit codes too
    return json.loads(done.stdout)


def licenses(*args: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = data("list", "--all", "--format", "json", *args)
    return rows


def after(row: dict[str, Any], months: int) -> date:
    """The day ``months`` after the license's issue (its last valid day, were
    that its term: CONTRACT.md, "The six-month cliff")."""
    return add_months(date.fromisoformat(row["issued"]), months)


def expires(row: dict[str, Any]) -> date:
    return date.fromisoformat(row["expires"])


def test_a_general_license_with_two_end_users() -> None:
    (general,) = [
        row for row in licenses("--kind", "general") if len(row["end_users"] or []) == 2
    ]
    assert general["status"] == "active"
    assert general["authority"] == "MOFCOM"
    # at most 3 years (Order 792 art. 15); the first ones ran about one year
    assert expires(general) <= after(general, 36)
    # coverage counts it for each of its end users
    rows = data("coverage", "--format", "json")
    covered = {
        row["end_user"] for row in rows if general["id"] in (row["licenses"] or [])
    }
    assert covered == set(general["end_users"])


def test_an_individual_license_ended_by_its_export() -> None:
    (exported,) = licenses("--status", "exported")
    assert exported["kind"] == "individual"
    assert exported["level"] is None  # no longer active: never flagged
    assert exported["shipped"] == exported["quantity"]
    assert expires(exported) <= after(exported, 12)  # Order 792 art. 15
    assert exported["days_left"] > 0  # ended by the export, not by its expiry
    active = data("list", "--format", "json")
    assert exported["id"] not in {row["id"] for row in active}
    shown = data("show", str(exported["id"]), "--format", "json")
    assert shown["status"] == "exported"


def test_a_bis_license() -> None:
    (bis,) = licenses("--authority", "BIS")
    assert bis["status"] == "active"
    assert bis["level"] == "ok"
    # BIS licenses are usually valid four years (15 CFR 750.7(g))
    assert expires(bis) == after(bis, 48)
    assert not bis["controls"]  # a US export: no MOFCOM announcement names it
    assert bis["id"] not in {row["id"] for row in licenses("--authority", "MOFCOM")}


def test_a_holmium_application_under_the_catalogue_alert() -> None:
    pending = data("applications", "--format", "json")
    (holmium,) = [app for app in pending if "holmium" in app["material"].lower()]
    assert holmium["status"] == "pending"
    assert holmium["authority"] == "MOFCOM"
    assert NO_57 in holmium["controls"]
    # On 2026-01-15 No. 57 is suspended: nothing to say about it yet.
    calm = data("warn", "--format", "json")
    assert NO_57 not in {alert["control"] for alert in calm["controls"]}
    # On 2026-11-29 its suspension has ended (2026-11-10), and the application
    # is what makes the store concerned by it.
    later = data("warn", "--format", "json", today="2026-11-29")
    (alert,) = [a for a in later["controls"] if a["control"] == NO_57]
    assert (alert["material"], alert["destinations"]) == (
        holmium["material"],
        [holmium["destination"]],
    )
    assert (alert["state"], alert["date"]) == ("suspension_ended", "2026-11-11")
    assert later["catalogue_as_of"] is not None
