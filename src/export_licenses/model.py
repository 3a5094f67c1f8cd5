"""Records and the validation of one value, one license, one settings table.

Every value is checked here once, whether it comes from the TOML file or from the
command line, so both paths give the same rules and the same wording.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TypeVar

from .countries import is_alpha2

if TYPE_CHECKING:
    from decimal import Decimal
from .errors import InvalidValue

T = TypeVar("T")

STORE_VERSION: Final = 1


class Status(enum.StrEnum):
    """Where a license is in its life; only the first two are active and flagged."""

    ACTIVE = "active"
    RENEWAL_FILED = "renewal-filed"
    RENEWED = "renewed"
    CLOSED = "closed"
    REVOKED = "revoked"


class Kind(enum.StrEnum):  # art. 15 of the Regulations
    INDIVIDUAL = "individual"  # one export to one end user, at most 1 year
    GENERAL = "general"  # repeated exports, at most 3 years


STATUSES: Final = tuple(status.value for status in Status)
KINDS: Final = tuple(kind.value for kind in Kind)
ACTIVE_STATUSES: Final = frozenset({Status.ACTIVE.value, Status.RENEWAL_FILED.value})

# A sanity bound, not policy: art. 15 of the Regulations on the Export Control of
# Dual-Use Items caps licenses at 1 year (individual) or 3 years (general); ten
# years leaves room for other regimes while catching typos such as 60 for 6.
MAX_TERM_MONTHS: Final = 120
MAX_TEXT: Final = 2000
MAX_DAYS: Final = 3660
# MOFCOM decides in 45 working days (art. 17); a year of working days is ample
# room for slower regimes, and 0 would put the renewal deadline on the expiry.
MAX_REVIEW_WORKING_DAYS: Final = 250
# Dates a license can sensibly carry. The bound keeps date arithmetic (an expiry
# ten years on, a deadline counted back over holidays) far from the ends of the
# calendar, where it would fail, and catches typos such as 2062 for 2026.
MIN_YEAR: Final = 1900
MAX_YEAR: Final = 2199

_HS_CODE = re.compile(r"\d{6,10}")
_CALENDAR = re.compile(r"[A-Z]{2,3}(-[A-Z0-9]{1,3})?|none")
_SHOWN: Final = 40  # how much of a bad value a message quotes
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


# Records are NamedTuples: immutable and typed like frozen dataclasses, and built
# in C, which matters when a store holds 100,000 licenses (parsing, and loading
# them from the cache, is about twice as fast).
#
# Keys a person wrote that this version does not know. The default is shared, so
# it is never changed in place: code builds new mappings instead.
_NO_EXTRA: Mapping[str, Any] = {}


class Settings(NamedTuple):
    term_months: int = 6
    warn_days: int = 90
    critical_days: int = 30
    # Art. 17 of the Regulations: MOFCOM decides within 45 working days.
    review_working_days: int = 45
    calendar: str = "CN"  # a holidays-package country code, or "none" (Mon-Fri)
    extra: Mapping[str, Any] = _NO_EXTRA


class Shipment(NamedTuple):
    on: date
    quantity: Decimal
    note: str | None = None
    extra: Mapping[str, Any] = _NO_EXTRA


class License(NamedTuple):
    id: int
    material: str
    destination: str
    issued: date
    number: str | None = None
    term_months: int | None = None
    expires: date | None = None
    status: str = "active"
    notes: str | None = None
    kind: str | None = None
    exporter: str | None = None
    end_user: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    hs_code: str | None = None
    renewal_filed: date | None = None
    renews: int | None = None
    superseded_by: int | None = None
    closed: date | None = None
    close_reason: str | None = None
    shipments: tuple[Shipment, ...] = ()
    # Keys a person wrote that this version does not know: kept on every rewrite.
    extra: Mapping[str, Any] = _NO_EXTRA

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def shipped(self) -> Decimal:
        from decimal import Decimal  # noqa: PLC0415 - decimal only where amounts are

        return sum((s.quantity for s in self.shipments), Decimal(0))

    def label(self) -> str:
        """How messages name the license: its id, and its number when it has one."""
        return f"license {self.id}" + (f" ({self.number})" if self.number else "")


# Key order on disk: stable, so rewrites produce clean diffs. New keys only ever
# go between old ones, so files written by older versions rewrite unchanged.
LICENSE_KEYS: Final = (
    "id",
    "number",
    "kind",
    "material",
    "hs_code",
    "quantity",
    "unit",
    "destination",
    "exporter",
    "end_user",
    "issued",
    "term_months",
    "expires",
    "status",
    "renewal_filed",
    "renews",
    "superseded_by",
    "closed",
    "close_reason",
    "notes",
    "shipments",
)
# Optional text fields: (key, may span lines).
TEXT_FIELDS: Final = (
    ("number", False),
    ("exporter", False),
    ("end_user", False),
    ("unit", False),
    ("close_reason", False),
    ("notes", True),
)
SETTINGS_KEYS: Final = (
    "term_months",
    "warn_days",
    "critical_days",
    "review_working_days",
    "calendar",
)
SHIPMENT_KEYS: Final = ("on", "quantity", "note")
MAX_QUANTITY: Final = 10**15


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
        return check_year(name, value)
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
        day = date.fromisoformat(cleaned)
    except ValueError:
        raise InvalidValue(name, f"{text!r} is not a day of the calendar") from None
    return check_year(name, day)


def check_year(name: str, day: date) -> date:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise InvalidValue(name, f"{day} is outside the years {MIN_YEAR} to {MAX_YEAR}")
    return day


def check_quantity(name: str, value: Any) -> Decimal:
    """A positive amount, kept as Decimal so that drawdown sums are exact."""
    from decimal import Decimal  # noqa: PLC0415

    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidValue(name, f"expected a number, got {_describe(value)}")
    amount = Decimal(str(value))
    if not amount.is_finite() or amount <= 0 or amount > MAX_QUANTITY:
        raise InvalidValue(name, f"expected a positive number, got {value}")
    return amount


def parse_quantity(name: str, text: str) -> Decimal:
    from decimal import Decimal, InvalidOperation  # noqa: PLC0415

    try:
        amount = Decimal(text.strip().replace("_", ""))
    except InvalidOperation:
        raise InvalidValue(
            name, f"expected a number such as 500 or 12.5, got {text!r}"
        ) from None
    return check_quantity(name, amount)


def quantity_to_toml(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def check_choice(name: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise InvalidValue(name, f"expected one of {', '.join(choices)}, got {value!r}")
    return str(value)


def check_hs_code(value: Any) -> str:
    code = check_text("hs_code", value).replace(".", "").replace(" ", "")
    if not _HS_CODE.fullmatch(code):
        raise InvalidValue("hs_code", f"expected 6 to 10 digits, got {value!r}")
    return code


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
    review = check_int(
        "review_working_days",
        table.get("review_working_days", defaults.review_working_days),
        1,
        MAX_REVIEW_WORKING_DAYS,
    )
    calendar = table.get("calendar", defaults.calendar)
    if not isinstance(calendar, str) or not _CALENDAR.fullmatch(calendar):
        raise InvalidValue(
            "calendar",
            'expected a country code of the holidays package such as "CN", '
            f'or "none" for Monday to Friday, got {_describe(calendar)}',
        )
    extra = {k: v for k, v in table.items() if k not in SETTINGS_KEYS}
    return Settings(term, warn, critical, review, calendar, extra)


def settings_to_table(settings: Settings) -> dict[str, Any]:
    return {
        "term_months": settings.term_months,
        "warn_days": settings.warn_days,
        "critical_days": settings.critical_days,
        "review_working_days": settings.review_working_days,
        "calendar": settings.calendar,
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
    texts = {
        key: check_text(key, table[key], multiline=multiline)
        for key, multiline in TEXT_FIELDS
        if table.get(key) is not None
    }
    return License(
        id=check_int("id", table["id"], 1, MAX_ID),
        material=check_text("material", table["material"]),
        destination=check_destination(table["destination"]),
        issued=issued,
        term_months=term,
        expires=expires,
        status=check_choice("status", table.get("status", "active"), STATUSES),
        kind=_optional(table, "kind", lambda v: check_choice("kind", v, KINDS)),
        quantity=_optional(table, "quantity", lambda v: check_quantity("quantity", v)),
        hs_code=_optional(table, "hs_code", check_hs_code),
        renewal_filed=_optional(
            table, "renewal_filed", lambda v: check_date("renewal_filed", v)
        ),
        renews=_optional(table, "renews", lambda v: check_int("renews", v, 1, MAX_ID)),
        superseded_by=_optional(
            table, "superseded_by", lambda v: check_int("superseded_by", v, 1, MAX_ID)
        ),
        closed=_optional(table, "closed", lambda v: check_date("closed", v)),
        shipments=_shipments(table.get("shipments", [])),
        extra={k: v for k, v in table.items() if k not in LICENSE_KEYS},
        **texts,
    )


MAX_ID: Final = 2**53


def _optional(
    table: Mapping[str, Any], key: str, check: Callable[[Any], T]
) -> T | None:
    value = table.get(key)
    return None if value is None else check(value)


def _shipments(value: Any) -> tuple[Shipment, ...]:
    if not isinstance(value, list):
        raise InvalidValue("shipments", "expected a list of shipments")
    shipments = []
    for n, item in enumerate(value, start=1):
        name = f"shipments #{n}"
        if not isinstance(item, Mapping):
            raise InvalidValue(
                name, "expected a table such as { on = 2026-01-05, quantity = 100 }"
            )
        for required in ("on", "quantity"):
            if required not in item:
                raise InvalidValue(f"{name} {required}", "is missing")
        note = item.get("note")
        shipments.append(
            Shipment(
                on=check_date(f"{name} on", item["on"]),
                quantity=check_quantity(f"{name} quantity", item["quantity"]),
                note=None if note is None else check_text(f"{name} note", note),
                extra={k: v for k, v in item.items() if k not in SHIPMENT_KEYS},
            )
        )
    return tuple(shipments)


def check_expires(issued: date, expires: date) -> date:
    if expires < issued:
        raise InvalidValue("expires", f"{expires} is before the issue date {issued}")
    return expires


def license_to_table(lic: License) -> dict[str, Any]:
    table: dict[str, Any] = {
        "id": lic.id,
        "number": lic.number,
        "kind": lic.kind,
        "material": lic.material,
        "hs_code": lic.hs_code,
        "quantity": None if lic.quantity is None else quantity_to_toml(lic.quantity),
        "unit": lic.unit,
        "destination": lic.destination,
        "exporter": lic.exporter,
        "end_user": lic.end_user,
        "issued": lic.issued,
        "term_months": lic.term_months,
        "expires": lic.expires,
        "status": None if lic.status == "active" else lic.status,
        "renewal_filed": lic.renewal_filed,
        "renews": lic.renews,
        "superseded_by": lic.superseded_by,
        "closed": lic.closed,
        "close_reason": lic.close_reason,
        "notes": lic.notes,
        "shipments": [_shipment_to_table(s) for s in lic.shipments] or None,
    }
    return {k: v for k, v in table.items() if v is not None} | dict(lic.extra)


def _shipment_to_table(shipment: Shipment) -> dict[str, Any]:
    table: dict[str, Any] = {
        "on": shipment.on,
        "quantity": quantity_to_toml(shipment.quantity),
    }
    if shipment.note is not None:
        table["note"] = shipment.note
    return table | dict(shipment.extra)
