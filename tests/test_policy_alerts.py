"""Alerts from the catalogue of controls in warn (issue 23, section 3): a control
naming a material held, applied for or shipped in the last year changes state
within policy_warn_days (default 30) before or after today."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

HOLMIUM = """version = 1
{settings}
[[application]]
id = "A1"
material = "holmium oxide"
destination = "IN"
filed = 2026-10-01
status = "pending"
"""
NO_57_ENDED = (
    "WARNING: holmium oxide: MOFCOM 2025 No. 57 was suspended until 2026-11-10; "
    "that suspension has ended: exports need a license, as far as the catalogue "
    "knows"
)


def warn_json(run: Run, today: str) -> dict[str, Any]:
    result = run("warn", "--format", "json", "--today", today)
    assert result.exit_code in {0, 1, 2}, result.stderr
    report = json.loads(result.stdout)
    assert isinstance(report, dict)
    return report


def test_holmium_oxide_on_2026_11_29(run: Run, store: Path) -> None:
    store.write_text(HOLMIUM.format(settings=""), encoding="utf-8")
    result = run("warn", "--today", "2026-11-29")
    assert result.exit_code == 1
    assert NO_57_ENDED in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1] == "Controls: catalogue as of 2026-11-29"
    report = warn_json(run, "2026-11-29")
    assert report["state"] == "WARNING"
    assert report["catalogue_as_of"] == "2026-11-29"
    first = report["controls"][0]
    assert first == {
        "level": "warning",
        "control": "MOFCOM 2025 No. 57",
        "material": "holmium oxide",
        "destinations": ["IN"],
        "date": "2026-11-11",
        "state": "suspension_ended",
        "text": NO_57_ENDED.removeprefix("WARNING: "),
        "origin": "package",  # the shipped catalogue's entry, not a [[control]]
    }
    nagios = run("warn", "--format", "nagios", "--today", "2026-11-29").stdout
    assert nagios.startswith("LICENSES WARNING - 2 controls changing state")


def test_before_the_end_it_says_when_a_license_may_be_needed(
    run: Run, store: Path
) -> None:
    store.write_text(HOLMIUM.format(settings=""), encoding="utf-8")
    texts = [c["text"] for c in warn_json(run, "2026-10-20")["controls"]]
    assert (
        "holmium oxide: MOFCOM 2025 No. 57 is suspended until 2026-11-10; check "
        "whether exports need a license from 2026-11-11"
    ) in texts


def test_policy_warn_days_sets_the_window(run: Run, store: Path) -> None:
    store.write_text(
        HOLMIUM.format(settings="\n[settings]\npolicy_warn_days = 10\n"), "utf-8"
    )
    assert warn_json(run, "2026-11-29")["controls"] == []  # 18 days after
    assert run("warn", "--today", "2026-11-29").exit_code == 0
    assert len(warn_json(run, "2026-11-20")["controls"]) == 2  # 9 days after
    store.write_text(
        HOLMIUM.format(settings="\n[settings]\npolicy_warn_days = -1\n"), "utf-8"
    )
    bad = run("warn", "--today", "2026-11-29")
    assert bad.exit_code == 3
    assert "policy_warn_days" in bad.stderr


def test_only_what_is_held_for_a_destination_the_control_covers(run: Run) -> None:
    """2024 No. 46 art. 2 (suspended until 2026-11-27) is for the US only; a
    closed license counts when it shipped within the last year."""
    for destination, issued in (("DE", "2026-06-01"), ("US", "2026-01-05")):
        result = run(
            "add", "-m", "germanium metal", "-d", destination, "-i", issued,
            "--quantity", "10",
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
    assert run("ship", "2", "10", "--on", "2026-02-01").exit_code == 0
    assert run("close", "2", "--today", "2026-03-01").exit_code == 0
    found = warn_json(run, "2026-11-29")["controls"]
    assert [(c["control"], c["destinations"]) for c in found] == [
        ("MOFCOM 2024 No. 46", ["US"])
    ]
    assert found[0]["text"] == (
        "germanium metal: MOFCOM 2024 No. 46 was suspended until 2026-11-27; that "
        "suspension has ended: exports need a license, as far as the catalogue "
        "knows"
    )


def test_nothing_held_nothing_said(run: Run) -> None:
    result = run(
        "add", "-m", "holmium oxide", "-d", "IN", "-i", "2025-01-05",
        "--expires", "2025-06-30",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert warn_json(run, "2026-11-29")["controls"] == []  # expired, never shipped


def test_a_new_announcement_typed_by_hand_alerts(run: Run, store: Path) -> None:
    store.write_text(
        HOLMIUM.format(settings="").replace("holmium oxide", "cerium oxide")
        + '\n[[control]]\nnumber = "MOFCOM 2026 No. 3"\nauthority = "MOFCOM"\n'
        'title = "cerium and lanthanum"\npublished = 2026-11-20\n'
        'effective = 2026-12-15\nitems = ["cerium", "Ce", "lanthanum"]\n'
        'source = "https://example.org/3"\n',
        encoding="utf-8",
    )
    texts = [c["text"] for c in warn_json(run, "2026-11-29")["controls"]]
    published = (
        "cerium oxide: MOFCOM 2026 No. 3 was published on 2026-11-20: it takes "
        "effect on 2026-12-15"
    )
    effective = (
        "cerium oxide: MOFCOM 2026 No. 3 takes effect on 2026-12-15: exports need "
        "a license from then"
    )
    assert texts == [published, effective]


def test_the_report_has_the_alerts_and_the_catalogues_date(
    run: Run, store: Path
) -> None:
    store.write_text(HOLMIUM.format(settings=""), encoding="utf-8")
    page = store.parent / "report.html"
    result = run("report", "--today", "2026-11-29", "--output", str(page))
    assert result.exit_code == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    section = html[html.index('<section id="controls">') :]
    assert "holmium oxide: MOFCOM 2025 No. 57 was suspended until" in section
    assert "that suspension has ended: exports need a license, as far as the" in (
        section
    )
    assert 'Catalogue of controls as of <span class="date">2026-11-29</span>' in (
        section
    )
    calm = run("report", "--today", "2026-01-15", "--output", str(page))
    assert calm.exit_code == 0, calm.stderr
    assert "No control changes state near today." in page.read_text("utf-8")
