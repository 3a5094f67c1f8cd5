"""What each import deferred into a function saves the runs that do not take it.

A module imported inside a function (``# noqa: PLC0415`` in ``src/``) is loaded
only by the runs that call it. This finds every such import in the package's
source and counts, with valgrind, the instructions it adds on top of what every
read command loads (the CLI and ``service.reports``): what a run that does not
need it is spared. Instructions, not time: the figure is the same on a busy
machine, and within a few tenths of a percent from run to run.

    bash benchmarks/run --imports     # ~3 minutes; needs valgrind
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Final

PACKAGE: Final = Path(__file__).resolve().parent.parent / "src" / "export_licenses"
BASE: Final = "import export_licenses.cli.app, export_licenses.service.reports"
# Counts of one program differ by up to ~0.7 M from run to run.
NOISE: Final = 1_000_000


def deferred() -> dict[str, list[str]]:
    """Each module imported inside a function, with the files that do so."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        package = parts[:-1] if parts[-1] != "__init__" else parts
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                names: list[str] = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    base = list(package[: len(package) - node.level + 1])
                    module = node.module or ""
                    if node.level:
                        module = ".".join([*base, *([module] if module else [])])
                    # `from . import x` and `from p import x` may name a module
                    names = [
                        f"{module}.{alias.name}"
                        if _is_module(f"{module}.{alias.name}")
                        else module
                        for alias in node.names
                    ]
                where = str(path.relative_to(PACKAGE))
                for name in names:
                    found.setdefault(name, []).append(where)
    return found


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:  # a name inside a module, not a package's module
        return False


def instructions(code: str) -> int:
    with tempfile.NamedTemporaryFile(suffix=".log") as log:
        subprocess.run(
            [
                "valgrind",
                "--tool=cachegrind",
                "--cache-sim=no",
                "--cachegrind-out-file=/dev/null",
                f"--log-file={log.name}",
                sys.executable,
                "-c",
                code,
            ],
            check=True,
            capture_output=True,
        )
        for line in Path(log.name).read_text(encoding="utf-8").splitlines():
            if "I" in line and "refs:" in line:
                return int(line.split("refs:")[1].replace(",", "").strip())
    raise RuntimeError("no instruction count in valgrind's log")


def main() -> None:
    subprocess.run([sys.executable, "-c", BASE], check=True)  # bytecode warm
    base = instructions(BASE)
    print(
        f"Every read command loads {base / 1e6:.1f} M instructions' worth "
        "(Python, Typer, the CLI, the read path).\n"
    )
    print("| deferred import | where | M instructions it adds |")
    print("|---|---|---|")
    for module, found in sorted(deferred().items()):
        places = sorted(set(found))
        code = f"{BASE}\nimport {module}"
        try:
            cost = instructions(code) - base
        except subprocess.CalledProcessError:
            cost = None  # not installed here (filelock off Windows, ...)
        if cost is None:
            shown = "not installed"
        elif cost < NOISE:
            shown = "under 1 (loaded already)"
        else:
            shown = f"{cost / 1e6:.1f}"
        print(f"| `{module}` | {', '.join(places)} | {shown} |", flush=True)


if __name__ == "__main__":
    main()
