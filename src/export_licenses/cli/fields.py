"""The options that set a license's fields: one ``Annotated`` alias per field.

``add`` and ``edit`` take every one of them, ``apply``, ``grant`` and ``renew``
those they need; each command lists them in its own signature. A parameter is
named after its field (``term_months`` for ``--term``), so an error about a field
names the option that set it (``failures._message``), and ``license_fields``
hands the values to the service checked by the field's own parser
(``domain/license.py``).
``tests/test_fields.py`` checks that every field a person sets has its option.
"""

from typing import Annotated, Any

import typer

from export_licenses.domain.application import Filing
from export_licenses.domain.license import BY_KEY, Kind
from export_licenses.errors import FieldProblem, InvalidValue, UsageProblem

from .session import parse_day


def _option(*names: str, text: str, metavar: str | None = None) -> Any:
    # No default is shown: a field left out is not set (or, on add, defaulted
    # by the store's settings, as its help says).
    return typer.Option(*names, metavar=metavar, help=text, show_default=False)


NumberOption = Annotated[
    str | None,
    _option("--number", "-n", text="The authority's license number (unique)."),
]
KindOption = Annotated[
    Kind | None,
    _option(
        "--kind",
        text="individual (one export, at most 12 months), general (repeated "
        "exports, at most 36) or registration (a certificate per export): "
        "Order 792 art. 15.",
    ),
]
AuthorityOption = Annotated[
    str | None,
    _option(
        "--authority",
        text="Who issues it: MOFCOM (the default), BIS, EU-DE, ECJU, or an "
        "[authority.NAME] of the store.",
    ),
]
MaterialOption = Annotated[
    str | None,
    _option("--material", "-m", text='What is licensed, e.g. "dysprosium oxide".'),
]
HsCodeOption = Annotated[
    str | None, _option("--hs-code", text="HS commodity code, 6 to 10 digits.")
]
QuantityOption = Annotated[
    str | None,
    _option("--quantity", metavar="AMOUNT", text="Licensed quantity (drawdown limit)."),
]
UnitOption = Annotated[
    str | None, _option("--unit", text='Unit of the quantity, e.g. "kg".')
]
DestinationOption = Annotated[
    str | None,
    _option(
        "--destination",
        "-d",
        text="Country: alpha-2, alpha-3 or English name (stored as alpha-2).",
    ),
]
ExporterOption = Annotated[str | None, _option("--exporter", text="The exporter.")]
EndUserOption = Annotated[
    str | None, _option("--end-user", text="The end user named on the license.")
]
EndUsersOption = Annotated[
    list[str] | None,
    _option(
        "--end-users",
        metavar="NAMES",
        text='A general license\'s end users, separated by ";" (or the option '
        "repeated); coverage counts the license for each.",
    ),
]
EndUseOption = Annotated[
    str | None,
    _option(
        "--end-use",
        text="What the end user does with it (free text; a key element, "
        "Order 792 art. 18).",
    ),
]
IssuedOption = Annotated[
    str | None,
    _option("--issued", "-i", metavar="YYYY-MM-DD", text="Date of issue."),
]
TermOption = Annotated[
    int | None,
    _option(
        "--term",
        metavar="MONTHS",
        text="Validity in months (default: [settings] term_months, 6).",
    ),
]
ExpiresOption = Annotated[
    str | None,
    _option(
        "--expires",
        metavar="YYYY-MM-DD",
        text="Explicit last valid day, instead of --term.",
    ),
]
RenewalOption = Annotated[
    bool | None,
    _option(
        "--renewal/--no-renewal",
        text="--no-renewal: this license will not be renewed, so its filing "
        "deadline is never flagged (stored renewal = false); --renewal undoes it.",
    ),
]
NoteOption = Annotated[
    str | None, _option("--note", text="Free text, stored as notes.")
]


def license_fields(**given: Any) -> dict[str, Any]:
    """The fields given (not None), each parsed by its field's own parser from
    what was typed; a bad value is a FieldProblem (64) naming the field."""
    try:
        return {
            key: BY_KEY[key].codec.parse(key, value)
            for key, value in given.items()
            if value is not None
        }
    except InvalidValue as exc:
        raise FieldProblem.of(exc) from None


def filing_of(
    filed: str | None,
    accepted: str | None,
    reference: str | None,
    fields: dict[str, Any],
) -> Filing:
    """An application's filing as apply and change take it; its notes leave
    ``fields`` (they are the application's, not a license field)."""
    return Filing(
        filed=None if filed is None else parse_day("filed", filed),
        accepted=None if accepted is None else parse_day("accepted", accepted),
        reference=reference,
        notes=fields.pop("notes", None),
    )


def require(ctx: typer.Context, fields: dict[str, Any], *keys: str) -> None:
    """Options a command needs only in one of its forms (``apply`` without an
    ID needs --material and --destination): named as Click names a missing one."""
    for key in keys:
        if key not in fields:
            option = next(p.opts[0] for p in ctx.command.params if p.name == key)
            raise UsageProblem(f"Missing option '{option}'")
