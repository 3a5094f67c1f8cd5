"""Records and the validation of one value, one license, one settings table.

Every value is checked here once, whether it comes from the TOML file or from the
command line, so both paths give the same rules and the same wording.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

from .countries import is_alpha2
from .errors import InvalidValue

STORE_VERSION: Final = 1

# Statuses a license can be in; only the first two are still "active" and flagged.
STATUSES: Final = ("active", "renewal-filed", "renewed", "closed", "revoked")
ACTIVE_STATUSES: Final = frozenset({"active", "renewal-filed"})

# A sanity bound, not policy: art. 15 of the Regulations on the Export Control of
# Dual-Use Items caps licenses at 1 year (individual) or 3 years (general); ten
# years leaves room for other regimes while catching typos such as 60 for 6.
MAX_TERM_MONTHS: Final = 120
MAX_TEXT: Final = 2000
MAX_DAYS: Final = 3660

_SHOWN: Final = 40  # how much of a bad value a message quotes
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Settings:
    term_months: int = 6
    warn_days: int = 90
    critical_days: int = 30
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class License:
    id: int
    material: str
    destination: str
    issued: date
    number: str | None = None
    term_months: int | None = None
    expires: date | None = None
    status: str = "active"
    notes: str | None = None
    # Keys a person wrote that this version does not know: kept on every rewrite.
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def label(self) -> str:
        """How messages name the license: its id, and its number when it has one."""
        return f"license {self.id}" + (f" ({self.number})" if self.number else "")


# Key order on disk: stable, so rewrites produce clean diffs.
LICENSE_KEYS: Final = (
    "id",
    "number",
    "material",
    "destination",
    "issued",
    "term_months",
    "expires",
    "status",
    "notes",
)
SETTINGS_KEYS: Final = ("term_months", "warn_days", "critical_days")


# --- single values ---------------------------------------------------------


def check_int(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(name, f"expected a whole number, got {_describe(value)}")
    if not low <= value <= high:
        raise InvalidValue(name, f"expected {low} to {high}, got {value}")
    return value


def check_text(name: str, value: Any, *, multiline: bool = False) -> str:
    if not isinstance(value, str):
        raise InvalidValue(name, f"expected text, got {_describe(value)}")
    text = value.replace("\r\n", "\n").strip()
    if not text:
        raise InvalidValue(name, "must not be empty")
    if len(text) > MAX_TEXT:
        raise InvalidValue(name, f"longer than {MAX_TEXT} characters")
    if _CONTROL.search(text) or (not multiline and "\n" in text):
        raise InvalidValue(name, "must not contain control characters or line breaks")
    return text


def check_date(name: str, value: Any) -> date:
    if isinstance(value, datetime):
        raise InvalidValue(name, f"expected a date without a time, got {value}")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        raise InvalidValue(
            name,
            "expected a TOML date such as 2025-11-03 (no quotes), "
            f"got the text {value!r}",
        )
    raise InvalidValue(name, f"expected a date, got {_describe(value)}")


def parse_date(name: str, text: str) -> date:
    """A date typed by a person: strictly YYYY-MM-DD, and a real calendar day."""
    cleaned = text.strip()
    if not _ISO_DATE.fullmatch(cleaned):
        raise InvalidValue(name, f"expected a date as YYYY-MM-DD, got {text!r}")
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise InvalidValue(name, f"{text!r} is not a day of the calendar") from None


def check_destination(value: Any) -> str:
    code = check_text("destination", value)
    if not is_alpha2(code):
        raise InvalidValue(
            "destination",
            f"expected an ISO 3166-1 alpha-2 code such as US, got {code!r}",
        )
    return code


def _describe(value: Any) -> str:
    kind = {bool: "a boolean", int: "a number", float: "a number", str: "text"}.get(
        type(value), f"a {type(value).__name__}"
    )
    shown = repr(value)
    if len(shown) > _SHOWN:
        shown = shown[: _SHOWN - 3] + "..."
    return f"{kind} {shown}"


# --- whole records ---------------------------------------------------------


def settings_from_table(table: Any) -> Settings:
    if not isinstance(table, Mapping):
        raise InvalidValue("settings", "expected a [settings] table")
    defaults = Settings()
    term = check_int(
        "term_months",
        table.get("term_months", defaults.term_months),
        1,
        MAX_TERM_MONTHS,
    )
    warn = check_int(
        "warn_days", table.get("warn_days", defaults.warn_days), 0, MAX_DAYS
    )
    critical = check_int(
        "critical_days", table.get("critical_days", defaults.critical_days), 0, MAX_DAYS
    )
    if critical > warn:
        raise InvalidValue(
            "critical_days",
            f"must not be above warn_days ({critical} > {warn})",
        )
    extra = {k: v for k, v in table.items() if k not in SETTINGS_KEYS}
    return Settings(term, warn, critical, extra)


def settings_to_table(settings: Settings) -> dict[str, Any]:
    return {
        "term_months": settings.term_months,
        "warn_days": settings.warn_days,
        "critical_days": settings.critical_days,
        **settings.extra,
    }


def license_from_table(table: Mapping[str, Any]) -> License:
    """Validate one ``[[license]]`` table; raises InvalidValue naming the field."""
    for required in ("id", "material", "destination", "issued"):
        if required not in table:
            raise InvalidValue(required, "is missing")
    issued = check_date("issued", table["issued"])
    term = table.get("term_months")
    expires = table.get("expires")
    if term is not None and expires is not None:
        raise InvalidValue("expires", "give term_months or expires, not both")
    if term is not None:
        term = check_int("term_months", term, 1, MAX_TERM_MONTHS)
    if expires is not None:
        expires = check_expires(issued, check_date("expires", expires))
    status = table.get("status", "active")
    if status not in STATUSES:
        raise InvalidValue(
            "status", f"expected one of {', '.join(STATUSES)}, got {status!r}"
        )
    number = table.get("number")
    notes = table.get("notes")
    return License(
        id=check_int("id", table["id"], 1, 2**53),
        number=None if number is None else check_text("number", number),
        material=check_text("material", table["material"]),
        destination=check_destination(table["destination"]),
        issued=issued,
        term_months=term,
        expires=expires,
        status=status,
        notes=None if notes is None else check_text("notes", notes, multiline=True),
        extra={k: v for k, v in table.items() if k not in LICENSE_KEYS},
    )


def check_expires(issued: date, expires: date) -> date:
    if expires < issued:
        raise InvalidValue("expires", f"{expires} is before the issue date {issued}")
    return expires


def license_to_table(lic: License) -> dict[str, Any]:
    table: dict[str, Any] = {
        "id": lic.id,
        "number": lic.number,
        "material": lic.material,
        "destination": lic.destination,
        "issued": lic.issued,
        "term_months": lic.term_months,
        "expires": lic.expires,
        "status": None if lic.status == "active" else lic.status,
        "notes": lic.notes,
    }
    return {k: v for k, v in table.items() if v is not None} | dict(lic.extra)
