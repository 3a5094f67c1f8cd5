"""A control binds the exports its own authority licenses (issue 23, sections 3
and 4): MOFCOM's announcements govern exports from China, so a BIS license for
a U.S. export of the same material is not "under" them — not in `show`, not in
the JSON rows, not in warn's alerts, not in coverage's call to apply."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

TODAY = "2026-11-29"
HOLMIUM_ALERT = "holmium oxide: MOFCOM 2025 No. 57 was suspended until 2026-11-10"


def ok(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def rows(run: Run) -> dict[int, dict[str, Any]]:
    out = ok(run, "list", "--all", "--format", "json", "--today", TODAY)
    return {row["id"]: row for row in json.loads(out)}


def add(run: Run, material: str, destination: str, *more: str) -> None:
    ok(run, "add", "-m", material, "-d", destination, "-i", "2026-06-01", *more)


def test_a_bis_license_is_not_under_mofcoms_controls(run: Run) -> None:
    add(run, "gallium metal", "KR")
    add(run, "gallium metal", "KR", "--authority", "BIS")
    found = rows(run)
    assert found[1]["controls"] == ["MOFCOM 2024 No. 51"]
    assert found[2]["controls"] == []
    shown = ok(run, "show", "2", "--today", TODAY)
    assert "Controls:      - (none known: catalogue as of 2026-11-29)" in shown


def test_an_application_to_bis_raises_no_mofcom_alert(run: Run) -> None:
    def warned() -> str:
        return run("warn", "--today", TODAY).stdout

    ok(run, "init")
    ok(run, "apply", "-m", "holmium oxide", "-d", "IN", "--on", "2026-11-02",
       "--authority", "BIS")  # fmt: skip
    assert HOLMIUM_ALERT not in warned()
    ok(run, "apply", "-m", "holmium oxide", "-d", "IN", "--on", "2026-11-02")
    assert HOLMIUM_ALERT in warned()  # the same material under MOFCOM: alerted


def test_a_control_typed_for_bis_governs_bis_records_only(
    run: Run, store: Path
) -> None:
    add(run, "gallium metal", "KR", "--authority", "BIS")
    add(run, "gallium metal", "KR")
    with store.open("a", encoding="utf-8") as f:
        f.write(
            '\n[[control]]\nnumber = "BIS 2026-0001"\nauthority = "BIS"\n'
            'title = "gallium to KR (hand-typed)"\npublished = 2026-11-20\n'
            'effective = 2026-11-25\nitems = ["gallium"]\n'
            'source = "https://example.org/bis-1"\n'
        )
    found = rows(run)
    assert found[1]["controls"] == ["BIS 2026-0001"]
    assert found[2]["controls"] == ["MOFCOM 2024 No. 51"]


def test_shipments_under_bis_do_not_call_for_a_mofcom_license(run: Run) -> None:
    """An individual BIS license for dysprosium oxide, exported: MOFCOM 2025 No.
    18 is in force for dysprosium oxide, but it binds exports from China. (No.
    61, whose suspension ended on 2026-11-10, reaches every authority's records:
    on 2026-11-10, while it was suspended, it needs no license.)"""

    def coverage(day: str) -> list[tuple[str, list[str]]]:
        """What needs a license, by authority and controls (warn's uncovered:
        coverage's critical rows)."""
        found = json.loads(run("warn", "--format", "json", "--today", day).stdout)
        return [(u["authority"], u["controls"]) for u in found["uncovered"]]

    ok(run, "add", "-m", "dysprosium oxide", "-d", "US", "-i", "2026-06-01",
       "--kind", "individual", "--quantity", "100", "--unit", "kg",
       "--authority", "BIS")  # fmt: skip
    ok(run, "ship", "1", "100", "--on", "2026-07-01")
    assert coverage("2026-11-10") == []
    # No. 61 needs a license of its own authority: MOFCOM's, not BIS's.
    assert coverage(TODAY) == [("MOFCOM", ["MOFCOM 2025 No. 61"])]
    # The same under MOFCOM: nothing in hand for a control in force.
    ok(run, "add", "-m", "dysprosium oxide", "-d", "US", "-i", "2026-06-01",
       "--kind", "individual", "--quantity", "100", "--unit", "kg")  # fmt: skip
    ok(run, "ship", "2", "100", "--on", "2026-07-01")
    assert coverage("2026-11-10") == [("MOFCOM", ["MOFCOM 2025 No. 18"])]


def test_a_bis_license_does_not_license_what_mofcom_controls(run: Run) -> None:
    """MOFCOM 2025 No. 61 reaches a BIS export of dysprosium oxide (its
    suspension ended on 2026-11-10), but only MOFCOM licenses what MOFCOM
    controls: the active BIS license covers none of it, a MOFCOM one does."""
    critical = (
        "CRITICAL: dysprosium oxide to US: MOFCOM 2025 No. 61: suspension ended on "
        "2026-11-10 (catalogue as of 2026-11-29), and no MOFCOM license or "
        "application covers it: apply before the next export"
    )

    def apply_rows() -> list[tuple[str, str]]:
        out = ok(run, "coverage", "--format", "json", "--today", TODAY)
        return [
            (row["authority"], row["next_action"])
            for row in json.loads(out)
            if row["level"] == "critical"
        ]

    add(run, "dysprosium oxide", "US", "--authority", "BIS")
    warned = run("warn", "--today", TODAY)
    assert warned.exit_code == 2
    assert critical in warned.stdout.splitlines()
    assert apply_rows() == [("MOFCOM", "apply for a license")]
    agenda = ok(run, "agenda", "--today", TODAY)
    assert "no MOFCOM license covers it: MOFCOM 2025 No. 61" in agenda
    ok(run, "add", "-m", "dysprosium oxide", "-d", "US", "-i", "2026-11-20")
    warned = run("warn", "--today", TODAY)
    assert (warned.exit_code, "CRITICAL" in warned.stdout) == (1, False)
    assert apply_rows() == []
    assert "license covers it" not in ok(run, "agenda", "--today", TODAY)


@pytest.mark.parametrize("spelt", ["Dy2O3", "DY2O3", "dysprosium oxide"])
def test_a_mofcom_license_covers_a_bis_record_however_each_spells_it(
    run: Run, spelt: str
) -> None:
    """BIS's "dysprosium oxide" and MOFCOM's "Dy2O3" are one good under No. 61:
    the MOFCOM license covers the BIS record's export, as the alert promises,
    without renaming either (audit s10-review, 3: it stayed CRITICAL)."""
    add(run, "dysprosium oxide", "US", "--authority", "BIS")
    assert run("warn", "--today", TODAY).exit_code == 2
    ok(run, "add", "-m", spelt, "-d", "US", "-i", "2026-11-20")
    warned = run("warn", "--today", TODAY)
    assert (warned.exit_code, "CRITICAL" in warned.stdout) == (1, False)
    # a MOFCOM license for another destination covers nothing here
    add(run, "holmium oxide", "DE", "--authority", "BIS")
    ok(run, "add", "-m", "Ho2O3", "-d", "FR", "-i", "2026-11-20")
    warned = run("warn", "--today", TODAY)
    assert "holmium oxide to DE: MOFCOM 2025 No. 61" in warned.stdout


def test_an_extraterritorial_control_reaches_every_authoritys_records(
    run: Run,
) -> None:
    """MOFCOM 2025 No. 61 reaches foreign-made items with Chinese rare earths:
    a BIS license for NdFeB magnets with dysprosium may fall under it, not under
    No. 18 (exports from China)."""
    add(run, "NdFeB magnets containing dysprosium", "DE", "--authority", "BIS")
    add(run, "NdFeB magnets containing dysprosium", "DE")
    found = rows(run)
    assert found[1]["controls"] == ["MOFCOM 2025 No. 61"]
    assert found[2]["controls"] == ["MOFCOM 2025 No. 18", "MOFCOM 2025 No. 61"]
    listed = json.loads(ok(run, "controls", "--format", "json", "--today", TODAY))
    reach = {entry["number"]: entry["extraterritorial"] for entry in listed}
    assert reach["MOFCOM 2025 No. 61"] is True
    assert reach["MOFCOM 2025 No. 18"] is False


def test_extraterritorial_must_be_true_or_false(run: Run, store: Path) -> None:
    add(run, "gallium metal", "KR")
    before = store.read_bytes() + (
        b'\n[[control]]\nnumber = "X 1"\nauthority = "MOFCOM"\ntitle = "x"\n'
        b'effective = 2026-01-01\nitems = ["gallium"]\nextraterritorial = "yes"\n'
        b'source = "https://example.org/x"\n'
    )
    store.write_bytes(before)
    result = run("list", "--today", TODAY)
    assert result.exit_code == 65
    assert "extraterritorial: expected true or false" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert store.read_bytes() == before


def _typed_control(authority: str) -> bytes:
    return (
        f'\n[[control]]\nnumber = "X 1"\nauthority = "{authority}"\ntitle = "x"\n'
        'published = 2026-11-20\neffective = 2026-12-15\nitems = ["holmium"]\n'
        'source = "https://example.org/x"\n'
    ).encode()


def test_a_control_of_an_unknown_authority_is_refused(run: Run, store: Path) -> None:
    # A typo would leave the announcement governing nothing, without a word.
    add(run, "holmium oxide", "DE")
    before = store.read_bytes() + _typed_control("MOFOCM")
    store.write_bytes(before)
    said = (
        f"{store}: control 'X 1': authority: 'MOFOCM' is not a known authority "
        "(MOFCOM, BIS, EU-DE, ECJU, or an [authority.NAME] table of the store)\n"
    )
    listed = run("controls", "--today", TODAY)
    assert (listed.exit_code, listed.stderr) == (65, f"licenses: {said}")
    warned = run("warn", "--today", "2026-12-16")
    assert (warned.exit_code, warned.stderr) == (3, f"licenses warn: UNKNOWN: {said}")
    assert store.read_bytes() == before


def test_a_control_of_the_stores_own_authority_governs_its_records(
    run: Run, store: Path
) -> None:
    add(run, "holmium oxide", "DE", "--authority", "mofcom")  # any case
    store.write_bytes(store.read_bytes() + _typed_control("mofcom"))
    assert "X 1" in run("warn", "--today", "2026-12-16").stdout
    store.write_bytes(
        store.read_bytes().replace(b'"mofcom"', b'"KR-MOTIE"')
        + b'\n[authority.KR-MOTIE]\ntitle = "Korea"\ncalendar = "KR"\n'
        b'review = { days = 15, unit = "working", from = "filing", basis = "bound" }\n'
    )
    add(run, "holmium oxide", "KR", "--authority", "KR-MOTIE")
    assert "X 1" in rows(run)[2]["controls"]  # with No. 61, which reaches all


def test_coverage_counts_each_authoritys_licenses_apart(run: Run) -> None:
    """The same material, destination and end user under MOFCOM and BIS: two
    supply routes, two rows; the table names the authority once there are two."""
    for authority in ("MOFCOM", "BIS"):
        ok(run, "add", "-m", "gallium metal", "-d", "KR", "-i", "2026-06-01",
           "--end-user", "Hanbit", "--authority", authority)  # fmt: skip
    out = ok(run, "coverage", "--format", "json", "--today", TODAY)
    found = {row["authority"]: row["licenses"] for row in json.loads(out)}
    assert found == {"MOFCOM": [1], "BIS": [2]}
    table = ok(run, "coverage", "--today", TODAY).splitlines()
    assert table[0].startswith("Authority")
    assert sorted(line.split()[0] for line in table[1:3]) == ["BIS", "MOFCOM"]


def test_coverage_of_one_authority_has_no_authority_column(run: Run) -> None:
    add(run, "gallium metal", "KR")
    assert ok(run, "coverage", "--today", TODAY).startswith("Material")


def test_no_time_limit_cites_order_792_only_for_mofcom(run: Run) -> None:
    ok(run, "init")
    ok(run, "apply", "-m", "gallium", "-d", "US", "--on", "2026-11-02")
    ok(run, "apply", "-m", "gallium", "-d", "US", "--on", "2026-11-02",
       "--authority", "BIS")  # fmt: skip
    for key in ("A1", "A2"):
        ok(run, "accept", key, "--unbounded", "referred for interagency review")

    def why(key: str) -> list[str]:
        out = ok(run, "show", key, "--format", "json", "--today", TODAY)
        return list(json.loads(out)["reasons"])

    mofcom, bis = why("A1"), why("A2")
    assert (
        "no statutory time limit: referred for interagency review (art. 17, art. 26)"
        in mofcom
    )
    assert "no statutory time limit: referred for interagency review" in bis
