"""Shell completion, as bash, zsh and fish ask for it: commands, options,
choices, license ids and numbers, application ids."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from helpers import EXAMPLE, licenses_in_process, licenses_process

if TYPE_CHECKING:
    from pathlib import Path

STORE = ("--store", str(EXAMPLE))


def complete(shell: str, line: str, *, process: bool = False) -> list[str]:
    """What the completion script gets back for the words of ``line`` (the last
    one being completed; end ``line`` with a space to complete a new word).

    In this process, as Click answers it; ``process=True`` asks a real child, as
    the shell does (the first test below, and the scripts' test)."""
    words = line.split(" ")
    env = {"_LICENSES_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        env |= {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": line}
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    done = (licenses_process if process else licenses_in_process)(env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return [line for line in done.stdout.splitlines() if line]


def test_commands_and_options_complete() -> None:
    assert complete("bash", "licenses sh", process=True) == ["ship", "show"]
    assert complete("bash", "licenses sh") == ["ship", "show"]
    assert "--sort" in complete("bash", "licenses list --so")
    assert complete("bash", "licenses list --sort ") == [
        "expires",
        "id",
        "material",
        "destination",
        "days_left",
        "level",
    ]


def test_license_ids_complete_for_commands_that_take_one() -> None:
    store = " ".join(STORE)
    for command in ("show", "edit"):
        assert complete("bash", f"licenses {store} {command} 1") == [
            "1",
            *map(str, range(10, 20)),
        ]
    # only what fits: license 13 is renewed, 16 closed and 19 exported (an
    # individual license ends with its export), so none of them can be closed,
    # renewed or applied for
    for command in ("close", "renew", "apply"):
        assert complete("bash", f"licenses {store} {command} 1") == [
            "1",
            "10",
            "11",
            "12",
            "14",
            "15",
            "17",
            "18",
        ]


def test_ship_completes_only_what_ship_would_take(tmp_path: Path) -> None:
    # On 2026-01-15 licenses 1 and 2 have expired, 12 is fully drawn (200 of
    # 200 kg), 19 is exported: ship refuses each, so none is offered.
    store = " ".join(STORE)
    offered = complete("bash", f"licenses {store} --today 2026-01-15 ship ")
    assert offered == ["3", "4", "5", "6", "7", "8", "9", "10", "11", "14", "15",
                       "17", "18", "20"]  # fmt: skip
    copy = tmp_path / "licenses.toml"
    copy.write_bytes(EXAMPLE.read_bytes())
    for key in [*offered, "1", "2", "12", "19"]:
        took = licenses_in_process(
            "--store", str(copy), "--today", "2026-01-15", "ship", key, "1"
        )
        assert took.returncode == (0 if key in offered else 64), (key, took.stderr)
    assert complete("bash", f"licenses {store} --today 2026-11-30 ship ") == [
        "10", "17", "18", "20"
    ]  # fmt: skip
    # a shipment --on a past day: the licenses valid on that day
    back = complete(
        "bash", f"licenses {store} --today 2026-11-30 ship --on 2025-12-10 "
    )
    assert back == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "14", "15",
                    "18", "20"]  # fmt: skip


def test_license_numbers_complete() -> None:
    store = " ".join(STORE)
    assert complete("bash", f"licenses {store} close MOFCOM-2025-D") == [
        "MOFCOM-2025-DY-0412",
        "MOFCOM-2025-DY-0388",
    ]


def test_application_ids_complete_with_what_they_are_in_zsh() -> None:
    store = " ".join(STORE)
    shown = "\n".join(complete("zsh", f"licenses {store} show A"))
    for label in ("A1", "A2", "A3", "A4", "A5"):
        assert f'"{label}":' in shown
    assert '"A3":"samarium oxide to JP (pending)"' in shown


def test_only_pending_applications_complete_for_a_decision() -> None:
    store = " ".join(STORE)
    for command in ("grant", "refuse", "accept", "withdraw"):
        # A1 was granted and A2 refused: no decision left to record; of the
        # history (A6 to A17, issue 22) A14 to A17 still wait, and so does
        # A18, the holmium oxide application.
        assert complete("bash", f"licenses {store} {command} A") == [
            "A3",
            "A4",
            "A5",
            "A14",
            "A15",
            "A16",
            "A17",
            "A18",
        ]


def test_hold_completes_running_clocks_and_resume_stopped_ones() -> None:
    store = " ".join(STORE)
    # Of the pending applications, A5 and A16 have a stopped clock (A3's ran
    # again on 2025-11-24).
    assert complete("bash", f"licenses {store} resume A") == ["A5", "A16"]
    assert complete("bash", f"licenses {store} hold A") == [
        "A3",
        "A4",
        "A14",
        "A15",
        "A17",
        "A18",
    ]


def test_fish_gets_values_and_descriptions() -> None:
    store = " ".join(STORE)
    assert complete("fish", f"licenses {store} show MOFCOM-2025-SC") == [
        "MOFCOM-2025-SC-0098\tlicense 10 (active)"
    ]


def test_show_completes_licenses_and_applications() -> None:
    store = " ".join(STORE)
    # A1 to A17: the example store's history (issue 22); A18 for holmium oxide
    assert complete("bash", f"licenses {store} show A") == [
        f"A{n}" for n in range(1, 19)
    ]


def test_the_store_from_the_environment_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LICENSES_STORE", str(EXAMPLE))
    # A1 to A17: the example store's history (issue 22); A18 for holmium oxide
    assert complete("bash", "licenses show A") == [f"A{n}" for n in range(1, 19)]


@pytest.mark.parametrize("content", [None, "this is [not toml", "version = 99\n"])
def test_a_store_that_cannot_be_read_completes_nothing_and_says_nothing(
    content: str | None, tmp_path: pytest.TempPathFactory
) -> None:
    path = tmp_path / "store.toml"  # type: ignore[operator]
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert complete("bash", f"licenses --store {path} show ") == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_for_each_shell(shell: str) -> None:
    done = licenses_process(
        "--show-completion",
        shell,
        env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert "_LICENSES_COMPLETE" in done.stdout
    assert f"complete_{shell}" in done.stdout
