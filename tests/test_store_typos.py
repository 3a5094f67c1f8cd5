"""A store's typos that would otherwise read as something else: a misspelled
table or key (kept as a key of one's own, it would mean nothing) and licenses
that supersede each other in a loop (none of them in force). Each is an invalid
store: 65, and UNKNOWN to warn, never a green check."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from helpers import licenses_in_process, write

if TYPE_CHECKING:
    from pathlib import Path

# Expired on 2026-01-01: warn must never be quiet about it.
LICENSE = """[[license]]
id = 1
material = "gallium"
destination = "JP"
issued = 2025-07-01
"""
APPLICATION = """[[application]]
id = "A1"
material = "gallium"
destination = "JP"
filed = 2025-10-01
"""


def _verdicts(path: Path) -> tuple[str, str]:
    """warn's and list's stderr, after checking their exit codes, that each
    says one line, and that the store is left as it was."""
    text = path.read_text(encoding="utf-8")
    warned = licenses_in_process("--store", str(path), "warn", "--today", "2026-01-15")
    assert warned.returncode == 3, warned.stdout + warned.stderr
    listed = licenses_in_process("--store", str(path), "list", "--today", "2026-01-15")
    assert listed.returncode == 65, listed.stdout + listed.stderr
    assert len(listed.stderr.splitlines()) == 1
    assert path.read_text(encoding="utf-8") == text
    return warned.stderr, listed.stderr


@pytest.mark.parametrize(
    ("text", "where", "meant"),
    [
        (LICENSE.replace("[[license]]", "[[licence]]"), "licence", "license"),
        (LICENSE.replace("[[license]]", "[[License]]"), "License", "license"),
        (LICENSE.replace("[[license]]", "[[licenses]]"), "licenses", "license"),
        (APPLICATION.replace("[[application]]", "[[applications]]"), "applications", "application"),
        ("[Settings]\nwarn_days = 365\n" + LICENSE, "Settings", "settings"),
        (LICENSE + "expire = 2026-01-20\n", "license 1: expire", "expires"),
        (LICENSE + "Expires = 2026-01-20\n", "license 1: Expires", "expires"),
        (LICENSE + "renewal_filled = 2025-12-01\n", "license 1: renewal_filled", "renewal_filed"),
        (LICENSE + 'note = "from the plant"\n', "license 1: note", "notes"),
        ("[settings]\nwarn_day = 365\n" + LICENSE, "[settings] warn_day", "warn_days"),
        ("[settings]\ncritcal_days = 100\n" + LICENSE, "[settings] critcal_days", "critical_days"),
        (
            LICENSE + "shipments = [{ on = 2025-08-01, quantity = 1, notes = 'lot 1' }]\n",
            "license 1: shipments #1 notes",
            "note",
        ),
        (APPLICATION + "acepted = 2025-10-02\n", "application A1: acepted", "accepted"),
        (
            APPLICATION + "holds = [{ from = 2025-10-06, reasn = 'expert review' }]\n",
            "application A1: holds #1 reasn",
            "reason",
        ),
    ],
    ids=[
        "licence", "License", "licenses", "applications", "Settings", "expire",
        "Expires", "renewal_filled", "note", "warn_day", "critcal_days",
        "shipment-notes", "acepted", "hold-reasn",
    ],
)  # fmt: skip
def test_a_misspelled_key_is_an_invalid_store_naming_the_key_meant(
    tmp_path: Path, text: str, where: str, meant: str
) -> None:
    path = write(tmp_path / "typo.toml", "version = 1\n" + text)
    for said in _verdicts(path):
        assert f"typo.toml: {where}: unknown key; did you mean '{meant}'?" in said


def test_keys_of_ones_own_are_kept_and_read_as_before(tmp_path: Path) -> None:
    """Not every unknown key is a typo: short ones, and those that only share
    a word with a known key, are a team's own and kept."""
    own = (
        'po_number = "PO-1"\nowner = "procurement"\nplant = "Ganzhou"\n'
        'ids = [1]\nfiling_notice_days = 10\nrenewed_by_team = "magnets"\n'
    )
    text = f"version = 1\ncontacts = {{ mofcom = '+86 10' }}\n{LICENSE}{own}"
    path = write(tmp_path / "own.toml", text)
    result = licenses_in_process(
        "--store", str(path), "show", "1", "--format", "json", "--today", "2026-01-15"
    )
    assert result.returncode == 0, result.stderr
    assert '"po_number": "PO-1"' in result.stdout
    assert '"filing_notice_days": 10' in result.stdout
    warned = licenses_in_process("--store", str(path), "warn", "--today", "2026-01-15")
    assert warned.returncode == 2  # expired: CRITICAL
    assert "license 1" in warned.stdout


def test_licenses_superseding_each_other_in_a_loop_are_an_invalid_store(
    tmp_path: Path,
) -> None:
    renewed = LICENSE + 'status = "renewed"\nsuperseded_by = {to}\n'
    text = "version = 1\n" + "".join(
        renewed.format(to=to).replace("id = 1", f"id = {n}")
        for n, to in ((1, 2), (2, 3), (3, 2))
    )
    path = write(tmp_path / "loop.toml", text)
    for said in _verdicts(path):
        assert (
            "loop.toml: license 2: superseded_by: licenses 2 -> 3 -> 2 supersede "
            "each other in a loop"
        ) in said


def test_a_chain_of_renewals_that_ends_is_read(tmp_path: Path) -> None:
    renewed = LICENSE + 'status = "renewed"\nsuperseded_by = {to}\n'
    text = (
        "version = 1\n"
        + "".join(
            renewed.format(to=to).replace("id = 1", f"id = {n}")
            for n, to in ((1, 2), (2, 3))
        )
        + LICENSE.replace("id = 1", "id = 3")
        + "renews = 2\n"
    )
    path = write(tmp_path / "chain.toml", text)
    warned = licenses_in_process("--store", str(path), "warn", "--today", "2026-01-15")
    assert warned.returncode == 2, warned.stderr
    assert "license 3" in warned.stdout
