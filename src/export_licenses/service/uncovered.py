"""What the store ships under a control that needs a license with no license
or application of that control's authority covering it (issue 23 section 3):
``warn``'s CRITICAL lines, ``coverage``'s critical rows, ``agenda``'s
``apply_uncovered`` and so ``notify``'s, in the same words. The domain side is
``policy.uncovered``; here the store is read and the words are made.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from export_licenses.domain import policy
from export_licenses.domain.controls import Control
from export_licenses.domain.rules import Level
from export_licenses.domain.store_data import StoreData

from .controls import STORE, all_controls, own_numbers, resting_on


class Uncovered(NamedTuple):
    """What the store ships under a control that needs a license (in force,
    or its suspension ended: ``controls.NEEDS_LICENSE``) with no license or
    application of the control's authority covering it (issue 23 section 3):
    critical, in ``coverage``, ``warn``, ``agenda`` and the report alike.
    ``authority`` is whose license it needs (MOFCOM's, for a BIS export under
    MOFCOM 2025 No. 61), as ``coverage``'s row to apply names it."""

    material: str  # as the store writes it
    destination: str
    authority: str
    controls: tuple[str, ...]  # the numbers of the controls needing a license
    text: str  # "terbium oxide to DE: MOFCOM 2025 No. 18 in force (...)"
    level: Level = Level.CRITICAL
    why: str = ""  # "MOFCOM 2025 No. 18 in force": ``policy.needing_words``
    # "MOFCOM " when the store holds or ships it under another authority too,
    # whose license is no license here (a BIS one under MOFCOM 2025 No. 61).
    whose: str = ""

    @property
    def advice(self) -> str:
        """What to do, after why: the end of ``text`` and of the report's line."""
        return advice(self.whose)

    def as_json(self) -> dict[str, Any]:
        return {
            "level": self.level.value,
            "material": self.material,
            "destination": self.destination,
            "authority": self.authority,
            "controls": list(self.controls),
            "text": self.text,
        }


def control_alerts(
    data: StoreData, today: date
) -> tuple[list[policy.PolicyAlert], list[Uncovered]]:
    """``warn``'s alerts from the catalogue: its changes of state near
    ``today`` that concern what the store holds, applies for or has shipped in
    the last year (domain/policy.py), and what it ships uncovered
    (``uncovered``), from one reading of the store's holdings."""
    term = data.settings.term_months
    holdings = policy.held(data.licenses, data.applications, today, term)
    if not holdings:
        return [], []
    every = all_controls(data)
    changes = policy.alerts(every, holdings, today, data.settings.policy_days)
    mine = own_numbers(data)
    changes = [a._replace(origin=STORE) if a.number in mine else a for a in changes]
    return changes, _uncovered(data, today, every, holdings)


def _uncovered(
    data: StoreData,
    today: date,
    every: Sequence[Control],
    holdings: Sequence[policy.Holding],
) -> list[Uncovered]:
    covered = policy.covered_by(data.licenses, data.applications)
    found = policy.uncovered(every, holdings, covered, today)
    if not found:
        return []
    mine = own_numbers(data)
    alerts = []
    for material, destination, authority, needing, elsewhere in found:
        numbers = tuple(control.number for control in needing)
        why = policy.needing_words(needing, today)
        whose = f"{authority} " if elsewhere else ""
        text = (
            f"{material} to {destination}: {why} ({resting_on(numbers, mine)}), "
            + advice(whose)
        )
        alerts.append(
            Uncovered(
                material,
                destination,
                authority,
                numbers,
                text,
                why=why,
                whose=whose,
            )
        )
    return alerts


def advice(whose: str) -> str:
    """``whose``: the authority and a space, or nothing (``Uncovered.whose``)."""
    lacking = f"no {whose}license or application covers it"
    return f"and {lacking}: apply before the next export"


def uncovered(data: StoreData, today: date) -> list[Uncovered]:
    """What the store ships with no license or application covering it, as
    ``warn`` says it: ``coverage``'s critical rows and ``agenda``'s
    ``apply_uncovered`` actions (and so ``notify``'s) are these."""
    term = data.settings.term_months
    holdings = policy.held(data.licenses, data.applications, today, term)
    if not holdings:
        return []
    return _uncovered(data, today, all_controls(data), holdings)


def uncovered_rows(
    data: StoreData, today: date, keys: Sequence[str]
) -> list[dict[str, Any]]:
    """A critical row of ``coverage`` (its ``keys``) for each ``Uncovered``."""
    return [
        dict.fromkeys(keys)
        | {
            "material": alert.material,
            "destination": alert.destination,
            "licenses": [],
            "applications": [],
            "next_action": "apply for a license",
            "next_action_date": today.isoformat(),
            "level": alert.level.value,
            "next_action_estimate": False,
            "projected_gap_estimate": False,
            "authority": alert.authority,
            "reasons": [alert.text],
        }
        for alert in uncovered(data, today)
    ]
