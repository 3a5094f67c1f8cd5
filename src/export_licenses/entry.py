"""The ``licenses`` program's entry point (the console script and ``python -m``).

Python's cyclic garbage collector runs after every 700 new container objects, and
each run walks every object still young. Importing Typer and decoding a large store
build hundreds of thousands of objects, almost none of them in reference cycles:
the collector costs about 5 ms of a 100-license run and 12 ms at 10,000 licenses,
and frees nothing. Here it runs after every 100,000 instead: a run keeps most of
the time, and the cycles some libraries do make (the json module's indenting
encoder makes a few per call) are still collected, so memory stays bounded
(``due --format json`` at 100,000 licenses peaks at the same 159 MiB).

Set here, before anything else is imported, and not in the package itself, so that
programs and tests importing it keep Python's defaults.
"""

import gc

# Container allocations between collections of the youngest generation.
GC_THRESHOLD = 100_000


def main() -> None:
    gc.set_threshold(GC_THRESHOLD)
    from export_licenses.cli.app import main as run  # noqa: PLC0415 - after gc

    run()
