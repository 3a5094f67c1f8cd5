"""Licenses with the same expiry share a verdict only where nothing of their
own sets them apart (service/license_rows.py): a license nearly drawn down, or
one of a group whose observed review takes longer, gets its own."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

TODAY = "2026-01-15"
SHIPPED = "\n[[license.shipments]]\non = 2026-01-05\nquantity = {}\n"


def license_block(ident: int, material: str, shipped: str = "") -> str:
    return (
        f'[[license]]\nid = {ident}\nmaterial = "{material}"\ndestination = "DE"\n'
        'issued = 2025-12-01\nterm_months = 6\nquantity = 10\nunit = "kg"\n'
        + (SHIPPED.format(shipped) if shipped else "")
    )


@pytest.mark.parametrize("shipped_first", [True, False])
def test_a_license_nearly_drawn_down_is_flagged_beside_a_plain_one(
    run: Run, store: Path, *, shipped_first: bool
) -> None:
    blocks = [license_block(1, "gallium metal"), license_block(2, "gallium metal", "9.5")]  # fmt: skip
    if shipped_first:
        blocks = [license_block(1, "gallium metal", "9.5"), license_block(2, "gallium metal")]  # fmt: skip
    store.write_text("version = 1\n\n" + "\n".join(blocks), encoding="utf-8")
    shipped = 1 if shipped_first else 2
    done = run("warn", "--today", TODAY)
    assert done.exit_code == 1, done.stderr
    assert done.stdout.startswith(f"WARNING: license {shipped}, gallium metal to DE")
    assert "95% used" in done.stdout
    assert done.stdout.count("WARNING: license") == 1


def test_a_slower_group_files_earlier_than_one_with_the_same_expiry(
    run: Run, store: Path
) -> None:
    # Six terbium applications decided in ~95 working days, six of gallium in
    # ~25: with "observed", terbium's review time is its own, not gallium's
    # (the statutory 45, its floor), although both licenses expire on one day.
    decided = "".join(
        f'[[application]]\nid = "A{n}{m}"\nmaterial = "{material} metal"\n'
        f'destination = "DE"\nfiled = 2025-05-0{n}\naccepted = 2025-05-0{n}\n'
        f'status = "granted"\ndecided = {day}\n\n'
        for n in range(1, 7)
        for m, (material, day) in enumerate(
            [("gallium", "2025-06-10"), ("terbium", "2025-09-26")]
        )
    )
    store.write_text(
        'version = 1\n\n[settings]\nreview_working_days = "observed"\n\n'
        + decided
        + license_block(1, "gallium metal")
        + "\n"
        + license_block(2, "terbium metal"),
        encoding="utf-8",
    )
    done = run("list", "--today", TODAY, "--format", "json")
    assert done.exit_code == 0, done.stderr
    rows = {row["id"]: row for row in json.loads(done.stdout)}
    assert rows[1]["expires"] == rows[2]["expires"]
    assert rows[1]["renew_by"] == "2026-03-25"  # the statutory 45 working days
    assert rows[2]["renew_by"] < "2026-03-01", rows[2]
