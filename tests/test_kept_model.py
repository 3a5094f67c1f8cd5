"""A day's review-time model is kept with the store's cache entry and read back
by the day's later runs (service.kept_model): the same answers, never another
day's, another holidays release's or another store's."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest

from export_licenses.service import kept_model, leadtimes
from export_licenses.storage import cache
from export_licenses.storage import store as stores

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run
    from export_licenses.domain.observation import Observation

DAY = "2026-01-15"


def _history() -> str:
    """Gallium to FR and to DE: decided after 20 to 110 weekdays, three still
    pending; two licenses; a samarium application whose group is too thin to
    plan on (the statutory model)."""
    text, n = 'version = 1\n[settings]\ncalendar = "none"\n', 0
    filed = date(2025, 3, 3)
    for destination in ("FR", "DE"):
        for days in range(20, 120, 10):
            n += 1
            decided = filed + timedelta(days=days * 7 // 5)
            status = "refused" if n % 4 == 0 else "granted"
            text += (
                f'[[application]]\nid = "A{n}"\nmaterial = "gallium metal"\n'
                f'destination = "{destination}"\nfiled = {filed}\n'
                f'status = "{status}"\ndecided = {decided}\n'
            )
    for material, destination, day in (
        ("gallium metal", "FR", "2025-10-01"),
        ("gallium metal", "DE", "2025-11-03"),
        ("gallium metal", "FR", "2025-12-01"),
        ("samarium oxide", "JP", "2025-12-15"),
    ):
        n += 1
        text += (
            f'[[application]]\nid = "A{n}"\nmaterial = "{material}"\n'
            f'destination = "{destination}"\nfiled = {day}\nstatus = "pending"\n'
        )
    for number, destination in ((1, "FR"), (2, "DE")):
        text += (
            f'[[license]]\nid = {number}\nmaterial = "gallium metal"\n'
            f'destination = "{destination}"\nissued = 2025-11-03\nterm_months = 6\n'
        )
    return text


COMMANDS = (
    ("warn", "-f", "json"),
    ("list", "-f", "json"),
    ("due", "-f", "json", "--within", "365"),
    ("show", "1", "-f", "json"),
    ("applications", "-f", "json"),
    ("coverage", "-f", "json"),
)


@pytest.fixture(autouse=True)
def cache_every_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """This store is small; cache it as if it were large."""
    monkeypatch.setattr(cache, "MIN_BYTES", 0)


@pytest.fixture
def fits(monkeypatch: pytest.MonkeyPatch) -> list[date]:
    """The days the model was fitted for, from now on."""
    found: list[date] = []
    observe = leadtimes.observations

    def counted(*args: object, **kwargs: object) -> list[Observation]:
        found.append(args[2])  # type: ignore[arg-type] # (data, calendar, today)
        return observe(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(leadtimes, "observations", counted)
    return found


def _answers(run: Run, day: str, env: dict[str, str] | None = None) -> list[str]:
    found = []
    for command in COMMANDS:
        result = run(*command, "--today", day, env=env)
        assert result.exit_code in {0, 1, 2}, result.stderr
        found.append(result.stdout)
    return found


def test_the_days_model_is_read_back_and_answers_as_fitted(
    run: Run, store: Path, fits: list[date]
) -> None:
    store.write_text(_history(), "utf-8")
    live = _answers(run, DAY, env={"LICENSES_CACHE": "0"})
    assert len(fits) == len(COMMANDS)  # no cache: fitted by each command
    first = _answers(run, DAY)  # fits once, and keeps it
    assert len(fits) == len(COMMANDS) + 1
    kept = _answers(run, DAY)
    assert len(fits) == len(COMMANDS) + 1  # read back: not fitted again
    assert kept == first == live
    assert '"observed: gallium metal/FR, 10 decided, 2 pending"' in kept[1]


def test_another_day_is_fitted_afresh(run: Run, store: Path, fits: list[date]) -> None:
    store.write_text(_history(), "utf-8")
    _answers(run, DAY)
    later = "2026-02-02"  # the pending applications have waited longer
    live = _answers(run, later, env={"LICENSES_CACHE": "0"})
    fits.clear()
    assert _answers(run, later) == live
    assert fits == [date(2026, 2, 2)]  # once, then kept for that day
    assert _answers(run, DAY) == _answers(run, DAY, env={"LICENSES_CACHE": "0"})


def test_a_new_holidays_release_is_fitted_afresh(
    run: Run, store: Path, fits: list[date], monkeypatch: pytest.MonkeyPatch
) -> None:
    store.write_text(_history(), "utf-8")
    _answers(run, DAY)
    fits.clear()
    monkeypatch.setattr(kept_model, "holidays_release", lambda: "9999.1.1")
    _answers(run, DAY)
    assert fits == [date(2026, 1, 15)]
    monkeypatch.setattr(kept_model, "holidays_release", lambda: None)
    _answers(run, DAY)
    assert len(fits) == 1 + len(COMMANDS)  # no release known: nothing kept


def test_a_model_never_goes_to_another_stores_entry(store: Path) -> None:
    store.write_text(_history(), "utf-8")
    old = stores.read(store)
    assert cache.keeps_day_models(old)
    store.write_text(
        _history().replace("issued = 2025-11-03", "issued = 2025-11-04"), "utf-8"
    )
    new = stores.read(store)  # the same entry file, now the new bytes'
    cache.keep_day_model(old, b"day", b"fitted on the old bytes")
    assert cache.day_model(new, b"day") is None
    assert cache.day_model(stores.read(store), b"day") is None


def test_a_store_without_applications_keeps_nothing(store: Path) -> None:
    store.write_text(
        'version = 1\n[[license]]\nid = 1\nmaterial = "gallium metal"\n'
        'destination = "FR"\nissued = 2025-11-03\nterm_months = 6\n',
        "utf-8",
    )
    assert not cache.keeps_day_models(stores.read(store))


def test_a_damaged_kept_model_is_a_miss(
    run: Run, store: Path, cache_folder: Path, fits: list[date]
) -> None:
    store.write_text(_history(), "utf-8")
    first = _answers(run, DAY)
    (entry,) = [
        path
        for path in (cache_folder / "stores").glob("*.msgpack")
        if path.name == cache.entry_name(store)
    ]
    blob = bytearray(entry.read_bytes())
    blob[-3] ^= 0xFF  # inside the kept model: the CRC no longer agrees
    entry.write_bytes(bytes(blob))
    fits.clear()
    assert _answers(run, DAY) == first
    assert fits == [date(2026, 1, 15)]  # the entry was a miss: parsed, fitted
