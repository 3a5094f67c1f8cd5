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
        return store_read.read(Session.of(ctx).store)
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
) -> list[tuple[str, str]]:
    data = data or _data(ctx)
    if data is None:
        return []
    # Typer keeps only the answers that start with what is typed, as typed.
    found = []
    for lic in data.licenses:
        if not keep(lic):
            continue
        hint = f"{lic.number or 'no number'} {lic.material} to {lic.destination}"
        if str(lic.id).startswith(incomplete):
            found.append((str(lic.id), f"{hint} ({lic.status})"))
        if incomplete and lic.number and lic.number.startswith(incomplete):
            found.append((lic.number, f"license {lic.id} ({lic.status})"))
    return found


def application_keys(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Application ids (A1, A2, …) starting with what is typed."""
    return _applications(ctx, incomplete, pending_only=False)


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
) -> list[tuple[str, str]]:
    from export_licenses.domain.application import app_label
    from export_licenses.domain.holds import open_hold

    data = _data(ctx)
    if data is None:
        return []
    return [
        (label, f"{app.material} to {app.destination} ({app.status})")
        for app in data.applications
        if (label := app_label(app.id)).startswith(incomplete)
        and (app.pending or not pending_only)
        and (stopped is None or (open_hold(app.holds) is not None) == stopped)
    ]


def any_keys(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """For show: licenses and applications."""
    return license_keys(ctx, incomplete) + application_keys(ctx, incomplete)
