"""What a write holds the store's writer lock for (issue 21): the check and
the write, never the verdict the command shows. A verdict may build a holiday
calendar and fit the review-time model (0.15-0.25 s on a cold cache), and
every other writer of a team would wait for it. ``add``'s own test is in
test_pipeline.py; ``ack`` stores the level it saw, so works it out under the
lock."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from export_licenses.service.pipeline import Pipeline
from export_licenses.storage import store as store_api

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

TODAY = "2026-01-15"
# Working days are Monday to Friday, so no holiday calendar is built.
PLAIN = 'version = 1\n[settings]\ncalendar = "none"\n'
LICENSE = (
    *("add", "-m", "yttrium oxide", "-d", "US", "-i", "2025-10-01"),
    *("--quantity", "900", "--unit", "kg"),
)
APPLICATION = (
    *("apply", "-m", "samarium oxide", "-d", "Japan"),
    *("--quantity", "500", "--unit", "kg", "--on", "2026-01-05"),
)

# Each operation: what the store holds first, then the command. ``edit`` of
# what a license already holds writes nothing, and shows its verdict too.
OPERATIONS: dict[str, tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]] = {
    "edit": ((LICENSE,), ("edit", "1", "--quantity", "800")),
    "edit-unchanged": ((LICENSE,), ("edit", "1", "--quantity", "900")),
    "close": ((LICENSE,), ("close", "1", "--reason", "done")),
    "reopen": ((LICENSE, ("close", "1")), ("reopen", "1")),
    "ship": ((LICENSE,), ("ship", "1", "100", "--on", "2026-01-10")),
    "grant": ((APPLICATION,), ("grant", "A1", "--issued", "2026-01-14")),
    "renew": ((LICENSE,), ("renew", "1", "--issued", "2026-01-14")),
    "apply": ((), APPLICATION),
    "accept": ((APPLICATION,), ("accept", "A1", "--on", "2026-01-06")),
    "hold": ((APPLICATION,), ("hold", "A1", "--on", "2026-01-12")),
    "resume": (
        (APPLICATION, ("hold", "A1", "--on", "2026-01-12")),
        ("resume", "A1", "--on", "2026-01-14"),
    ),
    "change": ((LICENSE,), ("change", "1", "--quantity", "800", "--on", TODAY)),
    "refuse": ((APPLICATION,), ("refuse", "A1", "--on", "2026-01-14")),
    "withdraw": ((APPLICATION,), ("withdraw", "A1", "--on", "2026-01-14")),
}


@pytest.mark.parametrize("operation", OPERATIONS)
def test_the_verdict_is_worked_out_once_the_lock_is_released(
    operation: str, run: Run, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What every verdict rests on (the calendar, the review times) is built
    only when the writer lock can be taken at once: StoreLocked otherwise."""
    store.write_text(PLAIN, encoding="utf-8")
    before, command = OPERATIONS[operation]
    for args in before:
        done = run(*args, "--today", TODAY)
        assert done.exit_code == 0, done.stderr
    built = Pipeline.of
    unlocked: list[Pipeline] = []

    def of_unlocked(_: type[Pipeline], *args: Any, **kwargs: Any) -> Pipeline:
        with store_api.locked(store, timeout=0):  # StoreLocked if still held
            unlocked.append(built(*args, **kwargs))
        return unlocked[-1]

    monkeypatch.setattr(Pipeline, "of", classmethod(of_unlocked))
    result = run(*command, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert unlocked  # the command did show a verdict


@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_calendar_the_holidays_package_lacks_is_refused_before_writing(
    operation: str, run: Run, store: Path
) -> None:
    """Found only when working days are counted, which the verdict does after
    the write: the change checks it first, as `add` does (exit 65, the store
    as it was)."""
    store.write_text(PLAIN, encoding="utf-8")
    before, command = OPERATIONS[operation]
    for args in before:
        assert run(*args, "--today", TODAY).exit_code == 0
    store.write_text(
        store.read_text(encoding="utf-8").replace('"none"', '"ZZ"'), encoding="utf-8"
    )
    kept = store.read_bytes()
    result = run(*command, "--today", TODAY)
    assert result.exit_code == 65, result.stderr
    assert "no calendar 'ZZ'" in result.stderr
    assert store.read_bytes() == kept


def test_a_verdict_that_fails_after_the_write_says_the_change_was_written(
    run: Run, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in what a write shows must not read as "nothing done": a script
    that ran `ship` again would record the shipment twice."""
    store.write_text(PLAIN, encoding="utf-8")
    assert run(*LICENSE, "--today", TODAY).exit_code == 0

    def broken(*_: Any, **__: Any) -> Pipeline:
        raise RuntimeError("a verdict's bug")

    monkeypatch.setattr(Pipeline, "of", classmethod(broken))
    result = run("ship", "1", "100", "--on", "2026-01-10", "--today", TODAY)
    assert result.exit_code == 70
    assert "the change was written" in result.stderr
    assert "this is a bug" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    monkeypatch.undo()
    shown = run("show", "1", "--today", TODAY)
    assert "100 kg in 1 shipment" in shown.stdout
