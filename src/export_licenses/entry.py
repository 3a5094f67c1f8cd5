"""The ``licenses`` program's entry point (the console script and ``python -m``).

A run is short and its records hold no reference cycles, so the cyclic garbage
collector only costs time: it walks every object built so far, again and again,
while Typer is imported and while a large store is decoded (about 6 ms of a
100-license run, 20 ms at 10,000 licenses). Reference counting still frees what
is no longer used. It is turned off here, before anything else is imported, and
not in the package itself, so that programs and tests importing it keep theirs.
"""

import gc


def main() -> None:
    gc.disable()
    from export_licenses.cli.app import main as run  # noqa: PLC0415 - after gc

    run()
