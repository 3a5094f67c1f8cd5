"""Authority profiles: whose calendar, which review clock, which caps on a term.

MOFCOM decides within 45 working days of accepting an application (Order 792
art. 17), caps an individual license at 1 year and a general one at 3 (art. 15)
and has no extension (a renewal is a new application, art. 18). Other licensing
authorities differ (DOMAIN.md, "Other authorities"), so each is a profile: data,
shipped in ``data/authorities.toml`` and overridden or added to by a store's
``[authority.NAME]``. Every figure says what it is (``basis``): a statutory
``bound``, a service ``target``, what is ``usual``, or ``none`` known, and
carries its source; a store's figure without a source has none.
"""

import enum
import re
from collections.abc import Mapping
from typing import Any, Final, NamedTuple

from export_licenses.domain.values import (
    MAX_TERM_MONTHS,
    check_int,
    check_text,
    describe,
)
from export_licenses.errors import InvalidStore, InvalidValue

_NO_EXTRA: Mapping[str, Any] = {}
_URL: Final = re.compile(r"https?://\S+")
_NAME: Final = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,31}")
# The same form as ``[settings] calendar``: a holidays-package country code with
# an optional subdivision ("GB-ENG", "DE-HE"), or "none" for Monday to Friday.
_CALENDAR: Final = re.compile(r"[A-Z]{2,3}(-[A-Z0-9]{1,3})?|none")
MAX_REVIEW_DAYS: Final = 1000
KINDS: Final = ("individual", "general", "registration", "default")
_FIGURE_KEYS: Final = frozenset({"source", "note", "cite"})


class Basis(enum.StrEnum):
    BOUND = "bound"  # set by law: the authority must keep to it
    TARGET = "target"  # a service target: often met, never owed
    USUAL = "usual"  # what is normally granted or done
    NONE = "none"  # no figure known to this profile


class Review(NamedTuple):
    days: int | None  # None when basis is "none"
    unit: str  # "working" (the profile's calendar) or "calendar" days
    start: str  # ``from``: "filing" or "acceptance" (registration, for BIS)
    basis: Basis
    source: str | None = None
    note: str | None = None
    cite: str | None = None  # the rule in a few words: "Order 792 art. 17"


class Cap(NamedTuple):
    months: int | None  # the longest term; None for a per-export certificate
    per_export: bool  # one export each (Order 792 art. 15, registration)
    basis: Basis
    source: str | None = None
    note: str | None = None
    cite: str | None = None  # what a refusal names: "Order 792 art. 15"

    @property
    def bound(self) -> bool:
        """Set by law: the one kind of cap that refuses a longer term."""
        return self.basis == Basis.BOUND


class AuthorityProfile(NamedTuple):
    name: str  # "MOFCOM", "BIS", ...: what ``--authority`` takes
    title: str
    calendar: str  # as ``[settings] calendar``: "CN", "US", "GB-ENG", "none"
    review: Review
    caps: Mapping[str, Cap]  # by license kind, or "default" for any kind
    extension: bool | None = None  # None: not known to this profile
    extension_source: str | None = None
    extension_note: str | None = None
    calendar_note: str | None = None
    note: str | None = None
    extra: Mapping[str, Any] = _NO_EXTRA
    # The clock of a change application (Order 792 art. 18: 20 working days for
    # a non-key change); None: the profile's ``review``.
    change_review: Review | None = None

    @property
    def change_clock(self) -> Review:
        return self.change_review or self.review

    def cap_for(self, kind: str | None) -> Cap | None:
        """The cap on a license of ``kind``: its own, else the profile's default."""
        return self.caps.get(kind or "default") or self.caps.get("default")


def find_authority(
    profiles: Mapping[str, AuthorityProfile], name: str
) -> AuthorityProfile | None:
    """The profile a person named, in any case ("bis" is "BIS")."""
    wanted = name.strip().casefold()
    return next((p for key, p in profiles.items() if key.casefold() == wanted), None)


# --- validation -------------------------------------------------------------------


def _url(name: str, value: Any) -> str | None:
    if value is None:
        return None
    text = check_text(name, value)
    if not _URL.fullmatch(text):
        raise InvalidValue(name, f"expected a web address (https://...), got {text!r}")
    return text


def _note(name: str, value: Any) -> str | None:
    return None if value is None else check_text(name, value, multiline=True)


