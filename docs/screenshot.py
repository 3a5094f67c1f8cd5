"""Render `licenses timeline` on the example store to docs/timeline.svg.

Runs the real command with colour forced, then lets Rich draw its ANSI output as
an SVG terminal picture: `python docs/screenshot.py` after changing the timeline.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

HERE = Path(__file__).resolve().parent
COMMAND = [
    sys.executable, "-m", "export_licenses",
    "--store", str(HERE.parent / "examples" / "licenses.toml"),
    "timeline", "--today", "2026-01-15",
]  # fmt: skip


def main() -> None:
    env = {**os.environ, "FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "80"}
    env.pop("NO_COLOR", None)
    ansi = subprocess.run(COMMAND, capture_output=True, text=True, env=env, check=True)
    console = Console(
        file=io.StringIO(),  # record only; print nothing here
        record=True,
        width=80,
        force_terminal=True,
        color_system="truecolor",
    )
    console.print(Text.from_ansi(ansi.stdout), end="")
    console.save_svg(str(HERE / "timeline.svg"), title="licenses timeline")


if __name__ == "__main__":
    main()
