"""The ``licenses`` program's entry point (the console script and ``python -m``).

Two costs of a short run that buy it nothing are cut here, and only here, so that
programs and tests importing the package keep Python's defaults:

- Python's cyclic garbage collector runs after every 700 new container objects,
  and each run walks every object still young. Importing Typer and decoding a
  large store build hundreds of thousands of objects, almost none of them in
  reference cycles: the collector costs about 5 ms of a 100-license run and 12 ms
  at 10,000 licenses, and frees nothing. It runs after every 100,000 instead, so
  the cycles some libraries make (the json module's indenting encoder makes a few
  per call) are still collected and memory stays bounded.
- When the command is done, Python would free every object one by one before
  exiting: 6 ms at 100 licenses, 17 ms at 10,000. The exit handlers run, standard
  output and error are flushed, and the process ends at once (``os._exit``),
  which is what exiting would leave behind anyway. Every file the command wrote
  is already closed and in place (``fsio.write_atomic``) before this point.
"""

import atexit
import contextlib
import gc
import os
import sys
from typing import NoReturn

# Container allocations between collections of the youngest generation.
GC_THRESHOLD = 100_000


def main() -> None:
    gc.set_threshold(GC_THRESHOLD)
    from .app import main as run  # noqa: PLC0415 - after gc

    try:
        run()
    except SystemExit as exc:
        _exit(exc.code)
    _exit(0)


def _exit(code: object) -> NoReturn:
    if isinstance(code, str):  # sys.exit("message"), as Python would show it
        sys.stderr.write(f"{code}\n")
    status = code if isinstance(code, int) else int(code is not None)
    atexit._run_exitfuncs()  # noqa: SLF001 - what exiting runs first
    for stream in (sys.stdout, sys.stderr):
        # The reader went away (`licenses list | head`): as the command itself
        # treats it, not an error of ours.
        with contextlib.suppress(BrokenPipeError, ValueError):
            stream.flush()
    os._exit(status)
