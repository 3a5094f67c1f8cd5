"""A store whose merge left changes to settle: the merge driver's comment at
its top (service/merging.py writes it). The store still reads, as our side of
each change only, so the readers say so.

No postponed annotations here: a record's types are made at import, as in the
other modules that define records (tests/test_imports.py).
"""

import contextlib
import sys
from pathlib import Path
from typing import Final, NamedTuple

# The comment the merge driver (service/merging.py) puts atop a store whose
# merge left changes to settle: the file still reads, but as our side only.
CONFLICT_MARK: Final = "# licenses merge conflict:"
_MARK: Final = CONFLICT_MARK.encode()


class Unsettled(NamedTuple):
    """A store whose merge is not settled: what its comment lists."""

    path: str
    changes: tuple[str, ...]  # "license 1 expires: ours 2027-06-01, theirs …"

    def said(self) -> str:
        count = len(self.changes)
        them = "them" if count != 1 else "it"
        return (
            f"{self.path}: a merge left {count} change{'s' * (count != 1)} to "
            "settle (listed at the top of the file), so what is read is our side "
            f"of {them} only; settle {them}, remove that comment, then commit"
        )


def unsettled(raw: bytes, path: Path) -> Unsettled | None:
    """The changes the merge driver's comment lists, when the store has one."""
    at = raw.find(_MARK)
    # At a line's start (or after a byte-order mark's last byte), not mid-line.
    while at > 0 and raw[at - 1 : at] not in {b"\n", b"\xbf"}:
        at = raw.find(_MARK, at + 1)
    if at < 0:
        return None
    lines = raw[at:].decode("utf-8", errors="replace").splitlines()[1:]
    listed = []
    for line in lines:
        if not line.startswith("#"):
            break
        if line.startswith("#   "):
            listed.append(line.removeprefix("#").strip())
    gone = "(its list was removed from the comment)"
    return Unsettled(str(path), tuple(listed) or (gone,))


def say(found: Unsettled) -> None:
    """The one line on stderr a reading command gives an unsettled store."""
    with contextlib.suppress(OSError):  # stderr refused: the output still stands
        sys.stderr.write(f"licenses: note: {found.said()}\n")
