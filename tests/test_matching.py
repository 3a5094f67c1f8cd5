"""Matching a material to the catalogue: names, aliases, symbols, formulas, HS and
control codes, word by word and never by substring; and a material's family."""

from __future__ import annotations

import pytest

from export_licenses.domain.matching import (
    Matcher,
    controlled_elements,
    family,
)
from export_licenses.storage.catalogue import shipped_catalogue

CONTROLS = shipped_catalogue().controls
MATCHER = Matcher(CONTROLS)


def numbers(material: str | None, **codes: str) -> list[str]:
    found = MATCHER.match(material, **codes)
    return [m.control.number.removeprefix("MOFCOM ") for m in found]


@pytest.mark.parametrize(
    ("material", "expected"),
    [
        # Names and aliases, any case, in a longer description.
        ("dysprosium oxide, 99.5%", ["2025 No. 18", "2025 No. 61"]),
        ("Dysprosium metal", ["2025 No. 18", "2025 No. 61"]),
        ("YTTRIA-stabilised zirconia", ["2025 No. 18"]),
        ("holmium oxide", ["2025 No. 57", "2025 No. 61"]),
        ("Lithium-ion batteries, 320 Wh/kg", ["2025 No. 58"]),
        ("artificial graphite anode material", ["2024 No. 51", "2024 No. 46", "2025 No. 58"]),
        ("Superhard materials", ["2024 No. 33", "2024 No. 51", "2024 No. 46", "2025 No. 55"]),
        # Symbols and formulas, alone or inside a formula.
        ("Dy2O3", ["2025 No. 18", "2025 No. 61"]),
        # A formula with a digit: any case, and its element through the entry
        # that lists it (No. 61 lists dysprosium, not "Dy2O3").
        ("DY2O3 powder", ["2025 No. 18", "2025 No. 61"]),
        ("(Nd,Dy)FeB magnets", ["2025 No. 18", "2025 No. 61"]),
        ("Tb4O7", ["2025 No. 18", "2025 No. 61"]),
        ("Y2O3", ["2025 No. 18", "2025 No. 61"]),
        ("Ho metal chips", ["2025 No. 57", "2025 No. 61"]),
        ("GaN wafers", ["2023 No. 23", "2024 No. 51", "2024 No. 46"]),
        ("SmCo5 magnets", ["2025 No. 18", "2025 No. 61"]),
        # A formula of four letters or more, any case, with or without counts:
        # the catalogue's "SmCo", never cobalt from "CO" (audit s9-review, 6).
        ("SmCo magnets", ["2025 No. 18", "2025 No. 61"]),
        ("SMCO magnets", ["2025 No. 18", "2025 No. 61"]),
        ("smco magnets", ["2025 No. 18", "2025 No. 61"]),
        ("Sm2Co17", ["2025 No. 18", "2025 No. 61"]),
        ("SM2CO17", ["2025 No. 18", "2025 No. 61"]),
        ("sm2co17", ["2025 No. 18", "2025 No. 61"]),
        ("GAAS wafers", ["2023 No. 23", "2024 No. 51", "2024 No. 46"]),
        # HS codes: written with dots, or shorter (a national 8-digit code).
        # No. 61 lists all of No. 18's elements, so whichever element the code
        # is, No. 61 lists it too.
        ("2805.30.12.00", ["2025 No. 18", "2025 No. 61"]),
        ("rare-earth metal 28053012", ["2025 No. 18", "2025 No. 61"]),
        ("rare-earth metal 280530", ["2025 No. 18", "2025 No. 61"]),  # the subheading may hold it
        # Control codes, and sub-items of them.
        ("1C902.a", ["2025 No. 18", "2025 No. 61"]),
        ("1e902.b know-how", ["2025 No. 62"]),
    ],
)  # fmt: skip
def test_a_material_matches_the_entries_that_name_it(
    material: str, expected: list[str]
) -> None:
    assert numbers(material) == expected


