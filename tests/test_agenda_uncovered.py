"""An export that needs a license and has none (issue 23 section 3: warn's
CRITICAL "no license or application covers it") is on the agenda too, and so
notify sends it (audit s9-law, 1): agenda is what to do this week, notify sends
the agenda's alerts, and warn's worst alert was in neither."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from test_notify import Hook

if TYPE_CHECKING:
    from conftest import Run

TODAY = "2026-11-30"
UNCOVERED = (
    "terbium oxide to DE: MOFCOM 2025 No. 18 in force; MOFCOM 2025 No. 61: "
    "suspension ended on 2026-11-10 (catalogue as of 2026-11-29), and no license "
    "or application covers it: apply before the next export"
)


def exported(run: Run) -> None:
    """An individual license for terbium oxide, ended with its export (art. 15):
    No. 18 is in force and nothing covers the next export to DE."""
    for args in (
        ("add", "-m", "terbium oxide", "-d", "DE", "-i", "2026-10-01", "--kind", "individual"),
        ("ship", "1", "10", "--on", "2026-11-01"),
    ):  # fmt: skip
        done = run(*args, "--today", TODAY)
        assert done.exit_code == 0, done.stderr


def agenda_json(run: Run, *args: str) -> list[dict[str, Any]]:
    done = run("agenda", "--today", TODAY, "--format", "json", *args)
    assert done.exit_code == 0, done.stderr
    found = json.loads(done.stdout)
    assert isinstance(found, list)
    return found


def test_the_agenda_says_what_warn_says_critical(run: Run) -> None:
    exported(run)
    warned = run("warn", "--today", TODAY, "--format", "json")
    assert warned.exit_code == 2
    assert [u["text"] for u in json.loads(warned.stdout)["uncovered"]] == [UNCOVERED]
    expected = {
        "date": TODAY,
        "action": "apply_uncovered",
        "text": UNCOVERED,
        "license": None,
        "application": None,
        "level": "critical",
    }
    assert expected in agenda_json(run)
    assert expected in agenda_json(run, "--all")
    text = run("agenda", "--today", TODAY).stdout
    line = next(x for x in text.splitlines() if x.startswith(f"{TODAY}  apply"))
    assert line.split() == [
        TODAY, "apply", "terbium", "oxide", "->", "DE",
        "no", "license", "covers", "it:", "MOFCOM", "2025", "No.", "18,",
        "MOFCOM", "2025", "No.", "61",
    ]  # fmt: skip
    assert text.rstrip().endswith("Controls: catalogue as of 2026-11-29")


def test_its_controls_widen_no_other_line_of_a_piped_agenda(run: Run) -> None:
    """The controls stood in the number column: every line of the agenda in a
    pipe or a cron mail grew by their ~40 columns (review s9, 7)."""
    exported(run)
    added = run("add", "-m", "dysprosium oxide", "-d", "US", "-i", "2026-06-10")
    assert added.exit_code == 0, added.stderr
    text = run("agenda", "--today", TODAY, "--all").stdout
    renewal = next(x for x in text.splitlines() if "file renewal" in x)
    assert "      " not in renewal.split("file renewal", 1)[1].strip()


def test_an_application_takes_it_off_the_agenda(run: Run) -> None:
    exported(run)
    applied = run("apply", "-m", "terbium oxide", "-d", "DE", "--today", TODAY)
    assert applied.exit_code == 0, applied.stderr
    assert "apply_uncovered" not in {a["action"] for a in agenda_json(run, "--all")}


def test_notify_sends_it_once(run: Run) -> None:
    exported(run)
    dry = run("notify", "--today", TODAY, "--dry-run", env={"LICENSES_NOTIFY": "json://127.0.0.1:9/x"})  # fmt: skip
    assert dry.exit_code == 0, dry.stderr
    assert f"  CRITICAL {TODAY}: {UNCOVERED} (new)" in dry.stdout.splitlines()
    hook = Hook()
    try:
        # Its date is today whatever the day: the same alert, not sent again.
        for day in (TODAY, "2026-12-01", "2026-12-07"):
            sent = run("notify", "--today", day, env={"LICENSES_NOTIFY": hook.url})
            assert sent.exit_code == 0, sent.stderr
    finally:
        hook.close()
    messages = [post["message"] for post in hook.posts]
    assert len(messages) == 1, messages
    assert f"CRITICAL {TODAY}: {UNCOVERED} (new)" in messages[0].splitlines()


def test_warn_does_not_doubt_the_license_its_critical_line_asks_for(run: Run) -> None:
    """The same run said No. 61's ended suspension needs a license (CRITICAL)
    and asked to 'check whether exports now need a license' (WARNING) for the
    same material and control (audit s9-review, 8): both lines now agree."""
    exported(run)
    warned = run("warn", "--today", TODAY)
    assert warned.exit_code == 2
    lines = warned.stdout.splitlines()
    assert f"CRITICAL: {UNCOVERED}" in lines
    assert (
        "WARNING: terbium oxide: MOFCOM 2025 No. 61 was suspended until 2026-11-10; "
        "that suspension has ended: exports need a license, as far as the "
        "catalogue knows"
    ) in lines
    assert "check whether" not in warned.stdout
