"""The manual's pictures show what the tool draws today: docs/timeline.svg went
stale once (license 15 drawn as a warning when `timeline` said critical)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _pictures() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "pictures", ROOT / "docs" / "pictures.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _texts(svg: str) -> list[str]:
    """What a picture says, line segment by segment: Rich's styling of an SVG
    may change with its releases, the words and bars may not go stale."""
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_the_timeline_picture_is_what_the_tool_draws() -> None:
    drawn = _texts(_pictures().timeline_svg())
    kept = _texts((ROOT / "docs" / "timeline.svg").read_text(encoding="utf-8"))
    assert len(drawn) > 20, drawn
    assert drawn == kept, "docs/timeline.svg is stale: run python docs/pictures.py"
