"""Names a package offers, each loaded from its module on first use (PEP 562).

A command then pays only for the modules it uses: a report does not load the
writers' code, a pipe does not load the table drawing.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


def attributes(package: str, where: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``where`` maps each name to
    ``"module"`` or ``"module:attribute"`` inside the package. The value found is
    kept in the package, so each name is looked up once."""

    def getattr_(name: str) -> Any:
        if name not in where:
            raise AttributeError(name)
        module, _, attribute = where[name].partition(":")
        value = getattr(
            importlib.import_module(f"{package}.{module}"), attribute or name
        )
        setattr(sys.modules[package], name, value)
        return value

    return getattr_
