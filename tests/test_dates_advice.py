"""The dates and advice each command gives agree with the others and with the
docs (audit s8-dates): an expired license's line keeps what is known of its
renewal, a confirmation names the day to act on, a declined renewal is never
listed for its filing deadline, a chance beyond the history is a bound, and an
application past its due day is overdue everywhere on the same day."""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers import write

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Run

RENEWAL_FILED = """version = 1
[[license]]
id = 1
material = "cerium"
destination = "US"
issued = 2025-09-01
expires = 2026-03-01
status = "renewal-filed"
renewal_filed = 2026-01-05
"""


def test_an_expired_licenses_warn_line_keeps_its_renewal_and_its_due_day(
    run: Run, store: Path
) -> None:
    write(store, RENEWAL_FILED)
    result = run("--today", "2026-03-05", "warn")
    assert result.exit_code == 2
    assert result.stdout == (
        "EXPIRED: license 1, cerium to US: expired 2026-03-01 (4 days ago); "
        "renewal filed on 2026-01-05; decision is due 2026-03-13\n"
    )
    # Once the due day has passed, it is said in the past.
    later = run("--today", "2026-03-20", "warn")
    assert "renewal filed on 2026-01-05; decision was due 2026-03-13" in later.stdout
