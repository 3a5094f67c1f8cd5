"""A store with a review-time history, for issue 22's budget: `warn` at 1,000
licenses with 1,000 applications behind them stays within the start-up targets
(the survival model is fitted once per group and run, not once per license).

The applications are filed over the year before TODAY on the licenses' own
materials and destinations: four in five decided (granted or refused, 20 to 120
working days on), the rest still waiting, as in a backlog.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

YEAR = 365
DECIDED = 0.8  # of those whose decision day has come, the share decided
GRANTED = 0.85  # of the decided, the share granted


def application_lines(
    licenses: Sequence[tuple[int, date, str, str]], count: int, today: date
) -> list[str]:
    rng = random.Random(count)  # noqa: S311 - test data, not secrets
    lines: list[str] = []
    for n in range(1, count + 1):
        _, _, material, destination = rng.choice(licenses)
        filed = today - timedelta(days=rng.randrange(10, YEAR))
        accepted = filed + timedelta(days=rng.randrange(1, 5))
        lines += [
            "[[application]]",
            f'id = "A{n}"',
            f'material = "{material}"',
            f'destination = "{destination}"',
            f"filed = {filed.isoformat()}",
            f"accepted = {accepted.isoformat()}",
        ]
        decided = accepted + timedelta(days=rng.randrange(28, 170))
        if decided < today and rng.random() < DECIDED:
            status = "granted" if rng.random() < GRANTED else "refused"
            lines += [f'status = "{status}"', f"decided = {decided.isoformat()}"]
        else:
            lines.append('status = "pending"')
        lines.append("")
    return lines


def add_history(
    store: Path, licenses: Sequence[tuple[int, date, str, str]], count: int, today: date
) -> None:
    """Append ``count`` applications to the store ``store`` (written already)."""
    text = store.read_text(encoding="utf-8")
    extra = "\n".join(application_lines(licenses, count, today))
    store.write_text(text + "\n" + extra + "\n", encoding="utf-8")
