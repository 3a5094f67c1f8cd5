"""The operations the commands call, one module per group of them: ``records``
(what changes a license), ``applications`` (the renewal pipeline), ``holds``
(hold, resume), ``reports`` (what only reads: list, due, warn; ``lookup``
for show),
``insight`` (review times), ``supply`` (coverage), ``transfer``, ``history``,
``merging``, ``agenda``, ``notify`` and the rest; ``common`` is what they share.

May import ``interchange``, ``storage``, ``domain`` and ``errors``; never
``render`` or ``cli``, nor Typer, Click or Rich. (Enforced by the import-linter
contracts in ``pyproject.toml``.)

This ``__init__`` imports nothing: a command imports the module it calls
(``from export_licenses.service import reports``), so that a run loads only the
operations it takes — importing every one cost each start-up ~8 ms.

No parsing of argv and no rendering here; errors name fields, not options.
"""
