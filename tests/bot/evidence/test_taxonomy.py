from __future__ import annotations

import pytest

from bot.evidence.taxonomy import DEFAULT_THEMES, THEME_IDS, TOOLKIT, theme

TWELVE = (
    "feedback",
    "metacognition",
    "retrieval",
    "questioning",
    "reading",
    "behaviour",
    "parents",
    "collaboration",
    "inclusion",
    "wellbeing",
    "technology",
    "workload",
)


def test_the_default_taxonomy_has_the_twelve_ids_in_order() -> None:
    assert THEME_IDS == TWELVE


@pytest.mark.parametrize("info", DEFAULT_THEMES, ids=THEME_IDS)
def test_every_theme_has_a_name_and_a_plain_description(info) -> None:
    assert info.name
    assert 60 <= len(info.description) <= 200
    assert info.description.endswith(".")


@pytest.mark.parametrize("info", DEFAULT_THEMES, ids=THEME_IDS)
def test_a_strand_comes_with_its_link_on_the_toolkit(info) -> None:
    if info.id in ("retrieval", "workload"):  # not Toolkit strands
        assert info.strand is None
        assert info.link is None
    else:
        assert info.strand
        assert info.link is not None
        assert info.link.startswith(f"{TOOLKIT}/")
        assert info.link.rsplit("/", 1)[1] == info.strand.lower().replace(" ", "-")


def test_themes_are_found_by_id() -> None:
    assert theme("questioning").strand == "Oral language interventions"
    with pytest.raises(KeyError):
        theme("astronomy")
