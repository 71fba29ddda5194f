from __future__ import annotations

from bot.evidence.similar import GOOD_MATCH, SimilarityIndex

ENTRIES = [
    (1, "Named who would answer rather than taking hands up in Y9 history", "questioning"),
    (2, "New seating plan for Y8 split up the chatty back row", "behaviour"),
    (3, "Read the class novel aloud to Y5 at the end of the day", "reading"),
    (4, "Rang home with good news for three Y7s", "parents"),
    (5, "Mini whiteboards for every check question in Y4 maths", "questioning"),
    (6, "Took a proper lunch break in the staffroom", "wellbeing"),
]


def test_a_paraphrase_comes_first() -> None:
    index = SimilarityIndex(ENTRIES)

    found = index.matches("Cold calling in Y10 instead of hands up", theme="questioning", limit=3)
    assert found[0][0] == 1
    assert found[0][1] >= GOOD_MATCH
    assert all(score < GOOD_MATCH for _, score in found[1:])


def test_same_theme_first_then_the_rest() -> None:
    index = SimilarityIndex(ENTRIES)

    found = index.matches("Positive phone calls to parents", theme="questioning", limit=6)
    assert {entry_id for entry_id, _ in found[:2]} == {1, 5}
    assert found[2][0] == 4  # the closest words, among the other themes


def test_without_a_theme_the_words_decide() -> None:
    index = SimilarityIndex(ENTRIES)

    assert index.matches("Positive phone calls to parents", theme=None, limit=1)[0][0] == 4


def test_excluded_ids_and_the_limit_are_respected() -> None:
    index = SimilarityIndex(ENTRIES)

    found = index.matches("Reading a story aloud to Y3", theme="reading", limit=2, exclude={3})
    assert len(found) == 2
    assert 3 not in [entry_id for entry_id, _ in found]


def test_an_empty_index_finds_nothing() -> None:
    assert SimilarityIndex([]).matches("anything", theme=None, limit=5) == []
    assert SimilarityIndex(ENTRIES).matches("anything", theme=None, limit=0) == []


def test_the_threshold_is_a_similarity() -> None:
    assert 0.0 < GOOD_MATCH < 1.0
