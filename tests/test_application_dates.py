"""An application's days in the store that the commands would refuse: a day
after today is flagged wherever the verdict shows (warn, applications, show),
and a decision without its day is an invalid store. Neither leaves a monitor
green on a record it cannot judge."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from helpers import licenses_in_process, write

if TYPE_CHECKING:
    from pathlib import Path

TODAY = "2026-01-15"
APPLICATION = """version = 1
[[application]]
id = "A1"
material = "gallium"
destination = "JP"
filed = 2025-10-01
"""


def _run(path: Path, *args: str) -> tuple[int, str, str]:
    done = licenses_in_process("--store", str(path), *args, "--today", TODAY)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        ('status = "pending"\n', "filed 2027-10-01 is after today: a typo?"),
        (
            'accepted = 2026-10-02\nstatus = "pending"\n',
            "accepted 2026-10-02 is after today: a typo?",
        ),
        (
            'status = "granted"\ndecided = 2026-11-16\n',
            "decided 2026-11-16 is after today: a typo?",
        ),
    ],
    ids=["filed", "accepted", "decided"],
)
def test_a_day_after_today_is_a_warning_saying_so(
    tmp_path: Path, lines: str, reason: str
) -> None:
    text = APPLICATION + lines
    if reason.startswith("filed"):
        text = text.replace("filed = 2025-10-01", "filed = 2027-10-01")
    path = write(tmp_path / "ahead.toml", text)
    code, out, _ = _run(path, "warn")
    assert code == 1
    assert out.startswith(f"WARNING: application A1, gallium to JP: {reason}")
    code, out, _ = _run(path, "warn", "--format", "nagios")
    assert code == 1
    assert out.startswith("LICENSES WARNING - 1 application dated after today |")
    assert "overdue=0" in out
    code, out, _ = _run(path, "warn", "--format", "json")
    (row,) = json.loads(out)["applications"]
    assert (row["level"], row["reasons"][0], row["overdue"]) == (
        "warning",
        reason,
        False,
    )
    code, out, _ = _run(path, "show", "A1")
    assert code == 0
    assert f"Why:          {reason}" in out
    code, out, _ = _run(path, "applications", "--all", "--format", "json")
    assert json.loads(out)[0]["level"] == "warning"


def test_the_authoritys_day_ahead_is_not_flagged(tmp_path: Path) -> None:
    """Tomorrow is MOFCOM's today west of UTC+8: the commands take it, and so
    does warn."""
    path = write(
        tmp_path / "tomorrow.toml",
        APPLICATION + 'status = "granted"\ndecided = 2026-01-16\n',
    )
    code, out, _ = _run(path, "warn")
    assert (code, out) == (0, "")


@pytest.mark.parametrize("status", ["granted", "refused"])
def test_a_decision_without_its_day_is_an_invalid_store(
    tmp_path: Path, status: str
) -> None:
    path = write(tmp_path / "undated.toml", APPLICATION + f'status = "{status}"\n')
    code, _, err = _run(path, "warn")
    assert code == 3
    expected = (
        f"undated.toml: application A1: decided: is missing: a {status} "
        f"application carries the day it was {status}"
    )
    assert expected in err
    code, _, err = _run(path, "applications")
    assert code == 65
    assert err.splitlines() == [f"licenses: {path}: {expected.split(': ', 1)[1]}"]


def test_a_grant_recorded_without_its_license_is_history(tmp_path: Path) -> None:
    """An application decided before the store kept its license (the example
    store's A6-A12) names none: it is read, and counts in the review times."""
    path = write(
        tmp_path / "history.toml",
        APPLICATION + 'status = "granted"\ndecided = 2025-11-20\n',
    )
    code, out, _ = _run(path, "warn")
    assert (code, out) == (0, "")
    code, out, _ = _run(path, "applications", "--all")
    assert code == 0
    assert "granted" in out
