"""How an action names its license: the words and fields every kind of
license action shares (``agenda_filing``, ``agenda_actions``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from .agenda import Action

if TYPE_CHECKING:
    from .license import License

# Not to be shipped on: exported (its one export done) and suspended (a
# pending non-key change, art. 18).
_DONE: Final = frozenset({"exported", "suspended"})


def subject(lic: License) -> str:
    number = f" ({lic.number})" if lic.number else ""
    return f"license {lic.id}{number}, {lic.material} to {lic.destination}"


def for_license(lic: License, **fields: Any) -> Action:
    return Action(
        license=lic.id,
        number=lic.number,
        material=lic.material,
        destination=lic.destination,
        **fields,
    )


def days(count: int) -> str:
    return f"{count} day{'s' * (count != 1)}"


def in_use(lic: License) -> bool:
    return lic.active and lic.status not in _DONE


def used_up(lic: License) -> bool:
    """Fully shipped: nothing is left to export under it."""
    return bool(
        lic.quantity is not None and lic.shipments and lic.shipped >= lic.quantity
    )
