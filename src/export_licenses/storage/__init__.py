"""Storage: the TOML store file, its text-level edits, the atomic write and the
writer lock, git as the store's history, and every cache (the store index and
the working-day calendar cache), and the package's own data files (the catalogue
of controls, the authority profiles).

May import ``domain`` and ``errors``; never ``interchange``, ``service``,
``render`` or ``cli``, nor Typer, Click or Rich. (Enforced by the import-linter
contracts in ``pyproject.toml``.)
"""
