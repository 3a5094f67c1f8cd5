"""The domain: records, values, countries, months, working-day arithmetic, the
rules and verdicts, the review-time model, the three-way merge of stores, the
dated catalogue of controls, the authority profiles and matching materials.

Pure: dates and records in, verdicts out. May import ``errors``; never
``storage``, ``interchange``, ``service``, ``render`` or ``cli``. Beyond the
package, only the standard library and read-only reference data
shipped with a package (pycountry's codes, ``holidays``' calendars). No file or
network I/O, no clock, no Typer, no Rich; every rule takes ``today`` from its
caller. (Enforced by the import-linter contracts in ``pyproject.toml``.)
"""
