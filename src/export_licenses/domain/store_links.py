"""The links between a store's records: renewals, successors, replacements and
the licenses applications name, checked on every read and write (docs/store.md).
"""

from pathlib import Path

from export_licenses.errors import InvalidStore

from .application import Application
from .license import License, Status


def check_links(
    licenses: tuple[License, ...],
    removed: frozenset[int],
    path: Path,
    applications: tuple[Application, ...] = (),
) -> None:
    """Renewals name licenses that exist, never the license itself; a license
    marked renewed names its successor. Otherwise it would drop out of warn
    without a word: not active, and no successor flagged in its place. An
    application names a license that exists or was removed (removed_ids), never
    one that was never there: a grant would otherwise fail on an id nobody typed,
    and a withdrawal say that license is "active again". A chain of successors
    ends (``_check_succession``)."""
    ids = {lic.id for lic in licenses}
    _check_application_links(applications, ids | removed, path)
    for lic in licenses:
        if lic.replaces is not None and lic.replaces not in ids | removed:
            raise InvalidStore(
                f"{path}: {lic.label()}: replaces: license {lic.replaces} is not in "
                "the store"
            )
        for key in ("renews", "superseded_by"):
            target = getattr(lic, key)
            if target is None:
                continue
            if target == lic.id:
                raise InvalidStore(
                    f"{path}: {lic.label()}: {key}: is the license itself"
                )
            # A renewed license removed as entered by mistake leaves its id on
            # record (removed_ids): its successor's renews may still name it.
            if target not in ids and (key == "superseded_by" or target not in removed):
                raise InvalidStore(
                    f"{path}: {lic.label()}: {key}: license {target} is not in "
                    "the store"
                )
        if lic.status == Status.RENEWED and lic.superseded_by is None:
            raise InvalidStore(
                f"{path}: {lic.label()}: status: renewed, but superseded_by names no "
                "license (the renewal that replaced it)"
            )
    _check_succession(licenses, path)


def _check_application_links(
    applications: tuple[Application, ...], known: set[int], path: Path
) -> None:
    for app in applications:
        for key in ("renews", "changes", "replaces", "license"):
            target = getattr(app, key)
            if target is not None and target not in known:
                raise InvalidStore(
                    f"{path}: {app.label()}: {key}: license {target} is not in "
                    "the store"
                )


def _check_succession(licenses: tuple[License, ...], path: Path) -> None:
    """Following ``superseded_by`` ends at a license: never in a loop. Licenses
    that supersede each other in a loop are none of them in force, so renewed
    ones would all drop out of warn without a word. (A renewed license must
    name a successor in the store, so a chain that never reaches a license
    that is not renewed is a loop: this finds it too.)"""
    by_id = {lic.id: lic for lic in licenses}
    ended: set[int] = set()  # ids whose chain was followed to its end
    for lic in licenses:
        trail: dict[int, None] = {}  # the chain from lic, in order
        at: int | None = lic.id
        while at is not None and at not in ended:
            if at in trail:
                chain = list(trail)
                loop = [*chain[chain.index(at) :], at]
                raise InvalidStore(
                    f"{path}: {by_id[at].label()}: superseded_by: licenses "
                    f"{' -> '.join(map(str, loop))} supersede each other in a "
                    "loop, so none of them is in force (the license in force "
                    "names no superseded_by)"
                )
            trail[at] = None
            at = by_id[at].superseded_by if at in by_id else None
        ended.update(trail)
