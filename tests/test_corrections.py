"""A lifecycle that can be corrected: reopen, remove a renewal by mistake, and
edits that would strand recorded shipments."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run


def ok(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout).strip()


def show(run: Run, key: str) -> dict[str, Any]:
    obj = json.loads(ok(run, "show", key, "-f", "json", "--today", "2026-01-15"))
    assert isinstance(obj, dict)
    return obj


def add(run: Run) -> None:
    ok(
        run,
        *("add", "-m", "dysprosium oxide", "-d", "US", "-i", "2025-11-03"),
        *("--quantity", "1000", "--unit", "kg"),
    )


def test_reopen_takes_a_closed_license_back_and_keeps_the_history(run: Run) -> None:
    add(run)
    ok(run, "close", "1", "--reason", "wrong one", "--today", "2026-01-10")
    ok(run, "reopen", "1", "--today", "2026-01-12")
    lic = show(run, "1")
    assert (lic["status"], lic["level"]) == ("active", "ok")
    text = ok(run, "show", "1", "--today", "2026-01-15")
    assert "2026-01-10 (wrong one)" in text
    assert "Reopened:      2026-01-12" in text
    ok(run, "close", "1", "--revoked")
    ok(run, "reopen", "1")
    result = run("reopen", "1")
    assert result.exit_code == 64
    assert "only a closed or revoked license can be reopened" in result.stderr


def test_removing_a_renewal_gives_the_predecessor_back(run: Run, store: Path) -> None:
    add(run)
    assert ok(run, "renew", "1", "--issued", "2026-04-20") == "2"
    ok(run, "remove", "2", "--yes")
    lic = show(run, "1")
    assert (lic["status"], lic["superseded_by"]) == ("active", None)
    apps = json.loads(ok(run, "applications", "--all", "-f", "json"))
    assert [(a["status"], a["license"]) for a in apps] == [("withdrawn", None)]
    assert "removed as entered by mistake" in apps[0]["refusal_reason"]
    assert "removed_ids = [\n    2,\n]" in store.read_text(encoding="utf-8")


def test_removing_a_grant_puts_a_filed_application_back_to_pending(run: Run) -> None:
    add(run)
    ok(run, "apply", "1", "--on", "2026-01-05")
    ok(run, "grant", "A1", "--issued", "2026-03-02")
    ok(run, "remove", "2", "--yes")
    lic = show(run, "1")
    assert (lic["status"], lic["superseded_by"], lic["renewal_filed"]) == (
        "renewal-filed",
        None,
        "2026-01-05",
    )
    (app,) = json.loads(ok(run, "applications", "-f", "json"))
    assert (app["status"], app["license"], app["decided"]) == ("pending", None, None)
    assert ok(run, "grant", "A1", "--issued", "2026-03-03") == "3"  # ids not reused


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--issued", "2025-12-02"],
            "--issued: 2025-12-02 is after the first shipment",
        ),
        (["--expires", "2026-01-09"], "--expires: would end the license on 2026-01-09"),
        (["--term", "1"], "--term: would end the license on 2025-12-03"),
        (["--unit", "t"], "--unit: cannot change once shipped"),
        (["--unset", "unit"], "--unit: cannot change once shipped"),
        (["--quantity", "299"], "--quantity: 299 is below the 300 already shipped"),
    ],
)
def test_edit_refuses_changes_that_strand_shipments(
    run: Run, store: Path, args: list[str], message: str
) -> None:
    add(run)
    ok(run, "ship", "1", "100", "--on", "2025-12-01")
    ok(run, "ship", "1", "200", "--on", "2026-01-10")
    before = store.read_bytes()
    result = run("edit", "1", *args)
    assert result.exit_code == 64, result.stderr
    assert message in result.stderr
    assert store.read_bytes() == before


def test_edit_within_the_shipments_is_fine(run: Run) -> None:
    add(run)
    ok(run, "ship", "1", "100", "--on", "2025-12-01")
    ok(run, "edit", "1", "--issued", "2025-12-01", "--quantity", "100")
    ok(run, "edit", "1", "--expires", "2025-12-01")
    assert show(run, "1")["expires"] == "2025-12-01"


def test_no_applications_is_said_on_stderr(run: Run) -> None:
    add(run)
    result = run("applications")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "no applications\n",
    )


def test_remove_asks_with_the_license_before_the_lock_and_a_no_changes_nothing(
    run: Run, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """remove's question is put by the service, from a read without the lock:
    a no leaves the store as it was, byte for byte, and another writer may
    write while the person is asked."""
    from export_licenses.service import removal  # noqa: PLC0415
    from export_licenses.storage import store_read  # noqa: PLC0415

    add(run)
    add(run)
    monkeypatch.setenv("LICENSES_LOCK_TIMEOUT", "0")  # a held lock fails the edit
    asked: list[int] = []

    def no(lic: Any) -> bool:
        asked.append(lic.id)
        ok(run, "edit", "1", "--note", "written while asked")  # no lock held
        return False

    assert removal.remove(store, "2", no) is None
    assert asked == [2]
    after = store.read_bytes()
    assert [lic.id for lic in store_read.read(store).licenses] == [1, 2]
    assert removal.remove(store, "1", lambda _: False) is None
    assert store.read_bytes() == after


def test_remove_takes_the_license_confirmed_not_what_the_key_finds_later(
    run: Run, store: Path
) -> None:
    """The key is read before the question and the removal after it: the
    license removed is the one the person said yes to, by its id."""
    from export_licenses.errors import UsageProblem  # noqa: PLC0415
    from export_licenses.service import removal  # noqa: PLC0415
    from export_licenses.storage import store_read  # noqa: PLC0415

    add(run)
    ok(run, "edit", "1", "--number", "N-1")
    add(run)

    def renumbered(lic: Any) -> bool:
        assert lic.id == 1
        # While asked, N-1 moves to license 2: the yes was for license 1.
        ok(run, "edit", "1", "--unset", "number")
        ok(run, "edit", "2", "--number", "N-1")
        return True

    removed = removal.remove(store, "N-1", renumbered)
    assert removed is not None
    assert removed.id == 1
    assert [lic.id for lic in store_read.read(store).licenses] == [2]

    def removed_meanwhile(lic: Any) -> bool:
        ok(run, "remove", str(lic.id), "--yes")
        return True

    with pytest.raises(UsageProblem, match=r"license 2\b.* no longer in the store"):
        removal.remove(store, "2", removed_meanwhile)


def test_remove_without_a_question_takes_what_the_key_finds(
    run: Run, store: Path
) -> None:
    from export_licenses.service import removal  # noqa: PLC0415

    add(run)
    removed = removal.remove(store, "1")
    assert removed is not None
    assert removed.id == 1
