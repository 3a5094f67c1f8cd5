"""Shell completion of ids: license ids and numbers, application ids.

Typer generates the bash, zsh and fish scripts (``licenses --install-completion``);
the shell then runs ``licenses`` with _LICENSES_COMPLETE set for each <Tab>, and
these functions answer from the store the command line names (--store, else
$LICENSES_STORE, else the default). A completion never prints an error: a store
that cannot be read completes nothing.
"""

from typing import TYPE_CHECKING

import typer  # Typer reads these functions' annotations at run time

from export_licenses.errors import LicensesError

from .session import Session, parse_day

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from export_licenses.domain.license import License
    from export_licenses.domain.store_data import StoreData


def _data(ctx: typer.Context) -> "StoreData | None":
    from export_licenses.storage import store_read

    try:
        return store_read.read(Session.of(ctx).store, note=False)  # no line mid-prompt
    except (LicensesError, OSError, ValueError):
        return None


def license_keys(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Ids and numbers of licenses starting with what is typed, with a hint."""
    return _licenses(ctx, incomplete, lambda _: True)


def active_license_keys(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """For close, apply, renew: only the licenses that can take them."""
    return _licenses(ctx, incomplete, lambda lic: lic.active)


def shippable_license_keys(
    ctx: typer.Context, incomplete: str
) -> list[tuple[str, str]]:
    """For ship: only what ship would take on the day (--on when it was typed
    before the id, else today): a license in use, issued and not expired by
    then, with quantity left. An expired or fully drawn license is refused."""
    from export_licenses.domain import rules

    data = _data(ctx)
    day = _day(ctx, ctx.params.get("on"))
    if data is None or day is None:
        return []
    term = data.settings.term_months

    def shippable(lic: "License") -> bool:
        left = lic.quantity is None or lic.shipped < lic.quantity
        return lic.active and left and lic.issued <= day <= rules.expiry(lic, term)

    return _licenses(ctx, incomplete, shippable, data)


def _day(ctx: typer.Context, on: object) -> "date | None":
    try:
        return parse_day("on", on) if isinstance(on, str) else Session.of(ctx).today()
    except LicensesError:
        return None


def _licenses(
    ctx: typer.Context,
    incomplete: str,
    keep: "Callable[[License], bool]",
    data: "StoreData | None" = None,
    *,
    applications: bool = False,
) -> list[tuple[str, str]]:
    from export_licenses.domain.application import app_label

    data = data or _data(ctx)
    if data is None:
        return []
    # A key that names two records (an id and another license's number; in
    # show, an application's id and a license's number) is refused by the
    # command: offer it in the form that says which (id:3, number:3).
    owner = {str(lic.id): lic.id for lic in data.licenses}
    owner |= {app_label(a.id).casefold(): 0 for a in data.applications if applications}
    numbered = {lic.number.casefold(): lic.id for lic in data.licenses if lic.number}
    # Typer keeps only the answers that start with what is typed, as typed.
    found = []
    for lic in data.licenses:
        if not keep(lic):
            continue
        hint = f"{lic.number or 'no number'} {lic.material} to {lic.destination}"
        key = str(lic.id)
        if numbered.get(key, lic.id) != lic.id or incomplete.startswith("id:"):
            key = f"id:{key}"
        if key.startswith(incomplete):
            found.append((key, f"{hint} ({lic.status})"))
        if not lic.number:
            continue
        key = lic.number
        if owner.get(key.casefold(), lic.id) != lic.id or (
            incomplete.startswith("number:")
        ):
            key = f"number:{key}"
        if incomplete and key.startswith(incomplete):
            found.append((key, f"license {lic.id} ({lic.status})"))
    return found


def pending_application_keys(
    ctx: typer.Context, incomplete: str
) -> list[tuple[str, str]]:
    """For accept, grant, refuse, withdraw: only the pending applications."""
    return _applications(ctx, incomplete, pending_only=True)


def running_application_keys(
    ctx: typer.Context, incomplete: str
) -> list[tuple[str, str]]:
    """For hold: the pending applications whose review clock runs."""
    return _applications(ctx, incomplete, pending_only=True, stopped=False)


def stopped_application_keys(
    ctx: typer.Context, incomplete: str
) -> list[tuple[str, str]]:
    """For resume: the pending applications whose review clock is stopped."""
    return _applications(ctx, incomplete, pending_only=True, stopped=True)


def _applications(
    ctx: typer.Context,
    incomplete: str,
    *,
    pending_only: bool,
    stopped: bool | None = None,
    licenses: bool = False,
) -> list[tuple[str, str]]:
    from export_licenses.domain.holds import open_hold

    data = _data(ctx)
    if data is None:
        return []
    # In show, A3 that is also a license's number is refused: offer id:A3.
    numbers = {
        lic.number.casefold() for lic in data.licenses if lic.number and licenses
    }
    return [
        (label, f"{app.material} to {app.destination} ({app.status})")
        for app in data.applications
        if (label := _app_key(app.id, numbers, incomplete)).startswith(incomplete)
        and (app.pending or not pending_only)
        and (stopped is None or (open_hold(app.holds) is not None) == stopped)
    ]


def _app_key(app_id: int, numbers: "set[str]", incomplete: str) -> str:
    from export_licenses.domain.application import app_label

    label = app_label(app_id)
    if label.casefold() in numbers or incomplete.startswith("id:"):
        return f"id:{label}"
    return label


def any_keys(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """For show, ack, history: licenses, then applications (A1, A2, …)."""
    return _licenses(ctx, incomplete, lambda _: True, applications=True) + (
        _applications(ctx, incomplete, pending_only=False, licenses=True)
    )
