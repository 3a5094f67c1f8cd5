"""The store's text: the deterministic form, and appending blocks safely.

The patterns are compiled on first use (``functools.cache``): compiling them all
costs ~3 ms, and a plain read of a small store needs none of them.

Each license is its own ``[[license]]`` block, one key per line, so adding a
license to a file this module wrote only appends lines (a clean ``git diff``).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, Final

from export_licenses.domain.application import application_to_table
from export_licenses.domain.control_tables import control_to_table
from export_licenses.domain.license import STORE_VERSION
from export_licenses.domain.license_table import license_to_table
from export_licenses.domain.settings import settings_to_table

if TYPE_CHECKING:
    from export_licenses.domain.license import License
    from export_licenses.domain.store_data import StoreData

HEADER: Final = (
    "# Export licenses, kept by the `licenses` command. Safe to edit by hand:\n"
    "# every command checks the whole file, and rewrites keep keys it does not know.\n"
)


# Patterns over whole lines start with the newline before them (the text gets
# one in front): three times faster than ^ with re.MULTILINE on large stores.
@functools.cache
def _id_line() -> re.Pattern[bytes]:
    return re.compile(
        rb"\n[ \t]*id[ \t]*=[ \t]*([0-9]+(?:_[0-9]+)*)[ \t]*(?:#[^\n]*)?\r?(?=\n|$)"
    )


def highest_id_in(raw: bytes) -> int:
    """The highest ``id = N`` line in the text: a check on a cached head.

    The store is the only source of truth: a head whose next id is not above
    every id written in the file is not used, so an add can never reuse an id.
    (Other tables' ``id`` keys can only make this stricter.)
    """
    return max(
        map(int, _id_line().findall(b"\n" + raw)), default=0
    )  # int() reads 1_000


def dumps(data: StoreData) -> str:
    """Deterministic text: version, [settings], [authority.NAME], unknown
    tables, [[control]] in the order written, applications by id, licenses by id.

    Each record is its own block, one key per line. Licenses come last, so
    adding a license to a file this function wrote only appends lines.
    """
    import tomli_w  # noqa: PLC0415 - writes only (1.0 M instructions)

    doc: dict[str, Any] = {"version": STORE_VERSION}
    if data.removed_ids:
        doc["removed_ids"] = sorted(data.removed_ids)
    doc["settings"] = settings_to_table(data.settings)
    if data.authorities:
        doc["authority"] = dict(data.authorities)
    doc.update(data.extra)
    blocks = [_block("control", control_to_table(c)) for c in data.controls]
    blocks += [
        _block("application", application_to_table(a)) for a in data.applications
    ]
    blocks += [license_block(lic) for lic in data.licenses]
    return "\n".join([HEADER + "\n" + tomli_w.dumps(doc), *blocks])


@functools.cache
def _table_header() -> re.Pattern[str]:
    return re.compile(r"^\[(\[?)", re.MULTILINE)


def license_block(lic: License) -> str:
    """One ``[[license]]`` block.

    tomli_w would write a list of short tables as one inline array; the contract
    wants a block per license, so each is rendered on its own. Sub-tables a person
    added come out of tomli_w as ``[name]``; they belong to the license.
    """
    return _block("license", license_to_table(lic))


def _block(name: str, table: dict[str, Any]) -> str:
    import tomli_w  # noqa: PLC0415 - writes only (1.0 M instructions)

    body = tomli_w.dumps(table)
    return f"[[{name}]]\n" + _table_header().sub(rf"[\1{name}.", body)


@functools.cache
def _license_tables() -> re.Pattern[bytes]:
    return re.compile(
        rb"^[ \t]*\[\[[ \t]*license[ \t]*\]\][ \t]*(?:#.*)?\r?$", re.MULTILINE
    )


# A line that may define the top-level key `license` some other way: bare
# (`license = [...]`, `license.x = 1`, `[license]`) or quoted (`"license"`, or
# a quoted key with escapes, which could spell it in any way).
@functools.cache
def _maybe_license_key() -> re.Pattern[bytes]:
    return re.compile(
        rb"""\n[ \t]*(\[*)[ \t]*(license\b|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')(.?)"""
    )


def can_append(raw: bytes, *, has_licenses: bool) -> bool:
    """Whether ``[[license]]`` blocks may go at the end of this exact text.

    Only when every license is a plain ``[[license]]`` block: appending a block
    to a file that defines ``license`` any other way (an inline array, a quoted
    or escaped key) would make it unreadable. In doubt the store is rewritten
    whole instead, which is always valid.
    """
    if not raw:
        return False
    if b'"""' not in raw and b"'''" not in raw and _license_tables().search(raw):
        # The text is valid TOML, so a [[license]] header (not inside a
        # multi-line string: there is none) makes `license` an array of tables,
        # defined in no other way, whatever other tables' `license` keys say
        # (a granted application's `license = 12`).
        return True
    for brackets, key, after in _maybe_license_key().findall(b"\n" + raw):
        if key == b"license":
            # [[license]] and its sub-tables [license.x] / [[license.x]] are fine.
            if brackets == b"[[" and after in {b"]", b" ", b"\t"}:
                continue
            if brackets and after == b".":
                continue
            return False
        if b"\\" in key or key[1:-1] == b"license":
            return False
    return not has_licenses or _license_tables().search(raw) is not None


def with_blocks(raw: bytes, licenses: tuple[License, ...]) -> bytes:
    blocks = "\n".join(license_block(lic) for lic in licenses)
    head = raw if raw.endswith(b"\n") else raw + b"\n"
    return head + b"\n" + blocks.encode("utf-8")
