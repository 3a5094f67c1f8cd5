"""What recorded shipments must respect: the license's validity and quantity.

Art. 39 of the Regulations on the Export Control of Dual-Use Items: exporting
outside a license's scope, conditions or validity is a violation. ``ship``
refuses such a shipment; ``edit`` and ``import`` check the same here, so that no
way into the store records one. One typed into the file by hand is read as it
is (a store stays readable): ``misdated`` finds the days that cannot be, for
``warn`` and ``show`` to say.
"""

# No `from __future__ import annotations`: ``Misdated`` is a record of warn's
# path, typed at import as the others are (tests/test_imports.py).
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from export_licenses.errors import InvalidValue

from .review import ahead_of
from .rules import expiry

if TYPE_CHECKING:
    from .license import License


def shipments_problem(lic: "License", default_term_months: int) -> InvalidValue | None:
    """Why ``lic``'s shipments do not fit it (naming the license field that
    strands them), or None."""
    if not lic.shipments:
        return None
    first = min(s.on for s in lic.shipments)
    last = max(s.on for s in lic.shipments)
    if lic.issued > first:
        return InvalidValue(
            "issued", f"{lic.issued} is after the first shipment, on {first}"
        )
    expires = expiry(lic, default_term_months)
    if expires < last:
        field = "expires" if lic.expires is not None else "term_months"
        return InvalidValue(
            field, f"would end the license on {expires}, before the shipment on {last}"
        )
    if lic.quantity is not None and lic.shipped > lic.quantity:
        return InvalidValue(
            "quantity", f"{lic.quantity} is below the {lic.shipped} already shipped"
        )
    return None


class Misdated(NamedTuple):
    """A recorded shipment whose day cannot be."""

    number: int  # from 1, in the file's order, as "shipments #2 on" counts
    on: date
    ahead: bool  # True: after today; False: before the license was issued


def misdated(lic: "License", today: date) -> tuple[Misdated, ...]:
    """The shipments of ``lic`` dated before the license was issued, or after
    today, beyond the day the authority's date may run ahead (``review.ahead_of``,
    as ``ship`` refuses them). Only a hand-typed store holds one: a typo (2062
    for 2026), a plan entered ahead, or a wrong day checked. A license issued
    after today has a reason of its own (``assessment``), which says it of every
    shipment from its issue on: those are not said again."""
    if ahead_of(lic.issued, today):
        return tuple(
            Misdated(number, s.on, ahead=False)
            for number, s in enumerate(lic.shipments, start=1)
            if s.on < lic.issued
        )
    return tuple(
        Misdated(number, s.on, ahead=s.on >= lic.issued)
        for number, s in enumerate(lic.shipments, start=1)
        if s.on < lic.issued or ahead_of(s.on, today)
    )


def misdated_reasons(lic: "License", today: date) -> tuple[str, ...]:
    """``misdated`` as a verdict's reasons: one for those after today, one for
    those before the issue (a wrong clock puts many ahead at once)."""
    found = misdated(lic, today)
    ahead = [m for m in found if m.ahead]
    before = [m for m in found if not m.ahead]
    reasons = []
    if ahead:
        reasons.append(
            f"{_named(ahead)} after today ({today}): a typo, or is the clock or "
            "--today wrong?"
        )
    if before:
        reasons.append(
            f"{_named(before)} before the license was issued ({lic.issued}): a "
            "typo, or another license's?"
        )
    return tuple(reasons)


def _named(found: list[Misdated]) -> str:
    """'shipment #2 on 2062-03-01 is dated', or 'shipments #2, #3 and #5 are
    dated' (each one's day is on show's line)."""
    if len(found) == 1:
        return f"shipment #{found[0].number} on {found[0].on} is dated"
    numbers = [f"#{m.number}" for m in found]
    return f"shipments {', '.join(numbers[:-1])} and {numbers[-1]} are dated"
