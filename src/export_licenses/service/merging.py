"""``licenses merge-driver %O %A %B %P``: git's merge driver for the store."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from export_licenses.domain.merge import merge_docs
from export_licenses.domain.store_data import validate
from export_licenses.errors import InvalidStore
from export_licenses.storage import fsio, toml_text

from .history import CONFLICT_MARK

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any


class DriverResult(NamedTuple):
    conflicts: list[str]
    renumbered: list[str]


def _document(path: Path, side: str) -> dict[str, Any]:
    import tomli  # noqa: PLC0415

    try:
        raw = fsio.read_regular(path).removeprefix(b"\xef\xbb\xbf")
    except fsio.NotARegularFile as exc:
        raise InvalidStore(f"{side} ({path}) is {exc.what}, not a store") from None
    if not raw.strip() and side == "base":
        return {}  # both sides added the store: no common ancestor
    try:
        return tomli.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomli.TOMLDecodeError) as exc:
        raise InvalidStore(
            f"{side} ({path.name}) is not a readable store: {exc}"
        ) from None


def merge_driver(base: Path, ours: Path, theirs: Path, name: str) -> DriverResult:
    """Merge ``theirs`` into ``ours`` (written in place, as git wants): 0
    conflicts, or ours kept for each with the list in a comment at the top."""
    try:
        docs = [
            _document(base, "base"),
            _document(ours, "ours"),
            _document(theirs, "theirs"),
        ]
    except (InvalidStore, OSError) as exc:
        return DriverResult([str(exc)], [])
    original = fsio.read_regular(ours)
    merged = merge_docs(*docs)
    conflicts = list(merged.conflicts)
    try:
        text = toml_text.dumps(validate(merged.doc, ours))
    except InvalidStore as exc:
        conflicts.append(f"the merged store would not be valid: {exc}")
        text = original.decode("utf-8", errors="replace")
    if conflicts:
        block = [
            (
                f"{CONFLICT_MARK} {len(conflicts)} change(s) made differently on "
                f"both sides of {name}; ours kept."
            ),
            "# Settle each below, remove this comment, then commit:",
            *(f"#   {line}" for line in conflicts),
            "",
        ]
        text = "\n".join(block) + text
    fsio.write_atomic(ours, text.encode("utf-8"))
    return DriverResult(conflicts, merged.renumbered)
