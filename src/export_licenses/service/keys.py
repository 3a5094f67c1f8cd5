"""The record a key typed on the command line names: a license's id, its
number (any case, or a part only one number has), an application's id (A3).

A key must never silently name another record than it did: license numbers
are free text (EU, UK and US numbers are often all digits, a US one can be a
letter and digits), so ``3`` can be license 3's id and license 1's number, and
``A3`` application A3's id and license 21's number. Such a key is refused,
naming both; ``id:3`` and ``number:3`` say which is meant. A key shaped like an
id (digits, or A and digits) is never read as a part of a number, so it cannot
change meaning when some other number comes to contain it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from export_licenses.domain.application import Application, app_id_of, app_label
from export_licenses.errors import UsageProblem

if TYPE_CHECKING:
    from export_licenses.domain.license import License
    from export_licenses.domain.store_data import StoreData

MAX_CANDIDATES: Final = 5  # an ambiguous id fragment names this many licenses
MAX_ID_DIGITS: Final = 16  # ids go up to 2**53
ID_FORM: Final = "id:"
NUMBER_FORM: Final = "number:"


def find(data: StoreData, key: str, *, or_application: bool = False) -> License:
    """The license ``key`` names. ``or_application``: the caller takes an
    application id too and has looked for one, so an ``A<n>`` found nowhere is
    "no application"; otherwise it is an application id given where a
    license's goes, and the message says so."""
    found = _resolve(data, key, applications=False)
    if found is not None and not isinstance(found, Application):
        return found  # (applications=False: never an application)
    form, text = _split(key)
    app_id = app_id_of(text)
    if app_id is not None and form != NUMBER_FORM:
        if or_application:
            raise UsageProblem(f"no application {app_label(app_id)}")
        raise UsageProblem(
            f"{app_label(app_id)} is an application id; give a license's id or number"
        )
    if form == ID_FORM:
        if _license_id(text) is None:
            raise UsageProblem(
                f"{key.strip()!r}: an id is digits (3), or A and digits for an "
                "application (A3)"
            )
        raise UsageProblem(f"no license with id {text}")
    if form == NUMBER_FORM:
        raise UsageProblem(f"no license with number {text!r}")
    raise UsageProblem(f"no license with id or number {key!r}")


def find_record(data: StoreData, key: str) -> License | Application:
    """For the commands that take a license or an application (show, ack,
    history): the one ``key`` names."""
    found = _resolve(data, key, applications=True)
    if found is not None:
        return found
    return find(data, key, or_application=True)  # the message for nothing found


def find_application(data: StoreData, key: str) -> Application:
    """For the commands that take only an application: ``A3`` or ``id:A3``."""
    form, text = _split(key)
    number = app_id_of(text) if form != NUMBER_FORM else None
    found = next((a for a in data.applications if a.id == number), None)
    if found is None:
        raise UsageProblem(f"no application {key.strip()!r} (ids look like A1)")
    return found


def is_id_shaped(text: str) -> bool:
    """Digits alone (a license's id) or A and digits (an application's): a
    license number like this is reached by ``number:`` where an id is too."""
    return _license_id(text) is not None or app_id_of(text) is not None


def _resolve(
    data: StoreData, key: str, *, applications: bool
) -> License | Application | None:
    form, text = _split(key)
    named: list[License | Application] = []
    if form != NUMBER_FORM:
        lic_id = _license_id(text)
        app_id = app_id_of(text) if applications else None
        named += [lic for lic in data.licenses if lic.id == lic_id][:1]
        named += [app for app in data.applications if app.id == app_id][:1]
        if form == ID_FORM:
            return named[0] if named else None
    # A key shaped like an id is a whole number or nothing (see the docstring).
    parts = form == NUMBER_FORM or not is_id_shaped(text)
    by_number = _by_number(data, text, parts=parts)
    if form == NUMBER_FORM or not named:
        return by_number
    if by_number is not None and named[0] is not by_number:
        raise UsageProblem(
            f"{text!r} is {named[0].label()} by its id and {by_number.label()} "
            f"by its number; say which: {ID_FORM}{text} or {NUMBER_FORM}{text}"
        )
    return named[0]


def _by_number(data: StoreData, text: str, *, parts: bool) -> License | None:
    folded = text.casefold()
    numbered = [(lic.number.casefold(), lic) for lic in data.licenses if lic.number]
    exact = next((lic for number, lic in numbered if number == folded), None)
    if exact is not None or not (parts and folded):
        return exact
    partly = [lic for number, lic in numbered if folded in number]
    if len(partly) > 1:
        shown = ", ".join(lic.label() for lic in partly[:MAX_CANDIDATES])
        more = len(partly) - MAX_CANDIDATES
        rest = f" and {more} more" if more > 0 else ""
        raise UsageProblem(
            f"{text!r} is part of {len(partly)} license numbers: {shown}{rest}; "
            "give more of the number, or the id"
        )
    return partly[0] if partly else None


def _split(key: str) -> tuple[str | None, str]:
    """``id:3`` -> ("id:", "3"); a key without a form -> (None, the key)."""
    wanted = key.strip()
    folded = wanted.casefold()
    for form in (ID_FORM, NUMBER_FORM):
        if folded.startswith(form):
            return form, wanted[len(form) :].strip()
    return None, wanted


def _license_id(text: str) -> int | None:
    # ASCII digits, as few as an id has: "²" is a digit to str.isdigit but
    # not to int, and int refuses 4,300 digits or more.
    if text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS:
        return int(text)
    return None
