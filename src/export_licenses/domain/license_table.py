"""One license as a ``[[license]]`` TOML table and back, with the checks that
span several fields (Order 792 art. 15 on end users; expiry after issue).
"""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Final

from export_licenses.errors import InvalidValue

from .key_names import unknown_keys
from .license import BY_KEY, FIELDS, License, Status
from .license_fields import ONE_EXPORT, with_article
from .months import add_months
from .values import MAX_YEAR, merged_names

# What license_to_table leaves out: the defaults, so files stay short.
_OMITTED: Final = {"status": Status.ACTIVE, "shipments": None}


# --- whole records -----------------------------------------------------------


def license_from_table(table: Mapping[str, Any]) -> License:
    """Validate one ``[[license]]`` table; raises InvalidValue naming the field."""
    # First: "expire" is better told as a misspelling than "expires" as missing.
    extra = unknown_keys(table, BY_KEY)
    for field in FIELDS:
        if field.required and table.get(field.key) is None:
            raise InvalidValue(field.key, "is missing")
    checked = {
        field.key: field.codec.check(field.key, table[field.key])
        for field in FIELDS
        if table.get(field.key) is not None
    }
    if "term_months" in checked and "expires" in checked:
        raise InvalidValue("expires", "give term_months or expires, not both")
    if "expires" in checked:
        check_expires(checked["issued"], checked["expires"])
    if "term_months" in checked:
        # Dates are years 1900 to 2199 (store.md), the one computed too: else it
        # is written, and an export of it cannot be imported.
        end = add_months(checked["issued"], checked["term_months"])
        if end.year > MAX_YEAR:
            raise InvalidValue(
                "term_months", f"it would expire on {end}, after the year {MAX_YEAR}"
            )
    check_end_users(
        checked.get("kind"), checked.get("end_user"), checked.get("end_users")
    )
    return License(**checked, extra=extra)


def check_end_users(
    kind: str | None, end_user: str | None, end_users: tuple[str, ...] | None
) -> None:
    """Order 792 art. 15: an individual license is for one end user; only a
    general license allows several."""
    if kind in ONE_EXPORT and len(merged_names(end_user, end_users)) > 1:
        raise InvalidValue(
            "end_users",
            f"{with_article(kind)} license is for a single end user "
            "(Order 792 art. 15); "
            "several end users need a general license",
        )


def check_expires(issued: date, expires: date) -> date:
    if expires < issued:
        raise InvalidValue("expires", f"{expires} is before the issue date {issued}")
    return expires


def license_to_table(lic: License) -> dict[str, Any]:
    """The TOML table: keys in the order on disk, empty ones left out."""
    table = {
        field.key: field.codec.to_toml(value)
        for field, value in zip(FIELDS, lic, strict=False)
        if value is not None and _OMITTED.get(field.key, ...) != value
    }
    return {k: x for k, x in table.items() if x is not None} | dict(lic.extra)


# --- license numbers, unique across a store ------------------------------------


def numbers_in(licenses: Iterable[License]) -> dict[str, str]:
    """Casefolded license number -> how messages name the license that holds it.

    Numbers are unique in any case: every check of that goes through this map.
    """
    return {lic.number.casefold(): lic.label() for lic in licenses if lic.number}


def number_taken(numbers: Mapping[str, str], number: str | None) -> str | None:
    """Who already holds ``number`` in a map from ``numbers_in``, if anyone."""
    return None if number is None else numbers.get(number.casefold())
