"""The review-time model: the window's observations by group, each group's curve
fitted once per run, when first asked for.

Each license or application reads the curve of its group with fallback: its
material and destination, else its material family and destination, else its
family, else the whole store — the first with at least 5 applications decided or
still waiting past the statutory 45 working days (``domain.forecast.usable``).
The curve is Kaplan-Meier's (``domain.survival``): see ``leadtimes`` for what
an observation is. Imported only for a store with a history in the window
(``leadtimes.review_times``).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from export_licenses.domain.application import AppStatus
from export_licenses.domain.families import family_name, material_key
from export_licenses.domain.forecast import Basis, past_statutory, usable
from export_licenses.domain.matching import controlled_elements
from export_licenses.domain.survival import fit

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Sequence

    from export_licenses.domain.observation import Observation

# A group: a label's parts, (name, destination); destination None for a whole
# family; the key None for the whole store.
GroupKey = tuple[str, str | None] | None


@functools.cache
def controlled() -> frozenset[str]:
    """The elements the shipped catalogue controls (issue 23), which decide the
    family of a material that names several: read once, when a history of such a
    material needs it (~5 ms)."""
    from export_licenses.storage.catalogue import shipped_catalogue  # noqa: PLC0415 - ~5 ms

    return controlled_elements(shipped_catalogue().controls)


def group_keys(
    material: str,
    destination: str,
    elements: Collection[str] | Callable[[], Collection[str]],
) -> tuple[GroupKey, ...]:
    """A material's groups, narrowest first. A material that is its own family
    ("dysprosium") has no group narrower than the family's."""
    name, kin = material_key(material), family_name(material, elements)
    narrow: tuple[GroupKey, ...] = () if name == kin else ((name, destination),)
    return (*narrow, (kin, destination), (kin, None), None)


def label(key: GroupKey) -> str:
    if key is None:
        return "all"
    name, destination = key
    return name if destination is None else f"{name}/{destination}"


def basis_of(key: GroupKey, chosen: Sequence[Observation]) -> Basis:
    """One group's history, fitted: from acceptance, and from filing where
    any application was accepted after it was filed."""
    waiting = [o for o in chosen if o.status == AppStatus.PENDING]
    counts = (
        sum(o.status == AppStatus.PENDING for o in chosen),
        sum(o.status == AppStatus.GRANTED for o in chosen),
        sum(o.status == AppStatus.REFUSED for o in chosen),
    )
    overdue = sum(past_statutory(o.working_days) for o in waiting)

    def fitted(days: Callable[[Observation], int], filing: Basis | None) -> Basis:
        oldest = max(waiting, key=days, default=None)
        return Basis(
            label(key),
            fit((days(o), o.decided) for o in chosen),
            *counts,
            tuple(sorted(map(days, chosen))),
            None if oldest is None else (days(oldest), oldest.name),
            overdue,
            filing=filing,
            from_filing=filing is None and days is _from_filing,
        )

    filing = None
    if any(o.from_filing is not None for o in chosen):
        filing = fitted(_from_filing, None)
    return fitted(_from_acceptance, filing)


def _from_acceptance(o: Observation) -> int:
    return o.working_days


def _from_filing(o: Observation) -> int:
    return o.filing_days


class ReviewModel:
    """The window's observations by group; each group fitted once, when asked."""

    def __init__(
        self,
        chosen: Iterable[Observation],
        elements: Callable[[], Collection[str]] = controlled,
    ) -> None:
        self._elements = elements
        self._members: dict[GroupKey, list[Observation]] = {}
        self._groups: dict[tuple[str, str], tuple[GroupKey, ...]] = {}
        for o in chosen:
            for key in self._keys(o.material, o.destination):
                self._members.setdefault(key, []).append(o)
        self._fitted: dict[GroupKey, Basis] = {}
        self._chosen: dict[tuple[str, str], Basis | None] = {}
        self._nearest: dict[tuple[str, str], Basis | None] = {}

    def _keys(self, material: str, destination: str) -> tuple[GroupKey, ...]:
        keys = self._groups.get((material, destination))
        if keys is None:
            keys = self._groups[material, destination] = group_keys(
                material, destination, self._elements
            )
        return keys

    @property
    def has_history(self) -> bool:
        """Whether any application is in the window."""
        return bool(self._members)

    def group(self, key: GroupKey) -> Basis:
        fitted = self._fitted.get(key)
        if fitted is None:
            fitted = self._fitted[key] = basis_of(key, self._members.get(key, ()))
        return fitted

    def basis(self, material: str, destination: str) -> Basis | None:
        """The narrowest group of this material and destination with enough
        decided applications to plan on; None: the statutory model alone."""
        if not self._members:  # no history: nothing to look up
            return None
        wanted = (material, destination)
        if wanted not in self._chosen:
            self._chosen[wanted] = next(
                (
                    self.group(key)
                    for key in self._keys(material, destination)
                    if usable(self.group(key))
                ),
                None,
            )
        return self._chosen[wanted]

    def nearest(self, material: str, destination: str) -> Basis | None:
        """The narrowest group of this material and destination that observed
        anything, however few: what a thin history says (an estimate)."""
        wanted = (material, destination)
        if wanted not in self._nearest:
            self._nearest[wanted] = next(
                (
                    self.group(key)
                    for key in self._keys(material, destination)
                    if key in self._members
                ),
                None,
            )
        return self._nearest[wanted]