def _choice(name: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise InvalidValue(
            name, f"expected one of {', '.join(choices)}, got {describe(value)}"
        )
    return str(value)


def _table(name: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise InvalidValue(name, f"expected a table, got {describe(value)}")
    return value


def _cite(name: str, value: Any) -> str | None:
    return None if value is None else check_text(name, value)


def _review(value: Any, name: str = "review") -> Review:
    table = _table(name, value)
    basis = Basis(_choice(f"{name}.basis", table.get("basis"), tuple(Basis)))
    if basis == Basis.NONE and "days" not in table:
        days = None
    else:
        if "days" not in table:
            raise InvalidValue(f"{name}.days", "is missing")
        days = check_int(f"{name}.days", table["days"], 1, MAX_REVIEW_DAYS)
    return Review(
        days=days,
        unit=_choice(
            f"{name}.unit", table.get("unit", "working"), ("working", "calendar")
        ),
        start=_choice(
            f"{name}.from", table.get("from", "filing"), ("filing", "acceptance")
        ),
        basis=basis,
        source=_url(f"{name}.source", table.get("source")),
        note=_note(f"{name}.note", table.get("note")),
        cite=_cite(f"{name}.cite", table.get("cite")),
    )


def _cap(kind: str, value: Any) -> Cap:
    name = f"caps.{kind}"
    table = _table(name, value)
    per_export = table.get("per_export", False)
    if not isinstance(per_export, bool):
        raise InvalidValue(
            f"{name}.per_export", f"expected true or false, got {describe(per_export)}"
        )
    months = table.get("months")
    if months is None and not per_export:
        raise InvalidValue(f"{name}.months", "is missing (or per_export = true)")
    return Cap(
        months=None
        if months is None
        else check_int(f"{name}.months", months, 1, MAX_TERM_MONTHS),
        per_export=per_export,
        basis=Basis(_choice(f"{name}.basis", table.get("basis"), tuple(Basis))),
        source=_url(f"{name}.source", table.get("source")),
        note=_note(f"{name}.note", table.get("note")),
        cite=_cite(f"{name}.cite", table.get("cite")),
    )


_KEYS: Final = frozenset(AuthorityProfile._fields) - {"name", "extra"}


def authority_from_table(name: str, table: Mapping[str, Any]) -> AuthorityProfile:
    """Validate one ``[authority.NAME]`` table; raises InvalidValue naming the field."""
    calendar = table.get("calendar")
    if calendar is None:
        raise InvalidValue(
            "calendar",
            'is missing: a holidays country code such as "CN" or "GB-ENG", or '
            '"none" for calendar days',
        )
    if not isinstance(calendar, str) or not _CALENDAR.fullmatch(calendar):
        raise InvalidValue(
            "calendar",
            'expected a holidays country code such as "CN" or "GB-ENG", or "none", '
            f"got {describe(calendar)}",
        )
    extension = table.get("extension")
    if extension is not None and not isinstance(extension, bool):
        raise InvalidValue(
            "extension", f"expected true or false, got {describe(extension)}"
        )
    if "review" not in table:
        raise InvalidValue(
            "review", "is missing (the review clock: days, unit, from, basis)"
        )
    caps = _table("caps", table.get("caps", {}))
    for kind in caps:
        if kind not in KINDS:
            raise InvalidValue(
                f"caps.{kind}", f"unknown kind (expected {', '.join(KINDS)})"
            )
    return AuthorityProfile(
        name=name,
        title=check_text("title", table.get("title", name)),
        calendar=calendar,
        review=_review(table["review"]),
        caps={kind: _cap(kind, cap) for kind, cap in caps.items()},
        extension=extension,
        extension_source=_url("extension_source", table.get("extension_source")),
        extension_note=_note("extension_note", table.get("extension_note")),
        calendar_note=_note("calendar_note", table.get("calendar_note")),
        note=_note("note", table.get("note")),
        extra={k: v for k, v in table.items() if k not in _KEYS} or _NO_EXTRA,
        change_review=None
        if "change_review" not in table
        else _review(table["change_review"], "change_review"),
    )


def authorities_from_tables(tables: Any, where: str) -> dict[str, AuthorityProfile]:
    """All ``[authority.NAME]`` tables of one file, or InvalidStore on one line."""
    if not isinstance(tables, dict):
        raise InvalidStore(f"{where}: authority: write each one as [authority.NAME]")
    profiles: dict[str, AuthorityProfile] = {}
    for name, table in tables.items():
        where_name = f"{where}: authority {name!r}"
        if not _NAME.fullmatch(name):
            raise InvalidStore(
                f"{where_name}: name: expected letters, digits, - or _ "
                "(such as BIS or EU-DE)"
            )
        if not isinstance(table, dict):
            raise InvalidStore(f"{where_name}: expected a table")
        try:
            profiles[name] = authority_from_table(name, table)
        except InvalidValue as exc:
            raise InvalidStore(f"{where_name}: {exc.field}: {exc.message}") from None
    return profiles


# --- a store's profiles over the shipped ones -------------------------------------


def _over(base: Any, over: Mapping[str, Any]) -> dict[str, Any]:
    """A figure's table with a store's keys over the shipped ones. A store that
    changes the figure and names no source leaves it with none: the shipped
    source speaks for the shipped figure only."""
    merged = {**base, **over} if isinstance(base, dict) else dict(over)
    if set(over) - _FIGURE_KEYS:
        for key in _FIGURE_KEYS - set(over):
            merged.pop(key, None)
    return merged


def _override(shipped: Mapping[str, Any], table: Mapping[str, Any]) -> dict[str, Any]:
    """One shipped profile's table with a store's keys over it."""
    result = dict(shipped)
    for key, value in table.items():
        if key in {"review", "change_review"} and isinstance(value, dict):
            result[key] = _over(result.get(key), value)
        elif key == "caps" and isinstance(value, dict):
            caps = dict(result.get("caps", {}))
            for kind, cap in value.items():
                caps[kind] = (
                    _over(caps.get(kind), cap) if isinstance(cap, dict) else cap
                )
            result[key] = caps
        else:
            result[key] = value
    for figure in ("extension", "calendar"):
        if figure in table:  # the shipped source and note were about the old value
            for key in (f"{figure}_source", f"{figure}_note"):
                if key not in table:
                    result.pop(key, None)
    return result


def merge_authority_tables(
    shipped: Mapping[str, Any], store: Mapping[str, Any]
) -> dict[str, Any]:
    """``[authority.NAME]`` of a store over the shipped tables: a new name adds
    a profile; a known one (in any case) overrides the keys it gives, figure by
    figure (``review``, each of ``caps``), keeping the rest."""
    merged: dict[str, Any] = dict(shipped)
    names = {name.casefold(): name for name in shipped}
    for name, table in store.items():
        known = names.get(name.casefold())
        if known is None or not isinstance(table, dict):
            merged[name] = table  # validated as it is: new, or wrong either way
        else:
            merged[known] = _override(merged[known], table)
    return merged
