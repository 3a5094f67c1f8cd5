"""Single values: each checked once here, from the TOML file or the command line.

Both paths give the same rules and the same wording. A check takes the field's
name (for the message) and the value; it returns the value as the record holds it
or raises InvalidValue naming the field. The kinds of value that bundle a check
with typing in and writing out (``Codec``: ``TEXT``, ``DATE``, ...) are
``value_codecs.py``.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from export_licenses.errors import InvalidValue

from .countries import is_alpha2

MAX_TEXT: Final = 2000
MAX_ID: Final = 2**53  # every id stays exact as a JSON number
# A sanity bound, not policy: art. 15 of the Regulations on the Export Control of
# Dual-Use Items caps licenses at 1 year (individual) or 3 years (general); ten
# years leaves room for other regimes while catching typos such as 60 for 6.
MAX_TERM_MONTHS: Final = 120
MAX_QUANTITY: Final = 10**15
# Dates a license can sensibly carry. The bound keeps date arithmetic (an expiry
# ten years on, a deadline counted back over holidays) far from the ends of the
# calendar, where it would fail, and catches typos such as 2062 for 2026.
MIN_YEAR: Final = 1900
MAX_YEAR: Final = 2199

_HS_CODE = re.compile(r"[0-9]{6,10}")
# An authority's name as profiles spell it ("MOFCOM", "BIS", "EU-DE"): the same
# form as ``[authority.NAME]`` (domain/authorities.py).
_AUTHORITY = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,31}")
# Who licenses when a record names no authority: the stores written before
# authorities existed hold MOFCOM's licenses (Order 792).
DEFAULT_AUTHORITY: Final = "MOFCOM"
_DEFAULT_KEY: Final = DEFAULT_AUTHORITY.casefold()


def is_default_authority(name: str | None) -> bool:
    """Whether an authority's name is MOFCOM's, in any case (a record naming
    none is MOFCOM's)."""
    return name is None or name.casefold() == _DEFAULT_KEY


SHOWN: Final = 40  # how much of a bad value a message quotes
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# C0 and C1 controls (tab and newline aside): U+009B starts a terminal's escape
# sequence as ESC [ does, and U+0085 is a line break to Unicode's line rules.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# Line breaks: a single-line field holds none (a warn alert is one line to any
# reader, Python's and JavaScript's splitlines included). Looked for with "in":
# one more compiled pattern cost every run ~1 M instructions at import.
def _has_line_break(text: str) -> bool:
    return "\n" in text or "\u2028" in text or "\u2029" in text


def check_int(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(name, f"expected a whole number, got {describe(value)}")
    if not low <= value <= high:
        raise InvalidValue(name, f"expected {low} to {high}, got {value}")
    return value


def check_text(name: str, value: Any, *, multiline: bool = False) -> str:
    if not isinstance(value, str):
        raise InvalidValue(name, f"expected text, got {describe(value)}")
    text = value.replace("\r\n", "\n").strip()
    if not text:
        raise InvalidValue(name, "must not be empty")
    if len(text) > MAX_TEXT:
        raise InvalidValue(name, f"longer than {MAX_TEXT} characters")
    if _CONTROL.search(text) or (not multiline and _has_line_break(text)):
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
    raise InvalidValue(name, f"expected a date, got {describe(value)}")


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

    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidValue(name, f"expected a number, got {describe(value)}")
    amount = Decimal(str(value))
    if not amount.is_finite():
        raise InvalidValue(name, f"expected a finite number, got {value}")
    if amount <= 0:
        raise InvalidValue(name, f"expected a positive number, got {value}")
    if amount > MAX_QUANTITY:
        # Positive, so saying "expected a positive number" would mislead.
        raise InvalidValue(name, f"{value} is too large: at most {MAX_QUANTITY:,}")
    # The store holds a fraction as a TOML float: one it would change (1e-400
    # is 0.0; 0.1000000000000000001 is 0.1) is refused, never stored changed.
    if amount != amount.to_integral_value() and Decimal(repr(float(amount))) != amount:
        raise InvalidValue(
            name,
            f"{value} cannot be kept exactly in the store (a number of at most 15 "
            "significant digits)",
        )
    return amount


def parse_quantity(name: str, text: str) -> Decimal:
    # Digits are ASCII, as in ids and dates: Decimal reads Arabic-Indic ones too.
    try:
        amount = Decimal(text.strip().replace("_", "")) if text.isascii() else None
    except InvalidOperation:
        amount = None
    if amount is None:
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


def check_authority(name: str, value: Any) -> str:
    text = check_text(name, value)
    if not _AUTHORITY.fullmatch(text):
        raise InvalidValue(
            name,
            "expected an authority's name such as MOFCOM, BIS or EU-DE "
            f"(letters, digits, - or _), got {text!r}",
        )
    return text


def check_names(name: str, value: Any) -> tuple[str, ...]:
    """A list of names (a general license's end users): text each, no repeats."""
    if not isinstance(value, list | tuple):
        raise InvalidValue(
            name, f'expected a list such as ["A", "B"], got {describe(value)}'
        )
    names: list[str] = []
    for n, item in enumerate(value, start=1):
        text = check_text(f"{name}[{n}]", item)
        if text.casefold() in (known.casefold() for known in names):
            raise InvalidValue(name, f"{text!r} is listed twice")
        names.append(text)
    if not names:
        raise InvalidValue(name, "expected at least one name (or leave the key out)")
    return tuple(names)


def merged_names(one: str | None, several: tuple[str, ...] | None) -> tuple[str, ...]:
    """``one`` and ``several`` (a license's end_user and end_users), each name
    once in any case, in the order written."""
    names = ([one] if one else []) + list(several or ())
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return tuple(seen.values())


def kind_of(value: Any) -> str:
    """What a value is, in words ("text", "a number"), without the value."""
    return {bool: "a boolean", int: "a number", float: "a number", str: "text"}.get(
        type(value), f"a {type(value).__name__}"
    )


def describe(value: Any) -> str:
    kind = kind_of(value)
    shown = repr(value)
    if len(shown) > SHOWN:
        shown = shown[: SHOWN - 3] + "..."
    return f"{kind} {shown}"


def check_bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue(name, f"expected true or false, got {describe(value)}")
    return value
