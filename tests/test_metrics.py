"""warn --format prometheus, read back by Prometheus's own parser."""

from __future__ import annotations

import shutil
import subprocess
import time
from datetime import datetime
from typing import TYPE_CHECKING

import pytest
from prometheus_client.parser import text_string_to_metric_families

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

TODAY = "2026-01-15"
PROMTOOL = shutil.which("promtool")


def stamp(moment: str) -> float:
    return datetime.fromisoformat(moment).timestamp()


def families(text: str) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    found: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
    for family in text_string_to_metric_families(text):
        assert family.type == "gauge"
        assert family.documentation
        found[family.name] = {
            tuple(sorted(s.labels.items())): s.value for s in family.samples
        }
    return found


def labels(
    id_: int, number: str, material: str, destination: str
) -> tuple[tuple[str, str], ...]:
    return tuple(
        sorted(
            {
                "id": str(id_),
                "number": number,
                "material": material,
                "destination": destination,
            }.items()
        )
    )


def test_metrics_of_the_example_store(run: Run, example: Path) -> None:
    result = run("--store", str(example), "--today", TODAY, "warn", "-f", "prometheus")
    assert result.exit_code == 2  # the same exit code as every warn: CRITICAL
    assert result.stderr == ""
    found = families(result.stdout)
    assert found["licenses_status"] == {(): 2}
    dy = labels(1, "MOFCOM-2025-DY-0412", "dysprosium oxide", "US")
    # last valid day 2025-12-20: valid until 2025-12-21 00:00 UTC
    expiry = found["licenses_expiry_timestamp_seconds"]
    assert expiry[dy] == stamp("2025-12-21T00:00:00+00:00")
    assert found["licenses_level"][dy] == 3  # expired
    # expired Sat 2025-12-20: 45 working days before Fri 2025-12-19
    renew_by = found["licenses_renew_by_timestamp_seconds"]
    assert renew_by[dy] == stamp("2025-10-18T00:00:00+00:00")  # after 2025-10-17
    ok = labels(10, "MOFCOM-2025-SC-0098", "scandium oxide", "US")
    assert found["licenses_level"][ok] == 0
    assert expiry[ok] == stamp("2026-12-01T00:00:00+00:00")  # 319 days left
    # The gallium license's renewal is filed: no filing deadline to watch.
    ga = labels(5, "MOFCOM-2025-GA-0042", "gallium metal", "FR")
    assert ga in expiry
    assert ga not in renew_by
    assert found["licenses_applications_overdue"] == {(): 2}  # A3 and A14
    assert found["licenses_active"] == {(): 17}  # 19 is exported, 13 and 16 done
    assert len(expiry) == 17
    assert not [name for name in found if "days" in name]  # no _days units
    assert set(found["licenses_level"].values()) == {0, 1, 2, 3}


def test_labels_are_escaped(run: Run) -> None:
    run("add", "-m", 'magnets "N52"\\grade', "-d", "US", "-i", "2026-01-05")
    result = run("--today", TODAY, "warn", "-f", "prometheus")
    assert result.exit_code == 0
    (key,) = families(result.stdout)["licenses_expiry_timestamp_seconds"]
    assert dict(key)["material"] == 'magnets "N52"\\grade'
    assert dict(key)["number"] == ""
    assert families(result.stdout)["licenses_status"] == {(): 0}


def test_a_store_that_cannot_be_read_is_status_3_not_silence(
    run: Run, store: Path
) -> None:
    store.write_text("[[licenses]\n", encoding="utf-8")
    result = run("--today", TODAY, "warn", "-f", "prometheus")
    assert result.exit_code == 3
    assert families(result.stdout) == {"licenses_status": {(): 3}}
    assert result.stderr.startswith("licenses warn: UNKNOWN: ")


def test_a_bad_option_is_status_3_too(run: Run) -> None:
    result = run("warn", "--format", "prometheus", "--bogus")
    assert result.exit_code == 3
    assert families(result.stdout) == {"licenses_status": {(): 3}}


def test_an_empty_store_is_ok_with_no_licenses(run: Run) -> None:
    run("init")
    result = run("--today", TODAY, "warn", "-f", "prometheus")
    assert result.exit_code == 0
    found = families(result.stdout)
    assert found["licenses_status"] == {(): 0}
    assert found["licenses_active"] == {(): 0}
    assert found["licenses_expiry_timestamp_seconds"] == {}


def test_the_check_says_when_it_ran(run: Run, example: Path) -> None:
    before = time.time()
    result = run("--store", str(example), "--today", TODAY, "warn", "-f", "prometheus")
    after = time.time()
    (checked,) = families(result.stdout)[
        "licenses_last_check_timestamp_seconds"
    ].values()
    assert round(before) <= checked <= round(after)


@pytest.mark.skipif(
    PROMTOOL is None,
    reason="no promtool on PATH (Debian: apt-get install prometheus; .ci/run "
    "installs it when it runs as root)",
)
@pytest.mark.parametrize("broken", [False, True])
def test_promtool_finds_nothing_to_say(
    run: Run, example: Path, store: Path, *, broken: bool
) -> None:
    """Prometheus's own linter: names, units, HELP and TYPE, no warnings."""
    if broken:
        store.write_text("[[licenses]\n", encoding="utf-8")
        example = store
    result = run("--store", str(example), "--today", TODAY, "warn", "-f", "prometheus")
    assert result.stdout
    assert PROMTOOL is not None
    checked = subprocess.run(
        [PROMTOOL, "check", "metrics"],
        input=result.stdout,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "", "")
