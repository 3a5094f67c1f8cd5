"""Shipments in a three-way merge: events, so two equal records are two shipments.

Two sites that each ship 100 kg under license 8 on the same day made two
shipments. A shipment that ``ship`` records carries a short random ``id``, and
the merge matches shipments by it: one added on either side is kept, one removed
on a side is removed, one changed on one side takes the change. Shipments
without an id (written before ids existed, or by hand) are matched by their
contents as a multiset: each copy counts, a copy a side removed is removed, a
copy a side added is added, so an old store merges as it always did while two
equal new copies stay two.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal, InvalidOperation
from typing import Any

from .merge_ids import by_id
from .toml_inline import toml_inline


def merge_shipments(
    base: list[Any], ours: list[Any], theirs: list[Any], name: str, conflicts: list[str]
) -> list[Any]:
    """Ours with their additions and removals, by date; on one date ours come
    first, in their order, then theirs."""
    chosen = _by_id(base, ours, theirs, name, conflicts)
    wanted = _without_id(base, ours, theirs)
    merged = []
    for shipment in (*ours, *theirs):
        if _has_id(shipment):
            key = _key_of(shipment)
            if key in chosen:
                merged.append(chosen.pop(key))
        elif wanted[_contents(shipment)] > 0:
            wanted[_contents(shipment)] -= 1
            merged.append(shipment)
    return sorted(merged, key=_day)


def _day(shipment: Any) -> str:
    return str(shipment.get("on", "")) if isinstance(shipment, dict) else ""


def _has_id(shipment: Any) -> bool:
    return isinstance(shipment, dict) and "id" in shipment


def _key_of(shipment: dict[str, Any]) -> Any:
    return next(iter(by_id({"s": [shipment]}, "s")))


def _by_id(
    base: list[Any], ours: list[Any], theirs: list[Any], name: str, conflicts: list[str]
) -> dict[Any, Any]:
    """The shipments with an id that the merge keeps, each as it is kept."""
    was, mine, their = (
        by_id({"s": [s for s in side if _has_id(s)]}, "s")
        for side in (base, ours, theirs)
    )
    merged = {}
    for key in [*mine, *(k for k in their if k not in mine)]:
        old, a, b = was.get(key), mine.get(key), their.get(key)
        where = f"{name} shipment {key}"
        if a is not None and b is not None:
            if a in (b, old) or b == old:
                merged[key] = b if a == old else a
            else:
                conflicts.append(
                    f"{where}: ours {toml_inline(a)}, theirs {toml_inline(b)}"
                )
                merged[key] = a
        elif a is not None:  # theirs removed it, or never had it
            if old is not None and a != old:
                conflicts.append(f"{where}: removed on their side, changed on ours")
            if old is None or a != old:
                merged[key] = a
        elif b is not None and old is None:  # added by them
            merged[key] = b
        elif b is not None and b != old:  # we removed what they changed
            conflicts.append(f"{where}: removed on our side, changed on theirs")
    return merged


def _without_id(base: list[Any], ours: list[Any], theirs: list[Any]) -> Counter[str]:
    """How many copies of each shipment without an id the merge keeps: the
    base's, less the most either side removed, plus what each side added."""
    was, mine, their = (
        Counter(_contents(s) for s in side if not _has_id(s))
        for side in (base, ours, theirs)
    )
    return Counter(
        {
            key: was[key]
            - max(was[key] - mine[key], was[key] - their[key], 0)
            + max(mine[key] - was[key], 0)
            + max(their[key] - was[key], 0)
            for key in mine | their
        }
    )


def _contents(shipment: Any) -> str:
    """What a shipment without an id is, whatever the order of its keys or the
    spelling of its amount (a rewrite writes 10.0 as 10)."""
    if not isinstance(shipment, dict):
        return repr(shipment)
    return repr(sorted((key, _plain(value)) for key, value in shipment.items()))


def _plain(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return str(Decimal(str(value)).normalize())
        except InvalidOperation:
            return repr(value)
    return repr(value)


def check_drawdown(
    licenses: list[dict[str, Any]],
    ours: dict[Any, dict[str, Any]],
    theirs: dict[Any, dict[str, Any]],
    conflicts: list[str],
) -> None:
    """Shipments from both sides may together draw more than the license
    allows: a conflict, and the license keeps our shipments. (A side that alone
    drew more, by hand, is not the merge's doing: left as it is.)"""
    for row in licenses:
        key = row.get("id")
        mine = ours.get(key, {}).get("shipments", [])
        shipments = row.get("shipments", [])
        if shipments in (mine, theirs.get(key, {}).get("shipments", [])):
            continue
        try:
            allowed = Decimal(str(row["quantity"]))
            shipped = sum(
                (Decimal(str(s.get("quantity", 0))) for s in shipments), Decimal(0)
            )
        except (KeyError, InvalidOperation, TypeError, AttributeError):
            continue
        if shipped > allowed:
            unit = f" {row['unit']}" if row.get("unit") else ""
            conflicts.append(
                f"license {key}: shipments from both sides total "
                f"{shipped.normalize():f}{unit}, more than its quantity "
                f"{allowed.normalize():f}{unit}; ours kept"
            )
            if mine:
                row["shipments"] = mine
            else:
                row.pop("shipments", None)
