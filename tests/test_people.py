"""What people type and read: countries as they name them, warn's alerts at a
terminal (wrapped under themselves) and in a pipe (one line each)."""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

import pytest

from export_licenses.domain.countries import to_alpha2
from export_licenses.errors import InvalidValue
from helpers import EXAMPLE, in_terminal, licenses_in_process, licenses_process

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("UK", "GB"),
        ("uk", "GB"),
        ("Britain", "GB"),
        ("Great Britain", "GB"),
        ("United Kingdom", "GB"),
        ("Korea", "KR"),
        ("South Korea", "KR"),
        ("North Korea", "KP"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Holland", "NL"),
        ("the  Netherlands", "NL"),
        ("Deutschland", "DE"),
        ("USA", "US"),
        ("America", "US"),
        ("United States", "US"),
        ("Czechia", "CZ"),
        ("Czech Republic", "CZ"),
        ("Vietnam", "VN"),
        ("Viet Nam", "VN"),
        ("Taiwan", "TW"),
        ("Iran", "IR"),
        ("Ivory Coast", "CI"),
        ("DEU", "DE"),
        ("de", "DE"),
    ],
)
def test_countries_as_people_type_them(typed: str, code: str) -> None:
    assert to_alpha2(typed) == code


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("Germny", "did you mean DE (Germany)?"),
        ("Hollnd", "did you mean NL (Holland)?"),
        ("Swizerland", "did you mean CH (Switzerland)?"),
        ("Untied States", "did you mean US (United States)"),
    ],
)
def test_an_unknown_country_suggests_the_closest(typed: str, suggested: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        to_alpha2(typed)
    assert suggested in caught.value.message


def test_the_command_line_takes_them_too(run: Run, store: Path) -> None:
    assert run("add", "-m", "x", "-d", "Britain", "-i", "2026-01-05").exit_code == 0
    assert 'destination = "GB"' in store.read_text()
    assert "GB" in run("list", "--destination", "UK", "--today", "2026-01-06").stdout
    bad = run("add", "-m", "x", "-d", "Atlantis", "-i", "2026-01-05")
    assert bad.exit_code == 64
    assert bad.stderr.startswith("licenses: --destination: unknown country 'Atlantis'")


# --- warn at a terminal and in a pipe ------------------------------------------------


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_warn_wraps_each_alert_under_itself_at_a_terminal(columns: int) -> None:
    shown = in_terminal(
        "--store", str(EXAMPLE), "warn", "--today", "2026-01-15", columns=columns
    )
    lines = shown.splitlines()
    assert all(len(line) <= columns for line in lines)
    starts = [line for line in lines if not line.startswith("    ")]
    assert all(re.match(r"(EXPIRED|CRITICAL|WARNING): ", line) for line in starts)
    # 13 licenses, 2 applications (A3, and A14 of the history: issue 22) and
    # dysprosium oxide to DE, shipped under No. 18 with no license left (issue 23)
    assert len(starts) == 16
    text = " ".join(line.strip() for line in lines)
    # no date broken at its hyphens: each whole once the lines are joined
    for day in re.findall(r"(?<![A-Z]-)\b\d{4}-[\d-]*", text):
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", day), day
    if columns == 120:
        assert any(line.startswith("    ") for line in lines)


def test_warn_in_a_pipe_is_one_line_per_alert() -> None:
    result = licenses_process(
        "--store", str(EXAMPLE), "warn", "--today", "2026-01-15", env={"COLUMNS": "60"}
    )
    lines = result.stdout.splitlines()
    assert len(lines) == 16
    assert max(map(len, lines)) > 120


def test_an_expired_license_is_not_told_to_file_but_keeps_what_is_known(
    run: Run,
) -> None:
    """Past the cliff no filing advice, but what else is known follows the
    expiry, as docs/commands/reports.md says (audit s8-dates section 7)."""
    run("add", "-m", "x", "-d", "US", "-i", "2025-01-06", "--quantity", "10")
    run("ship", "1", "10", "--on", "2025-02-01")
    result = run("warn", "--today", "2025-08-01")
    assert result.stdout == (
        "EXPIRED: license 1, x to US: expired 2025-07-06 (26 days ago); "
        "exhausted: 10 of 10 shipped\n"
    )


def test_a_calendar_estimate_is_said_once_at_the_end(run: Run) -> None:
    run("add", "-m", "x", "-d", "US", "-i", "2030-10-01", "--today", "2030-10-02")
    run("add", "-m", "y", "-d", "US", "-i", "2030-10-02", "--today", "2030-10-02")
    result = run("warn", "--today", "2031-01-20")
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert [line.startswith("WARNING: license") for line in lines] == [
        True,
        True,
        False,
    ]
    assert "estimated" not in " ".join(lines[:2])
    assert lines[2] == "estimated: no official 2031 holiday schedule"


# --- --help ----------------------------------------------------------------------


@pytest.mark.parametrize("columns", [60, 80])
def test_help_keeps_words_and_choices_whole(columns: int) -> None:
    env = {"COLUMNS": str(columns)}
    warn = licenses_process("warn", "--help", env=env).stdout
    assert "<text|json|nagios|prometheus>" in warn
    assert all(len(line) <= columns for line in warn.splitlines()[:-3])
    add = licenses_process("add", "--help", env=env).stdout
    for option in ("--material", "--destination", "--issued"):
        block = add.split(option, 1)[1].split("\n  -", 1)[0]
        assert "[required]" in block, option
    assert "[required]" not in add.split("--number", 1)[1].split("\n  -", 1)[0]
    overview = licenses_process("--help", env=env).stdout
    commands = overview.split("Commands:", 1)[1]
    # each summary whole: its lines joined read as the command's first paragraph
    summary = re.search(r"\n  accept +(.*?)\n  hold", commands, re.DOTALL)
    assert summary is not None
    assert " ".join(summary.group(1).split()) == (
        "The authority accepted the application: its decision is due from then."
    )
    if columns >= 80:  # a list to scan: no summary over two lines (hold had four)
        starts = [
            n for n, line in enumerate(commands.splitlines()) if line[2:3].isalpha()
        ]
        assert max(b - a for a, b in itertools.pairwise(starts)) <= 2, commands


@pytest.mark.parametrize(
    ("typed", "meant"), [("lst", "list"), ("shwo", "show"), ("agnda", "agenda")]
)
def test_a_mistyped_command_suggests_the_right_one(typed: str, meant: str) -> None:
    result = licenses_in_process(typed)
    assert result.returncode == 64
    assert result.stderr == (
        f"licenses: No such command '{typed}'; did you mean {meant}? "
        "(see 'licenses --help')\n"
    )
