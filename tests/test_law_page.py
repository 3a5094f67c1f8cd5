"""The manual's "The rules the tool applies" names every article and every
announcement the tool applies, with its source (issue 23)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from export_licenses.storage.catalogue import shipped_catalogue

if TYPE_CHECKING:
    from export_licenses.domain.controls import Control

PAGE = Path(__file__).resolve().parent.parent / "docs" / "law.md"
TEXT = PAGE.read_text(encoding="utf-8")
CONTROLS = shipped_catalogue().controls


@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: c.number)
def test_every_announcement_is_on_the_page_with_its_source(control: Control) -> None:
    number, source = control.number, control.source
    row = next((line for line in TEXT.splitlines() if f"| {number} |" in line), None)
    assert row is not None, f"{number} is not in docs/law.md"
    assert source in row
    for suspension in control.suspensions:
        assert suspension.by.removeprefix("MOFCOM ").replace("2025 ", "") in row
        assert suspension.source is not None
        assert suspension.source in row


@pytest.mark.parametrize("article", ["15", "17", "18", "19", "26", "27", "39"])
def test_every_article_the_tool_applies_is_on_the_page(article: str) -> None:
    assert any(
        line.startswith((f"| **{article}", f"| **15, {article}"))
        for line in TEXT.splitlines()
    ), article
