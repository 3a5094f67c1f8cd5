"""What recorded shipments must respect: the license's validity and quantity.

Art. 39 of the Regulations on the Export Control of Dual-Use Items: exporting
outside a license's scope, conditions or validity is a violation. ``ship``
refuses such a shipment; ``edit`` and ``import`` check the same here, so that no
way into the store records one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from export_licenses.errors import InvalidValue

from .rules import expiry

if TYPE_CHECKING:
    from .license import License


def shipments_problem(lic: License, default_term_months: int) -> InvalidValue | None:
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