@pytest.mark.parametrize(
    "material",
    [
        "dysprosium-free NdFeB magnets",  # "-free": the material has none
        "Dy-free sintered magnets",
        "NdFeB magnets N52",  # neodymium is not controlled by itself
        "terbiumoxide",  # no word "terbium" in it
        "EU customer samples",  # EU is not Eu
        "GE turbine parts",  # nor GE Ge
        "TB-grade copper",  # nor TB Tb
        "grade Y steel",  # a lone capital letter is no symbol
        "shipped via NY",
        "gap filler compound",  # GaP is case-sensitive
        "holder for sample",
        "dysprosi",
        "NdFeB magnets (Dy free)",  # "free" after a space says none too
        "CO2 cylinders",  # no formula of the catalogue: no element from case
        "NO2 sensor",
        "GAP filler",  # a formula without a digit stays case-sensitive
        "GAN switch",  # below four letters
        "CO2 cylinders in SM2 crates",  # no catalogue formula
        "rare-earth metal 28053",  # five digits are not an HS subheading
        "1C90",
        "1C9020",
        "",
    ],
)
def test_no_match_on_parts_of_words_or_lookalikes(material: str) -> None:
    assert numbers(material) == []


def test_a_licenses_own_hs_and_control_codes_count() -> None:
    assert numbers("magnets", hs_code="2805301200") == ["2025 No. 18", "2025 No. 61"]
    # gallium's code: No. 46 lists gallium, germanium and antimony, all No. 51's
    assert numbers(None, hs_code="8112.92.90.10") == ["2023 No. 23", "2024 No. 51", "2024 No. 46"]  # fmt: skip
    assert numbers("material", control_code="1c909") == ["2025 No. 57", "2025 No. 61"]
    # Two samarium and gadolinium metals share a code; dysprosium's is its own.
    assert numbers(None, hs_code="2805301910") == ["2025 No. 18", "2025 No. 61"]
    assert numbers(None, hs_code="2805301999") == []


def test_each_match_says_which_item_matched_and_answers_are_kept() -> None:
    (first, _) = MATCHER.match("Dysprosium oxide")
    assert first.item == "dysprosium"
    assert MATCHER.match("Dysprosium oxide") is MATCHER.match("Dysprosium oxide")


@pytest.mark.parametrize(
    ("material", "expected"),
    [
        ("dysprosium oxide", "dysprosium"),
        ("Dysprosium metal", "dysprosium"),
        ("Dy2O3, 99.9 %", "dysprosium"),
        ("DyFe alloy", "dysprosium"),
        ("dysprosia", "dysprosium"),
        # Several elements: the first one the catalogue controls.
        ("NdFeB magnets with terbium", "terbium"),
        ("NdFeB with Dy and Tb", "dysprosium"),
        ("SmCo magnets", "samarium"),
        # None controlled: the first one named.
        ("neodymium oxide", "neodymium"),
        ("Dy-free NdFeB magnets", "neodymium"),
        ("cerium oxide polishing powder", "cerium"),
        # No element at all: the caller groups by the text.
        ("superhard materials", None),
        ("EU samples", None),
    ],
)
def test_the_family_of_a_material_is_the_element_it_is_about(
    material: str, expected: str | None
) -> None:
    assert MATCHER.family(material) == expected
    assert family(material, controlled_elements(CONTROLS)) == expected


def test_without_a_catalogue_the_family_is_the_first_element_named() -> None:
    assert family("NdFeB magnets with terbium") == "neodymium"
    assert "terbium" in controlled_elements(CONTROLS)
    assert "neodymium" not in controlled_elements(CONTROLS)


@pytest.mark.parametrize(
    ("material", "expected"),
    [
        # The audit's materials (s9-law, 4): the element whatever the case.
        ("Dy2O3", ["2025 No. 18", "2025 No. 61"]),
        ("DY2O3", ["2025 No. 18", "2025 No. 61"]),
        ("dy2o3", ["2025 No. 18", "2025 No. 61"]),
        ("Tb4O7", ["2025 No. 18", "2025 No. 61"]),
        ("TB4O7", ["2025 No. 18", "2025 No. 61"]),
        ("HO2O3", ["2025 No. 57", "2025 No. 61"]),
        ("2846901940", ["2025 No. 18", "2025 No. 61"]),  # samarium oxide's HS code
        ("1C909", ["2025 No. 57", "2025 No. 61"]),  # holmium's control code
        # A code of an entry whose elements another lists only in part: not there.
        ("1E902", ["2025 No. 62"]),
    ],
)
def test_a_formula_or_code_reaches_the_entries_listing_its_element(
    material: str, expected: list[str]
) -> None:
    assert numbers(material) == expected
