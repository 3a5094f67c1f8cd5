"""A store whose merge left changes to settle (audit s10-contract, 1): it still
reads, but as our side only, so warn never says OK of it, and every reader
says so."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from helpers import licenses_in_process

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

BASE = """version = 1

[settings]
calendar = "none"

[[license]]
id = 1
number = "N1"
material = "gallium metal"
destination = "JP"
issued = 2026-06-10
expires = {expires}
"""
TODAY = ("--today", "2026-11-30")
SAID = "a merge left 1 change to settle (listed at the top of the file)"


def merged(tmp_path: Path, store: Path, ours: str, theirs: str) -> None:
    """``store`` as git leaves it after a pull whose merge conflicts: the merge
    driver's result, ours kept, the change listed at the top."""
    sides = {"base": "2027-06-10", "ours": ours, "theirs": theirs}
    for side, expires in sides.items():
        (tmp_path / f"{side}.toml").write_text(BASE.format(expires=expires))
    done = licenses_in_process(
        "merge-driver", *(str(tmp_path / f"{s}.toml") for s in sides), store.name
    )
    assert done.returncode == 1, done.stderr  # a conflict remains
    store.write_bytes((tmp_path / "ours.toml").read_bytes())
    assert store.read_text().startswith("# licenses merge conflict:")


def test_warn_is_unknown_on_our_side_of_an_unsettled_merge(
    run: Run, store: Path, tmp_path: Path
) -> None:
    # Theirs says the license expires in 5 days; ours, in half a year.
    merged(tmp_path, store, ours="2027-06-01", theirs="2026-12-05")
    nagios = run("warn", "-f", "nagios", *TODAY)
    assert nagios.exit_code == 3
    assert nagios.stdout.startswith(f"LICENSES UNKNOWN - {store}: {SAID}")
    assert "our side of it only" in nagios.stdout
    assert "1 license ok |" in nagios.stdout
    text = run("warn", *TODAY)
    assert text.exit_code == 3
    assert text.stdout.startswith(f"UNKNOWN: {store}: {SAID}")
    document = json.loads(run("warn", "-f", "json", *TODAY).stdout)
    assert document["state"] == "UNKNOWN"
    assert SAID in document["error"]
    [change] = document["merge_conflicts"]
    assert change.startswith("license 1 expires: ours ")
    metrics = run("warn", "-f", "prometheus", *TODAY)
    assert metrics.exit_code == 3
    assert "\nlicenses_status 3\n" in metrics.stdout
    assert "\nlicenses_merge_conflicts 1\n" in metrics.stdout
    quiet = run("warn", "-q", *TODAY)
    assert (quiet.exit_code, quiet.stdout) == (3, "")
    assert SAID in quiet.stderr


def test_a_critical_alert_on_our_side_stays_critical(
    run: Run, store: Path, tmp_path: Path
) -> None:
    merged(tmp_path, store, ours="2026-12-05", theirs="2027-06-01")
    nagios = run("warn", "-f", "nagios", *TODAY)
    assert nagios.exit_code == 2
    assert nagios.stdout.startswith(f"LICENSES CRITICAL - {store}: {SAID}")
    assert "; 1 critical |" in nagios.stdout
    document = json.loads(run("warn", "-f", "json", *TODAY).stdout)
    assert document["state"] == "CRITICAL"
    assert "error" not in document
    assert len(document["merge_conflicts"]) == 1


def test_a_settled_store_is_ok_again(run: Run, store: Path, tmp_path: Path) -> None:
    merged(tmp_path, store, ours="2027-06-01", theirs="2026-12-05")
    text = store.read_text()
    store.write_text(text[text.index("version = 1") :])  # the comment removed
    nagios = run("warn", "-f", "nagios", *TODAY)
    assert (nagios.exit_code, nagios.stderr) == (0, "")
    assert json.loads(run("warn", "-f", "json", *TODAY).stdout)["merge_conflicts"] == []
    assert "\nlicenses_merge_conflicts 0\n" in run("warn", "-f", "prometheus").stdout


def test_the_other_readers_still_read_and_say_it_once(
    run: Run, store: Path, tmp_path: Path
) -> None:
    merged(tmp_path, store, ours="2027-06-01", theirs="2026-12-05")
    for command in (("list",), ("due", "--within", "400"), ("show", "1"), ("agenda",)):
        result = run(*command, *TODAY)
        assert result.exit_code == 0, command
        assert result.stderr.count(SAID) == 1, command
    assert "N1" in run("list", *TODAY).stdout
    sent = run(
        "notify", "--dry-run", "--today", "2027-05-01",
        env={"LICENSES_NOTIFY": "json://h.example.com/x"},
    )  # fmt: skip
    assert sent.exit_code == 0, sent.stderr
    assert "a merge is not settled" in sent.stdout
    assert f"UNKNOWN: {store}: {SAID}" in sent.stdout
