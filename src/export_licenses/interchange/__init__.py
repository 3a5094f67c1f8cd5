"""Interchange: licenses in and out of other formats — CSV and workbooks in,
JSON, CSV, iCalendar and workbooks out.

May import ``storage``, ``domain`` and ``errors``; never ``service``, ``render``
or ``cli``, nor Typer, Click or Rich. (Enforced by the import-linter contracts in
``pyproject.toml``.) Heavy readers and writers (calamine, openpyxl, icalendar) load only
on the path that uses them.
"""
