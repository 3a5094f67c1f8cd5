"""Render `licenses report` on the example store to docs/report.png.

Runs the real command, then has headless Chromium photograph the page at a desktop
width: `python docs/report_screenshot.py` after changing the report (Debian:
`apt-get install chromium`; or set CHROMIUM to a Chrome binary).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WIDTH, HEIGHT = 1000, 2700  # CSS pixels; the example store's page fits in this


def chromium() -> str:
    found = os.environ.get("CHROMIUM") or next(
        filter(
            None, map(shutil.which, ["chromium", "chromium-browser", "google-chrome"])
        ),
        None,
    )
    if found is None:
        sys.exit("no Chromium: apt-get install chromium, or set CHROMIUM")
    return found


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        subprocess.run(
            [
                sys.executable, "-m", "export_licenses",
                "--store", str(HERE.parent / "examples" / "licenses.toml"),
                "--today", "2026-01-15", "report", "--output", str(page),
            ],
            check=True,
        )  # fmt: skip
        subprocess.run(
            [
                chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", f"--user-data-dir={folder}/profile",
                f"--window-size={WIDTH},{HEIGHT}",
                f"--screenshot={HERE / 'report.png'}", page.as_uri(),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip


if __name__ == "__main__":
    main()
