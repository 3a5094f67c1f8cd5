"""How results look: ``tables`` (terminal tables), ``formats`` (JSON/CSV/TSV for
scripts, warn's JSON), ``lines`` (lines of words: the confirmations, warn's
alert lines, the Nagios line), ``show`` (one record's details),
``renewals`` (applications, stats, coverage), ``chart`` (the timeline),
``agenda``, ``controls``, the HTML ``report`` and the Prometheus ``metrics``;
``console`` (the terminal: its size, colours, stderr's lines) and ``cells`` are
what they share. Rich is imported only where it draws.

May import ``service`` (its result types, to draw them), ``interchange``,
``storage``, ``domain`` and ``errors``; never ``cli``. With ``cli``, the only
layer that may import Typer, Click or Rich. (Enforced by the import-linter
contracts in ``pyproject.toml``.)

This ``__init__`` imports nothing: a command imports the module it draws with
(``from export_licenses.render import formats``), so that a run loads only what
it prints with — importing every one cost each start-up ~4 ms.
"""
