"""The review-time model of one day, kept with the store's cache entry.

Fitting the model is the same work on every run of a day: an observation per
application in the window (its working days to the decision or to today, stops
left out), the groups by material family and destination, a Kaplan-Meier curve
per group (``leadtimes``, ``review_model``). Its answer depends only on the
store's bytes, the day, the holidays release behind the calendar, and this
release of the program (its catalogue decides the families). So the first run of
a day keeps, for each material and destination the store holds, the basis the
model chose, in the store's cache entry (``storage.cache``) under a key naming the
day and the holidays release; the day's later runs read it back instead of
fitting (``warn`` from cron every few minutes, ``list``, ``due``).

What it saves: ``warn --quiet`` at 1,000 licenses with 1,000 applications
(benchmarks' ``history-1000.toml``) runs ~40 M instructions fewer, 4-5 ms, once
the day's model is kept (``docs/performance.md``). A store below the cache's
size (``cache.MIN_BYTES``) has no entry and fits every time: there it costs
about a millisecond.

Nothing else changes: a material and destination the store does not hold (a
record not yet written) is asked of the model fitted in full, when first asked.
"""

from datetime import date
from typing import TYPE_CHECKING, Final, NamedTuple

from export_licenses.domain.forecast import Basis
from export_licenses.domain.store_data import StoreData
from export_licenses.domain.survival import Curve
from export_licenses.storage import cache
from export_licenses.storage.calendar_cache import holidays_release

if TYPE_CHECKING:  # fitted only on a day the cache does not answer
    from collections.abc import Callable

    from .review_model import ReviewModel


# Bump when what a kept model holds, or how the model is fitted, changes
# within one release (a developer's checkout); releases are told apart by the
# version in the entry's stamp.
# 3: pending applications filed before the window; 4: the longest pending wait;
# 5: the pending past the statutory time (a thin history's basis); 6: the
# history counted from filing
KEPT_SCHEMA: Final = 6
_NONE: Final = -1  # a pair with no group: the statutory model


class _Group(NamedTuple):
    """A fitted group: ``Basis`` and its ``Curve`` as plain fields."""

    label: str
    times: tuple[int, ...]
    values: tuple[float, ...]
    decided: int
    censored: int
    last: int | None
    pending: int
    granted: int
    refused: int
    waits: tuple[int, ...]
    growing: tuple[int, str] | None
    past_statutory: int
    filing: int  # the group of the same history counted from filing, or _NONE
    from_filing: bool


class _Kept(NamedTuple):
    groups: tuple[_Group, ...]
    # For each pair held: material, destination, and the indexes into groups
    # (or _NONE) of its basis and of its nearest group (ReviewModel's).
    pairs: tuple[tuple[str, str, int, int], ...]


class KeptModel:
    """The model's answers for the store's own materials and destinations, as
    kept for the day; any other pair is asked of the full model."""

    has_history = True  # only a model with a history is kept

    def __init__(
        self,
        chosen: dict[tuple[str, str], tuple[Basis | None, Basis | None]],
        full: "Callable[[], ReviewModel | None]",
    ) -> None:
        self._chosen, self._full = chosen, full
        self._model: ReviewModel | None = None
        self._fitted = False

    def basis(self, material: str, destination: str) -> Basis | None:
        wanted = (material, destination)
        if wanted in self._chosen:
            return self._chosen[wanted][0]
        model = self._full_model()
        return None if model is None else model.basis(*wanted)

    def nearest(self, material: str, destination: str) -> Basis | None:
        wanted = (material, destination)
        if wanted in self._chosen:
            return self._chosen[wanted][1]
        model = self._full_model()
        return None if model is None else model.nearest(*wanted)

    def _full_model(self) -> "ReviewModel | None":
        if not self._fitted:
            self._model, self._fitted = self._full(), True
        return self._model


def day_key(today: date) -> bytes | None:
    """What a day's model rests on besides the store and the release; None when
    the holidays release cannot be told (nothing is kept then)."""
    release = holidays_release()
    if release is None:
        return None
    return f"{KEPT_SCHEMA}:{today.isoformat()}:holidays-{release}".encode()


def load(
    data: StoreData, key: bytes | None, full: "Callable[[], ReviewModel | None]"
) -> KeptModel | None:
    """The model kept for ``key`` with the entry ``data`` came from, or None."""
    found = None if key is None else cache.day_model(data, key)
    if not found:
        return None
    import msgspec  # noqa: PLC0415 - loaded already: the entry was msgpack

    try:
        kept = msgspec.msgpack.decode(found, type=_Kept)
    except msgspec.DecodeError:  # damaged beyond the CRC's reach: fit afresh
        return None
    bases = [
        Basis(
            g.label,
            Curve(g.times, g.values, g.decided, g.censored, g.last),
            g.pending,
            g.granted,
            g.refused,
            g.waits,
            g.growing,
            g.past_statutory,
            from_filing=g.from_filing,
        )
        for g in kept.groups
    ]
    if any(not _NONE <= g.filing < len(bases) for g in kept.groups):
        return None  # not what keep wrote: fit afresh
    for basis, g in zip(bases, kept.groups, strict=True):
        if g.filing != _NONE:
            basis.filed = bases[g.filing]

    def at(index: int) -> Basis | None:
        return None if index == _NONE else bases[index]

    if any(not _NONE <= i < len(bases) for *_, b, n in kept.pairs for i in (b, n)):
        return None  # not what keep wrote: fit afresh
    chosen = {(m, d): (at(b), at(n)) for m, d, b, n in kept.pairs}
    return KeptModel(chosen, full)


def keep(data: StoreData, key: bytes | None, model: "ReviewModel") -> None:
    """Keep the basis ``model`` chooses for every material and destination of
    ``data``'s records with the entry ``data`` came from (if it came from one)."""
    if key is None or not cache.keeps_day_models(data):
        return
    pairs = {(lic.material, lic.destination) for lic in data.licenses}
    pairs |= {(app.material, app.destination) for app in data.applications}
    groups: list[_Group] = []
    index: dict[int, int] = {}

    def held(basis: Basis | None) -> int:
        if basis is None:
            return _NONE
        if id(basis) not in index:
            filing = _NONE if basis.filed is basis else held(basis.filed)
            index[id(basis)] = len(groups)
            curve = basis.curve
            groups.append(
                _Group(
                    basis.label,
                    curve.times,
                    curve.values,
                    curve.decided,
                    curve.censored,
                    curve.last,
                    basis.pending,
                    basis.granted,
                    basis.refused,
                    basis.waits,
                    basis.growing,
                    basis.past_statutory,
                    filing,
                    basis.from_filing,
                )
            )
        return index[id(basis)]

    kept = tuple(
        (m, d, held(model.basis(m, d)), held(model.nearest(m, d)))
        for m, d in sorted(pairs)
    )
    import msgspec  # noqa: PLC0415 - loaded already: the entry was msgpack

    cache.keep_day_model(data, key, msgspec.msgpack.encode(_Kept(tuple(groups), kept)))
