"""The ``licenses`` command line: parse, call the service, render. Nothing else.

``app`` holds the Typer app and the table of commands, ``failures`` the
error-to-exit translation; ``options`` the global options and the options
several commands share, ``fields`` the license-field options; the commands are
grouped by job, one module per group (``records``, ``changes``, ``removal``,
``renewals``, ``decisions``, ``clock``, ``reports``, ``monitor`` for warn,
``views``, ``alerts``, ``catalogue``, ``transfer``, ``history``;
``app.COMMANDS`` lists every command and its module); ``session``,
``completion``, ``examples`` and ``pager`` are what they share. The program's
entry point is ``export_licenses/__main__.py``.

May import ``render``, ``service``, ``interchange``, ``storage``, ``domain`` and
``errors``: it is the top layer, and nothing in the package imports it. With
``render``, the only layer that may import Typer, Click or Rich. (Enforced by
the import-linter contracts in ``pyproject.toml``.)
"""

from .app import app

__all__ = ["app"]
