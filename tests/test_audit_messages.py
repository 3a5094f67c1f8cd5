"""Messages found misleading in an audit: each says what the user typed and
what is wrong with it, one line, exit 64, the store unchanged."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from typing import TYPE_CHECKING

import pytest

from export_licenses.domain.agenda_applications import chase_decision
from export_licenses.domain.application import Application
from export_licenses.domain.forecast import NOTHING, AppForecast
from export_licenses.domain.review import AppVerdict
from export_licenses.domain.rows import AppRow
from export_licenses.domain.rules import Level
from export_licenses.storage.notify_state import state_path
from git_world import ANN, lic, needs_git
from git_world import run as run_in_git
from helpers import EXAMPLE, in_terminal

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

TODAY = "2026-01-15"


@pytest.fixture
def example_store(store: Path) -> Path:
    store.write_bytes(EXAMPLE.read_bytes())
    return store


def refused(run: Run, store: Path, *args: str) -> str:
    """Run ``args``; it must fail with 64 and leave the store as it was."""
    before = store.read_bytes()
    result = run("--today", TODAY, *args)
    assert result.exit_code == 64, (result.exit_code, result.stderr)
    assert store.read_bytes() == before
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_granting_the_renewal_of_a_removed_license_names_the_application(
    run: Run, example_store: Path
) -> None:
    # A4 renews license 5; license 5 is then removed as entered by mistake.
    assert run("--today", TODAY, "remove", "5", "--yes").exit_code == 0
    said = refused(run, example_store, "grant", "A4", "--issued", "2026-01-14")
    assert "application A4 renews license 5, which was removed" in said
    assert "no license" not in said


@pytest.mark.parametrize("command", ["show", "ack"])
def test_an_application_not_there_is_no_application(
    run: Run, example_store: Path, command: str
) -> None:
    # show and ack take an application id too: A999 is one nobody filed.
    said = refused(run, example_store, command, "A999")
    assert said == "licenses: no application A999"
    assert refused(run, example_store, command, "a999") == said


@pytest.mark.parametrize(
    "args",
    [
        ("ship", "A4", "1"),
        ("close", "A4"),
        ("edit", "A4", "--note", "x"),
        ("apply", "A999"),
        ("remove", "A4", "--yes"),
    ],
)
def test_an_application_id_where_a_license_goes_is_named_so(
    run: Run, example_store: Path, args: tuple[str, ...]
) -> None:
    said = refused(run, example_store, *args)
    assert said == (
        f"licenses: {args[1]} is an application id; give a license's id or number"
    )


def test_a_license_not_there_is_still_no_license(run: Run, example_store: Path) -> None:
    said = refused(run, example_store, "show", "999")
    assert said == "licenses: no license with id or number '999'"


@pytest.mark.parametrize(
    ("amount", "said"),
    [
        (
            "99999999999999999999",
            "99999999999999999999 is too large: at most 1,000,000,000,000,000",
        ),
        ("1e30", "is too large: at most 1,000,000,000,000,000"),
        ("inf", "expected a finite number, got Infinity"),
        ("0", "expected a positive number, got 0"),
        ("-5", "expected a positive number, got -5"),
    ],
)
def test_a_quantity_too_large_is_too_large_not_negative(
    run: Run, example_store: Path, amount: str, said: str
) -> None:
    line = refused(run, example_store, "ship", "15", "--", amount)
    assert said in line
    assert line.startswith("licenses: QUANTITY: ")


@pytest.mark.parametrize(
    ("target", "shown"),
    [("notaurl", "'notaurl'"), ("xoxb-0123456789-secret", "'xoxb-0123456…'")],
)
def test_a_bare_word_is_not_a_notification_url(
    run: Run, example_store: Path, target: str, shown: str
) -> None:
    before = example_store.read_bytes()
    result = run("--today", TODAY, "notify", env={"LICENSES_NOTIFY": target})
    assert result.exit_code == 64, result.stderr
    assert result.stderr == (
        f"licenses: notify: {shown} is not a notification URL: give one with its "
        "scheme, such as mailto://user:password@example.com or ntfy://my-topic\n"
    )
    assert "://…" not in result.stderr
    assert "secret" not in result.stderr  # a token without its scheme stays unsaid
    assert example_store.read_bytes() == before
    assert not state_path(example_store).exists()


@needs_git
@pytest.mark.parametrize("linked", ["exclude", "info"])
def test_notify_never_writes_git_exclude_through_a_link(
    tmp_path: Path, linked: str
) -> None:
    store = tmp_path / "team" / "licenses.toml"
    lic(store, "init", "--git")
    # copper: no control changes state within 30 days of 2026-11-23 (dysprosium
    # oxide would have No. 61's end of suspension, on 2026-11-11, to send)
    lic(store, "add", "-m", "copper cathode", "-d", "US", "-i", "2026-06-01")
    lic(store, "ack", "1", "--until", "2026-12-01")
    info = store.parent / ".git" / "info"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    victim = elsewhere / "exclude"
    victim.write_text("# someone else's file\n")
    if linked == "info":
        shutil.rmtree(info)
        info.symlink_to(elsewhere)
        link = info
    else:
        (info / "exclude").unlink()
        (info / "exclude").symlink_to(victim)
        link = info / "exclude"
    done = run_in_git(
        store, "notify", who={**ANN, "LICENSES_NOTIFY": "json://127.0.0.1:1/"}
    )
    assert done.returncode == 0, done.stderr  # all seen: nothing to send
    assert done.stderr == (
        f"licenses notify: {link} is a symbolic link, not followed: "
        "/.licenses.toml.notified.json and /.licenses.toml.notified.lock were "
        "not added to it (add them yourself to keep the files out of git)\n"
    )
    assert victim.read_text() == "# someone else's file\n"
    assert link.is_symlink()
    assert state_path(store).is_file()  # what was sent is remembered all the same


CHASED = Application(
    id=3, material="samarium oxide", destination="JP", filed=date(2025, 10, 9)
)
LATE = AppVerdict(date(2026, 1, 6), 52, 7, Level.WARNING)


@pytest.mark.parametrize(
    ("forecast", "said"),
    [
        (NOTHING, ""),  # no history: the statutory day alone
        (
            AppForecast(expected_decision=date(2026, 2, 26)),
            "; expected 2026-02-26 (half of such were decided by then)",
        ),
        (
            AppForecast(expected_decision=date(2026, 2, 26), estimate=True),
            (
                "; expected 2026-02-26~ (half of such were decided by then; an "
                "estimate: fewer than 5 observed that long)"
            ),
        ),
    ],
)
def test_a_late_decision_says_when_the_history_expects_it(
    forecast: AppForecast, said: str
) -> None:
    row = AppRow(CHASED, LATE, "statutory", forecast=forecast)
    (action,) = chase_decision(row, date(2026, 1, 15))
    assert action.day == date(2026, 1, 6)  # dated on the statutory day, a fact
    assert action.text == (
        "ask MOFCOM for the decision on application A3, samarium oxide to JP: "
        f"due 2026-01-06, 7 working days late{said}"
    )
    assert action.detail == "7 working days late"


@pytest.mark.usefixtures("example_store")
def test_the_examples_late_application_says_when_it_is_expected(run: Run) -> None:
    result = run("--today", TODAY, "agenda", "--format", "json")
    (chased,) = [a for a in json.loads(result.stdout) if a["application"] == "A3"]
    assert chased["text"].endswith(
        "due 2026-01-06, 7 working days late; expected 2026-02-26~ (half of such "
        "were decided by then; an estimate: fewer than 5 observed that long)"
    )


def test_the_agenda_at_80_columns_keeps_what_to_do_and_by_when(
    example_store: Path,
) -> None:
    shown = in_terminal(
        "--store", str(example_store), "agenda", "--today", TODAY, columns=80
    )
    plain = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    lines = [line for line in plain.splitlines() if re.match(r"\d{4}-", line)]
    assert all(len(line) <= 80 for line in lines)
    for whole in (
        "66 working days late",  # chase the decision on A14
        "expired 2025-12-20",  # close license 1
        "file now, 23 % chance",  # file the renewal of license 7
        "5000 pcs left",  # ship under license 3
    ):
        assert any(line.endswith(whole) for line in lines), (whole, plain)
    # a free-text reason is whole where its line's material can give way
    # (audit s9-law, 8: it was cut to "on-site check of the …")
    assert any(line.endswith("on-site check of the end user") for line in lines), plain


def test_a_refused_renewal_says_its_license_is_active_only_when_it_is(
    run: Run, example_store: Path
) -> None:
    # A4 renews license 5, renewal-filed: refused, license 5 is active again
    before = example_store.read_bytes()
    done = run("--today", TODAY, "refuse", "A4")
    assert done.exit_code == 0, done.stderr
    assert done.stderr == (
        "Recorded application A4 (renewal of license 5) as refused on 2026-01-15; "
        "license 5 (MOFCOM-2025-GA-0042) is active again\n"
    )
    # license 5 removed as entered by mistake: nothing is active again
    example_store.write_bytes(before)
    assert run("--today", TODAY, "remove", "5", "--yes").exit_code == 0
    gone = run("--today", TODAY, "refuse", "A4")
    assert gone.exit_code == 0, gone.stderr
    assert gone.stderr == (
        "Recorded application A4 (renewal of license 5) as refused on 2026-01-15\n"
    )


def test_a_late_decision_is_asked_of_its_own_authority() -> None:
    bis = CHASED._replace(authority="BIS")
    (action,) = chase_decision(AppRow(bis, LATE, "statutory"), date(2026, 1, 15))
    assert action.text.startswith("ask BIS for the decision on application A3")
