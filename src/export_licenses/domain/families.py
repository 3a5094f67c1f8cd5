"""How review times group materials: "dysprosium oxide" and "Dysprosium metal,
99.5%" are both dysprosium.

Materials are free text, so the history of one element splits over many
spellings and the review-time model would learn from a handful of samples each.
MOFCOM's announcements control elements and their compounds together (2025 No. 18:
samarium, gadolinium, terbium, dysprosium, lutetium, scandium, yttrium — metals,
alloys, oxides, compounds; DOMAIN.md). The family is issue 23's
``matching.family``: the element a material is about, the controlled one first
("NdFeB magnets containing dysprosium" is dysprosium). A material that names no
element ("superhard materials") is its own family.

Pure: text in, a name out.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from .matching import family

if TYPE_CHECKING:
    from collections.abc import Callable, Collection

_SPACES: Final = re.compile(r"\s+")
# A purity or grade: "99.5%", "99.99 %", a part in parentheses.
_GRADE: Final = re.compile(r"\([^)]*\)|\d+(?:\.\d+)?\s*%")


def family_name(
    material: str, controlled: Collection[str] | Callable[[], Collection[str]]
) -> str:
    """The family a material belongs to (``matching.family``), else the material
    itself as ``material_key`` reads it. ``controlled``: the elements the
    catalogue controls (``matching.controlled_elements``), or a function that
    gives them when a material names several."""
    return family(material, controlled) or material_key(material)


def material_key(material: str) -> str:
    """How two spellings of one material compare: case, spacing and a grade
    ("Dysprosium oxide, 99.5%", "dysprosium oxide (4N)") aside."""
    bare = _GRADE.sub(" ", material.split(",", 1)[0])
    return _SPACES.sub(" ", bare).strip().casefold() or material.strip().casefold()
