"""The ``licenses`` command line: parse, call the service, render. Nothing else.

``app`` holds the Typer app, the error-to-exit translation and lazy loading;
``options`` the options declared once; ``records``, ``reports`` and ``transfer``
the commands, grouped by job.
"""

from .app import app, main

__all__ = ["app", "main"]
